/**
 * The sales journal (node:sqlite, WAL, synchronous=FULL): sales, lines, charge attempts, refunds,
 * terminal allow-lists, and an append-only events table. `sales` and `attempts` carry the current state
 * as a projection that is updated in the same transaction as the event that explains the change, so
 * the two can never disagree after a crash.
 */
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import type { CartLine, SaleState, TerminalFamily } from '../../shared/contract';
import type { Reason } from '../../shared/reasons';
import { migrate } from './migrations';

export interface SaleRow {
  id: string;
  created_at: number;
  updated_at: number;
  day: string;
  state: SaleState;
  total: number;
  site: string;
  currency: string;
  cart_discount: number;
  register: string;
  terminal_id: string | null;
  family: TerminalFamily | null;
  current_attempt_id: string | null;
  external_reference: string | null;
  payment_id: string | null;
  card_brand: string | null;
  card_last4: string | null;
  refunded_amount: number;
  expires_at: number | null;
  cancellable: number;
  /** Legacy English sentence (journals before schema 2); new rows leave it null. */
  message: string | null;
  reason_code: string | null;
  /** JSON object of the reason's parameters. */
  reason_params: string | null;
  error_code: string | null;
  search_text: string;
}

export interface AttemptRow {
  id: string;
  sale_id: string;
  seq: number;
  terminal_id: string;
  family: TerminalFamily;
  amount: number;
  description: string;
  idempotency_key: string;
  external_reference: string;
  charge_id: string | null;
  charge_state: string | null;
  payment_id: string | null;
  order_payment_id: string | null;
  state: SaleState;
  settled: number;
  created_at: number;
  sent_at: number | null;
  expires_at: number | null;
  settled_at: number | null;
  cancel_requested_at: number | null;
  /** 'cashier' or 'timeout': a charge Caja cancelled for waiting too long ends as expired. */
  cancel_reason: string | null;
  /** The create body exactly as sent (JSON text): a replay with the same key sends these bytes. */
  create_body: string | null;
  /** The idempotency key of the current cancel request; each new request gets its own. */
  cancel_key: string | null;
}

export interface RefundRow {
  id: string;
  sale_id: string;
  attempt_id: string;
  payment_id: string;
  amount: number;
  full: number;
  idempotency_key: string;
  state: 'pending' | 'approved' | 'failed' | 'unknown';
  created_at: number;
  updated_at: number;
}

export interface EventRow {
  seq: number;
  at: number;
  sale_id: string | null;
  attempt_id: string | null;
  refund_id: string | null;
  kind: string;
  state: SaleState | null;
  detail: string;
  data: string | null;
  reason_code: string | null;
  reason_params: string | null;
}

export interface NewEvent {
  at: number;
  saleId: string | null;
  attemptId?: string | null;
  refundId?: string | null;
  kind: string;
  state?: SaleState | null;
  reason: Reason;
  data?: Record<string, unknown>;
}

export interface AttentionRow {
  id: string;
  fingerprint: string;
  day: string;
  found_at: number;
  kind: string;
  sale_id: string | null;
  payment_id: string | null;
  amount: number | null;
  journal_state: string | null;
  mp_status: string | null;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
}

type Patch<T> = Partial<Omit<T, 'id'>>;

/** SQLite's synchronous driver returns null-prototype objects; a typed cast is all they need. */
function rows<T>(v: unknown[]): T[] {
  return v as T[];
}

export class Journal {
  readonly db: DatabaseSync;
  private readonly stmts = new Map<string, ReturnType<DatabaseSync['prepare']>>();
  private depth = 0;

  constructor(path: string) {
    this.db = new DatabaseSync(path);
    try {
      // WAL lets history queries read while a charge writes; FULL makes every commit durable before
      // the request it precedes leaves the machine.
      this.db.exec('PRAGMA journal_mode = WAL');
      this.db.exec('PRAGMA synchronous = FULL');
      this.db.exec('PRAGMA foreign_keys = ON');
      this.db.exec('PRAGMA busy_timeout = 5000');
      migrate(this.db);
    } catch (e) {
      this.db.close();
      throw e;
    }
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }

  get isOpen(): boolean {
    return this.db.isOpen;
  }

  private stmt(sql: string) {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  all<T>(sql: string, ...params: SQLInputValue[]): T[] {
    return rows<T>(this.stmt(sql).all(...params));
  }

  get<T>(sql: string, ...params: SQLInputValue[]): T | undefined {
    return this.stmt(sql).get(...params) as T | undefined;
  }

  run(sql: string, ...params: SQLInputValue[]): void {
    this.stmt(sql).run(...params);
  }

  /** Runs `fn` in one IMMEDIATE transaction (nested calls join the outer one). */
  tx<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    this.db.exec('BEGIN IMMEDIATE');
    this.depth++;
    try {
      const out = fn();
      this.depth--;
      this.db.exec('COMMIT');
      return out;
    } catch (e) {
      this.depth--;
      if (this.db.isOpen) this.db.exec('ROLLBACK');
      throw e;
    }
  }

  // ---------- sales ----------

  insertSale(row: SaleRow): void {
    this.run(
      `INSERT INTO sales (id, created_at, updated_at, day, state, total, site, currency, cart_discount, register, terminal_id, family,
        current_attempt_id, external_reference, payment_id, card_brand, card_last4, refunded_amount, expires_at, cancellable, message,
        reason_code, reason_params, error_code, search_text)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      row.id,
      row.created_at,
      row.updated_at,
      row.day,
      row.state,
      row.total,
      row.site,
      row.currency,
      row.cart_discount,
      row.register,
      row.terminal_id,
      row.family,
      row.current_attempt_id,
      row.external_reference,
      row.payment_id,
      row.card_brand,
      row.card_last4,
      row.refunded_amount,
      row.expires_at,
      row.cancellable,
      row.message,
      row.reason_code,
      row.reason_params,
      row.error_code,
      row.search_text,
    );
  }

  updateSale(id: string, patch: Patch<SaleRow>): void {
    this.update('sales', id, patch);
  }

  getSale(id: string): SaleRow | undefined {
    return this.get<SaleRow>('SELECT * FROM sales WHERE id = ?', id);
  }

  replaceLines(saleId: string, lines: CartLine[]): void {
    this.run('DELETE FROM sale_lines WHERE sale_id = ?', saleId);
    lines.forEach((l, i) =>
      this.run(
        'INSERT INTO sale_lines (sale_id, position, product_id, sku, name, unit_price, quantity, discount) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        saleId,
        i,
        l.productId,
        l.sku,
        l.name,
        l.unitPrice,
        l.quantity,
        l.discount,
      ),
    );
  }

  lines(saleId: string): CartLine[] {
    return this.all<{
      product_id: string | null;
      sku: string | null;
      name: string;
      unit_price: number;
      quantity: number;
      discount: number;
    }>('SELECT * FROM sale_lines WHERE sale_id = ? ORDER BY position', saleId).map((r) => ({
      productId: r.product_id,
      sku: r.sku,
      name: r.name,
      unitPrice: r.unit_price,
      quantity: r.quantity,
      discount: r.discount,
    }));
  }

  // ---------- attempts ----------

  insertAttempt(row: AttemptRow): void {
    this.run(
      `INSERT INTO attempts (id, sale_id, seq, terminal_id, family, amount, description, idempotency_key, external_reference, charge_id,
        charge_state, payment_id, order_payment_id, state, settled, created_at, sent_at, expires_at, settled_at, cancel_requested_at, cancel_reason,
        create_body, cancel_key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      row.id,
      row.sale_id,
      row.seq,
      row.terminal_id,
      row.family,
      row.amount,
      row.description,
      row.idempotency_key,
      row.external_reference,
      row.charge_id,
      row.charge_state,
      row.payment_id,
      row.order_payment_id,
      row.state,
      row.settled,
      row.created_at,
      row.sent_at,
      row.expires_at,
      row.settled_at,
      row.cancel_requested_at,
      row.cancel_reason,
      row.create_body,
      row.cancel_key,
    );
  }

  updateAttempt(id: string, patch: Patch<AttemptRow>): void {
    this.update('attempts', id, patch);
  }

  getAttempt(id: string): AttemptRow | undefined {
    return this.get<AttemptRow>('SELECT * FROM attempts WHERE id = ?', id);
  }

  attemptsOfSale(saleId: string): AttemptRow[] {
    return this.all<AttemptRow>('SELECT * FROM attempts WHERE sale_id = ? ORDER BY seq', saleId);
  }

  unsettledAttempts(): AttemptRow[] {
    return this.all<AttemptRow>('SELECT * FROM attempts WHERE settled = 0 ORDER BY created_at');
  }

  /** Attempts a person closed without evidence: later evidence still settles them. */
  resolvedAttempts(): AttemptRow[] {
    return this.all<AttemptRow>("SELECT * FROM attempts WHERE state = 'resolved' ORDER BY created_at");
  }

  unsettledOnTerminal(terminalId: string): AttemptRow | undefined {
    return this.get<AttemptRow>(
      'SELECT * FROM attempts WHERE settled = 0 AND terminal_id = ? ORDER BY created_at LIMIT 1',
      terminalId,
    );
  }

  // ---------- refunds ----------

  insertRefund(row: RefundRow): void {
    this.run(
      `INSERT INTO refunds (id, sale_id, attempt_id, payment_id, amount, full, idempotency_key, state, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      row.id,
      row.sale_id,
      row.attempt_id,
      row.payment_id,
      row.amount,
      row.full,
      row.idempotency_key,
      row.state,
      row.created_at,
      row.updated_at,
    );
  }

  updateRefund(id: string, patch: Patch<RefundRow>): void {
    this.update('refunds', id, patch);
  }

  refundsOfSale(saleId: string): RefundRow[] {
    return this.all<RefundRow>('SELECT * FROM refunds WHERE sale_id = ? ORDER BY created_at', saleId);
  }

  openRefunds(): RefundRow[] {
    return this.all<RefundRow>("SELECT * FROM refunds WHERE state IN ('pending', 'unknown') ORDER BY created_at");
  }

  // ---------- events ----------

  appendEvent(e: NewEvent): void {
    this.run(
      `INSERT INTO events (at, sale_id, attempt_id, refund_id, kind, state, detail, data, reason_code, reason_params)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      e.at,
      e.saleId,
      e.attemptId ?? null,
      e.refundId ?? null,
      e.kind,
      e.state ?? null,
      // The column predates reason codes; it keeps the code so a person reading the raw table still sees why.
      e.reason.code,
      e.data ? JSON.stringify(e.data) : null,
      e.reason.code,
      JSON.stringify(e.reason.params),
    );
  }

  // ---------- attention (reconciliation findings) ----------

  /** Inserts a finding unless the same one (fingerprint) is already known, acknowledged or not. */
  addAttention(row: AttentionRow): boolean {
    const before = this.get<{ n: number }>('SELECT count(*) AS n FROM attention WHERE fingerprint = ?', row.fingerprint);
    if (before && before.n > 0) return false;
    this.run(
      `INSERT INTO attention (id, fingerprint, day, found_at, kind, sale_id, payment_id, amount, journal_state, mp_status,
        acknowledged_at, acknowledged_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      row.id,
      row.fingerprint,
      row.day,
      row.found_at,
      row.kind,
      row.sale_id,
      row.payment_id,
      row.amount,
      row.journal_state,
      row.mp_status,
      row.acknowledged_at,
      row.acknowledged_by,
    );
    return true;
  }

  openAttention(): AttentionRow[] {
    return this.all<AttentionRow>('SELECT * FROM attention WHERE acknowledged_at IS NULL ORDER BY found_at, id');
  }

  acknowledgeAttention(id: string, by: string, at: number): boolean {
    const row = this.get<AttentionRow>('SELECT * FROM attention WHERE id = ?', id);
    if (!row) return false;
    if (row.acknowledged_at === null) this.run('UPDATE attention SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ?', at, by, id);
    return true;
  }

  getMeta(key: string): string | null {
    return this.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', key)?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value', key, value);
  }

  eventsOfSale(saleId: string): EventRow[] {
    return this.all<EventRow>('SELECT * FROM events WHERE sale_id = ? ORDER BY seq', saleId);
  }

  // ---------- terminal allow-lists ----------

  /** Each terminal's allowed registers (sorted); a terminal not in the map may be used by any register. */
  allowedRegisters(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const r of this.all<{ terminal_id: string; register: string }>(
      'SELECT terminal_id, register FROM terminal_registers ORDER BY terminal_id, register',
    )) {
      const list = out.get(r.terminal_id);
      if (list) list.push(r.register);
      else out.set(r.terminal_id, [r.register]);
    }
    return out;
  }

  /** Replaces a terminal's allow-list (empty: any register). The caller holds the transaction. */
  setAllowedRegisters(terminalId: string, registers: readonly string[], at: number): void {
    this.run('DELETE FROM terminal_registers WHERE terminal_id = ?', terminalId);
    for (const register of registers) {
      this.run('INSERT INTO terminal_registers (terminal_id, register, updated_at) VALUES (?, ?, ?)', terminalId, register, at);
    }
  }

  private update(table: 'sales' | 'attempts' | 'refunds', id: string, patch: Record<string, unknown>): void {
    const keys = Object.keys(patch).filter((k) => patch[k] !== undefined);
    if (keys.length === 0) return;
    // Column names come from our own typed patches, never from input: safe to splice.
    const sql = `UPDATE ${table} SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE id = ?`;
    this.run(sql, ...keys.map((k) => patch[k] as SQLInputValue), id);
  }
}

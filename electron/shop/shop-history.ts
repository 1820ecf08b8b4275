/**
 * Shop-wide history, end-of-shift reconciliation and refunds from any till.
 *
 * Every till's outbox keeps a snapshot of each of its sales in the shop's PostgreSQL (`sales`, one row
 * per sale, owned by the till that made it). This part reads those rows for the "Whole shop" history
 * (optionally one till), reconciles a day of the whole shop against Mercado Pago with the same rules
 * as a single till (checkout/reconcile.ts, run over the shop's sales), and lets this till refund a
 * sale another till made: the refund is journaled here (see adopt-sale.ts), claimed shop-wide first
 * (refund-claims.ts) so two tills can never refund one sale at once.
 *
 * Reads only: a till never writes another till's rows. Nothing here is on a charge's path; when the
 * server cannot be reached the whole-shop view says so (`SHOP_UNREACHABLE`-like problem codes through
 * CajaError) and "This till" works as always.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  CartLine,
  HistoryFilter,
  ReconcileReport,
  SaleDetail,
  SaleState,
  SaleView,
  TerminalFamily,
} from '../../shared/contract';
import { HistoryFilterSchema } from '../../shared/contract';
import { CajaError } from '../../shared/errors';
import type { SiteId } from '../../shared/money';
import type { CheckoutEngine } from '../checkout/engine-api';
import { Journal } from '../checkout/journal';
import { reconcileDay } from '../checkout/reconcile';
import { readReason, timelineEntry, type TimelineEvent } from '../checkout/views';
import { realClock, type Clock } from '../ground/clock';
import type { Logger } from '../ground/logger';
import { TerminalDirectory } from '../point/terminal-directory';
import { adoptSale, type SaleCopy } from './adopt-sale';
import { refundClaims, type ClaimEnd, type RefundClaims } from './refund-claims';
import type { ShopDb } from './shop-db';
import { watchShopSales, type SalesFeedPace } from './shop-history-live';
import { classifyPgError, ShopDbError } from './shop-problems';

/** Where this till's Mercado Pago is (the engine's backend): reconciliation reads payments there. */
export interface MercadoPagoAccess {
  baseUrl: string;
  getToken: () => string | null;
  site: SiteId;
}

export interface ShopHistoryDeps {
  engine: CheckoutEngine;
  /** The engine's journal file: a sale copied from another till is written there before its refund. */
  journalPath: string;
  mercadoPago: MercadoPagoAccess;
  clock?: Clock;
  /** How the shop's sales notifications are folded before the slot is told (tests slow it to count bursts). */
  salesFeed?: SalesFeedPace;
}

export interface ShopHistoryContext {
  db: ShopDb;
  shopId: string;
  tillId: string;
  tillName: string;
  log: Logger;
}

export interface ShopHistory {
  history(filter: HistoryFilter): Promise<{ items: SaleView[]; total: number; tills: { id: string; name: string }[] }>;
  /** A sale of any till of the shop, with its whole timeline (this till's own from its journal, others' from their pushed events). */
  detail(saleId: string): Promise<SaleDetail>;
  /** The day's sales of every till (or one) against Mercado Pago. */
  reconcile(day: string, tillId?: string): Promise<ReconcileReport>;
  /** Refunds a sale of any till of the shop, journaled on this till. */
  refund(saleId: string, amount?: number): Promise<SaleDetail>;
  stop(): Promise<void>;
}

/**
 * Where services.ts finds the shop-wide history while a shop link runs it (null otherwise: the
 * history screen then has only "This till", and refunds are the engine's alone, as without a shop).
 */
export interface ShopHistorySlot {
  current(): ShopHistory | null;
  attach(history: ShopHistory | null): void;
  /** The shop's sales moved (a burst of outbox pushes, any till's): services.ts tells the renderer. */
  salesChanged(notifications: number): void;
}

export function createShopHistorySlot(onSalesChanged: (notifications: number) => void = () => undefined): ShopHistorySlot {
  let current: ShopHistory | null = null;
  return {
    current: () => current,
    attach: (h) => {
      current = h;
    },
    salesChanged: onSalesChanged,
  };
}

/** One row of the shop's sales snapshot (the outbox's `sales` table), as this part reads it. */
interface SnapshotRow {
  sale_id: string;
  till_id: string;
  till_name: string | null;
  register: string;
  state: SaleState;
  total: string | number;
  site: string;
  currency: string;
  cart_discount: string | number;
  lines: CartLine[] | string;
  terminal_id: string | null;
  family: TerminalFamily | null;
  external_reference: string | null;
  payment_id: string | null;
  card_brand: string | null;
  card_last4: string | null;
  refunded_amount: string | number;
  created_at: string | number;
  updated_at: string | number;
  day: string;
  reason_code: string | null;
  reason_params: string | Record<string, unknown> | null;
  attempt_id?: string | null;
  attempt_seq?: number | null;
  attempt_amount?: string | number | null;
  idempotency_key?: string | null;
  charge_id?: string | null;
  order_payment_id?: string | null;
  /** Every attempt's external reference of the sale (reconciliation looks each one up). */
  references?: string[] | null;
  /** The owner's journal (a till may have several, one per account): its events are the sale's own timeline. */
  journal_id?: string;
}

/** One pushed event of a sale, as the detail reads it back (`at` in ms, parameters as JSON text). */
interface PushedEventRow extends TimelineEvent {
  till_id: string;
  journal_id: string;
}

const n = (v: string | number | null | undefined): number => (v === null || v === undefined ? 0 : Number(v));
const iso = (v: string | number | Date) => new Date(typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v).toISOString();
const ms = (v: string | number | Date) => new Date(typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v).getTime();

function parseFilter(filter: HistoryFilter) {
  const parsed = HistoryFilterSchema.safeParse(filter);
  if (!parsed.success) throw new CajaError('INVALID_INPUT', 'That history filter is not valid.');
  return parsed.data;
}

/** The shop server's failure as the closed error list the renderer words (the till keeps selling). */
function unreachable(error: unknown): never {
  if (error instanceof CajaError) throw error;
  const problem = error instanceof ShopDbError ? error.problem : classifyPgError(error);
  // `server: shop` lets the renderer say it is the shop's server (not Mercado Pago) and that "This till" still works.
  throw new CajaError('NETWORK', `The shop server cannot be reached (${problem}). This till's own history still works.`, {
    details: { server: 'shop' },
  });
}

function linesOf(row: SnapshotRow): CartLine[] {
  const raw = typeof row.lines === 'string' ? (JSON.parse(row.lines) as CartLine[]) : row.lines;
  return Array.isArray(raw) ? raw : [];
}

function viewOf(row: SnapshotRow): SaleView {
  const params =
    row.reason_params === null
      ? null
      : typeof row.reason_params === 'string'
        ? row.reason_params
        : JSON.stringify(row.reason_params);
  return {
    id: row.sale_id,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    state: row.state,
    total: n(row.total),
    site: row.site as SiteId,
    currency: row.currency,
    lines: linesOf(row),
    cartDiscount: n(row.cart_discount),
    register: row.register,
    terminalId: row.terminal_id,
    family: row.family,
    externalReference: row.external_reference,
    paymentId: row.payment_id,
    cardBrand: row.card_brand,
    cardLast4: row.card_last4,
    refundedAmount: n(row.refunded_amount),
    expiresAt: null,
    // Another till's live sale is that till's to cancel or retry; here it is read-only.
    cancellable: false,
    retryable: false,
    resolvable: false,
    tillName: row.till_name ?? row.register,
    reason: row.reason_code === null ? null : readReason(row.reason_code, params),
    errorCode: null,
  };
}

/**
 * The snapshot, as this part needs it: the outbox's `sales` row (owned by the till that made the sale)
 * and, from the same till's pushed events, the current attempt (its `attempt_created` event: id, seq,
 * amount, reference, key) and the charge id (`charge_created`/`charge_found`). One place to read:
 * the outbox owns both tables, these queries are the whole of what shop history assumes about them.
 */
const LIST = `
  SELECT s.id AS sale_id, s.till_id, t.name AS till_name, s.register, s.state, s.total, s.site, s.currency, s.cart_discount, s.lines,
         s.terminal_id, s.family, s.external_reference, s.payment_id, s.card_brand, s.card_last4, s.refunded_amount,
         s.created_at, s.updated_at, s.day, s.reason_code, s.reason_params
    FROM sales s LEFT JOIN tills t ON t.id = s.till_id`;

const FULL = `
  SELECT s.id AS sale_id, s.till_id, t.name AS till_name, s.register, s.state, s.total, s.site, s.currency, s.cart_discount, s.lines,
         s.terminal_id, s.family, s.external_reference, s.payment_id, s.card_brand, s.card_last4, s.refunded_amount,
         s.created_at, s.updated_at, s.day, s.reason_code, s.reason_params, s.journal_id,
         a.attempt_id, (a.reason_params->>'seq')::int AS attempt_seq, a.reason_params->>'amount' AS attempt_amount,
         a.data->>'idempotencyKey' AS idempotency_key,
         (SELECT c.reason_params->>'chargeId' FROM events c
           WHERE c.sale_id = s.id AND c.attempt_id = a.attempt_id AND c.kind IN ('charge_created', 'charge_found')
           ORDER BY c.at DESC LIMIT 1) AS charge_id,
         NULL::text AS order_payment_id,
         (SELECT array_agg(e.reason_params->>'reference') FROM events e
           WHERE e.sale_id = s.id AND e.kind = 'attempt_created') AS "references"
    FROM sales s LEFT JOIN tills t ON t.id = s.till_id
    LEFT JOIN LATERAL (
      SELECT e.attempt_id, e.reason_params, e.data FROM events e
       WHERE e.sale_id = s.id AND e.till_id = s.till_id AND e.kind = 'attempt_created'
       ORDER BY e.at DESC, e.seq DESC LIMIT 1) a ON true`;

/**
 * One sale's pushed events, every journal that wrote under it (the owner's; another till's that
 * refunded it or where a manager released its terminal claim), each journal in its own seq order.
 * `events_by_sale` (sale_id, till_id, journal_id, seq) serves both the lookup and the order: one
 * sale's rows, never a scan of the shop's events. `at` comes back as whole ms (the journal's own unit),
 * the parameters as JSON text, as the journal keeps them, so the shared mapping reads both alike.
 */
export const SALE_EVENTS = `
  SELECT e.till_id, e.journal_id, e.kind, e.state, e.reason_code, e.reason_params::text AS reason_params,
         round(extract(epoch FROM e.at) * 1000)::float8 AS at
    FROM events e
   WHERE e.sale_id = $2 AND e.shop_id = $1
   ORDER BY e.till_id, e.journal_id, e.seq`;

/**
 * The sale's timeline as its own till shows it (its journal, in seq order: a release dated earlier
 * than it was written stays where that till put it), with what other tills journaled under the sale
 * placed among it by time, so a manager reads every step in one list.
 */
export function shopTimeline(row: Pick<SnapshotRow, 'till_id' | 'journal_id'>, events: PushedEventRow[]): SaleDetail['timeline'] {
  const isOwn = (e: PushedEventRow) => e.till_id === row.till_id && e.journal_id === row.journal_id;
  const own = events.filter(isOwn);
  // Array.prototype.sort is stable: each other journal keeps its seq order among equal times.
  const others = events.filter((e) => !isOwn(e)).sort((a, b) => Number(a.at) - Number(b.at));
  const merged: PushedEventRow[] = [];
  let i = 0;
  for (const e of own) {
    while (i < others.length && Number(others[i]!.at) < Number(e.at)) merged.push(others[i++]!);
    merged.push(e);
  }
  merged.push(...others.slice(i));
  return merged.map((e) => timelineEntry({ ...e, at: Number(e.at) }));
}

export function startShopHistory(ctx: ShopHistoryContext, deps: ShopHistoryDeps, slot?: ShopHistorySlot): ShopHistory {
  const { db, shopId, tillId, log } = ctx;
  const clock = deps.clock ?? realClock;
  const claims: RefundClaims = refundClaims(db, shopId, tillId);
  const directory = new TerminalDirectory({ ...deps.mercadoPago, log, clock });
  /** Claims of this till whose refund was sent but not confirmed: settled when the sale changes. */
  const waiting = new Map<string, string>();
  let stopped = false;
  // A "Whole shop" list open on this till follows the other tills' pushes (shop-history-live.ts).
  const feed = slot ? watchShopSales(ctx, (count) => slot.current() === api && slot.salesChanged(count), deps.salesFeed) : null;

  const offSale = deps.engine.onSaleChanged((sale) => {
    const claimId = waiting.get(sale.id);
    if (!claimId || stopped) return;
    void settleFromJournal(sale.id, claimId);
  });
  // Claims left unknown by an earlier run (this till restarted while a refund was unconfirmed).
  void claims
    .unknownOfThisTill()
    .then((rows) => {
      for (const r of rows) {
        waiting.set(r.saleId, r.id);
        void settleFromJournal(r.saleId, r.id);
      }
    })
    .catch(() => undefined);

  function lastRefundEnd(saleId: string): { end: ClaimEnd; amount: number } | null {
    let detail: SaleDetail;
    try {
      detail = deps.engine.detail(saleId);
    } catch {
      return null;
    }
    const last = detail.refunds.at(-1);
    if (!last) return null;
    return { end: last.state === 'pending' ? 'unknown' : last.state, amount: last.amount };
  }

  async function settleFromJournal(saleId: string, claimId: string): Promise<void> {
    const last = lastRefundEnd(saleId);
    if (!last || last.end === 'unknown') return;
    waiting.delete(saleId);
    await claims
      .settle(claimId, last.end, last.amount)
      .catch((error) => log.warn('shop history: a refund claim could not be settled', { problem: classifyPgError(error) }));
  }

  async function snapshotOf(saleId: string): Promise<SnapshotRow | null> {
    const rows = await db.query<SnapshotRow>(`${FULL} WHERE s.shop_id = $1 AND s.id = $2`, [shopId, saleId]).catch(unreachable);
    return rows[0] ?? null;
  }

  function localDetail(saleId: string): SaleDetail | null {
    try {
      return deps.engine.detail(saleId);
    } catch (error) {
      if (error instanceof CajaError && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }

  function copyOf(row: SnapshotRow): SaleCopy {
    if (
      row.state !== 'approved' ||
      !row.payment_id ||
      !row.attempt_id ||
      !row.family ||
      !row.terminal_id ||
      !row.external_reference
    ) {
      throw new CajaError('NOT_REFUNDABLE', 'Only approved sales can be refunded.');
    }
    return {
      id: row.sale_id,
      createdAt: ms(row.created_at),
      day: row.day,
      total: n(row.total),
      site: row.site,
      currency: row.currency,
      cartDiscount: n(row.cart_discount),
      register: row.register,
      terminalId: row.terminal_id,
      family: row.family,
      paymentId: row.payment_id,
      cardBrand: row.card_brand,
      cardLast4: row.card_last4,
      refundedAmount: n(row.refunded_amount),
      lines: linesOf(row),
      attempt: {
        id: row.attempt_id,
        seq: row.attempt_seq ?? 1,
        amount: row.attempt_amount == null ? n(row.total) : n(row.attempt_amount),
        // The other till's key for the charge; this journal needs one per attempt and never sends it.
        idempotencyKey: row.idempotency_key ?? `adopted-${row.attempt_id}`,
        externalReference: row.external_reference,
        chargeId: row.charge_id ?? null,
        orderPaymentId: row.order_payment_id ?? null,
      },
    };
  }

  const api: ShopHistory = {
    async history(filter) {
      const f = parseFilter(filter);
      const clauses = ['s.shop_id = $1'];
      const params: unknown[] = [shopId];
      const add = (sql: string, value: unknown) => {
        params.push(value);
        clauses.push(sql.replace('?', `$${params.length}`));
      };
      if (f.tillId) add('s.till_id = ?', f.tillId);
      if (f.from) add('s.day >= ?', f.from);
      if (f.to) add('s.day <= ?', f.to);
      if (f.terminalId) add('s.terminal_id = ?', f.terminalId);
      if (f.state) add('s.state = ?', f.state);
      const text = f.text?.trim().toLowerCase();
      if (text) {
        // Line names, references, payment ids and the till, as the till's own search reads them.
        add(`lower(concat_ws(' ', s.search_text, s.register, t.name)) LIKE ?`, `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      }
      const where = `WHERE ${clauses.join(' AND ')}`;
      try {
        const [count, rows, tills] = await Promise.all([
          db.query<{ n: string }>(`SELECT count(*) AS n FROM sales s LEFT JOIN tills t ON t.id = s.till_id ${where}`, params),
          db.query<SnapshotRow>(`${LIST} ${where} ORDER BY s.created_at DESC, s.id LIMIT ${f.limit} OFFSET ${f.offset}`, params),
          db.query<{ id: string; name: string }>('SELECT id, name FROM tills WHERE shop_id = $1 ORDER BY name', [shopId]),
        ]);
        return { items: rows.map(viewOf), total: Number(count[0]?.n ?? 0), tills };
      } catch (error) {
        unreachable(error);
      }
    },

    async detail(saleId) {
      // A sale in this journal never waits on the shop server (it may be away): its till is this one,
      // or, for a copy made to refund another till's sale, the register the copy names.
      const local = localDetail(saleId);
      if (local)
        return { ...local, tillName: local.timeline.some((e) => e.kind === 'sale_adopted') ? local.register : ctx.tillName };
      const row = await snapshotOf(saleId);
      if (!row) throw new CajaError('NOT_FOUND', 'That sale does not exist.');
      const view = viewOf(row);
      // The evidence a manager checks a disputed sale with: every step its tills journaled, pushed by their outboxes.
      const events = await db.query<PushedEventRow>(SALE_EVENTS, [shopId, saleId]).catch(unreachable);
      // Refunds made from any till, as their claims ended.
      const refunds = await db
        .query<{ id: string; amount: string | null; state: string; claimed_at: Date }>(
          `SELECT id, amount, state, claimed_at FROM refund_claims WHERE shop_id = $1 AND sale_id = $2 AND state <> 'released' ORDER BY claimed_at`,
          [shopId, saleId],
        )
        .catch(() => []);
      return {
        ...view,
        timeline: shopTimeline(row, events),
        refunds: refunds.map((r) => ({
          id: r.id,
          at: r.claimed_at.toISOString(),
          amount: n(r.amount),
          state: r.state === 'open' ? 'pending' : (r.state as 'approved' | 'failed' | 'unknown'),
        })),
      };
    },

    async reconcile(day, onlyTill) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new CajaError('INVALID_INPUT', 'Expected a date as YYYY-MM-DD.');
      const rows = await db
        .query<SnapshotRow>(
          `${FULL} WHERE s.shop_id = $1 AND s.day = $2 ${onlyTill ? 'AND s.till_id = $3' : ''} ORDER BY s.created_at`,
          [shopId, day, ...(onlyTill ? [onlyTill] : [])],
        )
        .catch(unreachable);
      // The single till's rules, run over the shop's sales: a scratch journal holds them for the run.
      const dir = mkdtempSync(join(tmpdir(), 'caja-shop-reconcile-'));
      const journal = new Journal(join(dir, 'shop.sqlite'));
      try {
        const tillOf = new Map<string, string>();
        for (const row of rows) {
          tillOf.set(row.sale_id, row.till_name ?? row.register);
          writeScratch(journal, row);
        }
        // With one till asked for, the day's payments of the shop's other tills are theirs, not money
        // without a sale: Mercado Pago's day is searched through a filter that leaves them out.
        const others = onlyTill
          ? new Set(
              (
                await db
                  .query<{ ref: string }>(
                    `SELECT e.reason_params->>'reference' AS ref FROM events e
                      WHERE e.shop_id = $1 AND e.kind = 'attempt_created' AND e.till_id <> $2 AND e.at >= $3::date - 2 AND e.at < $3::date + 3`,
                    [shopId, onlyTill, day],
                  )
                  .catch(unreachable)
              ).map((r) => r.ref),
            )
          : new Set<string>();
        const seen = Object.create(directory, {
          payments: {
            value: Object.create(directory.payments, {
              searchByDateRange: {
                value: async (from: string, to: string) =>
                  (await directory.payments.searchByDateRange(from, to)).filter((p) => !others.has(p.externalReference ?? '')),
              },
            }),
          },
        }) as TerminalDirectory;
        const report = await reconcileDay({ journal, directory: seen, clock, site: deps.mercadoPago.site }, day);
        return {
          ...report,
          differences: report.differences.map((d) => ({ ...d, tillName: d.saleId ? (tillOf.get(d.saleId) ?? null) : null })),
        };
      } finally {
        journal.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },

    async refund(saleId, amount) {
      let local = localDetail(saleId);
      if (!local) {
        const row = await snapshotOf(saleId);
        if (!row) throw new CajaError('NOT_FOUND', 'That sale does not exist.');
        const copy = copyOf(row);
        if (copy.family === 'orders' && copy.attempt.chargeId) {
          // A partial refund of an order names the order's payment, which the shop's copy does not
          // carry: Mercado Pago's order says it (a full refund needs only the order).
          copy.attempt.orderPaymentId =
            (await directory.orders.read(copy.attempt.chargeId).catch(() => null))?.payment?.orderPaymentId ?? null;
        }
        const journal = new Journal(deps.journalPath);
        try {
          if (adoptSale(journal, copy, clock.now()))
            log.info('shop history: sale of another till copied for a refund', { saleId, from: copy.register });
        } finally {
          journal.close();
        }
        local = localDetail(saleId);
      }
      let claimId: string;
      try {
        claimId = await claims.claim(saleId, amount);
      } catch (error) {
        if (error instanceof CajaError) throw error;
        // The shop server is away: this till's own sale is refunded as without a shop (Mercado Pago
        // still refuses more than what is left); another till's sale waits for the server.
        if (local && !local.timeline.some((e) => e.kind === 'sale_adopted')) return deps.engine.refund(saleId, amount);
        unreachable(error);
      }
      let detail: SaleDetail;
      try {
        detail = await deps.engine.refund(saleId, amount);
      } catch (error) {
        const last = lastRefundEnd(saleId);
        // Refused before anything was sent (nothing left, an open refund): the claim is let go.
        const sentNow = last && last.end !== 'approved' && last.end !== 'failed' ? last.end : null;
        await claims.settle(claimId, sentNow ?? 'released').catch(() => undefined);
        if (sentNow === 'unknown') waiting.set(saleId, claimId);
        throw error;
      }
      const last = detail.refunds.at(-1);
      const end: ClaimEnd = !last ? 'released' : last.state === 'pending' ? 'unknown' : last.state;
      if (end === 'unknown') waiting.set(saleId, claimId);
      await claims
        .settle(claimId, end, last?.amount)
        .catch((error) => log.warn('shop history: a refund claim could not be settled', { problem: classifyPgError(error) }));
      return detail;
    },

    async stop() {
      stopped = true;
      offSale();
      await feed?.stop();
      if (slot?.current() === api) slot.attach(null);
    },
  };
  slot?.attach(api);
  return api;
}

/** Writes one snapshot row into the scratch journal reconciliation reads. */
function writeScratch(journal: Journal, row: SnapshotRow): void {
  const at = ms(row.created_at);
  const refs = new Set([...(row.references ?? []), ...(row.external_reference ? [row.external_reference] : [])]);
  journal.tx(() => {
    journal.insertSale({
      id: row.sale_id,
      created_at: at,
      updated_at: ms(row.updated_at),
      day: row.day,
      state: row.state,
      total: n(row.total),
      site: row.site,
      currency: row.currency,
      cart_discount: n(row.cart_discount),
      register: row.register,
      terminal_id: row.terminal_id,
      family: row.family,
      current_attempt_id: null,
      external_reference: row.external_reference,
      payment_id: row.payment_id,
      card_brand: row.card_brand,
      card_last4: row.card_last4,
      refunded_amount: n(row.refunded_amount),
      expires_at: null,
      cancellable: 0,
      message: null,
      reason_code: row.reason_code,
      reason_params: null,
      error_code: null,
      search_text: '',
    });
    let seq = 0;
    for (const ref of refs) {
      seq++;
      // Reconciliation reads each attempt's reference and whether it settled; the rest is the owner's.
      journal.insertAttempt({
        id: `${row.sale_id}:${seq}`,
        sale_id: row.sale_id,
        seq,
        terminal_id: row.terminal_id ?? '',
        family: row.family ?? 'intents',
        amount: n(row.total),
        description: '',
        idempotency_key: `${row.sale_id}:${seq}`,
        external_reference: ref,
        charge_id: null,
        charge_state: null,
        payment_id: ref === row.external_reference ? row.payment_id : null,
        order_payment_id: null,
        state: row.state,
        settled: row.state === 'unknown' || row.state === 'processing' ? 0 : 1,
        created_at: at,
        sent_at: at,
        expires_at: null,
        settled_at: at,
        cancel_requested_at: null,
        cancel_reason: null,
        create_body: null,
        cancel_key: null,
      });
    }
  });
}

/**
 * Versioned journal schema. `PRAGMA user_version` says which migrations ran; versions only increase,
 * each runs in its own transaction (all of it or none), and a journal written by a newer Caja is
 * refused rather than guessed at: money history must never be half-understood.
 */
import type { DatabaseSync } from 'node:sqlite';
import { CajaError } from '../../shared/errors';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'journal',
    sql: `
      CREATE TABLE sales (
        id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        day TEXT NOT NULL,
        state TEXT NOT NULL,
        total INTEGER NOT NULL,
        site TEXT NOT NULL,
        currency TEXT NOT NULL,
        cart_discount INTEGER NOT NULL,
        register TEXT NOT NULL,
        terminal_id TEXT,
        family TEXT,
        current_attempt_id TEXT,
        external_reference TEXT,
        payment_id TEXT,
        card_brand TEXT,
        card_last4 TEXT,
        refunded_amount INTEGER NOT NULL DEFAULT 0,
        expires_at INTEGER,
        cancellable INTEGER NOT NULL DEFAULT 0,
        message TEXT,
        error_code TEXT,
        search_text TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX sales_by_created ON sales(created_at);
      CREATE INDEX sales_by_day ON sales(day, created_at);
      CREATE INDEX sales_by_terminal ON sales(terminal_id, created_at);
      CREATE INDEX sales_by_state ON sales(state, created_at);

      CREATE TABLE sale_lines (
        sale_id TEXT NOT NULL REFERENCES sales(id),
        position INTEGER NOT NULL,
        product_id TEXT,
        sku TEXT,
        name TEXT NOT NULL,
        unit_price INTEGER NOT NULL,
        quantity INTEGER NOT NULL,
        discount INTEGER NOT NULL,
        PRIMARY KEY (sale_id, position)
      );

      CREATE TABLE attempts (
        id TEXT PRIMARY KEY,
        sale_id TEXT NOT NULL REFERENCES sales(id),
        seq INTEGER NOT NULL,
        terminal_id TEXT NOT NULL,
        family TEXT NOT NULL,
        amount INTEGER NOT NULL,
        description TEXT NOT NULL,
        idempotency_key TEXT NOT NULL UNIQUE,
        external_reference TEXT NOT NULL UNIQUE,
        charge_id TEXT,
        charge_state TEXT,
        payment_id TEXT,
        order_payment_id TEXT,
        state TEXT NOT NULL,
        settled INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        sent_at INTEGER,
        expires_at INTEGER,
        settled_at INTEGER,
        cancel_requested_at INTEGER,
        cancel_reason TEXT,
        UNIQUE (sale_id, seq)
      );
      CREATE INDEX attempts_unsettled ON attempts(settled) WHERE settled = 0;
      CREATE INDEX attempts_by_terminal ON attempts(terminal_id) WHERE settled = 0;
      CREATE INDEX attempts_by_sale ON attempts(sale_id, seq);

      CREATE TABLE refunds (
        id TEXT PRIMARY KEY,
        sale_id TEXT NOT NULL REFERENCES sales(id),
        attempt_id TEXT NOT NULL REFERENCES attempts(id),
        payment_id TEXT NOT NULL,
        amount INTEGER NOT NULL,
        full INTEGER NOT NULL,
        idempotency_key TEXT NOT NULL UNIQUE,
        state TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX refunds_by_sale ON refunds(sale_id);

      CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        sale_id TEXT,
        attempt_id TEXT,
        refund_id TEXT,
        kind TEXT NOT NULL,
        state TEXT,
        detail TEXT NOT NULL,
        data TEXT
      );
      CREATE INDEX events_by_sale ON events(sale_id, seq);
      -- History is never rewritten: the database itself refuses it, whatever code runs.
      CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'the journal events are append-only'); END;
      CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'the journal events are append-only'); END;

      CREATE TABLE terminal_owners (
        terminal_id TEXT PRIMARY KEY,
        register TEXT,
        updated_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'reasons as codes, journaled create bodies, cancel keys, attention items',
    sql: `
      ALTER TABLE sales ADD COLUMN reason_code TEXT;
      ALTER TABLE sales ADD COLUMN reason_params TEXT;
      ALTER TABLE events ADD COLUMN reason_code TEXT;
      ALTER TABLE events ADD COLUMN reason_params TEXT;
      -- The exact bytes of the create, so a replay with the same key carries the same body.
      ALTER TABLE attempts ADD COLUMN create_body TEXT;
      -- One key per cancel request (a cashier's click, the bounded wait's cancel), reused by its retries.
      ALTER TABLE attempts ADD COLUMN cancel_key TEXT;

      -- Old rows spoke English; the journal now keeps what main meant as a code and its parameters.
      UPDATE sales SET reason_code = ${sentenceToCode('message', 'state')}, reason_params = '{}';
      UPDATE sales SET reason_params = json_object('code', error_code) WHERE reason_code = 'createRefused';
      UPDATE sales SET reason_code = NULL WHERE state = 'draft';

      -- A sale settled "failed" only because nobody found its charge in time was never proven
      -- uncharged: reopen it as unknown, so the engine looks for evidence again.
      UPDATE attempts SET state = 'unknown', settled = 0, settled_at = NULL
        WHERE state = 'failed' AND charge_id IS NULL
          AND id IN (SELECT current_attempt_id FROM sales WHERE message = 'The charge never reached Mercado Pago. Nothing was charged.');
      UPDATE sales SET state = 'unknown', reason_code = 'lostAnswer', reason_params = '{}', cancellable = 0
        WHERE message = 'The charge never reached Mercado Pago. Nothing was charged.' AND state = 'failed';

      -- Filling the new columns of old events is the one write the append-only rule must let through:
      -- the trigger steps aside inside this transaction and is back before it commits.
      DROP TRIGGER events_append_only_update;
      UPDATE events SET reason_code = CASE kind
          WHEN 'sale_created' THEN 'saleCreated'
          WHEN 'attempt_created' THEN 'attemptCreated'
          WHEN 'charge_created' THEN 'chargeCreated'
          WHEN 'charge_found' THEN 'chargeFound'
          WHEN 'recovery' THEN CASE WHEN detail LIKE '%was live%' THEN 'recoveryLive' ELSE 'recoveryLost' END
          WHEN 'cancel_requested' THEN 'cancelRequested'
          WHEN 'cancel_accepted' THEN 'cancelAccepted'
          WHEN 'cancel_refused' THEN 'cancelRefused'
          WHEN 'auto_cancel' THEN 'autoCancel'
          WHEN 'auto_cancel_failed' THEN 'autoCancelFailed'
          WHEN 'refund_requested' THEN 'refundRequested'
          WHEN 'refund_approved' THEN 'refundApproved'
          WHEN 'refund_failed' THEN 'refundFailed'
          WHEN 'refund_unknown' THEN 'refundUnconfirmed'
          WHEN 'terminal_mode_requested' THEN NULL
          WHEN 'terminal_mode' THEN NULL
          WHEN 'terminal_owner' THEN NULL
          ELSE ${sentenceToCode('detail', 'state')}
        END,
        reason_params = '{}';
      UPDATE events SET reason_params = (
          SELECT json_object('amount', s.total, 'currency', s.currency, 'register', s.register) FROM sales s WHERE s.id = events.sale_id)
        WHERE reason_code = 'saleCreated';
      UPDATE events SET reason_params = (
          SELECT json_object('seq', a.seq, 'amount', a.amount, 'currency', s.currency, 'terminal', a.terminal_id,
                             'family', a.family, 'reference', a.external_reference)
          FROM attempts a JOIN sales s ON s.id = a.sale_id WHERE a.id = events.attempt_id)
        WHERE reason_code = 'attemptCreated' AND attempt_id IS NOT NULL;
      UPDATE events SET reason_params = (
          SELECT json_object('family', a.family, 'chargeId', coalesce(a.charge_id, '')) FROM attempts a WHERE a.id = events.attempt_id)
        WHERE reason_code IN ('chargeCreated', 'chargeFound') AND attempt_id IS NOT NULL;
      UPDATE events SET reason_params = json_object('by', 'cashier') WHERE reason_code = 'cancelRequested';
      UPDATE events SET reason_params = json_object('code', 'NOT_CANCELLABLE') WHERE reason_code = 'cancelRefused';
      UPDATE events SET reason_params = json_object('code', 'INTERNAL', 'attempt', 1) WHERE reason_code = 'autoCancelFailed';
      UPDATE events SET reason_params = json_object('code', 'NOT_REFUNDABLE') WHERE reason_code = 'refundFailed';
      UPDATE events SET reason_params = (
          SELECT json_object('amount', r.amount, 'currency', s.currency) FROM refunds r JOIN sales s ON s.id = r.sale_id
          WHERE r.id = events.refund_id)
        WHERE reason_code IN ('refundRequested', 'refundApproved', 'refundUnconfirmed') AND refund_id IS NOT NULL;
      CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'the journal events are append-only'); END;

      CREATE TABLE attention (
        id TEXT PRIMARY KEY,
        -- kind|sale|payment: one finding is one item, however often reconciliation finds it again.
        fingerprint TEXT NOT NULL UNIQUE,
        day TEXT NOT NULL,
        found_at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        sale_id TEXT,
        payment_id TEXT,
        amount INTEGER,
        journal_state TEXT,
        mp_status TEXT,
        acknowledged_at INTEGER,
        acknowledged_by TEXT
      );
      CREATE INDEX attention_open ON attention(found_at) WHERE acknowledged_at IS NULL;

      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'history text search index (FTS5)',
    // History's text filter was LIKE '%…%' over every sale (141 ms at 100,000 sales). A trigram index
    // answers the same substring question from the index: external content, so the text is stored
    // once (in sales.search_text) and the triggers keep the index in step with every write.
    sql: `
      CREATE VIRTUAL TABLE sales_fts USING fts5(search_text, content='sales', content_rowid='rowid', tokenize='trigram');
      INSERT INTO sales_fts(sales_fts) VALUES ('rebuild');
      CREATE TRIGGER sales_fts_insert AFTER INSERT ON sales BEGIN
        INSERT INTO sales_fts(rowid, search_text) VALUES (new.rowid, new.search_text);
      END;
      CREATE TRIGGER sales_fts_update AFTER UPDATE OF search_text ON sales BEGIN
        INSERT INTO sales_fts(sales_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
        INSERT INTO sales_fts(rowid, search_text) VALUES (new.rowid, new.search_text);
      END;
      CREATE TRIGGER sales_fts_delete AFTER DELETE ON sales BEGIN
        INSERT INTO sales_fts(sales_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
      END;
    `,
  },
  {
    version: 4,
    name: 'terminal allow-lists',
    // A terminal had one owner register (or none: any register). A shop with several registers wants
    // a set: the registers allowed to charge on it, none listed meaning any. An owner becomes a list
    // of one; "any register" rows carried nothing and leave nothing.
    sql: `
      CREATE TABLE terminal_registers (
        terminal_id TEXT NOT NULL,
        register TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (terminal_id, register)
      );
      INSERT INTO terminal_registers (terminal_id, register, updated_at)
        SELECT terminal_id, register, updated_at FROM terminal_owners WHERE register IS NOT NULL;
      DROP TABLE terminal_owners;
    `,
  },
];

/**
 * SQL mapping an English sentence of the old journal to its reason code. Exact sentences first,
 * then prefixes; whatever is left falls back to what the sale's state itself says.
 */
function sentenceToCode(column: string, stateColumn: string): string {
  const exact: [string, string][] = [
    ['Sending the charge to the terminal…', 'queued'],
    ['Waiting for the customer to present the card…', 'atTerminal'],
    ['The customer is paying…', 'processing'],
    ['Checking the result with Mercado Pago…', 'checking'],
    ['Payment approved.', 'approved'],
    ['The customer left the payment on the terminal. Nothing was charged.', 'abandoned'],
    ['The charge was cancelled. Nothing was charged.', 'cancelled'],
    ['The terminal stopped waiting for the card. Nothing was charged.', 'expired'],
    ['The terminal reported an error. Nothing was charged; try again.', 'terminalError'],
    ["Mercado Pago's answer was lost. Caja is finding out whether the charge exists…", 'lostAnswer'],
    ["Can't reach Mercado Pago. Caja keeps checking; do not charge again yet.", 'offline'],
    ['The charge never reached Mercado Pago. Nothing was charged.', 'lostAnswer'],
    ['The charge was closed on the phone without a payment. Nothing was charged.', 'closedWithoutPayment'],
    ['Card rejected: insufficient funds.', 'insufficientFunds'],
    ['Card rejected: the card details were wrong.', 'badDetails'],
    ['Card rejected: the customer must authorize the payment with their bank.', 'callForAuthorize'],
    ['Card rejected: the card is disabled.', 'cardDisabled'],
    ['Card rejected for security reasons.', 'highRisk'],
    ['Card rejected: too many attempts.', 'maxAttempts'],
    ['Card declined.', 'declined'],
    ['The card issuer is reviewing the payment…', 'reviewing'],
    ['Cancelling…', 'cancelling'],
  ];
  const prefixes: [string, string][] = [
    ['Payment approved, then ', 'approvedThenReversed'],
    ['Mercado Pago no longer finds this charge', 'chargeGone'],
    ['Mercado Pago reported payment ', 'paymentMismatch'],
    ['Mercado Pago reported the payment as ', 'unknownPaymentStatus'],
    ['Mercado Pago reported "', 'unknownChargeState'],
    ['Mercado Pago refused the token', 'authFailed'],
  ];
  const q = (t: string) => `'${t.replace(/'/g, "''")}'`;
  const byState = `CASE ${stateColumn}
      WHEN 'approved' THEN 'approved' WHEN 'rejected' THEN 'declined' WHEN 'cancelled' THEN 'cancelled'
      WHEN 'expired' THEN 'expired' WHEN 'failed' THEN 'createRefused' WHEN 'unknown' THEN 'lostAnswer'
      WHEN 'at_terminal' THEN 'atTerminal' WHEN 'processing' THEN 'processing' WHEN 'sending' THEN 'queued'
      ELSE 'checking' END`;
  return `CASE
      ${exact.map(([t, c]) => `WHEN ${column} = ${q(t)} THEN ${q(c)}`).join('\n      ')}
      ${prefixes.map(([t, c]) => `WHEN substr(${column}, 1, ${t.length}) = ${q(t)} THEN ${q(c)}`).join('\n      ')}
      ELSE ${byState} END`;
}

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export function userVersion(db: DatabaseSync): number {
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number } | undefined;
  return row?.user_version ?? 0;
}

/** Runs the missing migrations in order. Returns the versions applied. */
export function migrate(db: DatabaseSync, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  const current = userVersion(db);
  if (current > latest) {
    throw new CajaError(
      'INTERNAL',
      `This sales journal was written by a newer version of Caja (schema ${current}, this one knows ${latest}). Update Caja; the journal was not changed.`,
    );
  }
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(m.sql);
      // user_version is part of the transaction: a crash leaves either the old schema or the new one.
      db.exec(`PRAGMA user_version = ${Math.trunc(m.version)}`);
      db.exec('COMMIT');
    } catch (e) {
      db.exec('ROLLBACK');
      throw e;
    }
    applied.push(m.version);
  }
  return applied;
}

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
];

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

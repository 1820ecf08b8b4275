import type { ShopMigration } from '../shop-migrations';

/**
 * Schema steps for the outbox (journal events pushed by each till) (see shop-migrations.ts for this
 * part's block of versions, 10–19).
 *
 * `events` is every till's journal, append-only, keyed by (till, journal, seq): a till keeps one
 * journal per Mercado Pago account (and one for the demo), each with its own `seq` from 1, so the
 * till id alone would let a second journal's events collide with the first's. `sales` is one row per
 * sale as its till last saw it (the shop-wide history lists and details these), written in the same
 * transaction as the events that changed it and only ever replaced by a newer snapshot.
 */
export const OUTBOX_MIGRATIONS: ShopMigration[] = [
  {
    version: 10,
    name: 'outbox: events and sales of every till',
    sql: `
      CREATE TABLE events (
        till_id TEXT NOT NULL REFERENCES tills(id),
        journal_id TEXT NOT NULL,
        seq BIGINT NOT NULL,
        shop_id TEXT NOT NULL REFERENCES shops(id),
        sale_id TEXT,
        attempt_id TEXT,
        refund_id TEXT,
        kind TEXT NOT NULL,
        state TEXT,
        at TIMESTAMPTZ NOT NULL,
        data JSONB,
        reason_code TEXT,
        reason_params JSONB,
        pushed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (till_id, journal_id, seq)
      );
      CREATE INDEX events_by_sale ON events(sale_id, till_id, journal_id, seq) WHERE sale_id IS NOT NULL;
      CREATE INDEX events_by_shop ON events(shop_id, at);

      CREATE TABLE sales (
        id TEXT PRIMARY KEY,
        shop_id TEXT NOT NULL REFERENCES shops(id),
        till_id TEXT NOT NULL REFERENCES tills(id),
        journal_id TEXT NOT NULL,
        register TEXT NOT NULL,
        state TEXT NOT NULL,
        total BIGINT NOT NULL,
        cart_discount BIGINT NOT NULL DEFAULT 0,
        currency TEXT NOT NULL,
        site TEXT NOT NULL,
        day TEXT NOT NULL,
        terminal_id TEXT,
        family TEXT,
        external_reference TEXT,
        payment_id TEXT,
        card_brand TEXT,
        card_last4 TEXT,
        refunded_amount BIGINT NOT NULL DEFAULT 0,
        created_at TIMESTAMPTZ NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL,
        lines JSONB NOT NULL,
        reason_code TEXT,
        reason_params JSONB,
        error_code TEXT,
        message TEXT,
        search_text TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX sales_by_shop_day ON sales(shop_id, day, created_at);
      CREATE INDEX sales_by_shop_created ON sales(shop_id, created_at DESC);
      CREATE INDEX sales_by_payment ON sales(payment_id) WHERE payment_id IS NOT NULL;
    `,
  },
];

import type { ShopMigration } from '../shop-migrations';

/** Schema steps for shop-wide history and reconciliation (see shop-migrations.ts for this part's block of versions). */
export const HISTORY_MIGRATIONS: ShopMigration[] = [
  {
    version: 50,
    name: 'refund claims',
    // A refund may be made from any till. Two tills refunding one sale at the same moment would each
    // see the whole amount still refundable (Mercado Pago's refunded amount lags nothing here, but both
    // read it before either sends). A claim row is the shop-wide "I am refunding this sale now": the
    // partial unique index lets at most one claim per sale be open, so the second INSERT waits for the
    // first transaction and then fails with a unique violation, before any request to Mercado Pago.
    sql: `
      CREATE TABLE refund_claims (
        id TEXT PRIMARY KEY,
        shop_id TEXT NOT NULL REFERENCES shops(id),
        sale_id TEXT NOT NULL,
        till_id TEXT NOT NULL REFERENCES tills(id),
        -- Minor units asked for; null: whatever is left.
        amount BIGINT,
        -- open: being sent · unknown: sent, not confirmed yet · approved / failed: settled · released: nothing was sent
        state TEXT NOT NULL CHECK (state IN ('open', 'unknown', 'approved', 'failed', 'released')),
        claimed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX refund_claims_one_open ON refund_claims(shop_id, sale_id) WHERE state IN ('open', 'unknown');
      CREATE INDEX refund_claims_by_sale ON refund_claims(shop_id, sale_id, claimed_at);
    `,
  },
];

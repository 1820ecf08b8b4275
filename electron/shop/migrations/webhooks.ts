import type { ShopMigration } from '../shop-migrations';

/**
 * Webhook notifications the shop server (`npm run shop-server`) accepted, once each. The key is
 * Mercado Pago's `x-request-id`: its retries of one notification repeat it, and the signature binds
 * it (nobody without the secret can sign another id), so a replayed or re-delivered request is found
 * here and acknowledged without telling the tills twice. `(topic, data_id, ts)` is kept
 * and indexed for lookups but is NOT unique: Mercado Pago sends two real notifications for one order
 * in the same second (at_terminal, then processed), and a unique key there would drop the second.
 */
export const WEBHOOK_MIGRATIONS: ShopMigration[] = [
  {
    version: 40,
    name: 'webhook notifications',
    sql: `
      CREATE TABLE webhook_notifications (
        shop_id TEXT NOT NULL,
        request_id TEXT NOT NULL,
        topic TEXT NOT NULL,
        data_id TEXT NOT NULL,
        ts BIGINT NOT NULL,
        action TEXT,
        body JSONB,
        received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        deliveries INTEGER NOT NULL DEFAULT 1,
        last_delivery_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (shop_id, request_id)
      );
      CREATE INDEX webhook_notifications_by_resource ON webhook_notifications(shop_id, topic, data_id, ts);
      CREATE INDEX webhook_notifications_by_time ON webhook_notifications(received_at);
    `,
  },
  {
    version: 41,
    name: 'webhook endpoint of each shop',
    // The receiver's public URL, published by the receiver itself: a till names it on mobile creates.
    sql: `
      CREATE TABLE webhook_endpoints (
        shop_id TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
    `,
  },
];

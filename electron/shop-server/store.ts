/**
 * Keeping a verified notification once and telling the tills: one transaction inserts it (keyed by
 * Mercado Pago's `x-request-id`) and `pg_notify`s `caja_webhook`, so the tills hear of it only if it
 * was stored, and only the first time. A repeat (Mercado Pago retrying after our answer was lost, or
 * a replay) only counts the delivery.
 */
import type { ShopDb } from '../shop/shop-db';

export const WEBHOOK_CHANNEL = 'caja_webhook';

/** What the tills receive on `caja_webhook`: which resource changed; never the truth of it. */
export interface WebhookHintPayload {
  shopId: string;
  topic: string;
  id: string;
}

export interface VerifiedNotification {
  shopId: string;
  requestId: string;
  topic: string;
  /** As received in the query string (its case matters: it is the charge id the tills journaled). */
  dataId: string;
  ts: number;
  action: string | null;
  body: unknown;
}

/** The topic of the hint that says a shop's receiver URL changed (never a Mercado Pago topic). */
export const ENDPOINT_TOPIC = 'caja.endpoint';

/**
 * Publishes the receiver's public URL for the shop's tills (they name it on phone charges, whose
 * notifications go only to a URL the create names) and tells the tills already listening.
 */
export async function publishEndpoint(db: ShopDb, shopId: string, url: string): Promise<void> {
  await db.tx(async (c) => {
    await c.query(
      `INSERT INTO webhook_endpoints (shop_id, url) VALUES ($1, $2)
       ON CONFLICT (shop_id) DO UPDATE SET url = EXCLUDED.url, updated_at = now()`,
      [shopId, url],
    );
    const payload: WebhookHintPayload = { shopId, topic: ENDPOINT_TOPIC, id: url };
    await c.query('SELECT pg_notify($1, $2)', [WEBHOOK_CHANNEL, JSON.stringify(payload)]);
  });
}

export async function endpointOf(db: ShopDb, shopId: string): Promise<string | null> {
  const rows = await db.query<{ url: string }>('SELECT url FROM webhook_endpoints WHERE shop_id = $1', [shopId]);
  return rows[0]?.url ?? null;
}

export async function storeNotification(db: ShopDb, n: VerifiedNotification): Promise<'new' | 'repeat'> {
  return db.tx(async (c) => {
    const { rows } = await c.query<{ inserted: boolean }>(
      `INSERT INTO webhook_notifications (shop_id, request_id, topic, data_id, ts, action, body)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (shop_id, request_id) DO UPDATE
         SET deliveries = webhook_notifications.deliveries + 1, last_delivery_at = now()
       RETURNING (xmax = 0) AS inserted`,
      [n.shopId, n.requestId, n.topic, n.dataId, n.ts, n.action, n.body === undefined ? null : JSON.stringify(n.body)],
    );
    if (!rows[0]?.inserted) return 'repeat';
    const payload: WebhookHintPayload = { shopId: n.shopId, topic: n.topic, id: n.dataId };
    // Sent on commit: a till never hears of a notification that was rolled back.
    await c.query('SELECT pg_notify($1, $2)', [WEBHOOK_CHANNEL, JSON.stringify(payload)]);
    return 'new';
  });
}

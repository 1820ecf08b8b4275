/**
 * A till joins its shop: the shop row is made by the first till, each till's row says its name and
 * when it was last heard from (the manager's device screen and the board show "Till 3" by name).
 */
import type { ShopDb } from './shop-db';

export interface TillIdentity {
  shopId: string;
  shopName: string;
  tillId: string;
  tillName: string;
}

export async function registerTill(db: ShopDb, till: TillIdentity): Promise<void> {
  await db.tx(async (c) => {
    await c.query('INSERT INTO shops (id, name) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name', [till.shopId, till.shopName]);
    await c.query(
      `INSERT INTO tills (id, shop_id, name) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET shop_id = EXCLUDED.shop_id, name = EXCLUDED.name, last_seen_at = now()`,
      [till.tillId, till.shopId, till.tillName],
    );
  });
}

export async function tillsOfShop(db: ShopDb, shopId: string): Promise<{ id: string; name: string; lastSeenAt: Date }[]> {
  const rows = await db.query<{ id: string; name: string; last_seen_at: Date }>(
    'SELECT id, name, last_seen_at FROM tills WHERE shop_id = $1 ORDER BY name',
    [shopId],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, lastSeenAt: r.last_seen_at }));
}

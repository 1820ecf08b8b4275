import type { ShopMigration } from '../shop-migrations';

/** Shops and their tills: who is part of the shop, and when each was last heard from. */
export const CORE_MIGRATIONS: ShopMigration[] = [
  {
    version: 1,
    name: 'shops and tills',
    sql: `
      CREATE TABLE shops (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
      CREATE TABLE tills (
        id TEXT PRIMARY KEY,
        shop_id TEXT NOT NULL REFERENCES shops(id),
        name TEXT NOT NULL,
        registered_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        last_seen_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
      CREATE INDEX tills_by_shop ON tills(shop_id);
    `,
  },
];

import type { ShopMigration } from '../shop-migrations';

/**
 * Schema steps for the shared catalog (see shop-migrations.ts for this part's block of versions).
 *
 * `catalog_products` holds the shop's products with a per-row `version` (edits are accepted only
 * against the version the till last saw) and the shop-wide `change` number of the write that last
 * touched the row, so a till can ask "everything after N". Deletes are tombstones (`deleted`) so
 * they travel like any other change.
 *
 * The change number comes from `catalog_clock`, one row per shop bumped inside each writing
 * transaction, not from a sequence: a sequence hands out numbers at `nextval`, so a transaction that
 * took 7 could commit after one that took 8, and a till that already read "after 7" would never see
 * it. The clock row's lock makes change numbers commit in order (writes of one shop take turns; they
 * are rare, imports are batched).
 *
 * Barcode and SKU are unique among the live products of a shop, as on each till (SKU ignoring case):
 * two tills giving one barcode to two products at once end with one refused.
 */
export const CATALOG_MIGRATIONS: ShopMigration[] = [
  {
    version: 20,
    name: 'shared catalog: products with versions, tombstones and a per-shop change clock',
    sql: `
      CREATE TABLE catalog_clock (
        shop_id TEXT PRIMARY KEY REFERENCES shops(id),
        last_change BIGINT NOT NULL
      );
      CREATE TABLE catalog_products (
        shop_id TEXT NOT NULL REFERENCES shops(id),
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        price BIGINT NOT NULL CHECK (price >= 0),
        sku TEXT,
        barcode TEXT,
        category TEXT,
        favourite BOOLEAN NOT NULL DEFAULT false,
        version INTEGER NOT NULL CHECK (version >= 1),
        change BIGINT NOT NULL,
        deleted BOOLEAN NOT NULL DEFAULT false,
        changed_by TEXT NOT NULL,
        changed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (shop_id, id)
      );
      CREATE INDEX catalog_products_by_change ON catalog_products (shop_id, change, id);
      CREATE UNIQUE INDEX catalog_products_barcode ON catalog_products (shop_id, barcode) WHERE barcode IS NOT NULL AND NOT deleted;
      CREATE UNIQUE INDEX catalog_products_sku ON catalog_products (shop_id, lower(sku)) WHERE sku IS NOT NULL AND NOT deleted;
    `,
  },
];

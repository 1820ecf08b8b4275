import type { ShopMigration } from '../shop-migrations';

/** Schema steps for the shared catalog (see shop-migrations.ts for this part's block of versions). */
export const CATALOG_MIGRATIONS: ShopMigration[] = [];

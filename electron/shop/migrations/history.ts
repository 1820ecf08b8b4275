import type { ShopMigration } from '../shop-migrations';

/** Schema steps for shop-wide history and reconciliation (see shop-migrations.ts for this part's block of versions). */
export const HISTORY_MIGRATIONS: ShopMigration[] = [];

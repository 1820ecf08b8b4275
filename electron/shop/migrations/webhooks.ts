import type { ShopMigration } from '../shop-migrations';

/** Schema steps for webhook notifications stored by the shop server (see shop-migrations.ts for this part's block of versions). */
export const WEBHOOK_MIGRATIONS: ShopMigration[] = [];

import type { ShopMigration } from '../shop-migrations';

/** Schema steps for the outbox (journal events pushed by each till) (see shop-migrations.ts for this part's block of versions). */
export const OUTBOX_MIGRATIONS: ShopMigration[] = [];

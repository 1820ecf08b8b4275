import type { ShopMigration } from '../shop-migrations';

/** Schema steps for the terminal board (claims and assignments) (see shop-migrations.ts for this part's block of versions). */
export const BOARD_MIGRATIONS: ShopMigration[] = [];

import type { ShopMigration } from '../shop-migrations';

/**
 * Schema steps for the terminal board (see terminal-board.ts for the rules; shop-migrations.ts for
 * this part's block of versions, 30–39).
 *
 * - `terminal_claims`: which till is charging on which terminal right now; one row per terminal of a
 *   shop (the primary key is the lock), deleted by its till when the sale settles, or by a manager.
 * - `terminal_claim_releases`: the manager's releases, kept (who, whose claim, which sale, when).
 * - `terminal_assignments`: the shop's copy of each terminal's allow-list (the till's journal keeps
 *   its own, table `terminal_registers`; the board mirrors one into the other).
 */
export const BOARD_MIGRATIONS: ShopMigration[] = [
  {
    version: 30,
    name: 'terminal board: claims, releases, assignments',
    sql: `
      CREATE TABLE terminal_claims (
        shop_id TEXT NOT NULL REFERENCES shops(id),
        terminal_id TEXT NOT NULL,
        till_id TEXT NOT NULL REFERENCES tills(id),
        sale_id TEXT NOT NULL,
        claimed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (shop_id, terminal_id)
      );
      CREATE INDEX terminal_claims_by_till ON terminal_claims(shop_id, till_id);
      CREATE TABLE terminal_claim_releases (
        id BIGSERIAL PRIMARY KEY,
        shop_id TEXT NOT NULL REFERENCES shops(id),
        terminal_id TEXT NOT NULL,
        till_id TEXT NOT NULL,
        sale_id TEXT NOT NULL,
        claimed_at TIMESTAMPTZ NOT NULL,
        released_by_till TEXT NOT NULL,
        released_by TEXT NOT NULL,
        released_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
      CREATE TABLE terminal_assignments (
        shop_id TEXT NOT NULL REFERENCES shops(id),
        terminal_id TEXT NOT NULL,
        registers TEXT[] NOT NULL,
        updated_by_till TEXT NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (shop_id, terminal_id)
      );
    `,
  },
];

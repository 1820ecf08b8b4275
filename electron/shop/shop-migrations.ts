/**
 * The shop database's schema, in versioned steps that every till applies on connect. Versions only
 * increase; each step runs in one transaction with its version row, so a till that dies midway
 * leaves the previous version intact. Several tills starting at once take turns on an advisory lock.
 * A database whose schema is newer than this build knows is refused (`schema-newer`): an old till
 * must not write rows a newer schema reads differently (Signal Desktop refuses newer databases too).
 *
 * Each part of the shop link keeps its steps in `migrations/<part>.ts`, in its own block of versions
 * so that parts can grow independently: core 1–9, outbox 10–19, catalog 20–29, terminal board 30–39,
 * webhooks 40–49, shop-wide history 50–59. A new step takes a version above every shipped one.
 */
import type pg from 'pg';
import { ShopDbError } from './shop-problems';
import { CORE_MIGRATIONS } from './migrations/core';
import { OUTBOX_MIGRATIONS } from './migrations/outbox';
import { CATALOG_MIGRATIONS } from './migrations/catalog';
import { BOARD_MIGRATIONS } from './migrations/board';
import { WEBHOOK_MIGRATIONS } from './migrations/webhooks';
import { HISTORY_MIGRATIONS } from './migrations/history';

export interface ShopMigration {
  version: number;
  name: string;
  sql: string;
}

export const SHOP_MIGRATIONS: readonly ShopMigration[] = [
  ...CORE_MIGRATIONS,
  ...OUTBOX_MIGRATIONS,
  ...CATALOG_MIGRATIONS,
  ...BOARD_MIGRATIONS,
  ...WEBHOOK_MIGRATIONS,
  ...HISTORY_MIGRATIONS,
].sort((a, b) => a.version - b.version);

export const SHOP_SCHEMA_VERSION = SHOP_MIGRATIONS.at(-1)?.version ?? 0;

// Any fixed number: every till uses the same one to serialise schema changes.
const MIGRATION_LOCK = 0x6361_6a61; // "caja"

/** Applies what is missing and returns the schema version now in force. */
export async function migrateShopSchema(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS caja_schema (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
      const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM caja_schema');
      const current = rows[0]?.v ?? 0;
      if (current > SHOP_SCHEMA_VERSION) {
        throw new ShopDbError('schema-newer', `the shop database is at schema ${current}; this Caja knows up to ${SHOP_SCHEMA_VERSION}`);
      }
      for (const step of SHOP_MIGRATIONS) {
        if (step.version <= current) continue;
        await client.query('BEGIN');
        try {
          await client.query(step.sql);
          await client.query('INSERT INTO caja_schema (version, name) VALUES ($1, $2)', [step.version, step.name]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }
      return Math.max(current, SHOP_SCHEMA_VERSION);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    }
  } finally {
    client.release();
  }
}

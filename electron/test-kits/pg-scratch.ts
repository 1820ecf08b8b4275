/**
 * Scratch databases on the test PostgreSQL (`CAJA_TEST_PG_URL`), for any runner: Vitest suites (through
 * pg-test-kit.ts), Playwright specs and the benchmarks. A database per test, dropped after; and a
 * ShopDb on one, opened the way a till opens its shop's.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { silentLogger } from '../ground/logger';
import { openShopDb, splitConnectionUrl, type ShopDb } from '../shop/shop-db';

export const TEST_PG_URL = process.env.CAJA_TEST_PG_URL ?? '';
// Read at call time: the benchmarks start the server after this module is loaded.
const serverUrl = () => process.env.CAJA_TEST_PG_URL ?? '';

/** The test server's URL with another database (and optionally another password). */
export function urlFor(database: string, password?: string): string {
  const url = new URL(serverUrl());
  url.pathname = `/${database}`;
  if (password !== undefined) url.password = password;
  return url.toString();
}

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database for one test; `drop()` ends every session still on it first. */
export async function freshDatabase(prefix = 'caja_t'): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: urlFor(name),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl() });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * Drops every connection to one database, as a restart would, without touching other test files:
 * the fault tests that do not need the server itself to go down use this.
 */
export async function dropConnections(database: string): Promise<number> {
  const c = new pg.Client({ connectionString: serverUrl() });
  await c.connect();
  try {
    const r = await c.query('SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
    return r.rows[0].n as number;
  } finally {
    await c.end();
  }
}

/** A till's view of a scratch database (password split out of the URL, no TLS, quick LISTEN reconnects). */
export async function openTestShopDb(url: string, options: { max?: number } = {}): Promise<ShopDb> {
  const { url: kept, password } = splitConnectionUrl(url);
  return openShopDb({ url: kept, ssl: 'disable', caCert: null }, password, {
    log: silentLogger,
    reconnectMs: { min: 50, max: 200 },
    ...(options.max ? { max: options.max } : {}),
  });
}

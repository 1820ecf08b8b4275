/**
 * The shop's shared PostgreSQL, as one till sees it: a small pool, transactions, LISTEN with
 * reconnect, and every failure turned into a problem code a manager can act on. Optional: a till with
 * no shop connection never loads this. The till's own journal stays the truth for its charges; this
 * database only joins tills (sync, catalog, terminal board, webhooks).
 *
 * The password never sits in the URL we keep: the manager's URL is split, the password goes to the
 * vault (like the access token), and it only meets the URL here, inside pg's config object.
 */
import pg from 'pg';
import { z } from 'zod';
import type { Logger } from '../ground/logger';
import { migrateShopSchema } from './shop-migrations';
import { classifyPgError, ShopDbError } from './shop-problems';

export const SSL_MODES = ['disable', 'require', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** What a till keeps about its shop connection (settings file); the password is in the vault. */
export const ShopConnectionSchema = z.object({
  /** `postgres://user@host:port/database`, no password, no `sslmode` (that is `ssl`). */
  url: z.string().min(1),
  ssl: z.enum(SSL_MODES),
  /** PEM of the CA to trust with `verify-full` (a managed server's own CA); null: the system's. */
  caCert: z.string().nullable(),
});
export type ShopConnection = z.infer<typeof ShopConnectionSchema>;

/**
 * Splits a URL the manager typed into what we keep and the password for the vault. A URL with
 * `sslmode=` gives its mode unless `ssl` says otherwise.
 */
export function splitConnectionUrl(raw: string): { url: string; password: string | null; sslFromUrl: SslMode | null } {
  let parsed: URL;
  try {
    parsed = new URL(raw.trim());
  } catch {
    throw new ShopDbError('bad-url', 'not a URL');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') throw new ShopDbError('bad-url', 'not a postgres:// URL');
  if (!parsed.hostname) throw new ShopDbError('bad-url', 'no host');
  if (!parsed.pathname || parsed.pathname === '/') throw new ShopDbError('bad-url', 'no database name');
  const password = parsed.password ? decodeURIComponent(parsed.password) : null;
  parsed.password = '';
  const mode = parsed.searchParams.get('sslmode');
  parsed.searchParams.delete('sslmode');
  const sslFromUrl: SslMode | null =
    mode === null ? null : mode === 'disable' ? 'disable' : mode === 'verify-full' || mode === 'verify-ca' ? 'verify-full' : 'require';
  return { url: parsed.toString(), password, sslFromUrl };
}

function poolConfig(conn: ShopConnection, password: string | null, max: number): pg.PoolConfig {
  const ssl: pg.PoolConfig['ssl'] =
    conn.ssl === 'disable' ? false : conn.ssl === 'require' ? { rejectUnauthorized: false } : { rejectUnauthorized: true, ...(conn.caCert ? { ca: conn.caCert } : {}) };
  // Fields, not `connectionString`: pg lets the string's (absent) password override the one we give.
  const url = new URL(conn.url);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username) || undefined,
    database: decodeURIComponent(url.pathname.slice(1)),
    ...(password !== null ? { password } : {}),
    ssl,
    max,
    // A till must notice a dead link in seconds, not hang a checkout screen.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    query_timeout: 15_000,
    keepAlive: true,
    application_name: 'caja-till',
  };
}

export type Unlisten = () => Promise<void>;

export interface ShopDb {
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  /** One transaction on one connection; rolled back when `fn` throws. */
  tx<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  /**
   * `LISTEN channel` on a connection of its own that comes back after the server does (with back-off);
   * `onReconnect` runs after each re-LISTEN so the caller can catch up on what it missed meanwhile.
   */
  listen(channel: string, onPayload: (payload: string) => void, onReconnect?: () => void): Promise<Unlisten>;
  readonly schemaVersion: number;
  close(): Promise<void>;
}

export interface OpenShopDbOptions {
  log: Logger;
  /** Connections in the pool; a till needs few. */
  max?: number;
  /** Back-off bounds for the LISTEN connection's reconnects (tests shorten them). */
  reconnectMs?: { min: number; max: number };
}

/**
 * Connects, checks the credentials by using them, and brings the schema up to date (every till runs
 * the same migrations; an advisory lock makes concurrent starts take turns). Throws `ShopDbError`.
 */
export async function openShopDb(conn: ShopConnection, password: string | null, options: OpenShopDbOptions): Promise<ShopDb> {
  const { log } = options;
  const config = poolConfig(conn, password, options.max ?? 4);
  const pool = new pg.Pool(config);
  // An idle client dying (server restart) must not crash the app: the next query reconnects.
  pool.on('error', (error) => log.warn('shop database: idle connection lost', { problem: classifyPgError(error) }));
  let schemaVersion: number;
  try {
    schemaVersion = await migrateShopSchema(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    if (error instanceof ShopDbError) throw error;
    const problem = classifyPgError(error);
    throw new ShopDbError(problem, `cannot open the shop database (${problem})`, { cause: error });
  }

  const listeners = new Set<{ stop: () => Promise<void> }>();
  const reconnect = options.reconnectMs ?? { min: 250, max: 10_000 };

  async function query<T extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]> {
    return (await pool.query<T>(sql, params as unknown[])).rows;
  }

  async function tx<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    // A checked-out client has no pool listener: a server going away between two statements would
    // be an uncaught 'error' (a crash). The statement in flight, or the next one, fails instead.
    const onError = (error: Error) => log.warn('shop database: connection lost in a transaction', { problem: classifyPgError(error) });
    client.on('error', onError);
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A connection whose ROLLBACK fails is dead or confused: the pool must not hand it out again.
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  async function listen(channel: string, onPayload: (payload: string) => void, onReconnect?: () => void): Promise<Unlisten> {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`bad channel name ${channel}`);
    let client: pg.Client | null = null;
    let stopped = false;
    let delay = reconnect.min;
    let timer: NodeJS.Timeout | null = null;
    const connect = async (first: boolean): Promise<void> => {
      const c = new pg.Client(config);
      c.on('notification', (n) => {
        if (n.channel === channel) onPayload(n.payload ?? '');
      });
      c.on('error', () => undefined);
      c.on('end', () => {
        if (stopped || client !== c) return;
        client = null;
        schedule();
      });
      await c.connect();
      await c.query(`LISTEN ${channel}`);
      if (stopped) {
        await c.end().catch(() => undefined);
        return;
      }
      client = c;
      delay = reconnect.min;
      if (!first) onReconnect?.();
    };
    const schedule = () => {
      if (stopped || timer) return;
      timer = setTimeout(() => {
        timer = null;
        connect(false).catch((error) => {
          log.warn('shop database: LISTEN reconnect failed', { channel, problem: classifyPgError(error) });
          delay = Math.min(delay * 2, reconnect.max);
          schedule();
        });
      }, delay);
      timer.unref?.();
    };
    await connect(true);
    const entry = {
      stop: async () => {
        stopped = true;
        if (timer) clearTimeout(timer);
        const c = client;
        client = null;
        await c?.end().catch(() => undefined);
      },
    };
    listeners.add(entry);
    return async () => {
      listeners.delete(entry);
      await entry.stop();
    };
  }

  return {
    query,
    tx,
    listen,
    schemaVersion,
    async close() {
      await Promise.all([...listeners].map((l) => l.stop()));
      listeners.clear();
      await pool.end().catch(() => undefined);
    },
  };
}

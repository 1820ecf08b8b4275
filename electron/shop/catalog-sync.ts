/**
 * The shop's shared catalog: every till keeps its own catalog file (search and lookup never wait on
 * the network) as a mirror of `catalog_products` in the shop's PostgreSQL.
 *
 * - Reading: each write bumps the shop's change clock (migrations/catalog.ts) and NOTIFYs
 *   `caja_catalog` with the change number; the other tills LISTEN and pull every row changed after
 *   the last change they saw, in one snapshot, and write it into their catalog in one transaction.
 *   The number they saw and the version of each product are kept in `shop-catalog.sqlite` beside the
 *   catalog, so a till that was off for a day asks only for what changed meanwhile. After the LISTEN
 *   connection comes back (and every `pollMs`, in case a notification was lost) the till catches up.
 * - Writing: an edit, a delete or an import reaches PostgreSQL first, with the version this till
 *   last saw (`… WHERE version = expected`). A row that moved on meanwhile is not overwritten: the
 *   edit is refused with CATALOG_CONFLICT and this till's copy takes the winner's values at once, so
 *   the edit dialog shows them. Only what PostgreSQL accepted is written locally.
 * - Joining: the first till of a shop with products seeds the shop with them; a till joining a shop
 *   that has a catalog takes the shop's (its own products are replaced: the shop's catalog wins).
 *
 * Offline decision: while PostgreSQL cannot be reached, edits to the shared catalog are REFUSED with
 * CATALOG_OFFLINE ("the shop server is unreachable; selling goes on") instead of being queued. A
 * queued edit would be checked against versions hours old and could come back as a conflict long
 * after the manager left the screen; a refusal says so while they are still there. The same holds
 * for a till whose server was down when it started (see `createSharedCatalogSlot`). Selling never
 * needs this: search and lookup read the till's own copy, which stays as it was last seen.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type pg from 'pg';
import type { CatalogChanges, Product, ProductInput } from '../../shared/contract';
import { CajaError } from '../../shared/errors';
import type { SiteId } from '../../shared/money';
import type { Catalog } from '../catalog/catalog-api';
import { checkImportSize, cleanProductInput } from '../catalog/catalog-store';
import { checkImport, describeErrors, type ExistingProducts } from '../catalog/csv-import';
import type { ShopDb } from './shop-db';
import { classifyPgError } from './shop-problems';

export const CATALOG_CHANNEL = 'caja_catalog';
/** Rows per statement when a till pushes many products (an import, seeding the shop). */
export const PUSH_BATCH = 1000;
/** Rows per page when a till pulls. */
const PULL_PAGE = 5000;
/** `catalog.changed` carries at most this many products; past it the renderer refetches its copy. */
const CHANGES_MAX = 100;

/** Same shape as shop-link.ts `ShopContext` (kept local so this file stands alone). */
export interface CatalogSyncContext {
  db: ShopDb;
  shopId: string;
  tillId: string;
  log: { info(msg: string, data?: object): void; warn(msg: string, data?: object): void };
}

export interface CatalogSyncDeps {
  /** This till's catalog (catalog-store.ts). */
  catalog: Catalog;
  /** Where this till keeps what it last saw of the shop's catalog (a small SQLite file). */
  statePath: string;
  /** Another till's changes (or a conflict's winner) were written into this till's catalog. */
  onRemoteChange?: (changes: CatalogChanges) => void;
  /** Safety net for a lost notification: catch up this often (ms). Default 60 s. */
  pollMs?: number;
}

/** The shared catalog's writes, which services.ts uses instead of the local ones while connected. */
export interface SharedCatalogWrites {
  upsert(input: ProductInput): Promise<Product>;
  delete(id: string): Promise<boolean>;
  importCommit(csv: string, site: SiteId): Promise<number>;
}

export interface CatalogSync extends SharedCatalogWrites {
  /** Pulls what changed since the last change this till saw (after a notification, reconnect, poll). */
  catchUp(): Promise<void>;
  /** The last shop-wide change number this till has applied. */
  lastSeen(): number;
  stop(): Promise<void>;
}

interface SharedRow {
  id: string;
  name: string;
  price: string;
  sku: string | null;
  barcode: string | null;
  category: string | null;
  favourite: boolean;
  version: number;
  change: string;
  deleted: boolean;
}

const toProduct = (r: SharedRow): Product =>
  Object.freeze({
    id: r.id,
    name: r.name,
    price: Number(r.price),
    sku: r.sku,
    barcode: r.barcode,
    category: r.category,
    favourite: r.favourite,
  });

const COLUMNS = 'id, name, price, sku, barcode, category, favourite, version, change, deleted';

/** The till's memory of the shop catalog: which shop, the last change applied, each product's version. */
function openSyncState(path: string) {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
    CREATE TABLE IF NOT EXISTS versions (id TEXT PRIMARY KEY, version INTEGER NOT NULL) STRICT;
  `);
  const getMeta = db.prepare('SELECT value FROM meta WHERE key = ?');
  const setMeta = db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const setVersion = db.prepare(
    'INSERT INTO versions (id, version) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version',
  );
  const versions = new Map<string, number>();
  for (const r of db.prepare('SELECT id, version FROM versions').all() as { id: string; version: number }[])
    versions.set(r.id, r.version);
  const meta = (key: string) => (getMeta.get(key) as { value: string } | undefined)?.value ?? null;
  return {
    shopId: () => meta('shop_id'),
    lastSeen: () => Number(meta('last_change') ?? 0),
    version: (id: string) => versions.get(id) ?? 0,
    /** One transaction: the versions of what was written plus (optionally) the new last change. */
    save(shopId: string, seen: { id: string; version: number }[], lastChange: number | null, reset = false) {
      db.exec('BEGIN IMMEDIATE');
      try {
        if (reset) {
          db.exec('DELETE FROM versions');
          versions.clear();
        }
        setMeta.run('shop_id', shopId);
        if (lastChange !== null) setMeta.run('last_change', String(lastChange));
        for (const s of seen) {
          setVersion.run(s.id, s.version);
          versions.set(s.id, s.version);
        }
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
    /** Forgets the shop (its catalog was recreated): the next sync joins it as new. */
    forget() {
      db.exec("DELETE FROM meta; DELETE FROM versions");
      versions.clear();
    },
    close: () => db.isOpen && db.close(),
  };
}

const offline = (cause: unknown) =>
  new CajaError(
    'CATALOG_OFFLINE',
    'The shop server cannot be reached: the shared catalog can be edited again when it is back. Selling goes on.',
    { cause },
  );

/** Rolls the seeding transaction back: another till seeded the shop first. */
class ShopHasCatalog extends Error {}

/** The shop's change clock is behind what this till saw: its catalog was recreated (a new database). */
class ShopReset extends Error {}

/** Thrown inside a push transaction to roll it back; turned into CATALOG_CONFLICT outside. */
class VersionMoved extends Error {
  constructor(readonly ids: string[]) {
    super('version moved');
  }
}

/**
 * A pooled client dying between two of our queries emits 'error' with no listener (pg-pool only
 * listens while the client is idle), which would crash main; the query that follows fails instead.
 */
const guarded = new WeakSet<pg.PoolClient>();
const guard = (c: pg.PoolClient) => {
  if (guarded.has(c)) return;
  guarded.add(c);
  c.on('error', () => undefined);
};

export async function startCatalogSync(ctx: CatalogSyncContext, deps: CatalogSyncDeps): Promise<CatalogSync> {
  const { shopId, tillId, log } = ctx;
  const db = {
    query: ctx.db.query.bind(ctx.db),
    listen: ctx.db.listen.bind(ctx.db),
    tx: <T>(work: (c: pg.PoolClient) => Promise<T>) =>
      ctx.db.tx((c) => {
        guard(c);
        return work(c);
      }),
  };
  const { catalog } = deps;
  const state = openSyncState(deps.statePath);

  // One thing at a time touches the local copy: a pull never interleaves with an edit's own write
  // (an older value written after a newer one pulled would undo the newer one here).
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };

  const report = (upserted: readonly Product[], deleted: readonly string[]) => {
    if (upserted.length + deleted.length === 0) return;
    deps.onRemoteChange?.(
      upserted.length + deleted.length <= CHANGES_MAX ? { upserted: [...upserted], deleted: [...deleted] } : null,
    );
  };

  /** Takes the shop's next change number; the row lock holds other writers until this commits. */
  const tick = async (c: pg.PoolClient): Promise<number> => {
    const { rows } = await c.query<{ last_change: string }>(
      `INSERT INTO catalog_clock (shop_id, last_change) VALUES ($1, 1)
       ON CONFLICT (shop_id) DO UPDATE SET last_change = catalog_clock.last_change + 1 RETURNING last_change`,
      [shopId],
    );
    return Number(rows[0]!.last_change);
  };

  const notify = (c: pg.PoolClient, change: number) =>
    c.query('SELECT pg_notify($1, $2)', [CATALOG_CHANNEL, JSON.stringify({ shop: shopId, change, till: tillId })]);

  /**
   * Writes products at the version this till expects: a new row when it expects none (0), an update
   * only where the row is still at `expected`. The expected version rides in the inserted row
   * (`expected + 1`), so the conflict clause can compare without a join. Returns the rows written.
   */
  const pushRows = async (c: pg.PoolClient, products: readonly Product[], expected: readonly number[], change: number) => {
    const { rows } = await c.query<{ id: string; version: number }>(
      `INSERT INTO catalog_products AS p (shop_id, id, name, price, sku, barcode, category, favourite, version, change, deleted, changed_by)
       SELECT $1, t.id, t.name, t.price, t.sku, t.barcode, t.category, t.favourite, t.expected + 1, $10, false, $11
       FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::boolean[], $9::int[])
         AS t(id, name, price, sku, barcode, category, favourite, expected)
       ON CONFLICT (shop_id, id) DO UPDATE SET name = EXCLUDED.name, price = EXCLUDED.price, sku = EXCLUDED.sku,
         barcode = EXCLUDED.barcode, category = EXCLUDED.category, favourite = EXCLUDED.favourite,
         version = EXCLUDED.version, change = EXCLUDED.change, deleted = false, changed_by = EXCLUDED.changed_by, changed_at = now()
       WHERE p.version = EXCLUDED.version - 1
       RETURNING id, version`,
      [
        shopId,
        products.map((p) => p.id),
        products.map((p) => p.name),
        products.map((p) => p.price),
        products.map((p) => p.sku),
        products.map((p) => p.barcode),
        products.map((p) => p.category),
        products.map((p) => p.favourite),
        expected,
        change,
        tillId,
      ],
    );
    return rows;
  };

  /** Runs a write transaction; a lost connection becomes CATALOG_OFFLINE, a taken barcode CONFLICT. */
  const pushing = async <T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T> => {
    try {
      return await db.tx(work);
    } catch (error) {
      if (error instanceof VersionMoved || error instanceof CajaError) throw error;
      if ((error as { code?: string }).code === '23505') {
        // The other product is on its way here; pull it so the message and the copy agree.
        void catchUp().catch(() => undefined);
        throw new CajaError('CONFLICT', 'Another product of the shop already uses this barcode or SKU; nothing was saved.', {
          cause: error,
        });
      }
      if (classifyPgError(error) === 'unreachable') throw offline(error);
      throw error;
    }
  };

  /** The shop's current rows for some ids, written into this till's copy (a conflict's winner). */
  const adoptCurrent = async (ids: readonly string[]): Promise<SharedRow[]> => {
    const rows = await db.query<SharedRow>(
      `SELECT ${COLUMNS} FROM catalog_products WHERE shop_id = $1 AND id = ANY($2::text[])`,
      [shopId, ids],
    );
    const live = rows.filter((r) => !r.deleted).map(toProduct);
    const gone = rows.filter((r) => r.deleted).map((r) => r.id);
    catalog.applyShared(live, gone);
    state.save(
      shopId,
      rows.map((r) => ({ id: r.id, version: r.version })),
      null,
    );
    report(live, gone);
    return rows;
  };

  const conflict = async (moved: VersionMoved): Promise<never> => {
    const rows = await adoptCurrent(moved.ids).catch(() => []);
    const gone = rows.length === 1 && rows[0]!.deleted;
    throw new CajaError(
      'CATALOG_CONFLICT',
      gone
        ? 'Another till deleted this product meanwhile; nothing was saved.'
        : 'Another till changed this product meanwhile; its current values are shown and nothing was saved.',
    );
  };

  // ---------- pulling ----------

  /**
   * Everything after `lastSeen` in one REPEATABLE READ snapshot (so a row edited again while we page
   * through cannot slip between pages), written in one local transaction. `full`: the whole shop
   * catalog replaces this till's (first join, another shop, or the shop's clock went backwards).
   */
  const pull = async (): Promise<void> => {
    const full = state.shopId() !== shopId;
    const { rows, target } = await db.tx(async (c) => {
      await c.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const clock = await c.query<{ last_change: string }>('SELECT last_change FROM catalog_clock WHERE shop_id = $1', [shopId]);
      const target = Number(clock.rows[0]?.last_change ?? 0);
      if (!full && target < state.lastSeen()) throw new ShopReset();
      const from = full ? 0 : state.lastSeen();
      const rows: SharedRow[] = [];
      let after = { change: from, id: '' };
      for (;;) {
        const page = await c.query<SharedRow>(
          `SELECT ${COLUMNS} FROM catalog_products
           WHERE shop_id = $1 AND (change, id) > ($2, $3) ORDER BY change, id LIMIT ${PULL_PAGE}`,
          [shopId, after.change, after.id],
        );
        rows.push(...page.rows);
        if (page.rows.length < PULL_PAGE) break;
        const last = page.rows.at(-1)!;
        after = { change: Number(last.change), id: last.id };
      }
      return { rows, target };
    });
    if (!full && target === state.lastSeen()) return;
    // Rows already here at that version (this till's own edits) are not written again.
    const fresh = full ? rows : rows.filter((r) => r.version > state.version(r.id));
    const upserted = fresh.filter((r) => !r.deleted).map(toProduct);
    let deleted = fresh.filter((r) => r.deleted).map((r) => r.id);
    if (full) {
      const live = new Set(upserted.map((p) => p.id));
      deleted = catalog
        .all()
        .filter((p) => !live.has(p.id))
        .map((p) => p.id);
    }
    catalog.applyShared(upserted, deleted);
    state.save(
      shopId,
      fresh.map((r) => ({ id: r.id, version: r.version })),
      target,
      full,
    );
    if (full) deps.onRemoteChange?.(null);
    else report(upserted, deleted);
    if (fresh.length > 0) log.info('shared catalog: pulled', { rows: fresh.length, change: target, full });
  };

  // Coalesced: a burst of notifications during a pull makes one more pull, not one each.
  let pulling: Promise<void> | null = null;
  let again = false;
  const catchUp = (): Promise<void> => {
    if (pulling) {
      again = true;
      return pulling;
    }
    pulling = (async () => {
      try {
        do {
          again = false;
          await serial(syncStep);
        } while (again);
      } finally {
        pulling = null;
      }
    })();
    return pulling;
  };
  const catchUpQuietly = () =>
    void catchUp().catch((error) =>
      log.warn('shared catalog: catch-up failed; retried on the next notification or poll', { problem: classifyPgError(error) }),
    );

  // ---------- joining ----------

  /** The first till of a shop brings its products; any later one takes the shop's. */
  const seedOrPull = async (): Promise<void> => {
    const local = catalog.all();
    if (local.length > 0) {
      const change = await db
        .tx(async (c) => {
          const change = await tick(c); // holds the clock: two tills seeding at once take turns
          const { rows } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM catalog_products WHERE shop_id = $1', [
            shopId,
          ]);
          if (rows[0]!.n > 0) throw new ShopHasCatalog();
          for (let at = 0; at < local.length; at += PUSH_BATCH) {
            const batch = local.slice(at, at + PUSH_BATCH);
            await pushRows(
              c,
              batch,
              batch.map(() => 0),
              change,
            );
          }
          await notify(c, change);
          return change;
        })
        .catch((error: unknown) => {
          if (error instanceof ShopHasCatalog) return null;
          throw error;
        });
      if (change !== null) {
        state.save(
          shopId,
          local.map((p) => ({ id: p.id, version: 1 })),
          change,
          true,
        );
        log.info('shared catalog: this till seeded the shop', { products: local.length });
        return;
      }
    }
    await pull();
  };

  /**
   * One catch-up: a till that never synced with this shop joins it (seeds it, or takes its catalog),
   * so a failed first sync retried by the poll never mistakes an empty shop for "delete everything".
   */
  const syncStep = async (): Promise<void> => {
    if (state.shopId() !== shopId) return seedOrPull();
    try {
      await pull();
    } catch (error) {
      if (!(error instanceof ShopReset)) throw error;
      log.warn('shared catalog: the shop catalog is older than this till saw (recreated?); joining it again');
      state.forget();
      await seedOrPull();
    }
  };

  // ---------- start ----------

  const unlisten = await db.listen(
    CATALOG_CHANNEL,
    (payload) => {
      let note: { shop?: unknown; change?: unknown };
      try {
        note = JSON.parse(payload) as typeof note;
      } catch {
        return;
      }
      if (note.shop === shopId && typeof note.change === 'number' && note.change > state.lastSeen()) catchUpQuietly();
    },
    // Notifications sent while the connection was down are lost: catch up on what they said.
    catchUpQuietly,
  );
  let stopped = false;
  const ready = serial(async () => {
    await syncStep();
  }).catch((error) =>
    log.warn('shared catalog: first sync failed; retried on the next poll', { problem: classifyPgError(error) }),
  );
  await ready;
  const poll = setInterval(() => !stopped && catchUpQuietly(), deps.pollMs ?? 60_000);
  poll.unref?.();

  // ---------- writes ----------

  /** The same plain-language refusals as the till's own catalog, checked against its copy. */
  const checkCodes = (p: Product) => {
    if (p.barcode !== null) {
      const other = catalog.lookup(p.barcode);
      if (other && other.id !== p.id && other.barcode === p.barcode)
        throw new CajaError('CONFLICT', `Barcode ${p.barcode} already belongs to "${other.name}".`);
    }
    if (p.sku !== null) {
      const other = catalog.lookup(p.sku);
      if (other && other.id !== p.id && other.sku?.toLowerCase() === p.sku.toLowerCase())
        throw new CajaError('CONFLICT', `SKU ${p.sku} already belongs to "${other.name}".`);
    }
  };

  /** Written here only after the shop took it; the clock moves past ours when nothing came between. */
  const keep = (products: readonly Product[], written: { id: string; version: number }[], change: number) => {
    catalog.applyShared(products, []);
    state.save(shopId, written, change === state.lastSeen() + 1 ? change : null);
  };

  const upsert = (input: ProductInput) =>
    serial(async () => {
      const clean = cleanProductInput(input);
      const product: Product = Object.freeze({ ...clean, id: clean.id ?? randomUUID() });
      checkCodes(product);
      const expected = state.version(product.id);
      try {
        const { rows, change } = await pushing(async (c) => {
          const change = await tick(c);
          const rows = await pushRows(c, [product], [expected], change);
          if (rows.length === 0) throw new VersionMoved([product.id]);
          await notify(c, change);
          return { rows, change };
        });
        keep([product], rows, change);
        return product;
      } catch (error) {
        if (error instanceof VersionMoved) return conflict(error);
        throw error;
      }
    });

  const remove = (id: string) =>
    serial(async () => {
      const expected = state.version(id);
      try {
        const result = await pushing(async (c) => {
          const change = await tick(c);
          const { rows } = await c.query<{ version: number; deleted: boolean }>(
            `UPDATE catalog_products SET deleted = true, version = version + 1, change = $4, changed_by = $5, changed_at = now()
             WHERE shop_id = $1 AND id = $2 AND version = $3 AND NOT deleted RETURNING version`,
            [shopId, id, expected, change, tillId],
          );
          if (rows.length === 1) {
            await notify(c, change);
            return { change, version: rows[0]!.version };
          }
          const current = await c.query<{ deleted: boolean }>(
            'SELECT deleted FROM catalog_products WHERE shop_id = $1 AND id = $2',
            [shopId, id],
          );
          // Not in the shop (never was) or already gone: nothing to refuse, only this copy to tidy.
          if (current.rows.length === 0) return null;
          throw new VersionMoved([id]);
        });
        const had = catalog.all().some((p) => p.id === id);
        catalog.applyShared([], [id]);
        if (result)
          state.save(shopId, [{ id, version: result.version }], result.change === state.lastSeen() + 1 ? result.change : null);
        return had;
      } catch (error) {
        if (!(error instanceof VersionMoved)) throw error;
        const rows = await adoptCurrent(error.ids).catch(() => []);
        if (rows[0]?.deleted) return true; // another till deleted it first: what was asked is done
        throw new CajaError(
          'CATALOG_CONFLICT',
          'Another till changed this product meanwhile; its current values are shown and nothing was deleted.',
        );
      }
    });

  /**
   * All rows or none, like the till's own import: checked here against this till's copy, then pushed
   * in batches inside one transaction, each row at the version this till saw. A row another till
   * changed meanwhile refuses the whole import (the file is checked again against the new copy).
   */
  const importCommit = (csv: string, site: SiteId) =>
    serial(async () => {
      checkImportSize(csv);
      const bySku = new Map<string, Product>();
      const byBarcode = new Map<string, Product>();
      for (const p of catalog.all()) {
        if (p.sku !== null) bySku.set(p.sku.toLowerCase(), p);
        if (p.barcode !== null) byBarcode.set(p.barcode, p);
      }
      const existing: ExistingProducts = {
        byBarcode: (b) => byBarcode.get(b) ?? null,
        bySku: (s) => bySku.get(s.toLowerCase()) ?? null,
      };
      const { preview, products: checked } = await checkImport(csv, site, existing, { collect: true });
      const problem = describeErrors(preview);
      if (problem) throw new CajaError('INVALID_INPUT', problem);
      const products: Product[] = checked.map((p) => Object.freeze({ ...p, id: p.id ?? randomUUID() }));
      try {
        const { written, change } = await pushing(async (c) => {
          const change = await tick(c);
          const written: { id: string; version: number }[] = [];
          const moved: string[] = [];
          for (let at = 0; at < products.length; at += PUSH_BATCH) {
            const batch = products.slice(at, at + PUSH_BATCH);
            const rows = await pushRows(
              c,
              batch,
              batch.map((p) => state.version(p.id)),
              change,
            );
            written.push(...rows);
            if (rows.length < batch.length) {
              const got = new Set(rows.map((r) => r.id));
              moved.push(...batch.filter((p) => !got.has(p.id)).map((p) => p.id));
            }
          }
          if (moved.length > 0) throw new VersionMoved(moved);
          await notify(c, change);
          return { written, change };
        });
        keep(products, written, change);
        return products.length;
      } catch (error) {
        if (!(error instanceof VersionMoved)) throw error;
        await adoptCurrent(error.ids).catch(() => []);
        throw new CajaError(
          'CATALOG_CONFLICT',
          `Another till changed ${error.ids.length} of these products meanwhile; nothing was imported. Check the file again.`,
        );
      }
    });

  return {
    upsert,
    delete: remove,
    importCommit,
    catchUp,
    lastSeen: () => state.lastSeen(),
    async stop() {
      stopped = true;
      clearInterval(poll);
      await unlisten();
      await queue;
      state.close();
    },
  };
}

/**
 * Where services.ts finds the shared catalog's writes: made once per run (like the terminal board's
 * slot), filled while a shop link runs the catalog part. `current()` is null without a shop (edits go
 * to this till's own catalog, exactly as before) and throws CATALOG_OFFLINE while a shop is set up but
 * its catalog part is not running (the server was down when the till started): an edit taken locally
 * then would never reach the other tills.
 */
export interface SharedCatalogSlot {
  current(): SharedCatalogWrites | null;
  readonly statePath: string;
  readonly onRemoteChange: (changes: CatalogChanges) => void;
  attach(sync: CatalogSync | null): void;
}

export function createSharedCatalogSlot(options: {
  statePath: string;
  onRemoteChange: (changes: CatalogChanges) => void;
  /** Whether this till belongs to a shop (a connection is set up, reachable or not). */
  shopConfigured?: () => boolean;
}): SharedCatalogSlot {
  let sync: CatalogSync | null = null;
  return {
    current() {
      if (sync) return sync;
      if (options.shopConfigured?.()) throw offline(null);
      return null;
    },
    statePath: options.statePath,
    onRemoteChange: options.onRemoteChange,
    attach: (next) => void (sync = next),
  };
}

/** The shop link's catalog part: `startCatalogSync` plus the slot services.ts reads. */
export async function startSharedCatalog(ctx: CatalogSyncContext, catalog: Catalog, slot: SharedCatalogSlot | undefined): Promise<{ stop(): Promise<void> }> {
  if (!slot) return { stop: async () => undefined };
  const sync = await startCatalogSync(ctx, { catalog, statePath: slot.statePath, onRemoteChange: slot.onRemoteChange });
  slot.attach(sync);
  return {
    async stop() {
      slot.attach(null);
      await sync.stop();
    },
  };
}

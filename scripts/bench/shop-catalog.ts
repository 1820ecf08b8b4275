/**
 * Shared catalog benchmark: propagation time, an edit saved on till A (through the shared catalog,
 * so PostgreSQL first) until till B's own catalog search finds the new name. Two tills as in the
 * app: real catalog files in folders of their own, each with its own shop database connection.
 * Floor from the same run: a bare LISTEN/NOTIFY round trip (two plain pg clients). Also the time
 * for a 1,000-product import to be searchable on B. Needs PostgreSQL: CAJA_TEST_PG_URL, or Debian's
 * server binaries (the private test cluster is started as `npm test` does). Prints only.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Catalog } from '../../electron/catalog/catalog-api';
import { openCatalog } from '../../electron/catalog/catalog-store';
import { silentLogger } from '../../electron/ground/logger';
import { startCatalogSync, type CatalogSync } from '../../electron/shop/catalog-sync';
import type { ShopDb } from '../../electron/shop/shop-db';
import { registerTill } from '../../electron/shop/till-registration';
import { listenNotifyFloor, openBenchShopDb, scratchShopDatabase } from './shop-bench-kit';

const EDITS = 100;
const SHOP = 'bench-shop';

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const ms = (v: number) => `${v.toFixed(1)} ms`;
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

/** Resolves when `pred` holds, checked on every turn of the event loop (no sleep to blur the figure). */
function until(pred: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 30_000;
  return new Promise((resolve, reject) => {
    const check = () => {
      if (pred()) return resolve();
      if (Date.now() > end) return reject(new Error(`timed out waiting for ${what}`));
      setImmediate(check);
    };
    check();
  });
}

interface Till {
  catalog: Catalog;
  db: ShopDb;
  sync: CatalogSync;
}

async function openTill(url: string, dir: string, name: string): Promise<Till> {
  const catalog = openCatalog(join(dir, name, 'catalog.sqlite'));
  const db = await openBenchShopDb(url);
  const tillId = randomUUID();
  await registerTill(db, { shopId: SHOP, shopName: 'Bench', tillId, tillName: name });
  const sync = await startCatalogSync({ db, shopId: SHOP, tillId, log: silentLogger }, { catalog, statePath: join(dir, name, 'shop-catalog.sqlite') });
  return { catalog, db, sync };
}

async function closeTill(t: Till): Promise<void> {
  await t.sync.stop();
  await t.db.close();
  t.catalog.close();
}

export async function benchShopCatalog(): Promise<void> {
  const db = await scratchShopDatabase('shop catalog');
  if (!db) return;
  const dir = mkdtempSync(join(tmpdir(), 'caja-bench-catalog-'));
  const tills: Till[] = [];
  try {
    const floor = await listenNotifyFloor(db.url, EDITS);
    const a = await openTill(db.url, dir, 'a');
    tills.push(a);
    const b = await openTill(db.url, dir, 'b');
    tills.push(b);
    const product = await a.sync.upsert({ name: 'Bench product 0', price: 100, sku: 'BENCH-1', barcode: null, category: null, favourite: false });
    await until(() => b.catalog.lookup('BENCH-1') !== null, 'the first product on B');

    const edits: number[] = [];
    for (let i = 1; i <= EDITS; i++) {
      const name = `Bench product ${i} ${randomUUID().slice(0, 8)}`;
      const t0 = performance.now();
      await a.sync.upsert({ ...product, name });
      await until(() => b.catalog.search(name, 1)[0]?.name === name, `edit ${i} on B`);
      edits.push(performance.now() - t0);
    }
    const e = sorted(edits);

    const lines = ['name,price,sku'];
    for (let i = 0; i < 1000; i++) lines.push(`Imported ${i},${i + 1}.00,IMP-${i}`);
    const t0 = performance.now();
    await a.sync.importCommit(lines.join('\n'), 'MLA');
    await until(() => b.catalog.lookup('IMP-999') !== null, 'the import on B');
    const imported = performance.now() - t0;

    const f50 = pct(floor, 50);
    console.log(`catalog propagation (${EDITS} edits on till A, each until till B's catalog search finds it)`);
    console.log(`  floor: bare LISTEN/NOTIFY round trip p50 ${ms(f50)} p95 ${ms(pct(floor, 95))}`);
    console.log(
      `  edit → B's search   p50 ${ms(pct(e, 50))}  p95 ${ms(pct(e, 95))}  max ${ms(e.at(-1)!)}   ratio to floor p50 ${(pct(e, 50) / f50).toFixed(1)}x   budget p95 < 2 s: ${pct(e, 95) < 2000 ? 'met' : 'NOT met'}`,
    );
    console.log(`  import of 1,000 products on A → searchable on B: ${ms(imported)}`);
  } finally {
    for (const t of tills.reverse()) await closeTill(t).catch(() => undefined);
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

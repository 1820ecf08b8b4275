/**
 * The shared catalog with a real PostgreSQL: each till is a real catalog file in a folder of its own
 * with its own shop database connection, as two registers of one shop would be.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { CatalogChanges, Product } from '../../shared/contract';
import { CajaError } from '../../shared/errors';
import type { Catalog } from '../catalog/catalog-api';
import { openCatalog } from '../catalog/catalog-store';
import { silentLogger } from '../ground/logger';
import { canRunOwnCluster, describeWithPg, openTestShopDb, dropConnections, freshDatabase, ownCluster, type ScratchDatabase } from '../test-kits/pg-test-kit';
import { startCatalogSync, type CatalogSync } from './catalog-sync';
import type { ShopDb } from './shop-db';
import { registerTill } from './till-registration';

const SHOP = 'shop-1';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function scratch(): Promise<ScratchDatabase> {
  const db = await freshDatabase();
  cleanups.push(() => db.drop());
  return db;
}

interface Till {
  name: string;
  catalog: Catalog;
  db: ShopDb;
  sync: CatalogSync;
  dir: string;
  remote: CatalogChanges[];
}

async function openTill(url: string, name: string, options: { dir?: string; seed?: (c: Catalog) => void; shopId?: string } = {}): Promise<Till> {
  const shopId = options.shopId ?? SHOP;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), `caja-shop-catalog-${name}-`));
  if (!options.dir) cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const catalog = openCatalog(join(dir, 'catalog.sqlite'));
  options.seed?.(catalog);
  const db = await openTestShopDb(url);
  const tillId = randomUUID();
  await registerTill(db, { shopId, shopName: 'Almacén', tillId, tillName: name });
  const remote: CatalogChanges[] = [];
  const sync = await startCatalogSync(
    { db, shopId, tillId, log: silentLogger },
    { catalog, statePath: join(dir, 'shop-catalog.sqlite'), onRemoteChange: (c) => remote.push(c) },
  );
  const till: Till = { name, catalog, db, sync, dir, remote };
  cleanups.push(() => closeTill(till));
  return till;
}

const closed = new WeakSet<Till>();
async function closeTill(t: Till): Promise<void> {
  if (closed.has(t)) return;
  closed.add(t);
  await t.sync.stop();
  await t.db.close();
  t.catalog.close();
}

const byId = (t: Till, id: string): Product | null => t.catalog.all().find((p) => p.id === id) ?? null;
const names = (t: Till) => t.catalog.all().map((p) => p.name).sort();

function csvOf(count: number, prefix: string): string {
  const lines = ['name,price,sku,barcode'];
  for (let i = 0; i < count; i++) lines.push(`${prefix} ${i},${(i % 90) + 10}.50,${prefix}-${i},${7790000000000 + i}`);
  return lines.join('\n');
}

describeWithPg('the shared catalog', () => {
  it('the first till seeds the shop; the next takes the shop catalog in place of its own', async () => {
    const db = await scratch();
    const a = await openTill(db.url, 'a', { seed: (c) => void c.upsert({ name: 'Yerba 1 kg', price: 4500, sku: 'Y1', barcode: '779001', category: null, favourite: true }) });
    const b = await openTill(db.url, 'b', { seed: (c) => void c.upsert({ name: 'Only on B', price: 100, sku: null, barcode: null, category: null, favourite: false }) });
    expect(names(a)).toEqual(['Yerba 1 kg']);
    expect(names(b)).toEqual(['Yerba 1 kg']);
    expect(b.catalog.lookup('779001')?.favourite).toBe(true);
  });

  it('an edit on till A shows in till B within a notification; a delete travels too', async () => {
    const db = await scratch();
    const a = await openTill(db.url, 'a');
    const b = await openTill(db.url, 'b');
    const made = await a.sync.upsert({ name: 'Alfajor', price: 900, sku: 'ALF', barcode: '779100', category: 'Golosinas', favourite: false });
    await expect.poll(() => b.catalog.lookup('779100')?.name ?? null).toBe('Alfajor');
    expect(b.catalog.search('alfaj', 5).map((p) => p.id)).toEqual([made.id]);
    expect(b.remote.at(-1)).toEqual({ upserted: [made], deleted: [] });

    await b.sync.upsert({ ...made, price: 950 });
    await expect.poll(() => a.catalog.lookup('779100')?.price ?? null).toBe(950);

    expect(await a.sync.delete(made.id)).toBe(true);
    expect(a.catalog.lookup('779100')).toBeNull();
    await expect.poll(() => b.catalog.lookup('779100')).toBeNull();
    expect(b.remote.at(-1)).toEqual({ upserted: [], deleted: [made.id] });
    // The tombstone stays in the shop: a till that saw the delete cannot bring the product back unknowingly.
    const rows = await a.db.query<{ deleted: boolean }>('SELECT deleted FROM catalog_products WHERE id = $1', [made.id]);
    expect(rows).toEqual([{ deleted: true }]);
  });

  it('five tills editing at once end with one and the same catalog', async () => {
    const db = await scratch();
    const tills = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((n) => openTill(db.url, n)));
    await Promise.all(
      tills.map(async (t, i) => {
        for (let k = 0; k < 10; k++) await t.sync.upsert({ name: `Till ${i} item ${k}`, price: 100 + k, sku: `T${i}-${k}`, barcode: null, category: null, favourite: false });
      }),
    );
    const shop = await tills[0]!.db.query<{ id: string; name: string; price: string }>('SELECT id, name, price FROM catalog_products ORDER BY id');
    expect(shop).toHaveLength(50);
    const expected = shop.map((r) => `${r.id}|${r.name}|${r.price}`);
    for (const t of tills) {
      await expect.poll(() => t.catalog.all().map((p) => `${p.id}|${p.name}|${p.price}`).sort()).toEqual(expected);
    }
  });

  it('an import of 1,000 products reaches the other till', async () => {
    const db = await scratch();
    const a = await openTill(db.url, 'a');
    const b = await openTill(db.url, 'b');
    expect(await a.sync.importCommit(csvOf(1000, 'Item'), 'MLA')).toBe(1000);
    expect(a.catalog.count()).toBe(1000);
    await expect.poll(() => b.catalog.count()).toBe(1000);
    expect(b.catalog.lookup('7790000000999')?.name).toBe('Item 999');
    expect(b.catalog.lookup('item-500')?.price).toBe(Math.round(((500 % 90) + 10.5) * 100));
    // Too many for one event: the renderer is told to refetch its copy.
    expect(b.remote.at(-1)).toBeNull();
  });

  it('two tills editing one product at once: exactly one wins, the other is told and shows the winner', async () => {
    const db = await scratch();
    const a = await openTill(db.url, 'a');
    const b = await openTill(db.url, 'b');
    const made = await a.sync.upsert({ name: 'Café', price: 1000, sku: 'CAF', barcode: null, category: null, favourite: false });
    await expect.poll(() => byId(b, made.id)?.name ?? null).toBe('Café');

    const outcomes = await Promise.allSettled([
      a.sync.upsert({ ...made, name: 'Café A', price: 1100 }),
      b.sync.upsert({ ...made, name: 'Café B', price: 1200 }),
    ]);
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(CajaError);
    expect((lost[0]!.reason as CajaError).code).toBe('CATALOG_CONFLICT');
    const winner = (won[0] as PromiseFulfilledResult<Product>).value;
    // Both copies end with the winner's values: the loser's was replaced, never the other way round.
    expect(byId(a, made.id)).toEqual(winner);
    await expect.poll(() => byId(b, made.id)).toEqual(winner);
    const shop = await a.db.query<{ name: string; version: number }>('SELECT name, version FROM catalog_products WHERE id = $1', [made.id]);
    expect(shop).toEqual([{ name: winner.name, version: 2 }]);

    // The loser edits again, now on the version it was shown: accepted.
    const loser = outcomes[0]!.status === 'rejected' ? a : b;
    await loser.sync.upsert({ ...winner, price: 1300 });
    const other = loser === a ? b : a;
    await expect.poll(() => byId(other, made.id)?.price).toBe(1300);
  });

  it('an edit racing a delete on another till: one is refused and both copies agree', async () => {
    const db = await scratch();
    const a = await openTill(db.url, 'a');
    const b = await openTill(db.url, 'b');
    const made = await a.sync.upsert({ name: 'Pan', price: 300, sku: null, barcode: '779200', category: null, favourite: false });
    await expect.poll(() => byId(b, made.id)?.name ?? null).toBe('Pan');
    const [deleted, edited] = await Promise.allSettled([a.sync.delete(made.id), b.sync.upsert({ ...made, price: 350 })]);
    expect([deleted.status, edited.status].sort()).toEqual(['fulfilled', 'rejected']);
    const refused = (deleted.status === 'rejected' ? deleted.reason : (edited as PromiseRejectedResult).reason) as CajaError;
    expect(refused.code).toBe('CATALOG_CONFLICT');
    const expected = deleted.status === 'fulfilled' ? null : 350;
    await expect.poll(() => [byId(a, made.id)?.price ?? null, byId(b, made.id)?.price ?? null]).toEqual([expected, expected]);
  });

  it('a barcode taken on another till at the same time: one is refused with CONFLICT', async () => {
    const db = await scratch();
    const a = await openTill(db.url, 'a');
    const b = await openTill(db.url, 'b');
    const outcomes = await Promise.allSettled([
      a.sync.upsert({ name: 'Leche A', price: 500, sku: null, barcode: '779300', category: null, favourite: false }),
      b.sync.upsert({ name: 'Leche B', price: 500, sku: null, barcode: '779300', category: null, favourite: false }),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const lost = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')!;
    expect((lost.reason as CajaError).code).toBe('CONFLICT');
    await expect.poll(() => [a.catalog.lookup('779300')?.name, b.catalog.lookup('779300')?.name]).toEqual(
      expect.arrayContaining([expect.any(String)]),
    );
    await expect.poll(() => a.catalog.lookup('779300')?.name === b.catalog.lookup('779300')?.name).toBe(true);
  });

  it('a till whose connections the server dropped catches up after reconnecting', async () => {
    const db = await scratch();
    const a = await openTill(db.url, 'a');
    const b = await openTill(db.url, 'b');
    const made = await a.sync.upsert({ name: 'Queso', price: 2000, sku: 'QSO', barcode: null, category: null, favourite: false });
    await expect.poll(() => byId(b, made.id)?.name ?? null).toBe('Queso');

    // Every connection to the database dropped (what a server restart does to the tills).
    await dropConnections(db.name);
    // A's pool reconnects on its next query; B's LISTEN comes back and catches up on what it missed.
    await a.sync.upsert({ ...made, price: 2100 }).catch(() => a.sync.upsert({ ...made, price: 2100 }));
    await a.sync.importCommit(csvOf(20, 'Batch'), 'MLA');
    await expect.poll(() => byId(b, made.id)?.price, { timeout: 10_000 }).toBe(2100);
    await expect.poll(() => b.catalog.count(), { timeout: 10_000 }).toBe(21);
  });

  it('a till that was closed pulls only what changed after the last change it saw', async () => {
    const db = await scratch();
    const a = await openTill(db.url, 'a');
    const dir = mkdtempSync(join(tmpdir(), 'caja-shop-catalog-b-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const b = await openTill(db.url, 'b', { dir });
    await a.sync.importCommit(csvOf(50, 'Old'), 'MLA');
    await expect.poll(() => b.catalog.count()).toBe(50);
    const seen = b.sync.lastSeen();
    await closeTill(b);

    const extra = await a.sync.upsert({ name: 'New while B was off', price: 700, sku: null, barcode: null, category: null, favourite: false });
    const old = a.catalog.lookup('old-3')!;
    await a.sync.delete(old.id);

    const again = await openTill(db.url, 'b', { dir });
    expect(again.sync.lastSeen()).toBeGreaterThan(seen);
    expect(byId(again, extra.id)?.name).toBe('New while B was off');
    expect(again.catalog.lookup('old-3')).toBeNull();
    expect(again.catalog.count()).toBe(50);
    // Only the two changes came back, not the 50 products again.
    expect(again.remote).toEqual([{ upserted: [extra], deleted: [old.id] }]);
  });

  it('a till moved to another shop takes that shop\'s catalog, whatever it saw of the first', async () => {
    const db = await scratch();
    const dir = mkdtempSync(join(tmpdir(), 'caja-shop-catalog-moved-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const first = await openTill(db.url, 'moved', { dir });
    for (let i = 0; i < 5; i++) await first.sync.upsert({ name: `First shop ${i}`, price: 100, sku: null, barcode: null, category: null, favourite: false });
    await closeTill(first);
    const other = await openTill(db.url, 'other', { shopId: 'shop-2', seed: (c) => void c.upsert({ name: 'Second shop only', price: 1, sku: null, barcode: null, category: null, favourite: false }) });
    expect(names(other)).toEqual(['Second shop only']);
    const moved = await openTill(db.url, 'moved', { dir, shopId: 'shop-2' });
    expect(names(moved)).toEqual(['Second shop only']);
  });

  it.runIf(canRunOwnCluster)(
    'with the server down edits are refused (CATALOG_OFFLINE) and nothing changes; once back, tills catch up',
    async () => {
      const cluster = ownCluster(55445);
      cleanups.push(() => cluster.stop());
      const shopId = `shop-${randomUUID()}`; // the private cluster keeps its data between runs
      const a = await openTill(cluster.url, 'a', { shopId });
      const b = await openTill(cluster.url, 'b', { shopId });
      const made = await a.sync.upsert({ name: 'Vino', price: 5000, sku: null, barcode: '779400', category: null, favourite: false });
      await expect.poll(() => byId(b, made.id)?.name ?? null).toBe('Vino');

      cluster.stop();
      await expect(a.sync.upsert({ ...made, price: 5500 })).rejects.toMatchObject({ code: 'CATALOG_OFFLINE' });
      await expect(a.sync.delete(made.id)).rejects.toMatchObject({ code: 'CATALOG_OFFLINE' });
      // Selling goes on from the till's own copy, as it was.
      expect(a.catalog.lookup('779400')?.price).toBe(5000);

      cluster.start();
      await expect.poll(() => a.sync.upsert({ ...made, price: 5600 }).then(() => true, () => false), { timeout: 30_000, interval: 500 }).toBe(true);
      await expect.poll(() => byId(b, made.id)?.price, { timeout: 30_000 }).toBe(5600);
    },
    120_000,
  );
});

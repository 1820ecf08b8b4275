/**
 * The shared catalog as the app runs it: two whole tills (createServices, demo mode, data folders of
 * their own) joined to one shop through `shop.connect`, edited through the contract's handlers (the
 * access rules and zod at the edge included), with the events the renderer would receive.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { EventPayload, Product } from '../../shared/contract';
import { dispatch } from '../dispatch';
import { silentLogger } from '../ground/logger';
import { createServices, type Services } from '../services';
import { createFileKeySecretBox } from '../settings/token-vault';
import { describeWithPg, freshDatabase } from '../test-kits/pg-test-kit';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface App {
  services: Services;
  changed: EventPayload<'catalog.changed'>[];
  close(): Promise<void>;
}

async function till(url: string | null, name: string, folder?: string): Promise<App & { dataDir: string }> {
  const dataDir = folder ?? mkdtempSync(join(tmpdir(), `caja-shop-catalog-app-${name}-`));
  if (!folder)
    cleanups.push(() => {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(`${dataDir}-keys`, { recursive: true, force: true });
    });
  const services = await createServices({
    dataDir,
    shell: 'browser',
    version: '9.9.9',
    platform: 'linux',
    secretBox: createFileKeySecretBox(dataDir, join(dataDir, '..', `${basename(dataDir)}-keys`)),
    log: silentLogger,
    forceDemo: true,
    simulatorTiming: { toTerminalMs: 50, customerMs: 100, processingMs: 50, customer: 'auto' },
  });
  let closed = false;
  const close = async () => {
    if (!closed) await services.close();
    closed = true;
  };
  cleanups.push(close);
  const changed: EventPayload<'catalog.changed'>[] = [];
  services.subscribe((event, payload) => {
    if (event === 'catalog.changed') changed.push(payload as EventPayload<'catalog.changed'>);
  });
  // Catalog writes and the shop connection need a manager at the till.
  if (folder) await call(services, 'manager.unlock', { pin: '2468' });
  else await call(services, 'manager.setPin', { pin: '2468' });
  if (url === null) return { services, changed, dataDir, close };
  const joined = await call<{ ok: boolean }>(services, 'shop.connect', { url, ssl: 'disable', shopId: 'shop-app', shopName: 'Almacén' });
  expect(joined.ok).toBe(true);
  await expect.poll(async () => (await call<{ state: string }>(services, 'shop.status', undefined)).state, { timeout: 20_000 }).toBe('connected');
  return { services, changed, dataDir, close };
}

async function call<T>(s: Services, channel: string, input: unknown): Promise<T> {
  const result = await dispatch(s.handlers, channel, input);
  if (!result.ok) throw Object.assign(new Error(`${channel}: ${result.error.code} ${result.error.message}`), { code: result.error.code });
  return result.value as T;
}

describeWithPg('the shared catalog in the app', () => {
  it('an edit on one till reaches the other till\'s search and renderer; a conflict says CATALOG_CONFLICT', async () => {
    const db = await freshDatabase();
    cleanups.push(() => db.drop());
    const a = await till(db.url, 'Caja 1');
    const b = await till(db.url, 'Caja 2');

    const made = await call<Product>(a.services, 'catalog.upsert', { name: 'Mate cocido', price: 1500, sku: 'MATE-C', barcode: null, category: null, favourite: false });
    await expect.poll(() => call<Product | null>(b.services, 'catalog.lookup', { code: 'MATE-C' }).then((p) => p?.name ?? null), { timeout: 10_000 }).toBe('Mate cocido');
    expect(b.changed.some((c) => c.changes?.upserted.some((p) => p.id === made.id))).toBe(true);
    expect((await call<Product[]>(b.services, 'catalog.search', { query: 'mate coc', limit: 5 })).map((p) => p.id)).toContain(made.id);

    const outcomes = await Promise.allSettled([
      call(a.services, 'catalog.upsert', { ...made, price: 1600 }),
      call(b.services, 'catalog.upsert', { ...made, price: 1700 }),
    ]);
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect((refused[0]!.reason as { code: string }).code).toBe('CATALOG_CONFLICT');
    const price = (s: Services) => call<Product | null>(s, 'catalog.lookup', { code: 'MATE-C' }).then((p) => p?.price);
    await expect.poll(async () => [await price(a.services), await price(b.services)], { timeout: 10_000 }).toEqual(
      outcomes[0]!.status === 'fulfilled' ? [1600, 1600] : [1700, 1700],
    );

    await call(b.services, 'catalog.delete', { id: made.id });
    await expect.poll(() => call(a.services, 'catalog.lookup', { code: 'MATE-C' }), { timeout: 10_000 }).toBeNull();
  }, 60_000);

  it('a till whose shop server is gone at start refuses catalog edits (CATALOG_OFFLINE) and keeps its copy', async () => {
    const db = await freshDatabase();
    let dropped = false;
    cleanups.push(() => (dropped ? undefined : db.drop()));
    const first = await till(db.url, 'Caja 1');
    const page = (s: Services) => call<{ items: Product[]; total: number }>(s, 'catalog.list', { offset: 0, limit: 20 });
    const before = await page(first.services);
    expect(before.total).toBeGreaterThan(0);
    await first.close();
    await db.drop();
    dropped = true;

    const again = await till(null, 'Caja 1', first.dataDir);
    await expect(call(again.services, 'catalog.upsert', { name: 'Local only', price: 100, sku: null, barcode: null, category: null, favourite: false })).rejects.toMatchObject({
      code: 'CATALOG_OFFLINE',
    });
    // Selling reads the copy as it was.
    expect(await page(again.services)).toEqual(before);
  }, 60_000);
});

/**
 * The renderer's copy of the catalog, as main serves it: slices of columns through `dispatch` (so the
 * contract's output check runs), then `catalog.changed` events that carry each edit. A copy built and
 * patched only from what crosses the wall must answer every search as main's own index does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SearchIndex, columnsToProducts } from '../../shared/catalog-search';
import { CatalogColumnsSchema, type EventPayload, type Output } from '../../shared/contract';
import { dispatch } from '../dispatch';
import { createLogger } from '../logger';
import { createServices, type Services } from '../services';
import { createFileKeySecretBox } from '../settings/token-vault';

let services: Services | null = null;
let dataDir = '';

afterEach(async () => {
  await services?.close();
  services = null;
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(`${dataDir}-keys`, { recursive: true, force: true });
});

async function start(): Promise<Services> {
  dataDir = mkdtempSync(join(tmpdir(), 'caja-catalog-sync-'));
  services = await createServices({
    dataDir,
    shell: 'browser',
    version: '9.9.9',
    platform: 'linux',
    secretBox: createFileKeySecretBox(dataDir, join(dataDir, '..', `${basename(dataDir)}-keys`)),
    log: createLogger({ file: join(dataDir, 'caja.log') }),
    forceDemo: true,
    simulatorTiming: { toTerminalMs: 50, customerMs: 100, processingMs: 50, customer: 'auto' },
  });
  // Catalog writes need a manager at the till; setting the PIN opens a manager session.
  await services.handlers['manager.setPin']({ pin: '2468' });
  return services;
}

async function call<T>(s: Services, channel: string, input: unknown): Promise<T> {
  const result = await dispatch(s.handlers, channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

describe('the catalog copy main serves the renderer', () => {
  it('arrives in slices of columns and is patched by the edits each event carries', async () => {
    const s = await start();
    const changes: EventPayload<'catalog.changed'>[] = [];
    s.subscribe((event, payload) => {
      if (event === 'catalog.changed') changes.push(payload as EventPayload<'catalog.changed'>);
    });

    type Slice = Output<'catalog.snapshot'>;
    const first = await call<Slice>(s, 'catalog.snapshot', { offset: 0, limit: 50 });
    expect(first.total).toBeGreaterThan(100);
    const products = [];
    const keys = [];
    for (let at = 0; at < first.total; at += 50) {
      const slice = at === 0 ? first : await call<Slice>(s, 'catalog.snapshot', { offset: at, limit: 50 });
      expect(slice.version).toBe(first.version);
      products.push(...columnsToProducts(slice.columns));
      keys.push(...slice.columns.keys);
    }
    const copy = new SearchIndex();
    copy.load(products, keys);
    const mainSearch = (q: string) => call<{ id: string }[]>(s, 'catalog.search', { query: q, limit: 20 });
    for (const q of ['leche', 'agua', 'beb-0', '779', 'yerba mate']) {
      expect(copy.search(q, 20).map((p) => p.id), q).toEqual((await mainSearch(q)).map((p) => p.id));
    }

    const water = copy.byBarcodeExact('7790001000019')!;
    await call(s, 'catalog.upsert', { ...water, name: 'Agua Zafiro Con Gas', favourite: true });
    const added = await call<{ id: string }>(s, 'catalog.upsert', {
      name: 'Zafiro Helado',
      price: 990,
      sku: 'ZAF-1',
      barcode: null,
      category: null,
      favourite: false,
    });
    await call(s, 'catalog.delete', { id: copy.search('leche', 1)[0]!.id });

    expect(changes.map((c) => c.version)).toEqual([first.version + 1, first.version + 2, first.version + 3]);
    for (const change of changes) {
      expect(change.changes).not.toBeNull();
      for (const id of change.changes!.deleted) copy.remove(id);
      for (const p of change.changes!.upserted) copy.put(p);
    }
    for (const q of ['zafiro', 'agua', 'leche', 'zaf-', '', 'helado']) {
      expect(copy.search(q, 20).map((p) => p.id), q).toEqual((await mainSearch(q)).map((p) => p.id));
    }
    expect(copy.get(added.id)?.name).toBe('Zafiro Helado');
  });

  it('checks every column at the edge: types, limits and one value per product', () => {
    const good = new SearchIndex([
      { id: 'a', name: 'Agua', price: 100, sku: 'A-1', barcode: null, category: null, favourite: true },
      { id: 'b', name: 'Bizcocho', price: 250, sku: null, barcode: '779', category: 'Panadería', favourite: false },
    ]).columns(0, 10);
    expect(CatalogColumnsSchema.safeParse(good).success).toBe(true);
    for (const bad of [
      { ...good, prices: [100] }, // one short
      { ...good, prices: [100, 2.5] }, // not whole minor units
      { ...good, names: ['Agua', ''] }, // empty name
      { ...good, skus: ['A-1', 7] }, // not text
      { ...good, barcodes: [null, 'x'.repeat(41)] }, // too long
      { ...good, favourites: 3 }, // more favourites than rows
    ]) {
      expect(CatalogColumnsSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('says "refetch" after an import, which changes too much to send', async () => {
    const s = await start();
    const changes: EventPayload<'catalog.changed'>[] = [];
    s.subscribe((event, payload) => {
      if (event === 'catalog.changed') changes.push(payload as EventPayload<'catalog.changed'>);
    });
    await call(s, 'catalog.importCommit', { csv: 'name,price\nYerba Nueva,1500\n' });
    expect(changes).toHaveLength(1);
    expect(changes[0]!.changes).toBeNull();
  });
});

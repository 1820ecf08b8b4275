import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from './catalog-api';
import { normalizeText } from '../../shared/catalog-search';
import { openCatalog } from './catalog-store';
import { syntheticProducts, toCsv } from './synthetic-catalog';

const N = 50_000;
let dir: string;
let catalog: Catalog;
const source = syntheticProducts(N);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'caja-large-'));
  catalog = openCatalog(join(dir, 'catalog.sqlite'));
  expect(await catalog.importCommit(toCsv(source), 'MLA')).toBe(N);
});
afterAll(() => {
  catalog.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The slow, obviously-right answer: every query word somewhere in the accent-free name. */
function reference(query: string): Set<string> {
  const words = normalizeText(query).split(' ');
  return new Set(source.filter((p) => words.every((w) => normalizeText(p.name).includes(w))).map((p) => p.name));
}

describe('a 50,000-product catalog', () => {
  it('holds every product', () => {
    expect(catalog.count()).toBe(N);
    expect(catalog.list(0, 1).total).toBe(N);
  });

  it.each(['leche ent', 'cafe molido serenisima', 'TARAGUI yerba light', 'jamon', 'sin tacc 1.5l #2', 'hellmann'])(
    'finds exactly the matching names for "%s", prefixes first',
    (query) => {
      const expected = reference(query);
      const found = catalog.search(query, 200);
      expect(found.length).toBe(Math.min(200, expected.size));
      expect(found.every((p) => expected.has(p.name))).toBe(true);
      const phrase = normalizeText(query);
      const isPrefix = found.map((p) => normalizeText(p.name).startsWith(phrase));
      expect(isPrefix.indexOf(false) === -1 || isPrefix.lastIndexOf(true) < isPrefix.indexOf(false)).toBe(true);
    },
  );

  it('finds a product by its barcode, SKU or their prefixes', () => {
    const p = source[43_210]!;
    expect(catalog.lookup(p.barcode)?.name).toBe(p.name);
    expect(catalog.lookup(p.sku.toLowerCase())?.name).toBe(p.name);
    expect(catalog.search(p.barcode, 5)[0]!.name).toBe(p.name);
    const prefixed = catalog.search(p.sku.slice(0, -1), 20);
    expect(prefixed.length).toBe(10);
    expect(prefixed.every((x) => x.sku!.startsWith(p.sku.slice(0, -1)))).toBe(true);
  });

  it('keeps the index in sync after edits', () => {
    const p = catalog.lookup(source[7]!.sku)!;
    catalog.upsert({ ...p, name: 'Zapallito Único Redondo', favourite: true });
    expect(catalog.search('zapallito unico', 5).map((x) => x.id)).toEqual([p.id]);
    expect(catalog.search('', 1)[0]!.id).toBe(p.id);
    catalog.delete(p.id);
    expect(catalog.search('zapallito', 5)).toEqual([]);
  });
});

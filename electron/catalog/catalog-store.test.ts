import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CajaError } from '../../shared/errors';
import type { Catalog } from './catalog-api';
import { openCatalog } from './catalog-store';
import { CATALOG_SCHEMA_VERSION } from './migrations';

let dir: string;
let file: string;
let catalog: Catalog;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'caja-catalog-'));
  file = join(dir, 'catalog.sqlite');
  catalog = openCatalog(file);
});
afterEach(() => {
  catalog.close();
  rmSync(dir, { recursive: true, force: true });
});

const base: {
  sku: string | null;
  barcode: string | null;
  category: string | null;
  favourite: boolean;
} = {
  sku: null,
  barcode: null,
  category: null,
  favourite: false,
};
const add = (name: string, extra: Partial<typeof base> & { price?: number } = {}) =>
  catalog.upsert({ ...base, price: 100000, name, ...extra });

function caught(fn: () => unknown): CajaError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CajaError);
    return error as CajaError;
  }
  throw new Error('expected a CajaError');
}

describe('search', () => {
  beforeEach(() => {
    add('Leche Entera 1L', { sku: 'LAC-1', barcode: '7790000000011' });
    add('Leche Descremada 1L', { sku: 'LAC-2', barcode: '7790000000028' });
    add('Dulce de Leche 400g', { sku: 'LAC-3', favourite: true });
    add('Café Molido La Virginia', { sku: 'ALM-1' });
    add('Azúcar Ledesma 1kg', { sku: 'ALM-2', barcode: '7791111111111' });
    add('Coca-Cola 500ml', { sku: 'BEB-1', favourite: true });
  });

  it('ignores case and accents both ways', () => {
    expect(catalog.search('CAFE', 10).map((p) => p.name)).toEqual(['Café Molido La Virginia']);
    expect(catalog.search('azucar', 10).map((p) => p.name)).toEqual(['Azúcar Ledesma 1kg']);
    expect(catalog.search('cafÉ', 10)).toHaveLength(1);
  });

  it('needs every word, in any order, and matches word prefixes', () => {
    expect(catalog.search('leche ent', 10).map((p) => p.name)).toEqual(['Leche Entera 1L']);
    expect(
      catalog
        .search('1l leche', 10)
        .map((p) => p.name)
        .sort(),
    ).toEqual(['Leche Descremada 1L', 'Leche Entera 1L']);
    expect(catalog.search('leche xyz', 10)).toEqual([]);
    expect(catalog.search('coca cola', 10).map((p) => p.name)).toEqual(['Coca-Cola 500ml']);
  });

  it('ranks name prefix over substring, favourites first within a rank', () => {
    // "leche": two names start with it; the favourite "Dulce de Leche" only contains it.
    expect(catalog.search('leche', 10).map((p) => p.name)).toEqual([
      'Leche Descremada 1L',
      'Leche Entera 1L',
      'Dulce de Leche 400g',
    ]);
    add('Leche Chocolatada', { favourite: true });
    expect(catalog.search('leche', 10)[0]!.name).toBe('Leche Chocolatada');
  });

  it('puts an exact barcode or SKU first, then code prefixes', () => {
    expect(catalog.search('7790000000028', 10).map((p) => p.name)).toEqual(['Leche Descremada 1L']);
    expect(catalog.search('lac-2', 10)[0]!.name).toBe('Leche Descremada 1L');
    expect(
      catalog
        .search('779', 10)
        .map((p) => p.name)
        .sort(),
    ).toEqual(['Azúcar Ledesma 1kg', 'Leche Descremada 1L', 'Leche Entera 1L']);
    expect(
      catalog
        .search('ALM', 10)
        .map((p) => p.sku)
        .sort(),
    ).toEqual(['ALM-1', 'ALM-2']);
  });

  it('lists favourites then alphabetical for an empty query, and honours the limit', () => {
    expect(catalog.search('  ', 4).map((p) => p.name)).toEqual([
      'Coca-Cola 500ml',
      'Dulce de Leche 400g',
      'Azúcar Ledesma 1kg',
      'Café Molido La Virginia',
    ]);
    expect(catalog.search('leche', 1)).toHaveLength(1);
    expect(catalog.search('leche', 0)).toEqual([]);
  });

  it('follows upserts and deletes without reopening', () => {
    const p = catalog.search('leche ent', 1)[0]!;
    catalog.upsert({ ...p, name: 'Leche Entera Larga Vida 1L' });
    expect(catalog.search('larga vida', 5).map((x) => x.id)).toEqual([p.id]);
    expect(catalog.search('leche ent', 5).map((x) => x.name)).toEqual(['Leche Entera Larga Vida 1L']);
    expect(catalog.delete(p.id)).toBe(true);
    expect(catalog.search('larga', 5)).toEqual([]);
    expect(catalog.lookup('7790000000011')).toBeNull();
  });
});

describe('lookup, upsert, delete', () => {
  it('finds by exact barcode, then by SKU (any case)', () => {
    const a = add('Agua', { sku: '7790000000035', barcode: '1234' });
    const b = add('Soda', { sku: 'SODA-1', barcode: '7790000000035' });
    expect(catalog.lookup('7790000000035')?.id).toBe(b.id); // barcode wins over an equal SKU
    expect(catalog.lookup(' soda-1 ')?.id).toBe(b.id);
    expect(catalog.lookup('1234')?.id).toBe(a.id);
    expect(catalog.lookup('779')).toBeNull();
    expect(catalog.lookup('')).toBeNull();
  });

  it('creates with a fresh id, updates by id and tidies text', () => {
    const p = add('  Yerba   Playadito 1kg ', { sku: ' YER-1 ', category: '' });
    expect(p.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(p).toMatchObject({
      name: 'Yerba Playadito 1kg',
      sku: 'YER-1',
      category: null,
    });
    const updated = catalog.upsert({ ...p, price: 460000 });
    expect(updated.id).toBe(p.id);
    expect(catalog.count()).toBe(1);
    expect(catalog.lookup('YER-1')?.price).toBe(460000);
  });

  it('refuses a barcode or SKU that another product has, naming it', () => {
    add('Leche Entera 1L', { sku: 'LAC-1', barcode: '7790000000011' });
    const byBarcode = caught(() => add('Otra Leche', { barcode: '7790000000011' }));
    expect(byBarcode.code).toBe('CONFLICT');
    expect(byBarcode.message).toContain('Leche Entera 1L');
    expect(caught(() => add('Otra Leche', { sku: 'lac-1' })).code).toBe('CONFLICT');
    expect(catalog.count()).toBe(1);
  });

  it('rejects invalid input with a human message', () => {
    const e = caught(() => catalog.upsert({ ...base, name: '', price: 100 }));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/Name/);
    expect(caught(() => catalog.upsert({ ...base, name: 'x', price: 1.5 })).message).toMatch(/Price/);
    expect(caught(() => catalog.upsert({ ...base, name: 'x'.repeat(81), price: 1 })).code).toBe('INVALID_INPUT');
    expect(caught(() => catalog.upsert({ ...base, name: '   ', price: 1 })).code).toBe('INVALID_INPUT');
  });

  it('deletes and reports whether anything was deleted', () => {
    const p = add('Pan');
    expect(catalog.delete(p.id)).toBe(true);
    expect(catalog.delete(p.id)).toBe(false);
    expect(catalog.count()).toBe(0);
  });

  it('lists pages alphabetically with the total', () => {
    for (const n of ['c', 'a', 'b', 'd']) add(n);
    const page = catalog.list(1, 2);
    expect(page.total).toBe(4);
    expect(page.items.map((p) => p.name)).toEqual(['b', 'c']);
  });
});

describe('persistence and migrations', () => {
  it('keeps products across reopen, index rebuilt from the file', () => {
    const p = add('Alfajor Jorgito', {
      barcode: '7790000000042',
      favourite: true,
    });
    catalog.close();
    catalog = openCatalog(file);
    expect(catalog.count()).toBe(1);
    expect(catalog.lookup('7790000000042')).toEqual(p);
    expect(catalog.search('jorg', 5)).toEqual([p]);
  });

  it('uses WAL and stamps the schema version', () => {
    catalog.close();
    const db = new DatabaseSync(file);
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({
      journal_mode: 'wal',
    });
    expect(db.prepare('PRAGMA user_version').get()).toEqual({
      user_version: CATALOG_SCHEMA_VERSION,
    });
    db.close();
    catalog = openCatalog(file);
  });

  it('refuses a catalog written by a newer version and leaves it untouched', () => {
    catalog.close();
    const db = new DatabaseSync(file);
    db.exec(`PRAGMA user_version = ${CATALOG_SCHEMA_VERSION + 1}`);
    db.close();
    const e = caught(() => openCatalog(file));
    expect(e.message).toMatch(/newer version/);
    const again = new DatabaseSync(file);
    expect(again.prepare('PRAGMA user_version').get()).toEqual({
      user_version: CATALOG_SCHEMA_VERSION + 1,
    });
    again.exec(`PRAGMA user_version = ${CATALOG_SCHEMA_VERSION}`);
    again.close();
    catalog = openCatalog(file);
  });
});

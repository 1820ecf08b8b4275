import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportProblemSchema } from '../../shared/contract';
import { CajaError } from '../../shared/errors';
import type { SiteId } from '../../shared/money';
import type { Catalog } from './catalog-api';
import { openCatalog } from './catalog-store';
import { problemInEnglish } from './csv-import';
import { parsePrice } from './price-parse';

let dir: string;
let catalog: Catalog;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'caja-csv-'));
  catalog = openCatalog(join(dir, 'catalog.sqlite'));
});
afterEach(() => {
  catalog.close();
  rmSync(dir, { recursive: true, force: true });
});

const price = (raw: string, site: SiteId = 'MLA') => {
  const r = parsePrice(raw, site);
  return r.ok ? r.minor : problemInEnglish(r.error);
};

describe('parsePrice', () => {
  it('reads the ways people write prices, per site', () => {
    expect(price('1500')).toBe(150000);
    expect(price('1500.50')).toBe(150050);
    expect(price('1500,5')).toBe(150050);
    expect(price('1.500,50')).toBe(150050);
    expect(price('1,500.50')).toBe(150050);
    expect(price('1.500.000')).toBe(150000000);
    expect(price('$ 1.500')).toBe(150000); // es-AR: "." groups thousands
    expect(price('R$ 12,90', 'MLB')).toBe(1290);
    expect(price('1,500', 'MLM')).toBe(150000); // es-MX: "," groups thousands
    expect(price('1.500', 'MLM')).toBe(150); // …and "." is the decimal point
    expect(price('0')).toBe(0);
  });

  it('keeps whole-number currencies whole', () => {
    expect(price('1500', 'MLC')).toBe(1500);
    expect(price('1.500', 'MLC')).toBe(1500);
    expect(price('1500.00', 'MCO')).toBe(1500);
    expect(price('1500.50', 'MLC')).toMatch(/cents.*CLP/);
    expect(price('1500,50', 'MCO')).toMatch(/COP prices are whole/);
  });

  it('explains what is wrong', () => {
    expect(price('')).toBe('Missing price');
    expect(price('abc')).toMatch(/not a number/);
    expect(price('-5')).toMatch(/negative/);
    expect(price('1.50.0')).toMatch(/not a number/);
    expect(price('1500,555')).toMatch(/more than 2 decimals/);
    expect(price('1500.555')).toMatch(/not a number/); // es-AR reads "." + 3 digits as thousands, badly grouped here
  });
});

describe('importPreview', () => {
  it('gives every row its file line, product and errors', async () => {
    const csv = [
      'name,price,sku,barcode,category,favourite,notes',
      'Leche Entera 1L,1500,LAC-1,7790000000011,Lácteos,si,ignored column',
      ',1200,LAC-2,,,,',
      'Pan,abc,,,,,',
      '',
      `"${'x'.repeat(81)}",100,,,,,`,
      'Soda,100,LAC-1,7790000000011,,quizás,',
      `Yerba,100,${'S'.repeat(41)},,,no,`,
    ].join('\n');
    const preview = await catalog.importPreview(csv, 'MLA');
    expect(preview.valid).toBe(1);
    expect(preview.invalid).toBe(5);
    const [ok, noName, badPrice, tooLong, dup, longSku] = preview.rows;
    expect(ok).toEqual({
      line: 2,
      errors: [],
      product: {
        name: 'Leche Entera 1L',
        price: 150000,
        sku: 'LAC-1',
        barcode: '7790000000011',
        category: 'Lácteos',
        favourite: true,
      },
    });
    expect(noName).toMatchObject({
      line: 3,
      product: null,
      errors: [{ code: 'name_missing' }],
    });
    expect(badPrice!.line).toBe(4);
    expect(badPrice!.errors).toEqual([{ code: 'price_not_number', value: 'abc' }]);
    expect(tooLong!.line).toBe(6); // the blank line 5 is skipped but counted
    expect(tooLong!.errors).toEqual([{ code: 'too_long', field: 'name', max: 80 }]);
    expect(dup!.errors).toEqual([
      { code: 'favourite_not_yes_no', value: 'quizás' },
      { code: 'barcode_repeated', barcode: '7790000000011', line: 2 },
      { code: 'sku_repeated', sku: 'LAC-1', line: 2 },
    ]);
    expect(dup!.errors.map(problemInEnglish)).toEqual([
      'Favourite "quizás" should be yes or no',
      'Barcode 7790000000011 is also on line 2',
      'SKU LAC-1 is also on line 2',
    ]);
    expect(longSku!.errors).toEqual([{ code: 'too_long', field: 'sku', max: 40 }]);
    // Every problem fits the contract the renderer checks it against.
    for (const row of preview.rows) for (const p of row.errors) expect(ImportProblemSchema.safeParse(p).success).toBe(true);
    expect(catalog.count()).toBe(0);
  });

  it('accepts Spanish and Portuguese headers, a BOM, ";" and quoted multi-line cells', async () => {
    const es =
      '\ufeffNombre;Precio;Código;Código de barras;Categoría;Favorito\n"Galletitas ""Surtidas""\nx 300g";1.500,50;GAL-1;7790000000042;Almacén;sí\nAgua;900;AGU-1;;;no\n';
    const preview = await catalog.importPreview(es, 'MLA');
    expect(preview.invalid).toBe(0);
    expect(preview.rows.map((r) => r.line)).toEqual([2, 4]);
    expect(preview.rows[0]!.product).toMatchObject({
      name: 'Galletitas "Surtidas"\nx 300g',
      price: 150050,
      sku: 'GAL-1',
      barcode: '7790000000042',
      category: 'Almacén',
      favourite: true,
    });
    const pt = 'nome,preço,categoria\nPão de Queijo,"12,90",Padaria\n';
    expect((await catalog.importPreview(pt, 'MLB')).rows[0]!.product).toMatchObject({
      name: 'Pão de Queijo',
      price: 1290,
      category: 'Padaria',
      sku: null,
      favourite: false,
    });
  });

  it('flags codes that point at two different catalog products', async () => {
    catalog.upsert({
      name: 'A',
      price: 100,
      sku: 'A-1',
      barcode: '111',
      category: null,
      favourite: false,
    });
    catalog.upsert({
      name: 'B',
      price: 100,
      sku: 'B-1',
      barcode: '222',
      category: null,
      favourite: false,
    });
    const preview = await catalog.importPreview('name,price,sku,barcode\nA nuevo,100,A-1,222\n', 'MLA');
    expect(preview.rows[0]!.errors).toEqual([{ code: 'codes_disagree', sku: 'A-1', barcode: '222', product: 'A', other: 'B' }]);
    expect(preview.rows[0]!.errors.map(problemInEnglish)).toEqual(['SKU A-1 is "A" in the catalog but barcode 222 is "B"']);
  });

  it('refuses a file without a header naming name and price', async () => {
    await expect(catalog.importPreview('Leche,1500\nPan,900\n', 'MLA')).rejects.toThrow(/no name or price column/);
    await expect(catalog.importPreview('', 'MLA')).rejects.toThrow(/empty/);
  });

  it('uses the site decimals: cents are an error in CLP', async () => {
    const csv = 'name,price\nEmpanada,1500.50\nCompleto,"2.500"\n';
    expect((await catalog.importPreview(csv, 'MLA')).rows.map((r) => r.product?.price)).toEqual([150050, 250000]);
    const clp = await catalog.importPreview(csv, 'MLC');
    expect(clp.rows[0]!.errors).toEqual([{ code: 'price_whole_only', value: '1500.50', currency: 'CLP' }]);
    expect(clp.rows[1]!.product?.price).toBe(2500);
  });
});

describe('importCommit', () => {
  it('imports nothing when any row is bad, and says which lines', async () => {
    catalog.upsert({
      name: 'Existente',
      price: 100,
      sku: 'E-1',
      barcode: null,
      category: null,
      favourite: false,
    });
    const csv = 'name,price,sku\nUno,100,U-1\nDos,,U-2\nTres,100,U-3\n,5,U-4\n';
    let error: unknown;
    try {
      await catalog.importCommit(csv, 'MLA');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CajaError);
    expect((error as CajaError).code).toBe('INVALID_INPUT');
    expect((error as CajaError).message).toBe(
      '2 rows have errors, nothing was imported (line 3: Missing price; line 5: Missing name)',
    );
    expect(catalog.count()).toBe(1);
    expect(catalog.search('uno', 5)).toEqual([]);
  });

  it('imports all rows in one go, updating products whose SKU or barcode exists', async () => {
    const kept = catalog.upsert({
      name: 'Coca 500',
      price: 100000,
      sku: 'BEB-1',
      barcode: '7790000000059',
      category: 'Bebidas',
      favourite: true,
    });
    const byBarcode = catalog.upsert({
      name: 'Agua',
      price: 90000,
      sku: 'BEB-2',
      barcode: '7790000000066',
      category: null,
      favourite: false,
    });
    const csv =
      'nombre,precio,sku,código de barras\nCoca-Cola 500ml,"1.600,00",BEB-1,7790000000059\nAgua Mineral,950,,7790000000066\nNuevo,10,NEW-1,\n';
    expect(await catalog.importCommit(csv, 'MLA')).toBe(3);
    expect(catalog.count()).toBe(3);
    // Columns missing from the file (category, favourite) keep their values.
    expect(catalog.lookup('BEB-1')).toEqual({
      ...kept,
      name: 'Coca-Cola 500ml',
      price: 160000,
    });
    // An empty cell in a present column clears it.
    expect(catalog.lookup('7790000000066')).toEqual({
      ...byBarcode,
      name: 'Agua Mineral',
      price: 95000,
      sku: null,
    });
    expect(catalog.search('nuevo', 5)[0]).toMatchObject({
      sku: 'NEW-1',
      price: 1000,
    });
  });
});

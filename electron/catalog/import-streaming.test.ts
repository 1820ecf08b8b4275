/**
 * Imports that stream (issue 11): the byte limit is main's, a big file is checked in chunks so
 * other calls are answered while it runs, and the preview is a summary with the first rows and
 * problems — never the whole file back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_IMPORT_BYTES } from '../../shared/contract';
import type { Catalog } from './catalog-api';
import { openCatalog } from './catalog-store';
import { PREVIEW_FIRST_ROWS, PREVIEW_MAX_PROBLEMS } from './csv-import';

let dir: string;
let catalog: Catalog;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'caja-import-'));
  catalog = openCatalog(join(dir, 'catalog.sqlite'));
});
afterEach(() => {
  catalog.close();
  rmSync(dir, { recursive: true, force: true });
});

/** `count` rows; the rows whose index is in `bad` have no price. Row i is on file line i + 2. */
function csvOf(count: number, bad: Set<number> = new Set()): string {
  const rows = ['name,price,sku,barcode'];
  for (let i = 0; i < count; i++) rows.push(`Producto ${i},${bad.has(i) ? '' : 100 + (i % 900)},SKU-${i},${7790000000000 + i}`);
  return rows.join('\n') + '\n';
}

describe('CSV import, streamed', () => {
  it('answers a summary with the first rows and the first problems, counting every row', async () => {
    const bad = new Set(Array.from({ length: 500 }, (_, k) => 1000 + k * 7));
    const preview = await catalog.importPreview(csvOf(20_000, bad), 'MLA');
    expect(preview).toMatchObject({ total: 20_000, valid: 19_500, invalid: 500, truncated: true });
    expect(preview.rows).toHaveLength(PREVIEW_FIRST_ROWS + PREVIEW_MAX_PROBLEMS);
    expect(preview.rows.slice(0, PREVIEW_FIRST_ROWS).map((r) => r.line)).toEqual(Array.from({ length: PREVIEW_FIRST_ROWS }, (_, i) => i + 2));
    // The problems are the first ones in the file, each on its own line (chunks cut nowhere wrong).
    const problems = preview.rows.slice(PREVIEW_FIRST_ROWS);
    expect(problems.map((r) => r.line)).toEqual([...bad].slice(0, PREVIEW_MAX_PROBLEMS).map((i) => i + 2));
    expect(problems.every((r) => r.errors.length === 1 && r.errors[0]!.code === 'price_missing' && r.product === null)).toBe(true);
    await expect(catalog.importCommit(csvOf(20_000, bad), 'MLA')).rejects.toThrow(/^500 rows have errors, nothing was imported \(line 1002: Missing price; .*; and 497 more\)$/);
    expect(catalog.count()).toBe(0);
  });

  it('cuts chunks only between records: quoted cells across lines, doubled quotes and inch marks', async () => {
    const rows = ['name;price;sku'];
    for (let i = 0; i < 6000; i++) {
      if (i % 3 === 0) rows.push(`"Galletitas ""${i}""\nx 300g";1.500,50;Q-${i}`); // a cell over two lines
      else if (i % 3 === 1) rows.push(`Tornillo 1/2" n${i};10;T-${i}`); // an inch mark mid-cell is a character
      else rows.push(`"Vino; tinto ${i}";2000;V-${i}`);
    }
    rows.push('Sin precio;;X-1');
    const csv = rows.join('\n') + '\n';
    expect(csv.length).toBeGreaterThan(3 * 64 * 1024); // several chunks
    const preview = await catalog.importPreview(csv, 'MLA');
    expect(preview).toMatchObject({ total: 6001, valid: 6000, invalid: 1 });
    // 6000 records, 2000 of them two lines long, after the header: the bad row is on line 8002.
    expect(preview.rows.filter((r) => r.errors.length > 0).map((r) => r.line)).toEqual([8002]);
    expect(await catalog.importCommit(rows.slice(0, -1).join('\n'), 'MLA')).toBe(6000);
    expect(catalog.lookup('Q-5997')?.name).toBe('Galletitas "5997"\nx 300g');
    expect(catalog.lookup('T-5998')?.name).toBe('Tornillo 1/2" n5998');
    expect(catalog.lookup('V-5999')?.name).toBe('Vino; tinto 5999');
  });

  it('refuses a file over the limit by its bytes, with the limit in the message', async () => {
    // Fewer characters than the limit, more bytes: "ñ" is two bytes in UTF-8.
    const name = 'ñ'.repeat(70);
    const row = `${name},100\n`;
    const csv = 'name,price\n' + row.repeat(Math.ceil((MAX_IMPORT_BYTES * 0.6) / row.length));
    expect(csv.length).toBeLessThan(MAX_IMPORT_BYTES);
    await expect(catalog.importPreview(csv, 'MLA')).rejects.toThrow(/^The file is 2\d\.\d MiB; Caja imports files up to 20\.0 MiB/);
    await expect(catalog.importCommit(csv, 'MLA')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('keeps other writes out while a commit holds its transaction, and imports everything', async () => {
    const commit = catalog.importCommit(csvOf(30_000), 'MLA');
    let committed = false;
    void commit.then(() => (committed = true));
    await new Promise((resolve) => setImmediate(resolve));
    // Reads keep being answered; a write is refused with a reason instead of joining the import.
    expect(catalog.lookup('missing')).toBeNull();
    expect(() => catalog.upsert({ name: 'Intruso', price: 1, sku: null, barcode: null, category: null, favourite: false })).toThrow(
      /import is running/,
    );
    expect(committed).toBe(false);
    expect(await commit).toBe(30_000);
    expect(catalog.count()).toBe(30_000);
    expect(catalog.lookup('SKU-29999')?.name).toBe('Producto 29999');
    catalog.upsert({ name: 'Después', price: 1, sku: 'D-1', barcode: null, category: null, favourite: false });
    expect(catalog.count()).toBe(30_001);
  });
});

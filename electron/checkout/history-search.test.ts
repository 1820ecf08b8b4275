/**
 * History's text filter through the journal's FTS5 trigram index: it must answer exactly what the old
 * `LIKE '%text%'` answered (a substring of the sale's search text, any case), follow every change of
 * that text, and take the index rather than reading every sale.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { history } from './history';
import { Journal } from './journal';

let dir: string | null = null;
let journal: Journal | null = null;
afterEach(() => {
  journal?.close();
  journal = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

const TEXTS = [
  'agua mineral 500ml caja-0001-1 80000054321',
  'alfajor triple havanna caja-0002-1 80000054322',
  'yerba mate playadito 1kg caja-0003-1 80000012345',
  'leche "la serenísima" 1l caja-0004-1',
  'descuento 50% off_promo caja-0005-1',
  'café molido caja-0006-1 80000099999',
];

function open(): Journal {
  dir = mkdtempSync(join(tmpdir(), 'caja-history-search-'));
  journal = new Journal(join(dir, 'journal.sqlite'));
  const insert = journal.db.prepare(
    `INSERT INTO sales (id, created_at, updated_at, day, state, total, site, currency, cart_discount, register, terminal_id, family,
      current_attempt_id, external_reference, cancellable, message, error_code, search_text)
     VALUES (?, ?, ?, '2026-12-01', 'approved', 1500, 'MLA', 'ARS', 0, 'R1', 'T1', 'intents', NULL, NULL, 0, NULL, NULL, ?)`,
  );
  TEXTS.forEach((text, i) => insert.run(`sale-${i}`, 1000 + i, 1000 + i, text));
  return journal;
}

const found = (j: Journal, text: string) =>
  history(j, { text, limit: 50, offset: 0 })
    .items.map((s) => s.id)
    .sort();
const expected = (text: string) =>
  TEXTS.flatMap((t, i) => (t.includes(text.trim().toLowerCase()) ? [`sale-${i}`] : [])).sort();

describe('history text search (FTS5)', () => {
  it('finds exactly the sales whose text holds the words, as LIKE did', () => {
    const j = open();
    for (const text of ['80000054321', '8000005432', 'caja-000', 'AGUA', 'mate play', 'havanna', '"la seren', '50%', 'off_', 'zzz', 'é mo', 'ca', 'a', '1']) {
      expect(found(j, text), text).toEqual(expected(text));
    }
  });

  it('follows the text when a sale changes and when a sale is added', () => {
    const j = open();
    j.updateSale('sale-1', { search_text: 'alfajor simple jorgito caja-0002-1' });
    expect(found(j, 'havanna')).toEqual([]);
    expect(found(j, 'jorgito')).toEqual(['sale-1']);
    j.db
      .prepare(
        `INSERT INTO sales (id, created_at, updated_at, day, state, total, site, currency, cart_discount, register, cancellable, search_text)
         VALUES ('late', 9, 9, '2026-12-01', 'approved', 100, 'MLA', 'ARS', 0, 'R1', 0, 'jorgito negro')`,
      )
      .run();
    expect(found(j, 'jorgito')).toEqual(['late', 'sale-1']);
  });

  it('answers from the index, not by reading every sale', () => {
    const j = open();
    const plan = j.db
      .prepare('EXPLAIN QUERY PLAN SELECT rowid FROM sales_fts WHERE sales_fts MATCH ?')
      .all('"80000054321"') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/VIRTUAL TABLE INDEX/);
    const count = j.db.prepare("SELECT COUNT(*) AS n FROM sales_fts WHERE sales_fts MATCH '\"caja-000\"'").get() as { n: number };
    expect(count.n).toBe(TEXTS.length);
  });
});

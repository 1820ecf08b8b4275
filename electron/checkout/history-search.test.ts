/**
 * History's text filter through the journal's FTS5 trigram index: it must answer exactly what the old
 * `LIKE '%text%'` answered (a substring of the sale's search text, any case), follow every change of
 * that text, and take the index rather than reading every sale.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
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

  /**
   * The index is external content keyed by sales' implicit rowids, which SQLite documents VACUUM "may
   * change" for a table without an INTEGER PRIMARY KEY. A backup (`sales.backup`: VACUUM INTO), a data
   * folder move (VACUUM INTO), a restore (the copy put back) and a VACUUM must all leave it pointing at
   * the same sales, gaps from removed sales included. They do (VACUUM copies rowids as they are), so
   * nothing rebuilds it; this test is what says so, and fails if a SQLite ever renumbers.
   */
  it('still finds the same sales after a backup is restored and after a VACUUM', () => {
    const j = open();
    // Gaps in the rowids: where a renumbering would show.
    j.db.prepare("DELETE FROM sales WHERE id IN ('sale-0', 'sale-2')").run();
    const queries = ['80000054322', 'caja-000', 'jorgito', 'café', 'off_'];
    j.updateSale('sale-3', { search_text: 'leche jorgito caja-0004-1' });
    const before = queries.map((q) => found(j, q));
    expect(before[2]).toEqual(['sale-3']);
    const inStep = (db: DatabaseSync) => db.exec("INSERT INTO sales_fts(sales_fts, rank) VALUES ('integrity-check', 1)");

    // The backup, made as sales.backup makes it: a read-only connection beside the open journal.
    const path = join(dir!, 'journal.sqlite');
    const backup = join(dir!, 'backup.sqlite');
    const reader = new DatabaseSync(path, { readOnly: true });
    reader.exec(`VACUUM INTO '${backup}'`);
    reader.close();

    // Restored: the till closed, the copy put in the journal's place, the till opened again.
    j.close();
    rmSync(`${path}-wal`, { force: true });
    rmSync(`${path}-shm`, { force: true });
    copyFileSync(backup, path);
    journal = new Journal(path);
    expect(() => inStep(journal!.db)).not.toThrow();
    expect(queries.map((q) => found(journal!, q))).toEqual(before);

    // A VACUUM in place (what support might run on a bloated file).
    journal.db.exec('VACUUM');
    expect(() => inStep(journal!.db)).not.toThrow();
    expect(queries.map((q) => found(journal!, q))).toEqual(before);
    // And the triggers still follow writes afterwards.
    journal.updateSale('sale-5', { search_text: 'jorgito cafe caja-0006-1' });
    expect(found(journal, 'jorgito')).toEqual(['sale-3', 'sale-5']);
  });

  it('a renumbered copy would be caught: the check the test above relies on does fail on a stale index', () => {
    const j = open();
    j.db.prepare("DELETE FROM sales WHERE id = 'sale-0'").run();
    // What a renumbering does to the index: content rows move under it without the triggers.
    j.db.exec('DROP TRIGGER sales_fts_update');
    j.db.prepare("UPDATE sales SET search_text = 'otra cosa' WHERE id = 'sale-1'").run();
    expect(() => j.db.exec("INSERT INTO sales_fts(sales_fts, rank) VALUES ('integrity-check', 1)")).toThrow();
  });
});

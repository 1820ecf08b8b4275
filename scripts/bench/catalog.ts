/**
 * Catalog search on 50,000 products, as a cashier types: each prefix of a few real queries is one
 * call. Printed beside a floor (a bare `filter`/`includes` over the same names, no accents, ranking or
 * codes), because on a shared 2-core machine the ratio is steadier than the milliseconds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { pathToFileURL } from 'node:url';
import { openCatalog } from '../../electron/catalog/catalog-store';
import { syntheticProducts, toCsv } from '../../electron/catalog/synthetic-catalog';

const N = 50_000;
const LIMIT = 50;
const ROUNDS = 20;
const TYPED = [
  'leche entera seren',
  'cafe molido',
  'yerba playadito 1kg',
  'alfajor triple',
  'SYN-0432',
  '2000000041',
  'jabon en polvo skip',
  'z',
];

/** Every prefix of every query, the calls a search box makes while typing. */
const KEYSTROKES = TYPED.flatMap((q) => Array.from({ length: q.length }, (_, i) => q.slice(0, i + 1)));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function time(run: (q: string) => unknown): {
  p50: number;
  p95: number;
  max: number;
} {
  for (const q of KEYSTROKES) run(q); // warm the JIT before measuring
  const samples: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const q of KEYSTROKES) {
      const t = performance.now();
      run(q);
      samples.push(performance.now() - t);
    }
  }
  samples.sort((a, b) => a - b);
  return {
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    max: samples[samples.length - 1] ?? NaN,
  };
}

const ms = (n: number) => `${n.toFixed(3)} ms`;

export async function benchCatalog(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'caja-bench-catalog-'));
  try {
    const products = syntheticProducts(N);
    const started = performance.now();
    const catalog = openCatalog(join(dir, 'catalog.sqlite'));
    await catalog.importCommit(toCsv(products), 'MLA');
    const importMs = performance.now() - started;
    catalog.close();

    // Floor for a reopen: reading the same rows from SQLite into objects, no index at all.
    const rawStart = performance.now();
    const raw = new DatabaseSync(join(dir, 'catalog.sqlite'));
    const rawRows = raw
      .prepare('SELECT id, name, price, sku, barcode, category, favourite, search_key FROM products')
      .all().length;
    raw.close();
    const rawMs = performance.now() - rawStart;

    // A second floor: the read the index itself makes (rows as arrays, in display order through the
    // covering index), so what the index adds on top of SQLite shows on its own.
    const ownStart = performance.now();
    const own = new DatabaseSync(join(dir, 'catalog.sqlite'));
    const ownRead = own.prepare(
      'SELECT id, name, price, sku, barcode, category, favourite, search_key FROM products ORDER BY favourite DESC, search_key, id',
    );
    ownRead.setReturnArrays(true);
    ownRead.all();
    own.close();
    const ownMs = performance.now() - ownStart;

    const reopenStart = performance.now();
    const reopened = openCatalog(join(dir, 'catalog.sqlite'));
    const openMs = performance.now() - reopenStart;

    // The barcode and SKU maps are built by the first code lookup, not by the reopen: the first scan
    // after opening pays for them once.
    const firstLookupStart = performance.now();
    reopened.lookup(products[31_337]!.barcode);
    const firstLookupMs = performance.now() - firstLookupStart;
    const search = time((q) => reopened.search(q, LIMIT));
    const lookup = time(() => reopened.lookup(products[31_337]!.barcode));
    // An edit patches the index in place: the search right after it costs what a search with no edit
    // costs (the floor, measured alternately with it so both see the same machine).
    const inline: number[] = [];
    const noEdit: number[] = [];
    for (let i = 0; i < 40; i++) {
      const p = reopened.lookup(products[i * 997]!.sku)!;
      reopened.upsert({ ...p, name: `${p.name} x` });
      let t = performance.now();
      reopened.search('leche ent', LIMIT);
      inline.push(performance.now() - t);
      t = performance.now();
      reopened.search('leche ent', LIMIT);
      noEdit.push(performance.now() - t);
    }
    inline.sort((a, b) => a - b);
    noEdit.sort((a, b) => a - b);
    const names = products.map((p) => p.name.toLowerCase());
    const floor = time((q) => {
      const needle = q.toLowerCase();
      return names.filter((n) => n.includes(needle)).slice(0, LIMIT);
    });
    reopened.close();

    console.log(`catalog: ${N} products, CSV import + index ${ms(importMs)}`);
    console.log(
      `reopen   load + index ${ms(openMs)}   floor (SQLite rows into objects, ${rawRows}) ${ms(rawMs)}   ratio ${(openMs / rawMs).toFixed(2)}×   budget < 200 ms: ${openMs < 200 ? 'met' : rawMs >= 200 && openMs <= rawMs * 1.1 ? 'floor over budget, within 10%' : 'NOT met'}`,
    );
    console.log(
      `         the index's own read (arrays, display order) ${ms(ownMs)}: the index adds ${ms(openMs - ownMs)} on top of it`,
    );
    console.log(`         first barcode lookup after the reopen (builds the barcode and SKU maps) ${ms(firstLookupMs)}`);
    console.log(
      `search   (${KEYSTROKES.length} keystrokes × ${ROUNDS}): p50 ${ms(search.p50)}  p95 ${ms(search.p95)}  max ${ms(search.max)}`,
    );
    console.log(`floor    filter+includes:            p50 ${ms(floor.p50)}  p95 ${ms(floor.p95)}  max ${ms(floor.max)}`);
    console.log(`ratio    search/floor p95: ${(search.p95 / floor.p95).toFixed(2)}×   (budget: p95 well under 5 ms)`);
    const editP50 = percentile(inline, 50);
    const noEditP50 = percentile(noEdit, 50);
    console.log(
      `edit     search right after an upsert: p50 ${ms(editP50)}  p95 ${ms(percentile(inline, 95))}   floor (same search, no edit) p50 ${ms(noEditP50)}   ratio ${(editP50 / noEditP50).toFixed(2)}×   budget < 16 ms: ${percentile(inline, 95) < 16 ? 'met' : 'NOT met'}`,
    );
    console.log(`lookup   barcode: p50 ${ms(lookup.p50)}  p95 ${ms(lookup.p95)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchCatalog();
}

/**
 * Checkout engine benchmark: journal append latency (synchronous=FULL) beside a raw node:sqlite
 * insert with the same pragmas, start-up over 100,000 historical sales beside a raw open+count, and
 * the delay from a terminal's state change in the simulator to the engine's event beside the poll
 * interval. Prints figures and budgets; never passes or fails.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DatabaseSync } from 'node:sqlite';
import { pathToFileURL } from 'node:url';
import { createCheckoutEngine, DEFAULT_TIMING } from '../../electron/checkout/engine';
import { Journal } from '../../electron/checkout/journal';
import { SimControl, startSimulator } from '../../electron/simulator/index';
import { DEMO_ACCOUNT } from '../../electron/simulator/seed';

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (v: number) => `${v.toFixed(2)} ms`;

function benchAppend(dir: string): void {
  const n = 1000;
  const journal = new Journal(join(dir, 'append.sqlite'));
  const journalTimes: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    journal.tx(() =>
      journal.appendEvent({
        at: Date.now(),
        saleId: 'bench',
        kind: 'state',
        state: 'processing',
        reason: { code: 'processing', params: {} },
        data: { i },
      }),
    );
    journalTimes.push(performance.now() - t0);
  }
  journal.close();

  const raw = new DatabaseSync(join(dir, 'raw.sqlite'));
  raw.exec('PRAGMA journal_mode = WAL');
  raw.exec('PRAGMA synchronous = FULL');
  raw.exec('CREATE TABLE t (seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER, detail TEXT)');
  const insert = raw.prepare('INSERT INTO t (at, detail) VALUES (?, ?)');
  const rawTimes: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    insert.run(Date.now(), 'The customer is paying…');
    rawTimes.push(performance.now() - t0);
  }
  raw.close();

  journalTimes.sort((a, b) => a - b);
  rawTimes.sort((a, b) => a - b);
  console.log(`journal append (${n}, one durable transaction each, synchronous=FULL)`);
  console.log(`  engine journal  p50 ${ms(pct(journalTimes, 50))}  p99 ${ms(pct(journalTimes, 99))}`);
  console.log(`  raw node:sqlite p50 ${ms(pct(rawTimes, 50))}  p99 ${ms(pct(rawTimes, 99))}`);
  console.log(
    `  ratio p50 ${(pct(journalTimes, 50) / pct(rawTimes, 50)).toFixed(2)}x  p99 ${(pct(journalTimes, 99) / pct(rawTimes, 99)).toFixed(2)}x   budget: p99 < 10 ms`,
  );
}

/** 100,000 settled sales with a line, an attempt and an event each, generated inside SQLite in one transaction. */
function seedHistory(path: string, count: number): void {
  const journal = new Journal(path);
  const now = Date.now();
  const db = journal.db;
  db.exec('BEGIN');
  db.exec(
    `CREATE TEMP TABLE n AS WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${count}) SELECT i FROM c`,
  );
  const at = `(${now} - (${count} - i) * 60000)`;
  const id = `printf('%08x-0000-4000-8000-%012x', i, i)`;
  const ref = `printf('CAJA-%08x000040008000%012x-1', i, i)`;
  db.exec(`INSERT INTO sales (id, created_at, updated_at, day, state, total, site, currency, cart_discount, register, terminal_id, family,
      current_attempt_id, external_reference, payment_id, card_brand, card_last4, refunded_amount, expires_at, cancellable, message, error_code, search_text)
    SELECT ${id}, ${at}, ${at}, date(${at} / 1000, 'unixepoch', 'localtime'), 'approved', 1000 + i % 5000, 'MLA', 'ARS', 0, 'R1',
      'PAX_A910__SMARTPOS1234567890', 'intents', ${id} || '-a', ${ref}, CAST(80000000000 + i AS TEXT), 'visa', '4242', 0, NULL, 0,
      'Payment approved.', NULL, 'alfajor ' || lower(${ref}) || ' ' || CAST(80000000000 + i AS TEXT) FROM n`);
  db.exec(`INSERT INTO sale_lines (sale_id, position, product_id, sku, name, unit_price, quantity, discount)
    SELECT ${id}, 0, NULL, NULL, 'Alfajor', 1000 + i % 5000, 1, 0 FROM n`);
  db.exec(`INSERT INTO attempts (id, sale_id, seq, terminal_id, family, amount, description, idempotency_key, external_reference, charge_id,
      charge_state, payment_id, order_payment_id, state, settled, created_at, sent_at, expires_at, settled_at, cancel_requested_at, cancel_reason)
    SELECT ${id} || '-a', ${id}, 1, 'PAX_A910__SMARTPOS1234567890', 'intents', 1000 + i % 5000, 'Alfajor', ${id} || '-key', ${ref},
      ${id} || '-intent', 'FINISHED', CAST(80000000000 + i AS TEXT), NULL, 'approved', 1, ${at}, ${at}, ${at} + 300000, ${at} + 5000, NULL, NULL FROM n`);
  db.exec(`INSERT INTO events (at, sale_id, attempt_id, refund_id, kind, state, detail, data)
    SELECT ${at}, ${id}, ${id} || '-a', NULL, 'settled', 'approved', 'Payment approved.', NULL FROM n`);
  db.exec('DROP TABLE n');
  db.exec('COMMIT');
  journal.close();
}

async function benchStartup(dir: string, baseUrl: string): Promise<void> {
  const path = join(dir, 'history.sqlite');
  const count = 100_000;
  const t0 = performance.now();
  seedHistory(path, count);
  console.log(
    `\nstart-up with ${count.toLocaleString('en')} historical sales (seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );
  const engineTimes: number[] = [];
  const rawTimes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const r0 = performance.now();
    const raw = new DatabaseSync(path);
    raw.exec('PRAGMA journal_mode = WAL');
    raw.prepare('SELECT COUNT(*) AS n FROM sales').get();
    raw.close();
    rawTimes.push(performance.now() - r0);

    const e0 = performance.now();
    const engine = createCheckoutEngine({
      journalPath: path,
      baseUrl,
      getToken: () => DEMO_ACCOUNT.token,
      site: 'MLA',
      register: 'R1',
    });
    await engine.ready;
    engineTimes.push(performance.now() - e0);
    if (i === 0) {
      // Text search over every sale (the journal's FTS5 index) beside the first page with no filter,
      // alternated so both see the same machine; the first of each warms the statements.
      const firstPage: number[] = [];
      const textSearch: number[] = [];
      let total = 0;
      let hits = 0;
      for (let r = 0; r < 12; r++) {
        const h0 = performance.now();
        total = engine.history({ limit: 100 }).total;
        const h1 = performance.now();
        hits = engine.history({ text: String(80000000000 + 54321 + r), limit: 100 }).total;
        const h2 = performance.now();
        if (r > 1) {
          firstPage.push(h1 - h0);
          textSearch.push(h2 - h1);
        }
      }
      firstPage.sort((a, b) => a - b);
      textSearch.sort((a, b) => a - b);
      const text = pct(textSearch, 50);
      const floor = pct(firstPage, 50);
      console.log(
        `  history text search over ${total.toLocaleString('en')} sales: median ${ms(text)}  worst ${ms(textSearch[textSearch.length - 1]!)} (${hits} hit)   floor (first page, no filter) ${ms(floor)}   ratio ${(text / floor).toFixed(2)}x   budget < 20 ms: ${text < 20 ? 'met' : 'NOT met'}`,
      );
    }
    await engine.close();
  }
  engineTimes.sort((a, b) => a - b);
  rawTimes.sort((a, b) => a - b);
  console.log(`  engine create + ready  median ${ms(pct(engineTimes, 50))}  worst ${ms(engineTimes[engineTimes.length - 1]!)}`);
  console.log(`  raw open + count       median ${ms(pct(rawTimes, 50))}  worst ${ms(rawTimes[rawTimes.length - 1]!)}`);
  console.log(`  ratio ${(pct(engineTimes, 50) / pct(rawTimes, 50)).toFixed(2)}x   budget: start-up < 300 ms`);
}

async function benchEventLatency(dir: string): Promise<void> {
  const sim = await startSimulator({
    port: 0,
    timing: { toTerminalMs: 50, customerMs: 1000, processingMs: 0, customer: 'manual' },
  });
  const control = new SimControl(sim.baseUrl);
  const engine = createCheckoutEngine({
    journalPath: join(dir, 'latency.sqlite'),
    baseUrl: sim.baseUrl,
    getToken: () => DEMO_ACCOUNT.token,
    site: 'MLA',
    register: 'R1',
  });
  await engine.ready;
  const poll = DEFAULT_TIMING.pollFastMs;
  const samples: number[] = [];
  const terminals = ['PAX_A910__SMARTPOS1234567890', 'NEWLAND_N950__N950NCB000000001', 'caja-1'];
  try {
    for (let i = 0; i < 9; i++) {
      const terminalId = terminals[i % terminals.length]!;
      const sale = await engine.charge({
        cart: {
          lines: [{ productId: null, sku: null, name: 'Bench', unitPrice: 10_000, quantity: 1, discount: 0 }],
          cartDiscount: 0,
        },
        terminalId,
      });
      await until(() => engine.get(sale.id).state === 'at_terminal');
      // Let the poller fall into an arbitrary phase of its cycle, as a real customer would.
      await new Promise((r) => setTimeout(r, 200 + Math.random() * poll));
      let resolveSeen!: (t: number) => void;
      const seen = new Promise<number>((r) => (resolveSeen = r));
      const off = engine.onSaleChanged((s) => {
        if (s.id === sale.id && s.state === 'approved') resolveSeen(performance.now());
      });
      await control.customer(terminalId, 'approve');
      const changedAt = performance.now();
      samples.push((await seen) - changedAt);
      off();
    }
  } finally {
    await engine.close();
    await sim.close();
  }
  samples.sort((a, b) => a - b);
  console.log(`\nsimulator state change → engine event (${samples.length} charges over the three families)`);
  console.log(
    `  p50 ${ms(pct(samples, 50))}  max ${ms(samples[samples.length - 1]!)}  poll interval ${poll} ms   budget: ≤ ${poll + 100} ms`,
  );
}

async function until(pred: () => boolean): Promise<void> {
  const end = Date.now() + 20_000;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out waiting for the terminal');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function benchEngine(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'caja-bench-engine-'));
  const sim = await startSimulator({ port: 0 });
  try {
    benchAppend(dir);
    await benchStartup(dir, sim.baseUrl);
    await benchEventLatency(dir);
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchEngine();
}

/**
 * Outbox sync benchmark: how fast tills' journal events reach one PostgreSQL, for 1, 10 and 50
 * simulated registers pushing at once, beside a floor from the same run (a plain INSERT loop of the
 * same rows, one statement per event, on one connection) and the ratio; then the budget: 50
 * registers each making one sale every 10 s keep the shop's pending events under 100.
 *
 * Simulated registers: real journal files (node:sqlite, the journal's own schema and migrations),
 * written through the journal's own write API (`Journal.insertSale`, `replaceLines`, `updateSale`,
 * `appendEvent`, in one transaction per step as the engine does), five events per sale like an
 * approved charge — not through the engine and Mercado Pago, which would measure the simulator. The
 * outboxes are the real ones (`startOutbox`, own pool per register). Needs PostgreSQL like the tests.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { journalApprovedSale } from '../../electron/test-kits/journal-sales';
import type { SaleView } from '../../shared/contract';
import type { CheckoutEngine } from '../../electron/checkout/engine-api';
import { Journal } from '../../electron/checkout/journal';
import { silentLogger } from '../../electron/ground/logger';
import { openOutboxJournal, type OutboxJournal } from '../../electron/shop/outbox-journal';
import { startOutbox, type Outbox } from '../../electron/shop/outbox';
import type { ShopDb } from '../../electron/shop/shop-db';
import { registerTill } from '../../electron/shop/till-registration';
import { openBenchShopDb, scratchShopDatabase } from './shop-bench-kit';

const SHOP = 'bench-shop';
const EVENTS_PER_SALE = 5;

interface Register {
  tillId: string;
  journal: Journal;
  reader: OutboxJournal;
  db: ShopDb;
  outbox: Outbox | null;
  /** What the outbox hears from "the engine": the journal's sale changes. */
  saleChanged: Set<(sale: SaleView) => void>;
}

/** One sale as the engine journals an approved charge (electron/test-kits/journal-sales.ts), one write per event. */
function journalSale(r: Register, n: number): void {
  const id = journalApprovedSale(r.journal, n, { register: 'R', transactionPerEvent: true });
  for (const l of r.saleChanged) l({ id } as SaleView);
}

async function openRegister(url: string, dir: string, i: string): Promise<Register> {
  const tillId = randomUUID();
  const path = join(dir, `journal-${i}.sqlite`);
  const journal = new Journal(path);
  const db = await openBenchShopDb(url, { max: 2 });
  await registerTill(db, { shopId: SHOP, shopName: 'Bench', tillId, tillName: `Till ${i}` });
  return { tillId, journal, reader: openOutboxJournal(path), db, outbox: null, saleChanged: new Set() };
}

function startRegisterOutbox(r: Register): Outbox {
  const engine = {
    onSaleChanged: (l: (sale: SaleView) => void) => (r.saleChanged.add(l), () => r.saleChanged.delete(l)),
  } as unknown as CheckoutEngine;
  r.outbox = startOutbox(
    { db: r.db, shopId: SHOP, tillId: r.tillId, tillName: r.tillId, log: silentLogger },
    { engine, catalog: null as never, journalPath: '', changed: () => undefined },
    r.reader,
    { tickMs: 1000 },
  );
  return r.outbox;
}

async function closeRegister(r: Register): Promise<void> {
  await r.outbox?.stop();
  r.reader.close();
  r.journal.close();
  await r.db.close();
}

/** The same rows, one INSERT each, on one connection: what a naive sync would do. */
async function insertLoopFloor(url: string, registers: Register[]): Promise<{ events: number; ms: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(
      'CREATE TEMP TABLE floor_events (till_id TEXT, seq BIGINT, sale_id TEXT, kind TEXT, state TEXT, at TIMESTAMPTZ, data JSONB, PRIMARY KEY (till_id, seq))',
    );
    const rows = registers.flatMap((r) => r.reader.readBatch(0, 1_000_000).events.map((e) => ({ ...e, till: r.tillId })));
    const t0 = performance.now();
    for (const e of rows) {
      await c.query('INSERT INTO floor_events VALUES ($1, $2, $3, $4, $5, to_timestamp($6 / 1000.0), $7)', [
        e.till,
        e.seq,
        e.sale_id,
        e.kind,
        e.state,
        e.at,
        e.data,
      ]);
    }
    return { events: rows.length, ms: performance.now() - t0 };
  } finally {
    await c.end();
  }
}

async function throughput(url: string, dir: string, count: number, salesEach: number): Promise<void> {
  const registers: Register[] = [];
  try {
    for (let i = 0; i < count; i++) registers.push(await openRegister(url, dir, `${count}-${i}`));
    for (const r of registers) for (let n = 0; n < salesEach; n++) journalSale(r, n);
    const total = registers.length * salesEach * EVENTS_PER_SALE;
    const floor = await insertLoopFloor(url, registers);
    const t0 = performance.now();
    await Promise.all(registers.map((r) => startRegisterOutbox(r).flush()));
    const took = performance.now() - t0;
    const pending = registers.reduce((n, r) => n + r.reader.countAfter(r.reader.pushedSeq()), 0);
    const rate = (total / took) * 1000;
    const floorRate = (floor.events / floor.ms) * 1000;
    console.log(
      `  ${String(count).padStart(2)} register(s) × ${salesEach} sales (${total} events): ${rate.toFixed(0)} events/s (${took.toFixed(0)} ms)` +
        `   floor INSERT loop ${floorRate.toFixed(0)} events/s   ratio ${(rate / floorRate).toFixed(1)}x${pending ? `   (${pending} left!)` : ''}`,
    );
  } finally {
    for (const r of registers) await closeRegister(r).catch(() => undefined);
  }
}

/** 50 registers, one sale every 10 s each (staggered), for `seconds`: the largest backlog seen. */
async function budget(url: string, dir: string, seconds: number): Promise<void> {
  const registers: Register[] = [];
  try {
    for (let i = 0; i < 50; i++) registers.push(await openRegister(url, dir, `budget-${i}`));
    registers.forEach(startRegisterOutbox);
    let maxPending = 0;
    let sales = 0;
    const sampler = setInterval(() => {
      const pending = registers.reduce((n, r) => n + r.reader.countAfter(r.reader.pushedSeq()), 0);
      maxPending = Math.max(maxPending, pending);
    }, 50);
    const timers = registers.map((r, i) =>
      setTimeout(
        () => {
          const tick = () => {
            journalSale(r, sales++);
          };
          tick();
          timers.push(setInterval(tick, 10_000) as unknown as NodeJS.Timeout);
        },
        (i * 10_000) / 50,
      ),
    );
    await new Promise((r) => setTimeout(r, seconds * 1000));
    timers.forEach((t) => clearTimeout(t));
    await Promise.all(registers.map((r) => r.outbox!.flush()));
    clearInterval(sampler);
    console.log(
      `  budget: 50 registers × 1 sale / 10 s for ${seconds} s (${sales} sales, ${sales * EVENTS_PER_SALE} events): max pending ${maxPending}   budget < 100: ${maxPending < 100 ? 'met' : 'NOT met'}`,
    );
  } finally {
    for (const r of registers) await closeRegister(r).catch(() => undefined);
  }
}

export async function benchShopSync(): Promise<void> {
  const db = await scratchShopDatabase('shop sync');
  if (!db) return;
  const dir = mkdtempSync(join(tmpdir(), 'caja-bench-sync-'));
  try {
    console.log('outbox sync throughput (every register pushing its backlog at once, batches of 500)');
    await throughput(db.url, dir, 1, 400);
    await throughput(db.url, dir, 10, 100);
    await throughput(db.url, dir, 50, 40);
    await budget(db.url, dir, 30);
  } finally {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The whole-shop history, live: two tills of one shop on one scratch PostgreSQL. Till 1's outbox pushes
 * a day's worth of sales in many batches (each batch one `caja_sales` notification at its COMMIT); Till
 * 2's shop history tells its screen once per burst, after the last push, so a page read then holds
 * every sale. The folding itself is checked on its own with a steady stream (fake timers).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SiteId } from '../../shared/money';
import { Journal } from '../checkout/journal';
import { silentLogger } from '../ground/logger';
import { INSTANT } from '../simulator/test-kit';
import { startKit, TOKEN, type Kit } from '../test-kits/engine-test-kit';
import { journalApprovedSale } from '../test-kits/journal-sales';
import { describeWithPg, dropConnections, freshDatabase, openTestShopDb, type ScratchDatabase } from '../test-kits/pg-test-kit';
import { startOutbox, type Outbox } from './outbox';
import { openOutboxJournal } from './outbox-journal';
import type { ShopDb } from './shop-db';
import { coalesce } from './shop-history-live';
import { createShopHistorySlot, startShopHistory, type ShopHistory } from './shop-history';
import { registerTill } from './till-registration';

const BATCH = 100;
const EVENTS_PER_SALE = 5;

interface Till {
  name: string;
  journal: Journal;
  db: ShopDb;
  outbox: Outbox;
  history: ShopHistory;
  /** What the till's screen was told (`shop.salesChanged`'s `notifications`, one entry per event). */
  told: number[];
  /** The whole-shop total read the moment each event came. */
  totalWhenTold: Promise<number>[];
}

let kit: Kit;
let scratch: ScratchDatabase;
const tills: Till[] = [];

beforeEach(async () => {
  kit = await startKit(INSTANT);
  scratch = await freshDatabase();
});
afterEach(async () => {
  for (const t of tills.splice(0)) {
    await t.history.stop();
    await t.outbox.stop();
    t.journal.close();
    await t.db.close();
  }
  await kit.close();
  await scratch.drop();
});

async function till(name: string, shopId = 'shop-1'): Promise<Till> {
  const journalPath = join(kit.dir, `${name.replace(/\W/g, '')}.sqlite`);
  const engine = await kit.engine({ journalPath, register: name });
  const db = await openTestShopDb(scratch.url);
  const tillId = randomUUID();
  await registerTill(db, { shopId, shopName: 'Almacén', tillId, tillName: name });
  const ctx = { db, shopId, tillId, tillName: name, log: silentLogger };
  // Pushed only when the test flushes: one drain is one burst.
  const outbox = startOutbox(ctx, { engine, catalog: null as never, journalPath, changed: () => undefined }, openOutboxJournal(journalPath), {
    batchSize: BATCH,
    tickMs: 600_000,
  });
  const told: number[] = [];
  const totalWhenTold: Promise<number>[] = [];
  const slot = createShopHistorySlot((notifications) => {
    told.push(notifications);
    totalWhenTold.push(slot.current()!.history({ scope: 'shop', limit: 1 }).then((page) => page.total));
  });
  // Slow folding (quiet 1.5 s) so that one drain's batches, pushed back to back, are surely one burst.
  const history = startShopHistory(
    ctx,
    { engine, journalPath, mercadoPago: { baseUrl: kit.sim.baseUrl, getToken: () => TOKEN, site: 'MLA' as SiteId }, salesFeed: { quietMs: 1_500, maxWaitMs: 60_000 } },
    slot,
  );
  const t: Till = { name, journal: new Journal(journalPath), db, outbox, history, told, totalWhenTold };
  tills.push(t);
  return t;
}

/** One approved sale as the engine journals it (electron/test-kits/journal-sales.ts). */
function journalSale(t: Till, n: number): void {
  journalApprovedSale(t.journal, n, { register: t.name });
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Every till's LISTEN is in place (the server's view: an idle session whose last statement it was). */
async function listening(): Promise<void> {
  const db = tills[0]!.db;
  await expect
    .poll(
      async () =>
        Number(
          (await db.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND query = 'LISTEN caja_sales'`, [scratch.name]))[0]!.n,
        ),
      { timeout: 10_000 },
    )
    .toBe(tills.length);
}

describeWithPg('whole-shop history, live', () => {
  it("tells Till 2 once for Till 1's 500-sale sync, after its last push; once more for the next sale", async () => {
    const a = await till('Till 1');
    const b = await till('Till 2');
    await listening();
    for (let n = 0; n < 500; n++) journalSale(a, n);
    await a.outbox.flush();
    const batches = Math.ceil((500 * EVENTS_PER_SALE) / BATCH);

    // Every batch's notification reached Till 2 (counted in what it was told)…
    await expect.poll(() => sum(b.told), { timeout: 20_000 }).toBe(batches);
    // …folded into one event, told after the last push: the page read then has every sale.
    expect(b.told).toEqual([batches]);
    expect(await b.totalWhenTold[0]).toBe(500);
    // Till 1's own screen follows its pushes too (its rows in the shop's copy moved).
    await expect.poll(() => sum(a.told), { timeout: 20_000 }).toBe(batches);

    journalSale(a, 500);
    await a.outbox.flush();
    await expect.poll(() => b.told.length, { timeout: 20_000 }).toBe(2);
    expect(b.told[1]).toBe(1);
    expect(await b.totalWhenTold[1]).toBe(501);
  }, 90_000);

  it("does not tell a till about another shop's pushes on the same database", async () => {
    const b = await till('Till 2');
    const other = await till('Other shop till', 'shop-2');
    const a = await till('Till 1');
    await listening();
    journalSale(other, 1);
    await other.outbox.flush();
    // Pushed after the other shop's, on the same server: when it is told, the other's would have been too.
    journalSale(a, 2);
    await a.outbox.flush();
    await expect.poll(() => b.told.length, { timeout: 20_000 }).toBe(1);
    expect(b.told).toEqual([1]);
    expect(await b.totalWhenTold[0]).toBe(1);
  }, 60_000);
});

describeWithPg('whole-shop history, live, when the connection drops', () => {
  it('tells the screen once after its LISTEN comes back (pushes meanwhile were not heard), then follows pushes again', async () => {
    const b = await till('Till 2');
    const a = await till('Till 1');
    await listening();
    await dropConnections(scratch.name);
    // Nothing was pushed: this one event is the reconnect's (one per till that listens).
    await expect.poll(() => b.told.length, { timeout: 20_000 }).toBe(1);
    await listening();
    journalSale(a, 1);
    await a.outbox.flush();
    await expect.poll(() => b.told.length, { timeout: 20_000 }).toBe(2);
    expect(await b.totalWhenTold[1]).toBe(1);
  }, 60_000);
});

describe('coalesce', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('folds a burst into one call once it goes quiet', () => {
    const calls: number[] = [];
    const c = coalesce((n) => calls.push(n), { quietMs: 250, maxWaitMs: 1_000 });
    for (let i = 0; i < 5; i++) {
      c.poke();
      vi.advanceTimersByTime(20);
    }
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(250);
    expect(calls).toEqual([5]);
  });

  it('tells a steady stream at most once per maxWaitMs, losing none', () => {
    const calls: number[] = [];
    const c = coalesce((n) => calls.push(n), { quietMs: 250, maxWaitMs: 1_000 });
    // 500 pushes, one every 20 ms (10 s): never quiet for 250 ms.
    for (let i = 0; i < 500; i++) {
      c.poke();
      vi.advanceTimersByTime(20);
    }
    vi.advanceTimersByTime(1_000);
    expect(sum(calls)).toBe(500);
    expect(calls.length).toBeGreaterThanOrEqual(9);
    expect(calls.length).toBeLessThanOrEqual(11);
  });

  it('tells nothing after stop', () => {
    const calls: number[] = [];
    const c = coalesce((n) => calls.push(n));
    c.poke();
    c.stop();
    c.poke();
    vi.advanceTimersByTime(5_000);
    expect(calls).toEqual([]);
  });
});

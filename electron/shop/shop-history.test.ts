/**
 * Shop-wide history, reconciliation and refunds from any till, against a real PostgreSQL and real
 * charges (the simulator): two tills (two journals, two engines, two connections) of one shop, each
 * pushing its journal through its outbox, one reading the other's sales and refunding them.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SaleDetailSchema } from '../../shared/contract';
import { CajaError } from '../../shared/errors';
import type { SiteId } from '../../shared/money';
import type { TestableCheckoutEngine } from '../checkout/engine';
import { localDay } from '../checkout/history';
import { toWireError } from '../dispatch';
import { silentLogger } from '../ground/logger';
import { INSTANT } from '../simulator/test-kit';
import { cart, INTENT, ORDER, startKit, TOKEN, waitFinal, writes, type Kit } from '../test-kits/engine-test-kit';
import { describeWithPg, freshDatabase, type ScratchDatabase } from '../test-kits/pg-test-kit';
import { startOutbox, type Outbox } from './outbox';
import { openOutboxJournal } from './outbox-journal';
import { openShopDb, splitConnectionUrl, type ShopDb } from './shop-db';
import { SALE_EVENTS, startShopHistory, type ShopHistory } from './shop-history';
import { registerTill } from './till-registration';

const FAST_ENGINE = { pollFastMs: 10, pollSlowMs: 10, minReadIntervalMs: 0, searchDelayMs: 0, terminalCacheMs: 60_000 };
const SHOP = { shopId: 'shop-1', shopName: 'Almacén' };

interface Till {
  name: string;
  tillId: string;
  engine: TestableCheckoutEngine;
  journalPath: string;
  db: ShopDb;
  outbox: Outbox;
  history: ShopHistory;
}

let kit: Kit;
let scratch: ScratchDatabase;
const tills: Till[] = [];

beforeEach(async () => {
  kit = await startKit(INSTANT);
  await kit.control.faults({ readsPerSecond: null });
  scratch = await freshDatabase();
});
afterEach(async () => {
  for (const t of tills.splice(0)) {
    await t.history.stop();
    await t.outbox.stop();
    await t.db.close();
  }
  await kit.close();
  await scratch.drop();
});

async function till(name: string): Promise<Till> {
  const journalPath = join(kit.dir, `${name.replace(/\W/g, '')}.sqlite`);
  const engine = await kit.engine({ journalPath, register: name, timing: FAST_ENGINE });
  const { url, password } = splitConnectionUrl(scratch.url);
  const db = await openShopDb({ url, ssl: 'disable', caCert: null }, password, { log: silentLogger });
  const tillId = randomUUID();
  await registerTill(db, { ...SHOP, tillId, tillName: name });
  const ctx = { db, ...SHOP, tillId, tillName: name, log: silentLogger };
  const outbox = startOutbox(
    ctx,
    { engine, catalog: null as never, journalPath, changed: () => undefined },
    openOutboxJournal(journalPath),
    {
      tickMs: 100,
      retryMs: { min: 50, max: 400 },
    },
  );
  const history = startShopHistory(ctx, {
    engine,
    journalPath,
    mercadoPago: { baseUrl: kit.sim.baseUrl, getToken: () => TOKEN, site: 'MLA' as SiteId },
  });
  const t = { name, tillId, engine, journalPath, db, outbox, history };
  tills.push(t);
  return t;
}

async function sell(t: Till, amount: number, terminalId = INTENT): Promise<string> {
  const sale = await t.engine.charge({ cart: cart(amount), terminalId });
  expect((await waitFinal(t.engine, sale.id)).state).toBe('approved');
  await t.outbox.flush();
  return sale.id;
}

async function refundsAtMercadoPago(): Promise<number> {
  return writes(await kit.control.requests()).filter((r) => /\/refunds?$/.test(r.path)).length;
}

describeWithPg('shop-wide history', () => {
  it('lists the sales of every till of the shop, each with its till, and one till on its own', async () => {
    const a = await till('Till 1');
    const b = await till('Till 2');
    const a1 = await sell(a, 1100);
    const a2 = await sell(a, 1200, ORDER);
    const b1 = await sell(b, 1300);

    const shop = await b.history.history({ scope: 'shop' });
    expect(shop.total).toBe(3);
    expect(new Map(shop.items.map((s) => [s.id, s.tillName]))).toEqual(
      new Map([
        [a1, 'Till 1'],
        [a2, 'Till 1'],
        [b1, 'Till 2'],
      ]),
    );
    expect(shop.items.map((s) => s.total).sort()).toEqual([1100, 1200, 1300]);
    expect(shop.tills.map((t) => t.name)).toEqual(['Till 1', 'Till 2']);
    // The till's own history is still its journal alone.
    expect(b.engine.history({}).items.map((s) => s.id)).toEqual([b1]);

    const onlyA = await b.history.history({ scope: 'shop', tillId: a.tillId });
    expect(onlyA.items.map((s) => s.id).sort()).toEqual([a1, a2].sort());
    const byText = await a.history.history({ scope: 'shop', text: 'till 2' });
    expect(byText.items.map((s) => s.id)).toEqual([b1]);

    // Another till's sale, detailed from the shop's copy; this till's own from its journal.
    const detail = await b.history.detail(a1);
    expect(detail).toMatchObject({ id: a1, tillName: 'Till 1', state: 'approved', total: 1100, cancellable: false });
    expect((await b.history.detail(b1)).timeline.length).toBeGreaterThan(0);
  });

  it("shows another till's sale with the whole timeline that till shows: every attempt, its end, the refund, in order", async () => {
    const a = await till('Till 1');
    const b = await till('Till 2');
    // Rejected on one terminal (amount tail 02: declined), approved on the retry, then refunded, all on Till 1.
    const sale = await a.engine.charge({ cart: cart(1002), terminalId: INTENT });
    expect((await waitFinal(a.engine, sale.id)).state).toBe('rejected');
    await a.engine.charge({ cart: cart(1000), terminalId: ORDER, saleId: sale.id });
    expect((await waitFinal(a.engine, sale.id)).state).toBe('approved');
    await a.history.refund(sale.id, 400);
    await a.outbox.flush();

    const own = a.engine.detail(sale.id);
    const shop = await b.history.detail(sale.id);
    SaleDetailSchema.parse(shop);
    // Same entries, same codes and parameters, same times, same order: the renderer words them alike.
    expect(shop.timeline).toEqual(own.timeline);
    const kinds = shop.timeline.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'attempt_created')).toHaveLength(2);
    expect(kinds.indexOf('refund_approved')).toBeGreaterThan(kinds.lastIndexOf('attempt_created'));
    const states = shop.timeline.map((e) => e.state).filter(Boolean);
    expect(states.indexOf('rejected')).toBeLessThan(states.lastIndexOf('approved'));
    expect(shop.timeline.map((e) => e.reason.code)).toEqual(expect.arrayContaining(['declined', 'approved']));
    expect(shop).toMatchObject({ tillName: 'Till 1', state: 'approved', refundedAmount: 400 });

    // A refund of what is left made from Till 2 is journaled there: Till 3 sees Till 1's steps in
    // Till 1's order, and Till 2's adoption and refund after them.
    const c = await till('Till 3');
    await b.history.refund(sale.id);
    await b.outbox.flush();
    await a.outbox.flush();
    const ownNow = a.engine.detail(sale.id).timeline;
    const all = (await c.history.detail(sale.id)).timeline;
    const fromTill2 = b.engine.detail(sale.id).timeline;
    expect(all).toHaveLength(ownNow.length + fromTill2.length);
    expect(all.slice(0, ownNow.length)).toEqual(ownNow);
    expect(all.slice(ownNow.length)).toEqual(fromTill2);
    expect(all.at(-1)?.kind).toBe('refund_approved');

    // One sale's events, read through `events_by_sale` in its own order (no sort, no scan of the shop's
    // events); the planner is told off sequential scans since these few rows would otherwise fit one page.
    const plan = await c.db.tx(async (client) => {
      await client.query('SET LOCAL enable_seqscan = off');
      const r = await client.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${SALE_EVENTS}`, [SHOP.shopId, sale.id]);
      return JSON.stringify(r.rows[0]!['QUERY PLAN']);
    });
    expect(plan).toContain('"Index Name":"events_by_sale"');
    expect(plan).not.toContain('"Node Type":"Sort"');
  });

  it('reconciles a day of the whole shop against Mercado Pago and says which till a difference is on', async () => {
    const a = await till('Till 1');
    const b = await till('Till 2');
    const a1 = await sell(a, 2100);
    await sell(b, 2200);
    const paymentId = a.engine.get(a1).paymentId!;
    // A refund made in Mercado Pago's panel, which no till knows of: the shop's books differ from it.
    const res = await fetch(`${kit.sim.baseUrl}/v1/payments/${paymentId}/refunds`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'x-idempotency-key': randomUUID() },
      body: JSON.stringify({ amount: 5 }),
    });
    expect(res.status).toBe(201);

    const day = localDay(Date.now());
    const report = await b.history.reconcile(day);
    expect(report.journal).toMatchObject({ count: 2, approvedTotal: 4300, refundedTotal: 0 });
    expect(report.mercadoPago).toMatchObject({ count: 2, approvedTotal: 4300, refundedTotal: 500 });
    expect(report.differences).toEqual([
      expect.objectContaining({ kind: 'amount_mismatch', saleId: a1, amount: 500, tillName: 'Till 1' }),
    ]);

    const onlyB = await a.history.reconcile(day, b.tillId);
    expect(onlyB.journal.count).toBe(1);
    expect(onlyB.differences).toEqual([]);
  });

  it('refunds a sale of another till from this one, journaled here; the first till learns it from Mercado Pago', async () => {
    const a = await till('Till 1');
    const b = await till('Till 2');
    const a1 = await sell(a, 3100, ORDER);

    const detail = await b.history.refund(a1, 1000);
    expect(detail.refunds).toEqual([expect.objectContaining({ amount: 1000, state: 'approved' })]);
    expect(await refundsAtMercadoPago()).toBe(1);
    // The refund is in Till 2's journal, on a copy of Till 1's sale that says whose it is.
    const here = b.engine.detail(a1);
    expect(here).toMatchObject({ register: 'Till 1', refundedAmount: 1000 });
    expect(here.timeline.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['sale_adopted', 'refund_requested', 'refund_approved']),
    );
    // Till 1's journal never wrote it; it finds it at Mercado Pago, as a refund made elsewhere.
    expect(a.engine.get(a1).refundedAmount).toBe(0);
    expect((await a.engine.recheck(a1)).refundedAmount).toBe(1000);

    // The shop's row stays Till 1's sale, with what was refunded.
    await b.outbox.flush();
    const shop = await a.history.history({ scope: 'shop' });
    expect(shop.items).toEqual([expect.objectContaining({ id: a1, tillName: 'Till 1', refundedAmount: 1000 })]);
    // A second refund from Till 1 of what is left works, and no more than that.
    await a.history.refund(a1);
    await expect(b.history.refund(a1, 100)).rejects.toMatchObject({ code: 'NOT_REFUNDABLE' });
    expect(await refundsAtMercadoPago()).toBe(2);
  });

  it("with the shop server away, a till refunds its own sale as a single register would; another till's sale waits", async () => {
    const a = await till('Till 1');
    const b = await till('Till 2');
    const a1 = await sell(a, 5100);
    const b1 = await sell(b, 5200);
    // Till 2 loses its shop connection (its pool is gone: every query fails at once).
    await b.db.close();
    const own = await b.history.refund(b1, 1000);
    expect(own.refunds).toEqual([expect.objectContaining({ amount: 1000, state: 'approved' })]);
    expect((await b.history.detail(b1)).tillName).toBe('Till 2');
    // NETWORK with `server: shop`: the screen says the shop server is away and "This till" still works.
    const away = { code: 'NETWORK', details: { server: 'shop' } };
    await expect(b.history.refund(a1)).rejects.toMatchObject(away);
    await expect(b.history.history({ scope: 'shop' })).rejects.toMatchObject(away);
    await expect(b.history.detail(a1)).rejects.toMatchObject(away);
    expect(toWireError(await b.history.history({ scope: 'shop' }).catch((e: unknown) => e))).toMatchObject(away);
    // "This till" (the engine's journal, as services.ts routes it) does not wait on the server.
    expect(b.engine.history({}).items.map((s) => s.id)).toContain(b1);
    expect(await refundsAtMercadoPago()).toBe(1);
    // Reopened for afterEach, which closes it.
    const { url, password } = splitConnectionUrl(scratch.url);
    b.db = await openShopDb({ url, ssl: 'disable', caCert: null }, password, { log: silentLogger });
  });

  it('two tills refunding one sale at the same moment: exactly one refund reaches Mercado Pago', async () => {
    const a = await till('Till 1');
    const b = await till('Till 2');
    const c = await till('Till 3');
    const a1 = await sell(a, 4100);

    // Every answer of Mercado Pago slowed down: each till's look at what is left to refund overlaps the
    // others', so only the shop-wide claim can keep the second and third refund from being sent.
    await kit.control.faults({ latencyMs: 300 });
    const results = await Promise.allSettled([b.history.refund(a1), c.history.refund(a1), a.history.refund(a1)]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(2);
    for (const l of lost) {
      expect(l.reason).toBeInstanceOf(CajaError);
      // Refused by the claim (another till holds it) or, once the winner finished, by what is left.
      expect(['CONFLICT', 'NOT_REFUNDABLE']).toContain((l.reason as CajaError).code);
    }
    expect(await refundsAtMercadoPago()).toBe(1);
    // And the claim the winner held is settled: a later refund would be judged on what is left, not blocked.
    const claims = await a.db.query<{ state: string }>('SELECT state FROM refund_claims WHERE sale_id = $1', [a1]);
    expect(claims.map((r) => r.state).filter((s) => s !== 'released')).toEqual(['approved']);
  });
});

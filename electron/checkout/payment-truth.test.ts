/**
 * Issue 10's findings, each as a regression test against the simulator: nothing settled without
 * evidence, no sale without a way out. Every test ends by asking the simulator (`/__sim/`) how many
 * payments exist. No test measures time: where the engine must outlast its old patience, the test
 * counts the engine's looks at Mercado Pago instead.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SaleView } from '../../shared/contract';
import type { CajaError } from '../../shared/errors';
import type { TestableCheckoutEngine } from './engine';
import {
  cart,
  chargeCreates,
  INTENT,
  MANUAL_SIM,
  ORDER,
  PHONE,
  searchesFor,
  startKit,
  TOKEN,
  waitFinal,
  waitFor,
  waitForSearches,
  waitState,
  type Kit,
} from '../test-kits/engine-test-kit';

let kit: Kit;
afterEach(async () => kit?.close());

const CREATE_PATH = { intents: '*/payment-intents', orders: '/v1/orders', mobile: '/point/services/integrations/v1' } as const;
const TERMINAL = { intents: INTENT, orders: ORDER, mobile: PHONE } as const;

async function paymentsFor(k: Kit, reference: string | null) {
  return (await k.control.payments()).filter((p) => p.externalReference === reference);
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'resolved',
    (e: CajaError) => e.code,
  );
}

function statesOf(engine: TestableCheckoutEngine, saleId: string): Set<string> {
  const seen = new Set<string>();
  engine.onSaleChanged((s) => {
    if (s.id === saleId) seen.add(s.state);
  });
  return seen;
}

describe('the double charge of the issue cannot happen', () => {
  for (const family of ['intents', 'mobile'] as const) {
    for (const restart of [false, true]) {
      it(`${family}: create answer lost, charge live, long wait${restart ? ', app restarted' : ''}, customer pays, cashier retries → refused, one payment`, async () => {
        kit = await startKit(MANUAL_SIM);
        let engine = await kit.engine();
        await kit.control.faults({ loseResponseNext: { count: 1, match: { method: 'POST', path: CREATE_PATH[family] } } });
        const sale = await engine.charge({ cart: cart(4200), terminalId: TERMINAL[family] });
        expect(sale.state).toBe('unknown');
        const reference = sale.externalReference!;
        // Well past the old give-up: the engine keeps looking and never says "nothing was charged".
        await waitForSearches(kit, reference, 4);
        if (restart) {
          engine.simulateCrash();
          engine = await kit.engine();
          // The old engine settled "failed" at once on a restart this late.
          await waitForSearches(kit, reference, 2, await searchesFor(kit.control, reference));
        }
        expect(['unknown', 'at_terminal', 'sending']).toContain(engine.get(sale.id).state);
        expect(engine.get(sale.id).retryable).toBe(false);
        expect(await codeOf(engine.charge({ cart: cart(4200), terminalId: INTENT_OR_OTHER(family), saleId: sale.id }))).toBe('CONFLICT');

        await kit.control.customer(TERMINAL[family], 'present_card');
        const done = await waitFinal(engine, sale.id, 40_000);
        expect(done.state).toBe('approved');
        expect(await codeOf(engine.charge({ cart: cart(4200), terminalId: INTENT_OR_OTHER(family), saleId: sale.id }))).toBe('CONFLICT');
        const mine = await paymentsFor(kit, reference);
        expect(mine.map((p) => p.status)).toEqual(['approved']);
        expect(done.paymentId).toBe(mine[0]!.id);
        expect(await kit.control.payments()).toHaveLength(1);
        expect(await chargeCreates(kit.control)).toHaveLength(1);
      }, 90_000);
    }
  }
});

/** A free terminal of another family, for the cashier's retry (so TERMINAL_BUSY cannot hide the refusal). */
function INTENT_OR_OTHER(family: 'intents' | 'mobile'): string {
  return family === 'intents' ? ORDER : INTENT;
}

describe('wherever "I could not see it" used to mean "it does not exist"', () => {
  it('orders: a 409 after a try whose outcome is unknown proves nothing → looked up by replaying the key, one order, paid', async () => {
    kit = await startKit();
    const engine = await kit.engine();
    // The first try never answers (its outcome is unknown); the retry with the same key is refused 409.
    await kit.control.faults({
      dropNext: { count: 1, match: { method: 'POST', path: '/v1/orders' } },
      failNext: { count: 1, status: 409, match: { method: 'POST', path: '/v1/orders' } },
    });
    const sale = await engine.charge({ cart: cart(5100), terminalId: ORDER });
    const states = statesOf(engine, sale.id);
    // The HTTP layer keeps the key and asks again; the engine never read the 409 as "nothing created".
    expect(sale.state).not.toBe('failed');
    const done = await waitFinal(engine, sale.id);
    expect(done.state).toBe('approved');
    expect(states.has('failed')).toBe(false);
    const creates = await chargeCreates(kit.control);
    expect(new Set(creates.map((r) => r.idempotencyKey)).size).toBe(1);
    expect(await kit.control.payments()).toHaveLength(1);
  });

  it('orders: a replay after a restart sends the journaled body byte for byte, whatever the settings are now', async () => {
    kit = await startKit(MANUAL_SIM);
    let dying: TestableCheckoutEngine | null = null;
    let saleId: string | null = null;
    dying = await kit.engine({
      timing: { chargeTimeoutMs: 60_000 },
      hooks: {
        afterCreate: (a) => {
          saleId = a.saleId;
          dying!.simulateCrash();
          return new Promise<void>(() => undefined);
        },
      },
    });
    void dying.charge({ cart: cart(5200), terminalId: ORDER }).catch(() => undefined);
    await waitFor(
      () => saleId,
      (id) => id !== null,
      'the crash',
    );
    // The bounded wait changed in between: an engine that rebuilt the body would send another one.
    const engine = await kit.engine({ timing: { chargeTimeoutMs: 120_000 } });
    await waitState(engine, saleId!, 'at_terminal');
    const creates = await chargeCreates(kit.control);
    expect(creates.length).toBeGreaterThanOrEqual(2);
    expect(new Set(creates.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(creates.every((r) => r.status === 201)).toBe(true);
    await kit.control.customer(ORDER, 'present_card');
    expect((await waitFinal(engine, saleId!)).state).toBe('approved');
    expect(await kit.control.payments()).toHaveLength(1);
  }, 40_000);

  it('mobile: CLOSED without a payment id is settled only after a payment search by its reference', async () => {
    kit = await startKit(MANUAL_SIM);
    const engine = await kit.engine();
    const sale = await engine.charge({ cart: cart(3300), terminalId: PHONE });
    await waitState(engine, sale.id, 'at_terminal');
    await kit.control.customer(PHONE, 'abandon');
    const done = await waitFinal(engine, sale.id);
    expect(done).toMatchObject({ state: 'cancelled', reason: { code: 'closedWithoutPayment' }, retryable: true });
    expect(await searchesFor(kit.control, sale.externalReference!)).toBeGreaterThan(0);
    expect(await kit.control.payments()).toEqual([]);
  });

  it('intents: a declined card found by reference settles nothing while the customer may try another card on the same charge', async () => {
    kit = await startKit(MANUAL_SIM);
    const engine = await kit.engine();
    await kit.control.faults({ loseResponseNext: { count: 1, match: { method: 'POST', path: CREATE_PATH.intents } } });
    const sale = await engine.charge({ cart: cart(4400), terminalId: INTENT });
    await kit.control.customer(INTENT, { action: 'reject', statusDetail: 'cc_rejected_insufficient_amount', retry: true });
    const trying = await waitFor(
      () => engine.get(sale.id),
      (s) => s.reason?.code === 'tryAnotherCard',
      'the declined card found by reference',
      40_000,
    );
    expect(trying.retryable).toBe(false);
    expect(await codeOf(engine.charge({ cart: cart(4400), terminalId: ORDER, saleId: sale.id }))).toBe('CONFLICT');
    await kit.control.customer(INTENT, 'approve');
    const done = await waitFinal(engine, sale.id, 40_000);
    expect(done.state).toBe('approved');
    const mine = await paymentsFor(kit, sale.externalReference);
    expect(mine.map((p) => p.status).sort()).toEqual(['approved', 'rejected']);
    expect(done.paymentId).toBe(mine.find((p) => p.status === 'approved')!.id);
  }, 60_000);
});

describe('a way out of every state', () => {
  it('orders: an unknown sale is cancelled by replaying the create to learn the order, then cancelling it at the terminal (202)', async () => {
    kit = await startKit(MANUAL_SIM);
    const engine = await kit.engine({ timing: { resendWindowMs: 0 } });
    await kit.control.faults({ loseResponseNext: { count: 4, match: { method: 'POST', path: '/v1/orders' } } });
    const sale = await engine.charge({ cart: cart(5300), terminalId: ORDER });
    expect(sale.state).toBe('unknown');
    expect(sale.cancellable).toBe(true);
    await kit.control.clearFaults();
    await engine.cancel(sale.id);
    const done = await waitFinal(engine, sale.id);
    expect(done.state).toBe('cancelled');
    const cancels = (await kit.control.requests()).filter((r) => r.method === 'POST' && r.path.endsWith('/cancel'));
    expect(cancels.length).toBeGreaterThanOrEqual(1);
    expect(new Set(cancels.map((r) => r.idempotencyKey)).size).toBe(1);
    expect(await kit.control.payments()).toEqual([]);
  }, 40_000);

  it('the bounded wait cancel is retried with back-off under one key of its own; the sale ends expired', async () => {
    kit = await startKit(MANUAL_SIM);
    const engine = await kit.engine({ timing: { chargeTimeoutMs: 2000 } });
    // Every try of the first automatic cancel fails (the HTTP layer itself tries 4 times).
    await kit.control.faults({ failNext: { count: 4, status: 503, match: { method: 'POST', path: '/v1/orders/*/cancel' } } });
    const sale = await engine.charge({ cart: cart(5400), terminalId: ORDER });
    const done = await waitFinal(engine, sale.id, 40_000);
    expect(done.state).toBe('expired');
    const kinds = engine.detail(sale.id).timeline.map((t) => t.kind);
    expect(kinds).toContain('auto_cancel_failed');
    const cancels = (await kit.control.requests()).filter((r) => r.method === 'POST' && r.path.endsWith('/cancel'));
    expect(cancels.length).toBeGreaterThan(4);
    const keys = new Set(cancels.map((r) => r.idempotencyKey));
    expect(keys.size).toBe(1);
    const createKey = (await chargeCreates(kit.control))[0]!.idempotencyKey;
    expect(keys.has(createKey)).toBe(false);
    expect(keys.has(`${createKey}:cancel`)).toBe(false);
    expect(await kit.control.payments()).toEqual([]);
  }, 60_000);

  it('an in-process payment keeps the sale processing (resolvable), and its later approval settles it', async () => {
    kit = await startKit(MANUAL_SIM);
    await kit.control.timing({ inProcessSettleMs: 6000 });
    const engine = await kit.engine();
    const sale = await engine.charge({ cart: cart(5500), terminalId: ORDER });
    await waitState(engine, sale.id, 'at_terminal');
    await kit.control.customer(ORDER, { action: 'in_process', settle: 'approved' });
    const reviewing = await waitFor(
      () => engine.get(sale.id),
      (s) => s.reason?.code === 'reviewing',
      'the review',
    );
    expect(reviewing).toMatchObject({ state: 'processing', resolvable: true, retryable: false });
    expect((await waitFinal(engine, sale.id, 40_000)).state).toBe('approved');
    expect(await kit.control.payments()).toHaveLength(1);
  }, 60_000);
});

describe('uncertain outcomes at the terminal', () => {
  for (const family of ['intents', 'orders'] as const) {
    it(`${family}: "confirmation required" with no payment anywhere stays unknown (resolvable), never "nothing charged"`, async () => {
      kit = await startKit();
      const engine = await kit.engine();
      const sale = await engine.charge({ cart: cart(150009), terminalId: TERMINAL[family] });
      await waitState(engine, sale.id, 'unknown', 40_000);
      // Several searches after the delay found nothing; still no conclusion either way.
      await waitForSearches(kit, sale.externalReference!, 2);
      const still = engine.get(sale.id);
      expect(still).toMatchObject({ state: 'unknown', retryable: false, resolvable: true });
      expect((await engine.resolve(sale.id, 'Customer shows no charge on the card')).state).toBe('resolved');
      expect(await kit.control.payments()).toEqual([]);
    }, 60_000);

    it(`${family}: "confirmation required" with a pending payment is reviewed, then settled by the payment`, async () => {
      kit = await startKit();
      await kit.control.timing({ inProcessSettleMs: 5000 });
      const engine = await kit.engine();
      const sale = await engine.charge({ cart: cart(150008), terminalId: TERMINAL[family] });
      await waitFor(
        () => engine.get(sale.id),
        (s) => s.reason?.code === 'reviewing',
        'the review',
        40_000,
      );
      expect((await waitFinal(engine, sale.id, 40_000)).state).toBe('approved');
      expect((await kit.control.payments()).map((p) => p.status)).toEqual(['approved']);
    }, 60_000);
  }
});

describe('a charge nobody picks up is said early; an offline device is refused before any request', () => {
  it('orders: a terminal that does not take the charge → notTaken with its label, then Cancel works', async () => {
    kit = await startKit();
    const engine = await kit.engine();
    await kit.control.setOnline(ORDER, false);
    const sale = await engine.charge({ cart: cart(1000), terminalId: ORDER });
    const said = await waitFor(
      () => engine.get(sale.id),
      (s) => s.reason?.code === 'notTaken',
      'notTaken',
    );
    expect(said.reason?.params).toMatchObject({ seconds: 3 });
    expect(said.cancellable).toBe(true);
    await engine.cancel(sale.id);
    expect((await waitFinal(engine, sale.id)).state).toBe('cancelled');
    expect(await kit.control.payments()).toEqual([]);
  });

  it('mobile: a phone the API lists as offline shows offline and is refused with no create sent', async () => {
    kit = await startKit();
    const engine = await kit.engine();
    await kit.control.setOnline(PHONE, false);
    const phone = (await engine.listTerminals()).find((t) => t.id === PHONE)!;
    expect(phone.status).toBe('offline');
    expect(await codeOf(engine.charge({ cart: cart(1000), terminalId: PHONE }))).toBe('TERMINAL_OFFLINE');
    expect(await chargeCreates(kit.control)).toEqual([]);
  });
});

describe('refunds', () => {
  it('orders: a sale approved through action_required is refunded through the payment when the order refuses', async () => {
    kit = await startKit();
    const engine = await kit.engine();
    const sale = await engine.charge({ cart: cart(150004), terminalId: ORDER });
    expect((await waitFinal(engine, sale.id)).state).toBe('approved');
    const after = await engine.refund(sale.id, 2500);
    expect(after.refunds.map((r) => r.state)).toEqual(['approved']);
    expect(after.refundedAmount).toBe(2500);
    const [payment] = await kit.control.payments();
    expect(payment!.refunds.map((r) => r.amountMinor)).toEqual([2500]);
  });

  it('a refund made outside Caja is folded into what is left to refund', async () => {
    kit = await startKit();
    const engine = await kit.engine();
    const sale = await engine.charge({ cart: cart(10000), terminalId: INTENT });
    const paid = await waitFinal(engine, sale.id);
    // The shop refunds 30.00 in Mercado Pago's panel.
    const res = await fetch(`${kit.sim.baseUrl}/v1/payments/${paid.paymentId}/refunds`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'x-idempotency-key': 'panel-1' },
      body: JSON.stringify({ amount: 30 }),
    });
    expect(res.status).toBe(201);
    const rest = await engine.refund(sale.id);
    expect(rest.refundedAmount).toBe(10000);
    expect(rest.refunds.map((r) => r.amount)).toEqual([7000]);
    expect(rest.timeline.map((t) => t.reason)).toContainEqual({ code: 'refundFoundElsewhere', params: { amount: 3000, currency: 'ARS' } });
    const [payment] = await kit.control.payments();
    expect(payment!.refunds.map((r) => r.amountMinor).sort((a, b) => a - b)).toEqual([3000, 7000]);
  });
});

describe('finding a lost intent reads each finished intent once', () => {
  it('the events listing is walked with a cursor, not re-read on every look', async () => {
    kit = await startKit(MANUAL_SIM);
    const engine = await kit.engine();
    const earlier: SaleView[] = [];
    for (const amount of [1000, 1100, 1200]) {
      const s = await engine.charge({ cart: cart(amount), terminalId: INTENT });
      await waitState(engine, s.id, 'at_terminal');
      await kit.control.customer(INTENT, 'present_card');
      earlier.push(await waitFinal(engine, s.id));
    }
    const from = (await kit.control.requests()).at(-1)!.seq;
    await kit.control.faults({ loseResponseNext: { count: 1, match: { method: 'POST', path: CREATE_PATH.intents } } });
    const lost = await engine.charge({ cart: cart(1300), terminalId: INTENT });
    await waitForSearches(kit, lost.externalReference!, 4);
    const reads = (await kit.control.requests(from)).filter((r) => r.method === 'GET' && r.path.startsWith('/point/integration-api/payment-intents/') && !r.path.endsWith('/events') && r.status === 200);
    const perIntent = new Map<string, number>();
    for (const r of reads) perIntent.set(r.path, (perIntent.get(r.path) ?? 0) + 1);
    expect(perIntent.size).toBeGreaterThan(0);
    expect([...perIntent.values()].every((n) => n === 1)).toBe(true);
    expect(engine.get(lost.id).state).toBe('unknown');
  }, 60_000);
});

describe('reconciliation runs by itself', () => {
  it('a payment with a Caja reference that no sale knows becomes an attention item; acknowledging it survives a restart', async () => {
    kit = await startKit();
    await kit.control.timing({ searchDelayMs: 0 });
    // Another Caja (or a crash before the journal existed) charged this account: no sale here knows it.
    const create = await fetch(`${kit.sim.baseUrl}/point/integration-api/devices/${INTENT}/payment-intents`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'x-idempotency-key': 'stray-1' },
      body: JSON.stringify({ amount: 7700, description: 'stray', additional_info: { external_reference: `CAJA-${'ab'.repeat(16)}-1` } }),
    });
    expect(create.status).toBe(201);
    await waitForPayments(kit, 1);
    const seen: number[] = [];
    let engine = await kit.engine();
    engine.onAttentionChanged((items) => seen.push(items.length));
    const items = await waitFor(
      () => engine.attention(),
      (list) => list.some((i) => i.kind === 'missing_in_journal'),
      'the attention item',
    );
    const item = items.find((i) => i.kind === 'missing_in_journal')!;
    expect(item).toMatchObject({ saleId: null, amount: 7700, journalState: null, mercadoPagoStatus: 'approved' });
    expect(engine.acknowledgeAttention(item.id)).toEqual([]);
    await engine.close();
    engine = await kit.engine();
    await engine.runReconciliation();
    expect(engine.attention()).toEqual([]);
    expect(await codeOf(Promise.resolve().then(() => engine.acknowledgeAttention('no-such-item')))).toBe('NOT_FOUND');
  });
});

async function waitForPayments(k: Kit, n: number): Promise<void> {
  const until = Date.now() + 20_000;
  while ((await k.control.payments()).length < n) {
    if (Date.now() > until) throw new Error(`expected ${n} payments`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

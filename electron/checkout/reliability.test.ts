/**
 * What happens when things go wrong: lost answers, 5xx bursts, 429 storms, dead networks, offline
 * terminals, and the app dying at each step of a charge. Every test ends by asking the simulator
 * which charges really exist: exactly the right ones, never two for one sale.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CajaError } from '../../shared/errors';
import {
  cart,
  chargeCreates,
  INTENT,
  MANUAL_SIM,
  ORDER,
  PHONE,
  sleep,
  startKit,
  TERMINAL_OF,
  waitFinal,
  waitForSearches,
  waitState,
  type Kit,
} from '../test-kits/engine-test-kit';

let kit: Kit;
afterEach(async () => kit?.close());

const FAMILIES = ['intents', 'orders', 'mobile'] as const;
const CREATE_PATH = { intents: '*/payment-intents', orders: '/v1/orders', mobile: '/point/services/integrations/v1' } as const;

async function paymentsFor(kit: Kit, externalReference: string | null) {
  return (await kit.control.payments()).filter((p) => p.externalReference === externalReference);
}


describe('lost and failed answers', () => {
  for (const family of FAMILIES) {
    it(`${family}: the create's answer is lost after the charge was made → one charge, sale approved`, async () => {
      kit = await startKit();
      const engine = await kit.engine();
      await kit.control.faults({ loseResponseNext: { count: 1, match: { method: 'POST', path: CREATE_PATH[family] } } });
      const sale = await engine.charge({ cart: cart(4200), terminalId: TERMINAL_OF[family] });
      expect(['unknown', 'sending', 'at_terminal', 'processing']).toContain(sale.state);
      const done = await waitFinal(engine, sale.id);
      expect(done.state).toBe('approved');
      const payments = await paymentsFor(kit, done.externalReference);
      expect(payments).toHaveLength(1);
      expect(payments[0]!.status).toBe('approved');
      expect((await kit.control.payments()).length).toBe(1);
    }, 40_000);
  }

  it('a 5xx burst on reads and on the create is ridden out (orders replay the create by key)', async () => {
    kit = await startKit();
    const engine = await kit.engine();
    await kit.control.faults({ failNext: { count: 2, status: 503, match: { method: 'POST', path: '/v1/orders' } } });
    const sale = await engine.charge({ cart: cart(5000), terminalId: ORDER });
    await kit.control.faults({ failNext: { count: 5, status: 502, match: { method: 'GET' } } });
    expect((await waitFinal(engine, sale.id)).state).toBe('approved');
    const creates = await chargeCreates(kit.control);
    // Every try carried the one key journaled before the first.
    expect(new Set(creates.map((r) => r.idempotencyKey)).size).toBe(1);
    expect(await kit.control.payments()).toHaveLength(1);
  });

  it('a 5xx on an intent create is not retried blindly, nor ever settled by a timer: unknown until a person resolves it', async () => {
    kit = await startKit();
    const engine = await kit.engine();
    await kit.control.faults({ failNext: { count: 1, status: 500, match: { method: 'POST', path: '*/payment-intents' } } });
    const sale = await engine.charge({ cart: cart(5000), terminalId: INTENT });
    expect(sale.state).toBe('unknown');
    expect(sale.retryable).toBe(false);
    expect(sale.resolvable).toBe(true);
    expect(engine.unfinished().map((s) => s.id)).toEqual([sale.id]);
    // The terminal stays claimed while the outcome is unknown.
    const busy = await engine.charge({ cart: cart(5000), terminalId: INTENT }).catch((e: CajaError) => e.code);
    expect(busy).toBe('TERMINAL_BUSY');
    // Many looks later (past the old give-up), not finding it is still not evidence.
    await waitForSearches(kit, sale.externalReference!, 4);
    expect(engine.get(sale.id).state).toBe('unknown');
    const retry = await engine.charge({ cart: cart(5000), terminalId: INTENT, saleId: sale.id }).catch((e: CajaError) => e);
    expect((retry as CajaError).code).toBe('CONFLICT');
    expect((retry as CajaError).message).toMatch(/charge the customer twice/);
    const resolved = await engine.resolve(sale.id, 'Checked the terminal: nothing on it');
    expect(resolved.state).toBe('resolved');
    expect(resolved.reason).toEqual({ code: 'resolvedManually', params: { by: 'R1', note: 'Checked the terminal: nothing on it' } });
    expect(resolved.retryable).toBe(false);
    // The terminal is free again, and the sale stays in front of the cashier.
    expect(engine.unfinished().map((s) => s.id)).toEqual([sale.id]);
    expect((await engine.listTerminals()).find((t) => t.id === INTENT)!.status).toBe('free');
    expect(engine.detail(sale.id).timeline.some((t) => t.kind === 'resolved')).toBe(true);
    expect(await kit.control.payments()).toEqual([]);
    expect(await chargeCreates(kit.control)).toHaveLength(1);
  });

  it('a 429 storm on reads slows the engine down instead of failing the sale', async () => {
    kit = await startKit();
    const engine = await kit.engine();
    await kit.control.timing({ customerMs: 5000 });
    await kit.control.faults({ readsPerSecond: 0.4 });
    const sale = await engine.charge({ cart: cart(6000), terminalId: INTENT });
    const states = new Set<string>();
    engine.onSaleChanged((s) => states.add(s.state));
    const done = await waitFinal(engine, sale.id, 40_000);
    expect(done.state).toBe('approved');
    const requests = await kit.control.requests();
    expect(requests.some((r) => r.status === 429)).toBe(true);
    // Being told to slow down is not a failure, nor a reason to show "unknown".
    expect(states.has('failed')).toBe(false);
    expect(states.has('unknown')).toBe(false);
    expect(await kit.control.payments()).toHaveLength(1);
  }, 60_000);

  it('a dead network shows unknown (never failed) and settles once it is back', async () => {
    kit = await startKit(MANUAL_SIM);
    const engine = await kit.engine();
    const sale = await engine.charge({ cart: cart(7000), terminalId: ORDER });
    await waitState(engine, sale.id, 'at_terminal');
    await kit.control.faults({ dropNext: { count: 12, match: { method: 'GET' } } });
    await waitState(engine, sale.id, 'unknown');
    expect(engine.get(sale.id).reason?.code).toBe('offline');
    await kit.control.clearFaults();
    await kit.control.customer(ORDER, 'present_card');
    expect((await waitFinal(engine, sale.id, 40_000)).state).toBe('approved');
    expect(await kit.control.payments()).toHaveLength(1);
  }, 60_000);
});

describe('terminals going offline', () => {
  it('a charge sent to an offline terminal waits queued, can be cancelled, and charges nothing', async () => {
    kit = await startKit();
    const engine = await kit.engine();
    await kit.control.setOnline(ORDER, false);
    const sale = await engine.charge({ cart: cart(1000), terminalId: ORDER });
    expect(sale.state).toBe('sending');
    await sleep(1500);
    expect(engine.get(sale.id).state).toBe('sending');
    expect(engine.get(sale.id).cancellable).toBe(true);
    await engine.cancel(sale.id);
    expect((await waitFinal(engine, sale.id)).state).toBe('cancelled');
    expect(await kit.control.payments()).toEqual([]);
  });

  for (const family of FAMILIES) {
    it(`${family}: the terminal drops offline mid-payment and comes back: one payment, approved`, async () => {
      kit = await startKit(MANUAL_SIM);
      const engine = await kit.engine();
      const terminalId = TERMINAL_OF[family];
      const sale = await engine.charge({ cart: cart(8000), terminalId });
      await waitState(engine, sale.id, 'at_terminal');
      await kit.control.customer(terminalId, 'present_card');
      await kit.control.setOnline(terminalId, false);
      await sleep(2500);
      expect(['at_terminal', 'processing']).toContain(engine.get(sale.id).state);
      await kit.control.setOnline(terminalId, true);
      expect((await waitFinal(engine, sale.id)).state).toBe('approved');
      expect(await kit.control.payments()).toHaveLength(1);
    }, 40_000);
  }
});

describe('customer behaviour', () => {
  it('abandon, confirmation required and rejection via the customer actions', async () => {
    kit = await startKit(MANUAL_SIM);
    const engine = await kit.engine();
    const run = async (terminalId: string, action: 'abandon' | 'confirmation_required' | 'reject') => {
      const sale = await engine.charge({ cart: cart(3300), terminalId });
      await waitState(engine, sale.id, 'at_terminal');
      await kit.control.customer(terminalId, action);
      return waitFinal(engine, sale.id);
    };
    expect((await run(INTENT, 'abandon')).state).toBe('cancelled');
    expect((await run(ORDER, 'confirmation_required')).state).toBe('approved');
    expect((await run(PHONE, 'reject')).state).toBe('rejected');
    expect((await run(INTENT, 'confirmation_required')).state).toBe('approved');
    const approved = (await kit.control.payments()).filter((p) => p.status === 'approved');
    expect(approved).toHaveLength(2);
  }, 60_000);
});

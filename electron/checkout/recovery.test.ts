/**
 * The app dying at each step of a charge (and of a refund), then starting again on the same journal:
 * it must recover, settle, and leave exactly the right charges at Mercado Pago.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { SaleViewSchema } from '../../shared/contract';
import type { CajaError } from '../../shared/errors';
import type { EngineAttemptInfo } from './engine-api';
import type { TestableCheckoutEngine } from './engine';
import {
  cart,
  chargeCreates,
  FAST_SIM,
  INTENT,
  MANUAL_SIM,
  ORDER,
  PHONE,
  startKit,
  TERMINAL_OF,
  TOKEN,
  waitFinal,
  waitFor,
  waitForSearches,
  waitState,
  type Kit,
} from '../test-kits/engine-test-kit';

let kit: Kit;
afterEach(async () => kit?.close());

const FAMILIES = ['intents', 'orders', 'mobile'] as const;

async function paymentsFor(kit: Kit, externalReference: string | null) {
  return (await kit.control.payments()).filter((p) => p.externalReference === externalReference);
}

/** Runs a charge whose engine "dies" at a hook; returns the sale id read from the journal afterwards. */
async function chargeAndDie(
  kit: Kit,
  terminalId: string,
  amount: number,
  at: 'beforeCreate' | 'afterCreate',
): Promise<{ attempt: EngineAttemptInfo }> {
  let dying: TestableCheckoutEngine | null = null;
  let info: EngineAttemptInfo | null = null;
  const hook = (a: EngineAttemptInfo) => {
    info = a;
    dying!.simulateCrash();
    return new Promise<void>(() => undefined); // the process is gone: this never returns
  };
  dying = await kit.engine({ hooks: { [at]: hook } });
  void dying.charge({ cart: cart(amount), terminalId }).catch(() => undefined);
  await waitFor(
    () => info,
    (i) => i !== null,
    'the crash',
  );
  return { attempt: info! };
}

describe('the app killed at each step, then restarted on the same journal', () => {
  it('intents: killed after the journal write, before the request → unknown (no evidence either way), never retried, resolvable', async () => {
    kit = await startKit();
    const { attempt } = await chargeAndDie(kit, INTENT, 9000, 'beforeCreate');
    expect(await chargeCreates(kit.control)).toHaveLength(0);
    const engine = await kit.engine();
    const recovering = engine.get(attempt.saleId);
    expect(engine.unfinished().map((s) => s.id)).toContain(attempt.saleId);
    expect(['sending', 'unknown']).toContain(recovering.state);
    // Whether the create left before the crash, nothing can tell: the engine keeps looking.
    await waitForSearches(kit, attempt.externalReference, 3);
    const still = engine.get(attempt.saleId);
    expect(still.state).toBe('unknown');
    expect(still.retryable).toBe(false);
    const retry = await engine.charge({ cart: cart(9000), terminalId: INTENT, saleId: attempt.saleId }).catch((e: CajaError) => e.code);
    expect(retry).toBe('CONFLICT');
    // Intents offer no way to find a live intent without its id: Cancel says so, resolve is the way out.
    await expect(engine.cancel(attempt.saleId)).rejects.toMatchObject({ code: 'NOT_CANCELLABLE' });
    expect(engine.detail(attempt.saleId).timeline.map((t) => t.reason)).toContainEqual({ code: 'cancelNotPossible', params: { why: 'unknown' } });
    expect((await engine.resolve(attempt.saleId, 'Terminal screen was idle')).state).toBe('resolved');
    expect(await kit.control.payments()).toEqual([]);
    expect(await chargeCreates(kit.control)).toHaveLength(0);
    expect(engine.detail(attempt.saleId).timeline.map((t) => t.kind)).toContain('recovery');
  });

  it('mobile: killed before the request → the cashier cancels what the phone holds; that cancel and a later search are the evidence', async () => {
    kit = await startKit();
    const { attempt } = await chargeAndDie(kit, PHONE, 9000, 'beforeCreate');
    const engine = await kit.engine();
    await waitState(engine, attempt.saleId, 'unknown');
    expect(engine.get(attempt.saleId).cancellable).toBe(true);
    await engine.cancel(attempt.saleId);
    const done = await waitFinal(engine, attempt.saleId);
    expect(done.state).toBe('cancelled');
    expect(done.retryable).toBe(true);
    const cancels = (await kit.control.requests()).filter((r) => r.method === 'DELETE' && r.path === `/point/services/integrations/v1/attempt/device/${PHONE}`);
    expect(cancels).toHaveLength(1);
    expect(await kit.control.payments()).toEqual([]);
    expect(await chargeCreates(kit.control)).toHaveLength(0);
  });

  it('orders: killed after the journal write, before the request → the same key is sent once, one charge', async () => {
    kit = await startKit();
    const { attempt } = await chargeAndDie(kit, ORDER, 9000, 'beforeCreate');
    const engine = await kit.engine();
    const done = await waitFinal(engine, attempt.saleId);
    expect(done.state).toBe('approved');
    const creates = await chargeCreates(kit.control);
    expect(creates.map((r) => r.idempotencyKey)).toEqual([attempt.idempotencyKey]);
    expect(await paymentsFor(kit, attempt.externalReference)).toHaveLength(1);
  });

  for (const family of FAMILIES) {
    it(`${family}: killed after the request was sent, answer lost → recovered by reference, one charge`, async () => {
      kit = await startKit();
      const { attempt } = await chargeAndDie(kit, TERMINAL_OF[family], 9100, 'afterCreate');
      const engine = await kit.engine();
      const done = await waitFinal(engine, attempt.saleId);
      expect(done.state).toBe('approved');
      SaleViewSchema.parse(done);
      const payments = await paymentsFor(kit, attempt.externalReference);
      expect(payments).toHaveLength(1);
      expect(done.paymentId).toBe(payments[0]!.id);
      expect(await kit.control.payments()).toHaveLength(1);
      const creates = await chargeCreates(kit.control);
      expect(new Set(creates.map((r) => r.idempotencyKey))).toEqual(new Set([attempt.idempotencyKey]));
    }, 40_000);
  }

  for (const family of FAMILIES) {
    it(`${family}: killed while the charge waits at the terminal → recovered, the customer pays, one charge`, async () => {
      kit = await startKit(MANUAL_SIM);
      const first = await kit.engine();
      const terminalId = TERMINAL_OF[family];
      const sale = await first.charge({ cart: cart(9200), terminalId });
      await waitState(first, sale.id, 'at_terminal');
      first.simulateCrash();
      const engine = await kit.engine();
      await waitState(engine, sale.id, 'at_terminal');
      await kit.control.customer(terminalId, 'present_card');
      expect((await waitFinal(engine, sale.id)).state).toBe('approved');
      expect(await kit.control.payments()).toHaveLength(1);
      expect(engine.detail(sale.id).timeline.filter((t) => t.kind === 'settled')).toHaveLength(1);
    }, 40_000);
  }

  it('killed with a refund in flight → the refund is confirmed on restart, not repeated', async () => {
    kit = await startKit();
    const first = await kit.engine();
    const sale = await first.charge({ cart: cart(10000), terminalId: INTENT });
    await waitFinal(first, sale.id);
    // Every try of the refund (same key each time) loses its answer.
    await kit.control.faults({ loseResponseNext: { count: 10, match: { method: 'POST', path: '*/refunds' } } });
    const detail = await first.refund(sale.id, 4000);
    expect(detail.refunds[0]!.state).toBe('unknown');
    first.simulateCrash();
    await kit.control.clearFaults();
    const engine = await kit.engine();
    const settled = await waitFor(
      () => engine.detail(sale.id),
      (d) => d.refunds[0]?.state === 'approved',
      'refund approved',
    );
    expect(settled.refundedAmount).toBe(4000);
    const [payment] = await kit.control.payments();
    expect(payment!.refunds.map((r) => r.amountMinor)).toEqual([4000]);
  });
});

describe('the double charge across a restart', () => {
  for (const family of ['intents', 'mobile'] as const) {
    it(`${family}: killed after the create reached Mercado Pago (answer never journaled) → unknown, retry refused, the customer pays, one payment`, async () => {
      kit = await startKit(MANUAL_SIM);
      const { attempt } = await chargeAndDie(kit, TERMINAL_OF[family], 9300, 'afterCreate');
      const engine = await kit.engine();
      await waitForSearches(kit, attempt.externalReference, 3);
      expect(engine.get(attempt.saleId).state).toBe('unknown');
      const retry = await engine
        .charge({ cart: cart(9300), terminalId: ORDER, saleId: attempt.saleId })
        .catch((e: CajaError) => e.code);
      expect(retry).toBe('CONFLICT');
      await kit.control.customer(TERMINAL_OF[family], 'present_card');
      expect((await waitFinal(engine, attempt.saleId, 40_000)).state).toBe('approved');
      expect(await paymentsFor(kit, attempt.externalReference)).toHaveLength(1);
      expect(await kit.control.payments()).toHaveLength(1);
    }, 60_000);
  }

  it('mobile: killed right after the cashier asked to cancel an unknown sale → the restart sends that cancel, with its key, once', async () => {
    kit = await startKit(MANUAL_SIM);
    const { attempt } = await chargeAndDie(kit, PHONE, 9400, 'beforeCreate');
    const first = await kit.engine();
    await waitState(first, attempt.saleId, 'unknown');
    // The cancel request is journaled before anything leaves; the process dies before it leaves.
    void first.cancel(attempt.saleId).catch(() => undefined);
    first.simulateCrash();
    const byDevice = `/point/services/integrations/v1/attempt/device/${PHONE}`;
    const before = (await kit.control.requests()).filter((r) => r.method === 'DELETE' && r.path === byDevice);
    const engine = await kit.engine();
    const done = await waitFinal(engine, attempt.saleId);
    expect(done.state).toBe('cancelled');
    const cancels = (await kit.control.requests()).filter((r) => r.method === 'DELETE' && r.path === byDevice);
    expect(cancels.length - before.length).toBe(1);
    expect(new Set(cancels.map((r) => r.idempotencyKey)).size).toBe(1);
    expect(await kit.control.payments()).toEqual([]);
  }, 40_000);
});

describe('the journal', () => {
  it('never holds the access token, and the token never reaches logs or errors', async () => {
    kit = await startKit();
    const engine = await kit.engine();
    await kit.control.faults({ failNext: { count: 2, status: 503, match: { method: 'GET' } } });
    const sale = await engine.charge({ cart: cart(1000), terminalId: INTENT });
    await waitFinal(engine, sale.id);
    const bad = await kit.engine({
      journalPath: `${kit.dir}/other.sqlite`,
      getToken: () => 'TEST-999999-not-a-real-token-abcdef',
    });
    const errors: unknown[] = [];
    await bad.listTerminals().catch((e) => errors.push(e));
    await kit.control.faults({ dropNext: { count: 20 } });
    await engine.listTerminals().catch((e) => errors.push(e));
    expect(errors).toHaveLength(2);
    expect((errors[0] as CajaError).code).toBe('AUTH');
    expect((errors[1] as CajaError).code).toBe('NETWORK');
    for (const e of errors) {
      const text = `${(e as Error).message} ${(e as Error).stack} ${JSON.stringify(e)} ${String((e as Error).cause ?? '')}`;
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('not-a-real-token');
    }
    expect(kit.log.lines.length).toBeGreaterThan(0);
    expect(kit.log.lines.join('\n')).not.toContain(TOKEN);
    expect(kit.log.lines.join('\n')).not.toMatch(/Bearer/i);
    await engine.close();
    expect(readFileSync(kit.journalPath).includes(TOKEN)).toBe(false);
  });

  it('refuses a journal written by a newer Caja, and keeps events append-only', async () => {
    kit = await startKit(FAST_SIM);
    const engine = await kit.engine();
    await engine.close();
    const { DatabaseSync } = await import('node:sqlite');
    const db = new DatabaseSync(kit.journalPath);
    expect(() => db.exec("INSERT INTO events (at, kind, detail) VALUES (1, 'x', 'y'); UPDATE events SET detail = 'z'")).toThrow(
      /append-only/,
    );
    expect(() => db.exec('DELETE FROM events')).toThrow(/append-only/);
    db.exec('PRAGMA user_version = 99');
    db.close();
    const { createCheckoutEngine } = await import('./engine');
    expect(() =>
      createCheckoutEngine({
        journalPath: kit.journalPath,
        baseUrl: kit.sim.baseUrl,
        getToken: () => TOKEN,
        site: 'MLA',
        register: 'R1',
      }),
    ).toThrow(/newer version of Caja/);
  });
});

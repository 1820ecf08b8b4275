/**
 * Cancelling a charge the terminal already shows. Orders: `x-allow-cancelable-status: at_terminal` on
 * the cancel request answers 202 and the cancel is asynchronous (the order stays at_terminal, its
 * payment cancellation_requested, until the terminal confirms); without it, 409. Intents: DELETE only
 * while OPEN. Mobile: by id or by device until the card is read.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TIMING } from './state';
import { INTENT_DEVICE, intentBody, mobileBody, newKey, openKit, ORDER_TERMINAL, orderBody, STEPPED, type Kit } from './test-kit';

describe('cancel at the terminal', () => {
  let k: Kit;
  beforeEach(async () => {
    k = await openKit({ timing: { ...STEPPED, customer: 'manual' }, manualClock: true });
  });
  afterEach(() => k.close());

  const createOrder = async () => {
    const c = await k.api('POST', '/v1/orders', orderBody('15.00'), { 'x-idempotency-key': newKey() });
    await k.control.advance(100);
    expect((await k.control.terminal(ORDER_TERMINAL)).screen).toBe('waiting_card');
    return c.body.id as string;
  };
  const cancel = (id: string, allow: boolean, key = newKey()) =>
    k.api('POST', `/v1/orders/${id}/cancel`, undefined, { 'x-idempotency-key': key, ...(allow ? { 'x-allow-cancelable-status': 'at_terminal' } : {}) });
  const read = async (id: string) => (await k.api('GET', `/v1/orders/${id}`)).body;

  it('orders: 202, still at_terminal with the payment cancellation_requested, canceled once the terminal confirms', async () => {
    const id = await createOrder();
    const r = await cancel(id, true);
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ status: 'at_terminal', transactions: { payments: [{ status: 'cancellation_requested' }] } });
    expect(await read(id)).toMatchObject({ status: 'at_terminal', transactions: { payments: [{ status: 'cancellation_requested' }] } });
    // The terminal takes no card while it cancels, and the terminal is still busy.
    expect(await k.control.terminal(ORDER_TERMINAL)).toMatchObject({ screen: 'waiting_card', canceling: true });
    await expect(k.control.customer(ORDER_TERMINAL, 'approve')).rejects.toThrow(/409/);
    expect((await k.api('POST', '/v1/orders', orderBody('15.00'), { 'x-idempotency-key': newKey() })).status).toBe(409);
    expect((await cancel(id, true)).status).toBe(202); // asking again changes nothing

    await k.control.advance(DEFAULT_TIMING.cancelConfirmMs - 1);
    expect((await read(id)).status).toBe('at_terminal');
    await k.control.advance(1);
    expect(await read(id)).toMatchObject({ status: 'canceled', status_detail: 'canceled_by_api', transactions: { payments: [{ status: 'canceled' }] } });
    expect((await k.control.payments()).filter((p) => p.chargeId === id)).toEqual([]);
    expect((await k.api('POST', '/v1/orders', orderBody('15.00'), { 'x-idempotency-key': newKey() })).status).toBe(201);
  });

  it('orders: without the header on the cancel request (even if the create carried it) → 409 cannot_cancel_order', async () => {
    const c = await k.api('POST', '/v1/orders', orderBody('15.00'), { 'x-idempotency-key': newKey(), 'x-allow-cancelable-status': 'at_terminal' });
    await k.control.advance(100);
    const r = await cancel(c.body.id, false);
    expect(r.status).toBe(409);
    expect(r.body.errors[0].code).toBe('cannot_cancel_order');
    expect((await read(c.body.id)).status).toBe('at_terminal');
  });

  it('orders: once the card is being read, even the header cannot cancel', async () => {
    const id = await createOrder();
    await k.control.customer(ORDER_TERMINAL, 'approve');
    const r = await cancel(id, true);
    expect(r.status).toBe(409);
    await k.control.advance(100);
    expect((await read(id)).status).toBe('processed');
  });

  it('orders: an offline terminal confirms the cancel only once it is back', async () => {
    await k.control.timing({ cancelConfirmMs: 500 });
    const id = await createOrder();
    expect((await cancel(id, true)).status).toBe(202);
    await k.control.setOnline(ORDER_TERMINAL, false);
    await k.control.advance(5000);
    expect((await read(id)).status).toBe('at_terminal');
    await k.control.setOnline(ORDER_TERMINAL, true);
    await k.control.advance(500);
    expect((await read(id)).status).toBe('canceled');
  });

  it('orders: a cancel on its way survives a restart from the state file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'caja-sim-cancel-'));
    const stateFile = join(dir, 'state.json');
    try {
      const a = await openKit({ timing: { ...STEPPED, customer: 'manual' }, manualClock: true, stateFile });
      const c = await a.api('POST', '/v1/orders', orderBody('15.00'), { 'x-idempotency-key': newKey() });
      await a.control.advance(100);
      const r = await a.api('POST', `/v1/orders/${c.body.id}/cancel`, undefined, { 'x-idempotency-key': newKey(), 'x-allow-cancelable-status': 'at_terminal' });
      expect(r.status).toBe(202);
      await a.close();
      const b = await openKit({ timing: { ...STEPPED, customer: 'manual' }, manualClock: true, stateFile });
      await expect(b.control.customer(ORDER_TERMINAL, 'approve')).rejects.toThrow(/409/);
      // The new simulator's clock starts from real time, which may lag the first one's manual time
      // by the 100 ms it advanced: advance past that as well.
      await b.control.advance(DEFAULT_TIMING.cancelConfirmMs + 1000);
      expect((await b.api('GET', `/v1/orders/${c.body.id}`)).body.status).toBe('canceled');
      await b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('intents: DELETE only while OPEN; on the terminal → 409', async () => {
    const path = `/point/integration-api/devices/${INTENT_DEVICE}/payment-intents`;
    const open = await k.api('POST', path, intentBody(1500));
    expect((await k.api('DELETE', `${path}/${open.body.id}`)).status).toBe(200);
    await k.control.advance(4000); // result screen
    const shown = await k.api('POST', path, intentBody(1500));
    await k.control.advance(100);
    expect((await k.api('DELETE', `${path}/${shown.body.id}`)).status).toBe(409);
  });

  it('mobile: cancel by id until the card is read, then 409', async () => {
    const c = await k.api('POST', '/point/services/integrations/v1', mobileBody(20));
    await k.control.customer('caja-1', 'approve');
    expect((await k.api('DELETE', `/point/services/integrations/v1/${c.body.id}`)).status).toBe(409);
    await k.control.advance(4100);
    const c2 = await k.api('POST', '/point/services/integrations/v1', mobileBody(20));
    expect((await k.api('DELETE', `/point/services/integrations/v1/${c2.body.id}`)).status).toBe(204);
    expect((await k.api('GET', `/point/services/integrations/v1/${c2.body.id}`)).body).toMatchObject({ status: 'CLOSED' });
  });
});

/**
 * Orders: a card still processing 40 s after processing started leaves the order action_required for
 * good (Mercado Pago's order state diagram). The card's result, when it finally comes, only adds the
 * payment; the order keeps saying action_required.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TIMING } from './state';
import { newKey, openKit, ORDER_TERMINAL, orderBody, STEPPED, type Kit } from './test-kit';

describe('orders: processing that takes too long', () => {
  let k: Kit;
  beforeEach(async () => {
    k = await openKit({ timing: { ...STEPPED, customer: 'manual' }, manualClock: true });
  });
  afterEach(() => k.close());

  const startProcessing = async () => {
    const c = await k.api('POST', '/v1/orders', orderBody('15.00'), { 'x-idempotency-key': newKey() });
    await k.control.customer(ORDER_TERMINAL, 'approve'); // the card is being read…
    await k.control.setOnline(ORDER_TERMINAL, false); // …and the terminal loses its connection
    return c.body.id as string;
  };
  const read = async (id: string) => (await k.api('GET', `/v1/orders/${id}`)).body;

  it('turns action_required after actionRequiredAfterMs; the late result adds the payment, the status stays', async () => {
    const id = await startProcessing();
    await k.control.advance(DEFAULT_TIMING.actionRequiredAfterMs! - 1);
    expect((await read(id)).status).toBe('at_terminal');
    await k.control.advance(1);
    const stuck = await read(id);
    expect(stuck).toMatchObject({ status: 'action_required', status_detail: 'action_required' });
    expect(stuck.transactions.payments[0].reference_id).toBeUndefined();
    // The terminal is still busy with that card.
    expect((await k.api('POST', '/v1/orders', orderBody('15.00'), { 'x-idempotency-key': newKey() })).status).toBe(409);

    await k.control.setOnline(ORDER_TERMINAL, true);
    await k.control.advance(100);
    const late = await read(id);
    expect(late.status).toBe('action_required');
    const ref = late.transactions.payments[0].reference_id;
    expect((await k.api('GET', `/v1/payments/${ref}`)).body.status).toBe('approved');
  });

  it('null switches it off: the order waits for the card however long it takes', async () => {
    await k.control.timing({ actionRequiredAfterMs: null });
    const id = await startProcessing();
    await k.control.advance(10 * 60_000);
    expect((await read(id)).status).toBe('at_terminal');
    await k.control.setOnline(ORDER_TERMINAL, true);
    await k.control.advance(100);
    expect((await read(id)).status).toBe('processed');
  });
});

/**
 * Uncertain outcomes as the real API gives them: CONFIRMATION_REQUIRED / action_required carrying an
 * approved payment, a pending one, or none at all; and `in_process` payments that are approved, or
 * rejected, minutes after the sale (`inProcessSettleMs`).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TIMING } from './state';
import { INTENT_DEVICE, intentBody, mobileBody, newKey, openKit, ORDER_TERMINAL, orderBody, STEPPED, type Kit } from './test-kit';

describe('uncertain outcomes', () => {
  let k: Kit;
  beforeEach(async () => {
    k = await openKit({ timing: STEPPED, manualClock: true });
  });
  afterEach(() => k.close());

  const intent = async (amount: number) => {
    const c = await k.api('POST', `/point/integration-api/devices/${INTENT_DEVICE}/payment-intents`, intentBody(amount));
    await k.control.advance(300);
    return (await k.api('GET', `/point/integration-api/payment-intents/${c.body.id}`)).body;
  };
  const order = async (amount: string) => {
    const c = await k.api('POST', '/v1/orders', orderBody(amount), { 'x-idempotency-key': newKey() });
    await k.control.advance(300);
    return (await k.api('GET', `/v1/orders/${c.body.id}`)).body;
  };
  const paymentStatus = async (id: number | string) => (await k.api('GET', `/v1/payments/${id}`)).body.status;

  it('CONFIRMATION_REQUIRED with a pending payment (tail 08) and with no payment (tail 09)', async () => {
    const pending = await intent(1508);
    expect(pending.state).toBe('CONFIRMATION_REQUIRED');
    expect(await paymentStatus(pending.payment.id)).toBe('in_process');
    await k.control.advance(DEFAULT_TIMING.inProcessSettleMs);
    expect(await paymentStatus(pending.payment.id)).toBe('approved');

    const none = await intent(1509);
    expect(none.state).toBe('CONFIRMATION_REQUIRED');
    expect(none.payment?.id).toBeUndefined();
    expect((await k.control.payments()).filter((p) => p.chargeId === none.id)).toEqual([]);
  });

  it('action_required with a pending payment or none; the order itself never leaves action_required', async () => {
    const pending = await order('15.08');
    expect(pending).toMatchObject({ status: 'action_required', status_detail: 'action_required' });
    const ref = pending.transactions.payments[0].reference_id;
    expect(await paymentStatus(ref)).toBe('in_process');
    await k.control.advance(DEFAULT_TIMING.inProcessSettleMs);
    expect(await paymentStatus(ref)).toBe('approved');
    expect((await k.api('GET', `/v1/orders/${pending.id}`)).body.status).toBe('action_required');

    const none = await order('15.09');
    expect(none.status).toBe('action_required');
    expect(none.transactions.payments[0].reference_id).toBeUndefined();
  });

  it('the customer action confirmation_required takes the payment to carry', async () => {
    await k.control.timing({ customer: 'manual' });
    const c = await k.api('POST', '/v1/orders', orderBody('15.00'), { 'x-idempotency-key': newKey() });
    await k.control.customer(ORDER_TERMINAL, { action: 'confirmation_required', payment: 'none' });
    await k.control.advance(100);
    const o = (await k.api('GET', `/v1/orders/${c.body.id}`)).body;
    expect(o.status).toBe('action_required');
    expect(o.transactions.payments[0].reference_id).toBeUndefined();

    const m = await k.api('POST', '/point/services/integrations/v1', mobileBody(20));
    await k.control.customer('caja-1', { action: 'confirmation_required', payment: 'pending' });
    await k.control.advance(100);
    expect((await k.api('GET', `/point/services/integrations/v1/${m.body.id}`)).body).toMatchObject({ status: 'CLOSED', payment_status: 'in_process' });
  });

  it('an in_process payment is rejected minutes later (tail 10); the order follows it to failed', async () => {
    const o = await order('15.10');
    expect(o).toMatchObject({ status: 'processing', status_detail: 'in_process' });
    const ref = o.transactions.payments[0].reference_id;
    await k.control.advance(DEFAULT_TIMING.inProcessSettleMs - 1);
    expect(await paymentStatus(ref)).toBe('in_process');
    await k.control.advance(1);
    expect((await k.api('GET', `/v1/payments/${ref}`)).body).toMatchObject({ status: 'rejected', date_approved: null });
    expect((await k.api('GET', `/v1/orders/${o.id}`)).body).toMatchObject({ status: 'failed', status_detail: 'failed' });

    const i = await intent(1510);
    expect(i.state).toBe('FINISHED');
    await k.control.advance(DEFAULT_TIMING.inProcessSettleMs);
    expect(await paymentStatus(i.payment.id)).toBe('rejected');
  });

  it('inProcessSettleMs sets the delay; the in_process action chooses the late answer', async () => {
    await k.control.timing({ inProcessSettleMs: 10_000, customer: 'manual' });
    const c = await k.api('POST', `/point/integration-api/devices/${INTENT_DEVICE}/payment-intents`, intentBody(1500));
    await k.control.customer(INTENT_DEVICE, { action: 'in_process', settle: 'rejected' });
    await k.control.advance(100);
    const i = (await k.api('GET', `/point/integration-api/payment-intents/${c.body.id}`)).body;
    expect(await paymentStatus(i.payment.id)).toBe('in_process');
    await k.control.advance(10_000);
    expect(await paymentStatus(i.payment.id)).toBe('rejected');
  });
});

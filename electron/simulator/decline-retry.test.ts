/**
 * A declined card does not always end the charge: on the intents terminal and in the mobile app the
 * customer may try another card on the same charge, so one charge ends with two payments of the same
 * external_reference (one rejected, one approved). Orders end `failed` at the first decline.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INTENT_DEVICE, intentBody, mobileBody, newKey, openKit, ORDER_TERMINAL, orderBody, STEPPED, type Kit } from './test-kit';

const intentPath = `/point/integration-api/devices/${INTENT_DEVICE}/payment-intents`;

describe('a declined card, then another card on the same charge', () => {
  let k: Kit;
  beforeEach(async () => {
    k = await openKit({ timing: STEPPED, manualClock: true });
  });
  afterEach(() => k.close());

  const readIntent = async (id: string) => (await k.api('GET', `/point/integration-api/payment-intents/${id}`)).body;
  const payment = async (id: number) => (await k.api('GET', `/v1/payments/${id}`)).body;

  it('intents (tail 07): the intent goes back on the terminal pointing at a rejected payment, then finishes with an approved one', async () => {
    const c = await k.api('POST', intentPath, intentBody(1507));
    await k.control.advance(300); // on the terminal, card read, declined
    const afterDecline = await readIntent(c.body.id);
    expect(afterDecline.state).toBe('ON_TERMINAL');
    const first = await payment(afterDecline.payment.id);
    expect(first).toMatchObject({ status: 'rejected', status_detail: 'cc_rejected_insufficient_amount', external_reference: 'ref-1507' });
    expect((await k.api('POST', intentPath, intentBody(1500))).status).toBe(409); // still the device's charge

    await k.control.advance(200); // the customer's second card
    const done = await readIntent(c.body.id);
    expect(done.state).toBe('FINISHED');
    expect(done.payment.id).not.toBe(afterDecline.payment.id);
    expect(await payment(done.payment.id)).toMatchObject({ status: 'approved', external_reference: 'ref-1507' });
    const mine = (await k.control.payments()).filter((p) => p.chargeId === c.body.id);
    expect(mine.map((p) => p.status)).toEqual(['rejected', 'approved']);
    expect(new Set(mine.map((p) => p.externalReference))).toEqual(new Set(['ref-1507']));
  });

  it('mobile (manual customer): the order stays OPEN after the decline and closes with the second card', async () => {
    await k.control.timing({ customer: 'manual' });
    const c = await k.api('POST', '/point/services/integrations/v1', mobileBody(20));
    await k.control.customer('caja-1', { action: 'reject', retry: true });
    await k.control.advance(100);
    expect((await k.api('GET', `/point/services/integrations/v1/${c.body.id}`)).body).toEqual({ status: 'OPEN', id: c.body.id });
    expect(await k.control.terminal('caja-1')).toMatchObject({ screen: 'waiting_card', retrying: true });
    await k.control.customer('caja-1', 'approve');
    await k.control.advance(100);
    const closed = (await k.api('GET', `/point/services/integrations/v1/${c.body.id}`)).body;
    expect(closed).toMatchObject({ status: 'CLOSED', payment_status: 'approved' });
    const mine = (await k.control.payments()).filter((p) => p.chargeId === String(c.body.id));
    expect(mine.map((p) => p.status)).toEqual(['rejected', 'approved']);
    expect(String(closed.payment_id)).toBe(mine[1]!.id);
  });

  it('a customer who gives up after the decline leaves the intent ABANDONED with its rejected payment', async () => {
    await k.control.timing({ customer: 'manual' });
    const c = await k.api('POST', intentPath, intentBody(1500));
    await k.control.customer(INTENT_DEVICE, { action: 'reject', retry: true });
    await k.control.advance(100);
    await k.control.customer(INTENT_DEVICE, 'abandon');
    const i = await readIntent(c.body.id);
    expect(i.state).toBe('ABANDONED');
    expect((await payment(i.payment.id)).status).toBe('rejected');
  });

  it('orders end failed at the first decline: the terminal offers no second card', async () => {
    const c = await k.api('POST', '/v1/orders', orderBody('15.07'), { 'x-idempotency-key': newKey() });
    await k.control.advance(300);
    const o = (await k.api('GET', `/v1/orders/${c.body.id}`)).body;
    expect(o).toMatchObject({ status: 'failed', status_detail: 'failed' });
    expect((await k.control.payments()).filter((p) => p.chargeId === c.body.id).map((p) => p.status)).toEqual(['rejected']);
    expect((await k.control.terminal(ORDER_TERMINAL)).screen).toBe('result');
  });

  it('declineRetry off: a declined card ends the intent FINISHED with one rejected payment', async () => {
    await k.control.timing({ declineRetry: false });
    const c = await k.api('POST', intentPath, intentBody(1507));
    await k.control.advance(300);
    const i = await readIntent(c.body.id);
    expect(i.state).toBe('FINISHED');
    expect((await payment(i.payment.id)).status).toBe('rejected');
    expect((await k.control.payments()).filter((p) => p.chargeId === c.body.id)).toHaveLength(1);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outcomeForAmount } from './outcomes';
import { DEFAULT_TIMING } from './state';
import { INTENT_DEVICE, intentBody, MLA, mobileBody, newKey, openKit, orderBody, STEPPED, type Kit } from './test-kit';

describe('outcome by amount', () => {
  let k: Kit;
  beforeEach(async () => {
    k = await openKit(); // instant timing: every charge is final when its create answers
  });
  afterEach(() => k.close());

  const intent = async (amount: number) => {
    const c = await k.api('POST', `/point/integration-api/devices/${INTENT_DEVICE}/payment-intents`, intentBody(amount));
    expect(c.status).toBe(201);
    const i = (await k.api('GET', `/point/integration-api/payment-intents/${c.body.id}`)).body;
    const p = i.payment?.id ? (await k.api('GET', `/v1/payments/${i.payment.id}`)).body : null;
    return { state: i.state, payment: p ? `${p.status}/${p.status_detail}` : null };
  };
  const order = async (amount: string) => {
    const c = await k.api('POST', '/v1/orders', orderBody(amount), { 'x-idempotency-key': newKey() });
    expect(c.status).toBe(201);
    const o = (await k.api('GET', `/v1/orders/${c.body.id}`)).body;
    const ref = o.transactions.payments[0].reference_id;
    const p = ref ? (await k.api('GET', `/v1/payments/${ref}`)).body : null;
    return { state: `${o.status}/${o.status_detail}`, payment: p ? `${p.status}/${p.status_detail}` : null };
  };
  const mobile = async (amount: number) => {
    const c = await k.api('POST', '/point/services/integrations/v1', mobileBody(amount));
    expect(c.status).toBe(200);
    const o = (await k.api('GET', `/point/services/integrations/v1/${c.body.id}`)).body;
    return { state: o.status, payment: o.payment_status ?? null };
  };

  it('maps the last two digits of the minor amount (intents)', async () => {
    expect(await intent(1500)).toEqual({ state: 'FINISHED', payment: 'approved/accredited' });
    expect(await intent(1501)).toEqual({ state: 'FINISHED', payment: 'rejected/cc_rejected_insufficient_amount' });
    expect(await intent(1502)).toEqual({ state: 'FINISHED', payment: 'rejected/cc_rejected_other_reason' });
    expect(await intent(1503)).toEqual({ state: 'ABANDONED', payment: null });
    expect(await intent(1504)).toEqual({ state: 'CONFIRMATION_REQUIRED', payment: 'approved/accredited' });
    expect(await intent(1505)).toEqual({ state: 'FINISHED', payment: 'in_process/pending_contingency' });
    expect(await intent(1506)).toEqual({ state: 'ERROR', payment: null });
    expect(await intent(1599)).toEqual({ state: 'FINISHED', payment: 'approved/accredited' });
  });

  it('maps the same table onto orders', async () => {
    expect(await order('15.00')).toEqual({ state: 'processed/accredited', payment: 'approved/accredited' });
    expect(await order('15.01')).toEqual({ state: 'failed/failed', payment: 'rejected/cc_rejected_insufficient_amount' });
    expect(await order('15.02')).toEqual({ state: 'failed/failed', payment: 'rejected/cc_rejected_other_reason' });
    expect(await order('15.03')).toEqual({ state: 'canceled/canceled_by_terminal', payment: null });
    expect(await order('15.04')).toEqual({ state: 'action_required/action_required', payment: 'approved/accredited' });
    expect(await order('15.05')).toEqual({ state: 'processing/in_process', payment: 'in_process/pending_contingency' });
  });

  it('settles tail 05 later on the clock (orders follow their payment)', async () => {
    await k.control.clock({ mode: 'manual' });
    const c = await k.api('POST', '/v1/orders', orderBody('15.05'), { 'x-idempotency-key': newKey() });
    await k.control.advance(DEFAULT_TIMING.inProcessSettleMs);
    const o = (await k.api('GET', `/v1/orders/${c.body.id}`)).body;
    expect(o).toMatchObject({ status: 'processed', status_detail: 'accredited' });
    const p = (await k.api('GET', `/v1/payments/${o.transactions.payments[0].reference_id}`)).body;
    expect(p).toMatchObject({ status: 'approved', date_approved: expect.any(String) });
  });

  it('maps tail 06 onto orders and the mobile API', async () => {
    expect(await order('15.06')).toEqual({ state: 'failed/terminal_error', payment: null });
    expect(await mobile(15)).toEqual({ state: 'CLOSED', payment: 'approved' });
    expect(await mobile(15.01)).toEqual({ state: 'CLOSED', payment: 'rejected' });
    expect(await mobile(15.03)).toEqual({ state: 'CLOSED', payment: null });
    expect(await mobile(15.05)).toEqual({ state: 'CLOSED', payment: 'in_process' });
    expect(await mobile(15.06)).toEqual({ state: 'CLOSED', payment: null });
  });

  it('uses whole pesos as minor units for CLP/COP', () => {
    expect(outcomeForAmount(1501)).toEqual({ kind: 'rejected', detail: 'cc_rejected_insufficient_amount' });
    expect(outcomeForAmount(150_000)).toEqual({ kind: 'approved' });
  });
});

describe('manual customer mode', () => {
  let k: Kit;
  beforeEach(async () => {
    k = await openKit({ timing: { ...STEPPED, customer: 'manual' }, manualClock: true });
  });
  afterEach(() => k.close());

  it('waits for the customer until the intent would be abandoned', async () => {
    const c = await k.api('POST', `/point/integration-api/devices/${INTENT_DEVICE}/payment-intents`, intentBody(1500));
    await k.control.advance(DEFAULT_TIMING.intentAbandonMs! - 1000);
    expect((await k.control.terminal(INTENT_DEVICE)).screen).toBe('waiting_card');
    await k.control.customer(INTENT_DEVICE, { action: 'reject', statusDetail: 'cc_rejected_bad_filled_security_code' });
    expect((await k.control.terminal(INTENT_DEVICE)).screen).toBe('processing');
    await k.control.advance(100);
    const t = await k.control.terminal(INTENT_DEVICE);
    expect(t).toMatchObject({ screen: 'result', charge: { id: c.body.id, state: 'FINISHED', amountMinor: 1500 } });
    const [p] = await k.control.payments();
    expect(p).toMatchObject({ status: 'rejected', statusDetail: 'cc_rejected_bad_filled_security_code', family: 'intents', userId: MLA.userId });
    await expect(k.control.customer(INTENT_DEVICE, 'approve')).rejects.toThrow(/409/);
  });

  it('acts on a charge still on its way, and every action works', async () => {
    const path = `/point/integration-api/devices/${INTENT_DEVICE}/payment-intents`;
    const run = async (action: 'approve' | 'abandon' | 'confirmation_required' | 'present_card', amount = 1500) => {
      const c = await k.api('POST', path, intentBody(amount));
      await k.control.customer(INTENT_DEVICE, action);
      await k.control.advance(100);
      return (await k.api('GET', `/point/integration-api/payment-intents/${c.body.id}`)).body.state;
    };
    expect(await run('approve')).toBe('FINISHED');
    expect(await run('abandon')).toBe('ABANDONED');
    expect(await run('confirmation_required')).toBe('CONFIRMATION_REQUIRED');
    expect(await run('present_card', 1506)).toBe('ERROR');
  });
});

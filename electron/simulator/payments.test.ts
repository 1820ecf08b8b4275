import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INTENT_DEVICE, intentBody, MLA, MLB, newKey, openKit, type Kit } from './test-kit';

describe('/v1/payments and test users', () => {
  let k: Kit;
  beforeEach(async () => {
    k = await openKit();
  });
  afterEach(() => k.close());

  async function paid(amount: number, ref?: string): Promise<number> {
    const c = await k.api('POST', `/point/integration-api/devices/${INTENT_DEVICE}/payment-intents`, {
      ...intentBody(amount),
      additional_info: { external_reference: ref ?? `ref-${amount}` },
    });
    const i = await k.api('GET', `/point/integration-api/payment-intents/${c.body.id}`);
    return i.body.payment.id;
  }

  it('reads a payment with every field clients rely on', async () => {
    const id = await paid(123456);
    const p = await k.api('GET', `/v1/payments/${id}`);
    expect(p.status).toBe(200);
    expect(p.body).toMatchObject({
      id,
      status: 'approved',
      status_detail: 'accredited',
      transaction_amount: 1234.56,
      currency_id: 'ARS',
      external_reference: 'ref-123456',
      payment_method_id: expect.stringMatching(/^(visa|master)$/),
      card: { last_four_digits: expect.stringMatching(/^\d{4}$/) },
      installments: 1,
      date_approved: expect.any(String),
      point_of_interaction: { type: 'POINT', device: { serial_number: 'SMARTPOS1234567890' } },
    });
    expect((await k.as(MLB)('GET', `/v1/payments/${id}`)).status).toBe(404);
    expect((await k.api('GET', '/v1/payments/999')).status).toBe(404);
    expect((await k.api('GET', '/v1/payments/abc')).status).toBe(404);
  });

  it('searches by external_reference in Mercado Pago\'s shape', async () => {
    await paid(1500, 'sale-1');
    await paid(2500, 'sale-1');
    await paid(3500, 'sale-2');
    const r = await k.api('GET', '/v1/payments/search?external_reference=sale-1&limit=1');
    expect(r.status).toBe(200);
    expect(r.body.paging).toEqual({ total: 2, limit: 1, offset: 0 });
    expect(r.body.results).toHaveLength(1);
    expect(r.body.results[0].external_reference).toBe('sale-1');
    const asc = await k.api('GET', '/v1/payments/search?external_reference=sale-1&criteria=asc');
    expect(asc.body.results.map((p: { transaction_amount: number }) => p.transaction_amount)).toEqual([15, 25]);
    expect((await k.as(MLB)('GET', '/v1/payments/search?external_reference=sale-1')).body.paging.total).toBe(0);
    expect((await k.api('GET', '/v1/payments/search?limit=-1')).status).toBe(400);
  });

  it('refunds partially then fully; never more than what is left', async () => {
    const id = await paid(10000);
    const refund = (body?: unknown) => k.api('POST', `/v1/payments/${id}/refunds`, body, { 'x-idempotency-key': newKey() });
    const part = await refund({ amount: 40.5 });
    expect(part).toMatchObject({ status: 201, body: { id: expect.any(Number), payment_id: id, amount: 40.5, status: 'approved' } });
    expect((await k.api('GET', `/v1/payments/${id}`)).body.status).toBe('approved');
    expect((await refund({ amount: 59.51 })).status).toBe(400);
    expect((await refund({ amount: 0.001 })).status).toBe(400);
    expect((await refund({ amount: '10' })).status).toBe(400);
    const rest = await refund();
    expect(rest.body.amount).toBe(59.5);
    const p = (await k.api('GET', `/v1/payments/${id}`)).body;
    expect(p).toMatchObject({ status: 'refunded', transaction_amount_refunded: 100 });
    expect(p.refunds).toHaveLength(2);
    expect((await refund()).status).toBe(400);
    expect((await k.as(MLB)('POST', `/v1/payments/${id}/refunds`, {})).status).toBe(404);
  });

  it('cannot refund a rejected payment', async () => {
    const id = await paid(1501);
    expect((await k.api('GET', `/v1/payments/${id}`)).body).toMatchObject({ status: 'rejected', status_detail: 'cc_rejected_insufficient_amount' });
    expect((await k.api('POST', `/v1/payments/${id}/refunds`)).status).toBe(400);
  });

  it('creates at most 10 test users per account; unknown site is 400', async () => {
    const first = await k.api('POST', '/users/test_user', { site_id: 'MLA' });
    expect(first).toMatchObject({
      status: 201,
      body: { id: expect.any(Number), nickname: expect.stringMatching(/^TESTUSER/), password: expect.any(String), site_status: 'active', email: expect.any(String) },
    });
    expect((await k.api('POST', '/users/test_user', { site_id: 'XXX' })).status).toBe(400);
    expect((await k.api('POST', '/users/test_user', {})).status).toBe(400);
    for (let i = 0; i < 8; i++) expect((await k.api('POST', '/users/test_user', { site_id: 'MLB' })).status).toBe(201);
    expect((await k.api('POST', '/users/test', { site_id: 'MLM', description: 'tenth' })).status).toBe(201);
    const eleventh = await k.api('POST', '/users/test_user', { site_id: 'MLA' });
    expect(eleventh.status).toBe(400);
    expect(eleventh.body.cause[0].code).toBe('test_users_limit');
    expect((await k.as(MLB)('POST', '/users/test_user', { site_id: 'MLB' })).status).toBe(201); // per account
    expect((await k.as(null)('POST', '/users/test_user', { site_id: 'MLA' })).status).toBe(401);
  });

  it('answers /users/me for the token owner', async () => {
    expect((await k.api('GET', '/users/me')).body).toMatchObject({ id: MLA.userId, site_id: 'MLA', country_id: 'AR' });
  });
});

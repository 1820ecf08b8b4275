import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  INTENT_DEVICE,
  INTENT_DEVICE_2,
  intentBody,
  MLA,
  MLB,
  MLM,
  newKey,
  openKit,
  STANDALONE_DEVICE,
  STEPPED,
  type Kit,
} from './test-kit';

const create = (k: Kit, amount: number, device = INTENT_DEVICE, extra = {}) =>
  k.api('POST', `/point/integration-api/devices/${device}/payment-intents`, intentBody(amount, extra));

function expectMpError(body: unknown, status: number) {
  expect(body).toMatchObject({ message: expect.any(String), error: expect.any(String), status, cause: expect.any(Array) });
  const cause = (body as { cause: { code: string; description: string }[] }).cause;
  expect(cause.length).toBeGreaterThan(0);
  expect(cause[0]).toEqual({ code: expect.any(String), description: expect.any(String) });
}

describe('Integrations API (payment intents)', () => {
  let k: Kit;
  beforeEach(async () => {
    k = await openKit({ timing: STEPPED, manualClock: true });
  });
  afterEach(() => k.close());

  it('lists devices with paging and filters', async () => {
    const all = await k.api('GET', '/point/integration-api/devices');
    expect(all.status).toBe(200);
    expect(all.body.paging).toEqual({ total: 3, offset: 0, limit: 50 });
    expect(all.body.devices[0]).toEqual({
      id: INTENT_DEVICE,
      pos_id: 1231,
      store_id: '45601',
      external_pos_id: 'CAJA1',
      operating_mode: 'PDV',
    });
    const page = await k.api('GET', '/point/integration-api/devices?offset=1&limit=1');
    expect(page.body.devices.map((d: { id: string }) => d.id)).toEqual([INTENT_DEVICE_2]);
    expect(page.body.paging).toEqual({ total: 3, offset: 1, limit: 1 });
    const byPos = await k.api('GET', '/point/integration-api/devices?pos_id=1233&store_id=45601');
    expect(byPos.body.devices.map((d: { id: string }) => d.id)).toEqual([STANDALONE_DEVICE]);
    const bad = await k.api('GET', '/point/integration-api/devices?limit=zero');
    expect(bad.status).toBe(400);
    expectMpError(bad.body, 400);
  });

  it('sets the operating mode', async () => {
    const r = await k.api('PATCH', `/point/integration-api/devices/${INTENT_DEVICE}`, { operating_mode: 'STANDALONE' });
    expect(r).toMatchObject({ status: 200, body: { operating_mode: 'STANDALONE' } });
    const bad = await k.api('PATCH', `/point/integration-api/devices/${INTENT_DEVICE}`, { operating_mode: 'AUTO' });
    expect(bad.status).toBe(400);
    expectMpError(bad.body, 400);
    expect((await k.api('PATCH', '/point/integration-api/devices/NOPE', { operating_mode: 'PDV' })).status).toBe(404);
  });

  it('walks an intent OPEN → ON_TERMINAL → PROCESSING → FINISHED with an approved payment', async () => {
    const c = await create(k, 1500);
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({ id: expect.any(String), device_id: INTENT_DEVICE, amount: 1500, description: 'Caja test' });
    expect(c.body.additional_info).toEqual({ external_reference: 'ref-1500', print_on_terminal: true });
    const read = () => k.api('GET', `/point/integration-api/payment-intents/${c.body.id}`);
    expect((await read()).body.state).toBe('OPEN');
    expect((await read()).body.payment).toBeUndefined();
    await k.control.advance(100);
    expect((await read()).body.state).toBe('ON_TERMINAL');
    expect((await k.control.terminal(INTENT_DEVICE)).screen).toBe('waiting_card');
    await k.control.advance(100);
    expect((await read()).body.state).toBe('PROCESSING');
    expect((await k.control.terminal(INTENT_DEVICE)).screen).toBe('processing');
    await k.control.advance(100);
    const done = (await read()).body;
    expect(done.state).toBe('FINISHED');
    expect(done.payment.id).toEqual(expect.any(Number));
    const p = await k.api('GET', `/v1/payments/${done.payment.id}`);
    expect(p.body).toMatchObject({ status: 'approved', transaction_amount: 15, currency_id: 'ARS', external_reference: 'ref-1500' });
    const ev = await k.api('GET', `/point/integration-api/payment-intents/${c.body.id}/events`);
    expect(ev.body).toEqual({ payment_intent_id: c.body.id, status: 'FINISHED', created_on: expect.any(String) });
    const day = ev.body.created_on.slice(0, 10);
    const list = await k.api('GET', `/point/integration-api/payment-intents/events?startDate=${day}&endDate=${day}`);
    expect(list.body.events).toEqual([{ payment_intent_id: c.body.id, status: 'FINISHED', created_on: ev.body.created_on }]);
    const none = await k.api('GET', '/point/integration-api/payment-intents/events?startDate=2001-01-01&endDate=2001-01-02');
    expect(none.body.events).toEqual([]);
    const missing = await k.api('GET', '/point/integration-api/payment-intents/events?startDate=2001-01-01');
    expect(missing.status).toBe(400);
  });

  it('allows one intent per device: a second create is 409 "Device has a queued payment intent"', async () => {
    expect((await create(k, 1500)).status).toBe(201);
    const second = await create(k, 2500);
    expect(second.status).toBe(409);
    expectMpError(second.body, 409);
    expect(second.body.message).toContain('Device has a queued payment intent');
    expect((await create(k, 2500, INTENT_DEVICE_2)).status).toBe(201); // another device is free
    await k.control.advance(300);
    expect((await create(k, 2500)).status).toBe(201); // free again once finished
  });

  it('cancels only while OPEN, else 409; the device is free again', async () => {
    const c = await create(k, 1500);
    const del = await k.api('DELETE', `/point/integration-api/devices/${INTENT_DEVICE}/payment-intents/${c.body.id}`);
    expect(del).toMatchObject({ status: 200, body: { id: c.body.id } });
    expect((await k.api('GET', `/point/integration-api/payment-intents/${c.body.id}`)).body.state).toBe('CANCELED');
    const again = await k.api('DELETE', `/point/integration-api/devices/${INTENT_DEVICE}/payment-intents/${c.body.id}`);
    expect(again.status).toBe(409);
    const c2 = await create(k, 1500);
    expect(c2.status).toBe(201);
    await k.control.advance(100);
    const late = await k.api('DELETE', `/point/integration-api/devices/${INTENT_DEVICE}/payment-intents/${c2.body.id}`);
    expect(late.status).toBe(409);
    expectMpError(late.body, 409);
    const wrongDevice = await k.api('DELETE', `/point/integration-api/devices/${INTENT_DEVICE_2}/payment-intents/${c2.body.id}`);
    expect(wrongDevice.status).toBe(404);
  });

  it('a STANDALONE device accepts the create and never picks the intent up', async () => {
    const c = await create(k, 1500, STANDALONE_DEVICE);
    expect(c.status).toBe(201);
    await k.control.advance(60_000);
    expect((await k.api('GET', `/point/integration-api/payment-intents/${c.body.id}`)).body.state).toBe('OPEN');
    expect((await create(k, 1500, STANDALONE_DEVICE)).status).toBe(409);
    const del = await k.api('DELETE', `/point/integration-api/devices/${STANDALONE_DEVICE}/payment-intents/${c.body.id}`);
    expect(del.status).toBe(200);
  });

  it('validates amounts per site, types and the Brazil-only payment object', async () => {
    for (const [amount, status] of [
      [499, 400],
      [500, 201],
      [400_000_001, 400],
      [15.5, 400],
      ['1500', 400],
    ] as const) {
      const r = await create(k, amount as number, INTENT_DEVICE_2);
      expect(r.status, `amount ${amount}`).toBe(status);
      if (status === 400) expectMpError(r.body, 400);
      if (r.status === 201) await k.api('DELETE', `/point/integration-api/devices/${INTENT_DEVICE_2}/payment-intents/${r.body.id}`);
    }
    const noAmount = await k.api('POST', `/point/integration-api/devices/${INTENT_DEVICE}/payment-intents`, { description: 'x' });
    expect(noAmount.status).toBe(400);
    expect(noAmount.body.cause[0].code).toBe('required_parameter');
    const payment = await create(k, 1500, INTENT_DEVICE, { payment: { type: 'credit_card', installments: 3, installments_cost: 'seller' } });
    expect(payment.status).toBe(400);
    expect(payment.body.cause[0].description).toContain('MLB');
    const notFound = await create(k, 1500, 'PAX_A910__SMARTPOS2234567890'); // MLB's device
    expect(notFound.status).toBe(404);

    const br = k.as(MLB);
    const brDevice = 'PAX_A910__SMARTPOS2234567890';
    const brPath = `/point/integration-api/devices/${brDevice}/payment-intents`;
    expect((await br('POST', brPath, { amount: 99 })).status).toBe(400);
    expect((await br('POST', brPath, { amount: 7_000_001 })).status).toBe(400);
    expect((await br('POST', brPath, { amount: 100, payment: { type: 'debit_card', installments: 2 } })).status).toBe(400);
    expect((await br('POST', brPath, { amount: 100, payment: { type: 'credit_card', installments: 73 } })).status).toBe(400);
    const ok = await br('POST', brPath, { amount: 100, payment: { type: 'credit_card', installments: 12, installments_cost: 'buyer' } });
    expect(ok.status).toBe(201);
    expect(ok.body.payment).toEqual({ type: 'credit_card', installments: 12, installments_cost: 'buyer' });
    const mx = k.as(MLM);
    expect((await mx('POST', '/point/integration-api/devices/PAX_A910__SMARTPOS3234567890/payment-intents', { amount: 35_000_001 })).status).toBe(400);
  });

  it('answers 401 without a valid token and 404 across accounts', async () => {
    const c = await create(k, 1500);
    const anon = k.as(null);
    const r = await anon('GET', '/point/integration-api/devices');
    expect(r.status).toBe(401);
    expectMpError(r.body, 401);
    const bogus = await k.as({ ...MLA, token: 'TEST-nope' })('GET', `/point/integration-api/payment-intents/${c.body.id}`);
    expect(bogus.status).toBe(401);
    const other = k.as(MLB);
    expect((await other('GET', `/point/integration-api/payment-intents/${c.body.id}`)).status).toBe(404);
    expect((await other('DELETE', `/point/integration-api/devices/${INTENT_DEVICE}/payment-intents/${c.body.id}`)).status).toBe(404);
    expect((await other('POST', `/point/integration-api/devices/${INTENT_DEVICE}/payment-intents`, intentBody(1500))).status).toBe(404);
    expect((await other('GET', '/point/integration-api/devices')).body.devices.map((d: { id: string }) => d.id)).toEqual([
      'PAX_A910__SMARTPOS2234567890',
    ]);
  });

  it('replays a create with the same X-Idempotency-Key instead of answering 409', async () => {
    const key = newKey();
    const path = `/point/integration-api/devices/${INTENT_DEVICE}/payment-intents`;
    const first = await k.api('POST', path, intentBody(1500), { 'x-idempotency-key': key });
    const again = await k.api('POST', path, intentBody(1500), { 'x-idempotency-key': key });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    const different = await k.api('POST', path, intentBody(2500), { 'x-idempotency-key': key });
    expect(different.status).toBe(409);
    expect(different.body.cause[0].code).toBe('idempotency_key_already_used');
  });

  it('rejects bad JSON, unknown routes and wrong methods', async () => {
    const bad = await k.api('POST', `/point/integration-api/devices/${INTENT_DEVICE}/payment-intents`, '{"amount":');
    expect(bad.status).toBe(400);
    expectMpError(bad.body, 400);
    const arr = await k.api('POST', `/point/integration-api/devices/${INTENT_DEVICE}/payment-intents`, [1500]);
    expect(arr.status).toBe(400);
    const unknown = await k.api('GET', '/point/integration-api/nothing');
    expect(unknown.status).toBe(404);
    expectMpError(unknown.body, 404);
    const wrong = await k.api('PUT', '/point/integration-api/devices');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
    expect((await k.api('GET', '/point/integration-api/payment-intents/unknown-id')).status).toBe(404);
  });
});

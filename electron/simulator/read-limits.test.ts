/**
 * Every read family is rate limited per resource by default (intents, orders, payments by id and
 * search, mobile orders): a faster read answers 429 with `Retry-After` in the family's error shape.
 * `readLimits` tunes or switches off one family; `readsPerSecond` sets all of them.
 *
 * The limit runs on real time; the tests use limits of one read per 10 s so that two reads in a row
 * are always "too fast", however slow the machine.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INTENT_DEVICE, INSTANT, intentBody, mobileBody, newKey, openKit, orderBody, type Kit } from './test-kit';

describe('read limits', () => {
  let k: Kit;
  beforeEach(async () => {
    k = await openKit({ timing: INSTANT, readLimit: true });
  });
  afterEach(() => k.close());

  const twice = async (path: string) => {
    const first = await k.api('GET', path);
    const second = await k.api('GET', path);
    return [first, second] as const;
  };

  it('limits every family by default, each resource on its own', async () => {
    await k.control.faults({ readsPerSecond: 0.1 });
    const intent = await k.api('POST', `/point/integration-api/devices/${INTENT_DEVICE}/payment-intents`, intentBody(1500));
    const order = await k.api('POST', '/v1/orders', orderBody('15.00'), { 'x-idempotency-key': newKey() });
    const mobile = await k.api('POST', '/point/services/integrations/v1', mobileBody(20));
    const [payment] = await k.control.payments();

    const paths = [
      `/point/integration-api/payment-intents/${intent.body.id}`,
      `/v1/orders/${order.body.id}`,
      `/v1/payments/${payment!.id}`,
      '/v1/payments/search?external_reference=ref-1500',
      `/point/services/integrations/v1/${mobile.body.id}`,
    ];
    for (const path of paths) {
      const [first, second] = await twice(path);
      expect([path, first.status]).toEqual([path, 200]);
      expect([path, second.status]).toEqual([path, 429]);
      expect(Number(second.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    // Another resource of the same family has its own budget.
    expect((await k.api('GET', '/v1/payments/search?external_reference=other')).status).toBe(200);
  });

  it('answers 429 in each family’s own error shape', async () => {
    await k.control.faults({ readsPerSecond: 0.1 });
    const order = await k.api('POST', '/v1/orders', orderBody('15.00'), { 'x-idempotency-key': newKey() });
    const [, o] = await twice(`/v1/orders/${order.body.id}`);
    expect(o.body).toEqual({ errors: [{ code: 'too_many_requests', message: expect.any(String), details: expect.any(Array) }] });
    const mobile = await k.api('POST', '/point/services/integrations/v1', mobileBody(20));
    const [, m] = await twice(`/point/services/integrations/v1/${mobile.body.id}`);
    expect(m.body).toMatchObject({ status: 429, error: 'too_many_requests', cause: [{ code: 'too_many_requests' }] });
  });

  it('readLimits switches one family off and leaves the others limited', async () => {
    await k.control.faults({ readsPerSecond: 0.1, readLimits: { payments: null } });
    const order = await k.api('POST', '/v1/orders', orderBody('15.00'), { 'x-idempotency-key': newKey() });
    const [payment] = await k.control.payments();
    const [, p] = await twice(`/v1/payments/${payment!.id}`);
    expect(p.status).toBe(200);
    const [, o] = await twice(`/v1/orders/${order.body.id}`);
    expect(o.status).toBe(429);
  });

  it('is on by default after a reset (1 read/s per resource in every family)', async () => {
    await k.control.faults({ readsPerSecond: null });
    await k.control.reset();
    const r = await fetch(`${k.sim.baseUrl}/__sim/info`);
    const info = (await r.json()) as { faults: { readLimits: Record<string, number | null> } };
    expect(info.faults.readLimits).toEqual({ intents: 1, orders: 1, payments: 1, mobile: 1 });
  });
});

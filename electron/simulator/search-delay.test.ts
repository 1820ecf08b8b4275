/**
 * `/v1/payments/search` is eventually consistent: a new payment shows up in it only `searchDelayMs`
 * after its creation, while `GET /v1/payments/{id}` finds it at once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TIMING } from './state';
import { INTENT_DEVICE, intentBody, openKit, STEPPED, type Kit } from './test-kit';

describe('payment search delay', () => {
  let k: Kit;
  beforeEach(async () => {
    k = await openKit({ timing: STEPPED, manualClock: true });
  });
  afterEach(() => k.close());

  const pay = async (ref: string) => {
    const c = await k.api('POST', `/point/integration-api/devices/${INTENT_DEVICE}/payment-intents`, intentBody(1500, { additional_info: { external_reference: ref } }));
    await k.control.advance(300);
    return (await k.api('GET', `/point/integration-api/payment-intents/${c.body.id}`)).body.payment.id as number;
  };
  const search = async (ref: string) => (await k.api('GET', `/v1/payments/search?external_reference=${ref}`)).body;

  it('is on by default: the search finds a new payment only after searchDelayMs, GET by id at once', async () => {
    const id = await pay('sale-late');
    expect((await k.api('GET', `/v1/payments/${id}`)).body).toMatchObject({ id, status: 'approved' });
    expect(await search('sale-late')).toMatchObject({ paging: { total: 0 }, results: [] });
    await k.control.advance(DEFAULT_TIMING.searchDelayMs - 1);
    expect((await search('sale-late')).paging.total).toBe(0);
    await k.control.advance(1);
    const found = await search('sale-late');
    expect(found.paging.total).toBe(1);
    expect(found.results[0].id).toBe(id);
  });

  it('a knob given to startSimulator (as the engine tests do) holds after a reset', async () => {
    const own = await openKit({ timing: { ...STEPPED, searchDelayMs: 0 }, manualClock: true });
    try {
      await own.control.reset();
      await own.control.clock({ mode: 'manual' });
      const c = await own.api('POST', `/point/integration-api/devices/${INTENT_DEVICE}/payment-intents`, intentBody(1500));
      await own.control.advance(300);
      const found = (await own.api('GET', '/v1/payments/search?external_reference=ref-1500')).body;
      expect(found.results.map((p: { metadata: { charge_id: string } }) => p.metadata.charge_id)).toEqual([c.body.id]);
    } finally {
      await own.close();
    }
  });

  it('searchDelayMs 0 makes the search consistent at once', async () => {
    await k.control.timing({ searchDelayMs: 0 });
    const id = await pay('sale-now');
    expect((await search('sale-now')).results.map((p: { id: number }) => p.id)).toEqual([id]);
  });
});

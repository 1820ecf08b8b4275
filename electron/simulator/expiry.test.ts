/**
 * Charges nobody pays do not wait forever: intents become ABANDONED (15 min by default, as Mercado
 * Pago does since July 2024), mobile orders close without a payment, orders honour their own
 * `expiration_time`. Each frees its terminal; each can be tuned or switched off through timing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TIMING } from './state';
import { INTENT_DEVICE, intentBody, mobileBody, newKey, openKit, ORDER_TERMINAL, orderBody, STANDALONE_DEVICE, STEPPED, type Kit } from './test-kit';

const intentPath = (device = INTENT_DEVICE) => `/point/integration-api/devices/${device}/payment-intents`;

describe('charges nobody pays', () => {
  let k: Kit;
  beforeEach(async () => {
    k = await openKit({ timing: { ...STEPPED, customer: 'manual' }, manualClock: true });
  });
  afterEach(() => k.close());

  it('an intent waiting on the terminal becomes ABANDONED after intentAbandonMs and frees the device', async () => {
    const c = await k.api('POST', intentPath(), intentBody(1500));
    await k.control.advance(DEFAULT_TIMING.intentAbandonMs! - 1);
    const read = async () => (await k.api('GET', `/point/integration-api/payment-intents/${c.body.id}`)).body;
    expect((await read()).state).toBe('ON_TERMINAL');
    await k.control.advance(1);
    const i = await read();
    expect(i.state).toBe('ABANDONED');
    expect(i.payment?.id).toBeUndefined();
    const last = await k.api('GET', `/point/integration-api/payment-intents/${c.body.id}/events`);
    expect(last.body.status).toBe('ABANDONED');
    expect((await k.api('POST', intentPath(), intentBody(1500))).status).toBe(201);
  });

  it('an intent a STANDALONE device never picked up is abandoned too', async () => {
    const c = await k.api('POST', intentPath(STANDALONE_DEVICE), intentBody(1500));
    await k.control.advance(DEFAULT_TIMING.intentAbandonMs!);
    expect((await k.api('GET', `/point/integration-api/payment-intents/${c.body.id}`)).body.state).toBe('ABANDONED');
  });

  it('intentAbandonMs is a knob; null switches abandonment off', async () => {
    await k.control.timing({ intentAbandonMs: 5000 });
    const c = await k.api('POST', intentPath(), intentBody(1500));
    await k.control.advance(5000);
    expect((await k.api('GET', `/point/integration-api/payment-intents/${c.body.id}`)).body.state).toBe('ABANDONED');

    await k.control.timing({ intentAbandonMs: null });
    const c2 = await k.api('POST', intentPath(), intentBody(1500));
    await k.control.advance(24 * 3600_000);
    expect((await k.api('GET', `/point/integration-api/payment-intents/${c2.body.id}`)).body.state).toBe('ON_TERMINAL');
  });

  it('a card being read when the time runs out still finishes', async () => {
    await k.control.timing({ intentAbandonMs: 1000, processingMs: 5000 });
    const c = await k.api('POST', intentPath(), intentBody(1500));
    await k.control.advance(100);
    await k.control.customer(INTENT_DEVICE, 'approve');
    await k.control.advance(1000);
    expect((await k.api('GET', `/point/integration-api/payment-intents/${c.body.id}`)).body.state).toBe('PROCESSING');
    await k.control.advance(5000);
    expect((await k.api('GET', `/point/integration-api/payment-intents/${c.body.id}`)).body.state).toBe('FINISHED');
  });

  it('a mobile order closes without payment after mobileExpireMs and the phone is FREE again', async () => {
    const c = await k.api('POST', '/point/services/integrations/v1', mobileBody(20));
    const read = async () => (await k.api('GET', `/point/services/integrations/v1/${c.body.id}`)).body;
    await k.control.advance(DEFAULT_TIMING.mobileExpireMs! - 1);
    expect((await read()).status).toBe('OPEN');
    await k.control.advance(1);
    const closed = await read();
    expect(closed).toMatchObject({ status: 'CLOSED', id: c.body.id });
    expect(closed.payment_id).toBeUndefined();
    const devices = (await k.api('GET', '/point/services/integrations/v1/devices')).body.devices;
    expect(devices[0].status).toEqual({ status: 'FREE', payment_attempt: null });
  });

  it('an order honours its own expiration_time, also while at the terminal', async () => {
    const c = await k.api('POST', '/v1/orders', orderBody('15.00', { expiration_time: 'PT45S' }), { 'x-idempotency-key': newKey() });
    await k.control.advance(100);
    expect((await k.api('GET', `/v1/orders/${c.body.id}`)).body.status).toBe('at_terminal');
    await k.control.advance(45_000 - 100);
    expect((await k.api('GET', `/v1/orders/${c.body.id}`)).body).toMatchObject({ status: 'expired', status_detail: 'expired' });
    expect((await k.control.terminal(ORDER_TERMINAL)).screen).toBe('result');
  });

  it('expirations survive a state file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'caja-sim-expiry-'));
    const stateFile = join(dir, 'state.json');
    try {
      const a = await openKit({ timing: { ...STEPPED, customer: 'manual' }, stateFile });
      const c = await a.api('POST', intentPath(), intentBody(1500));
      await a.close();
      const b = await openKit({ timing: { ...STEPPED, customer: 'manual' }, stateFile, manualClock: true });
      await b.control.advance(DEFAULT_TIMING.intentAbandonMs!);
      expect((await b.api('GET', `/point/integration-api/payment-intents/${c.body.id}`)).body.state).toBe('ABANDONED');
      await b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

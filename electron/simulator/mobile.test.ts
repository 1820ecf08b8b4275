import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MLA, MLB, mobileBody, openKit, STEPPED, type Kit } from './test-kit';

describe('Mobile Integration via API', () => {
  let k: Kit;
  beforeEach(async () => {
    k = await openKit({ timing: STEPPED, manualClock: true });
  });
  afterEach(() => k.close());

  const devices = async () => (await k.api('GET', '/point/services/integrations/v1/devices')).body.devices;

  it('enables integrators for the token owner only', async () => {
    expect((await k.api('POST', '/point/services/user/status/integrators', { id: MLA.userId })).status).toBe(200);
    expect((await k.api('POST', '/point/services/user/status/integrators', { id: MLB.userId })).status).toBe(400);
    expect((await k.api('POST', '/point/services/user/status/integrators', {})).status).toBe(400);
  });

  it('creates an order, shows the device BUSY, closes it with the payment', async () => {
    expect(await devices()).toEqual([
      { name: 'caja-1', caller: MLA.userId, id: expect.any(Number), status: { status: 'FREE', payment_attempt: null } },
      { name: 'caja-2', caller: MLA.userId, id: expect.any(Number), status: { status: 'FREE', payment_attempt: null } },
    ]);
    const c = await k.api('POST', '/point/services/integrations/v1', mobileBody(100));
    expect(c).toMatchObject({ status: 200, body: { status: 'OPEN', id: expect.any(Number) } });
    expect((await devices())[0].status).toEqual({ status: 'BUSY', payment_attempt: c.body.id });
    expect((await k.api('GET', `/point/services/integrations/v1/${c.body.id}`)).body).toEqual({ status: 'OPEN', id: c.body.id });
    const busy = await k.api('POST', '/point/services/integrations/v1', mobileBody(100));
    expect(busy.status).toBe(409);
    await k.control.advance(300);
    const closed = (await k.api('GET', `/point/services/integrations/v1/${c.body.id}`)).body;
    expect(closed).toMatchObject({ status: 'CLOSED', id: c.body.id, payment_id: expect.any(Number), payment_status: 'approved', external_reference: 'mob-100' });
    const p = await k.api('GET', `/v1/payments/${closed.payment_id}`);
    expect(p.body).toMatchObject({ transaction_amount: 100, currency_id: 'ARS', payment_type_id: 'credit_card' });
    expect((await devices())[0].status.status).toBe('FREE');
  });

  it('validates amount (decimal number), description ≤ 20 and the required fields', async () => {
    const bad = [
      mobileBody(100, { description: 'x'.repeat(21) }),
      mobileBody(100.001),
      mobileBody(4.99),
      { ...mobileBody(100), amount: '100' },
      { ...mobileBody(100), cc_type: 'cash' },
      { amount: 100 },
      mobileBody(100, { payer_email: 'nope' }),
    ];
    for (const body of bad) {
      const r = await k.api('POST', '/point/services/integrations/v1', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body).toMatchObject({ status: 400, error: 'bad_request', cause: expect.arrayContaining([expect.objectContaining({ code: expect.any(String) })]) });
    }
    const missing = await k.api('POST', '/point/services/integrations/v1', {});
    expect(missing.body.cause.map((c: { description: string }) => c.description)).toEqual(
      expect.arrayContaining(['amount is required', 'description is required', 'device_name is required', 'cc_type is required']),
    );
    expect((await k.api('POST', '/point/services/integrations/v1', mobileBody(12.5, { description: 'x'.repeat(20) }))).status).toBe(200);
    expect((await k.api('POST', '/point/services/integrations/v1', mobileBody(100, { device_name: 'nope' }))).status).toBe(404);
  });

  it('cancels by id (204) and by device (200 OK)', async () => {
    await k.control.timing({ customer: 'manual' });
    const c = await k.api('POST', '/point/services/integrations/v1', mobileBody(100));
    const del = await k.api('DELETE', `/point/services/integrations/v1/${c.body.id}`);
    expect(del.status).toBe(204);
    expect((await k.api('GET', `/point/services/integrations/v1/${c.body.id}`)).body).toMatchObject({ status: 'CLOSED' });
    expect((await k.api('GET', `/point/services/integrations/v1/${c.body.id}`)).body.payment_id).toBeUndefined();
    expect((await k.api('DELETE', `/point/services/integrations/v1/${c.body.id}`)).status).toBe(409);
    const c2 = await k.api('POST', '/point/services/integrations/v1', mobileBody(100));
    await k.control.advance(100);
    const byDevice = await k.api('DELETE', '/point/services/integrations/v1/attempt/device/caja-1');
    expect(byDevice).toMatchObject({ status: 200, body: { status: 'OK' } });
    expect((await k.api('GET', `/point/services/integrations/v1/${c2.body.id}`)).body.status).toBe('CLOSED');
    expect((await devices())[0].status.status).toBe('FREE');
    // Once the card is being read, cancelling is too late.
    await k.api('POST', '/point/services/integrations/v1', mobileBody(100));
    await k.control.customer('caja-1', 'approve');
    expect((await k.api('DELETE', '/point/services/integrations/v1/attempt/device/caja-1')).status).toBe(409);
  });

  it('removes a device; other accounts see nothing of it', async () => {
    const c = await k.api('POST', '/point/services/integrations/v1', mobileBody(100, { device_name: 'caja-2' }));
    const other = k.as(MLB);
    expect((await other('GET', `/point/services/integrations/v1/${c.body.id}`)).status).toBe(404);
    expect((await other('DELETE', `/point/services/integrations/v1/${c.body.id}`)).status).toBe(404);
    expect((await other('DELETE', '/point/services/integrations/v1/devices/caja-1')).status).toBe(404);
    expect((await other('GET', '/point/services/integrations/v1/devices')).body.devices.map((d: { name: string }) => d.name)).toEqual(['caixa-1']);
    expect((await k.as(null)('GET', '/point/services/integrations/v1/devices')).status).toBe(401);
    expect((await k.api('DELETE', '/point/services/integrations/v1/devices/caja-1')).body).toEqual({ status: 'OK' });
    expect((await devices()).map((d: { name: string }) => d.name)).toEqual(['caja-2']);
    expect((await k.api('POST', '/point/services/integrations/v1', mobileBody(100))).status).toBe(404);
  });

  it('lists an offline phone as BUSY and resumes when it is back', async () => {
    await k.control.setOnline('caja-1', false);
    expect((await devices())[0].status).toEqual({ status: 'BUSY', payment_attempt: null });
    await k.control.setOnline('caja-1', true);
    const c = await k.api('POST', '/point/services/integrations/v1', mobileBody(100));
    await k.control.setOnline('caja-1', false);
    await k.control.advance(10_000);
    expect((await k.api('GET', `/point/services/integrations/v1/${c.body.id}`)).body.status).toBe('OPEN');
    expect((await k.control.terminal('caja-1')).online).toBe(false);
    await k.control.setOnline('caja-1', true);
    await k.control.advance(300);
    expect((await k.api('GET', `/point/services/integrations/v1/${c.body.id}`)).body.status).toBe('CLOSED');
  });
});

/**
 * The shapes the real API answers with that the simulator used to lack (issue 9): integration data
 * and the default card type on orders, paid/refunded amounts, `payment_mode` on intents, dates on the
 * newer test-user form, the docs' virtual terminal, the seed's own enable-integrators call, and the
 * bare serial number a payment carries. Each one is read through the public API, as a client would.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SEED_ACCOUNTS } from './seed';
import {
  INSTANT,
  INTENT_DEVICE,
  intentBody,
  MLA,
  mobileBody,
  newKey,
  openKit,
  ORDER_TERMINAL,
  orderBody,
  type Kit,
} from './test-kit';

const VIRTUAL_TERMINAL = 'NEWLAND_N950__SBX0000001';

describe('real shapes', () => {
  let k: Kit;
  beforeEach(async () => {
    k = await openKit({ timing: INSTANT });
  });
  afterEach(() => k.close());

  const createOrder = (body: unknown) => k.api('POST', '/v1/orders', body, { 'x-idempotency-key': newKey() });

  it('orders carry integration_data: the token application_id and what the client sent', async () => {
    const sent = { platform_id: 'dev_caja', integrator_id: 'dev_123', sponsor: { id: '445566' } };
    const c = await createOrder(orderBody('15.00', { integration_data: sent }));
    expect(c.status).toBe(201);
    expect(c.body.integration_data).toEqual({ application_id: expect.stringMatching(/^\d+$/), ...sent });
    const read = await k.api('GET', `/v1/orders/${c.body.id}`);
    expect(read.body.integration_data).toEqual(c.body.integration_data);

    const plain = await createOrder(orderBody('16.00', {}, 'NEWLAND_N950__N950NCB000000002'));
    expect(plain.body.integration_data).toEqual({ application_id: c.body.integration_data.application_id });
  });

  it('refuses integration_data it does not know, listing every problem', async () => {
    const r = await createOrder(orderBody('15.00', { integration_data: { platform_id: 7, sponsor: { id: 'abc' }, partner: 'x' } }));
    expect(r.status).toBe(400);
    expect(r.body.errors[0].code).toBe('invalid_properties');
    expect(r.body.errors[0].details).toEqual([
      expect.stringContaining('integration_data.platform_id'),
      expect.stringContaining('integration_data.sponsor.id'),
      expect.stringContaining('partner'),
    ]);
  });

  it('orders always say their default card type: credit unless the client asked for debit', async () => {
    const body = orderBody('15.00');
    delete (body.config as { payment_method?: unknown }).payment_method;
    const credit = await createOrder(body);
    expect(credit.body.config.payment_method).toEqual({ default_type: 'credit_card' });
    const debit = await createOrder(
      orderBody('16.00', { config: { point: { terminal_id: 'NEWLAND_N950__N950NCB000000002' }, payment_method: { default_type: 'debit_card', default_installments: 1 } } }),
    );
    expect(debit.body.config.payment_method).toEqual({ default_type: 'debit_card', default_installments: 1 });
  });

  it("a refunded order's payment says what was paid and what was refunded", async () => {
    const c = await createOrder(orderBody('100.00'));
    const paid = await k.api('GET', `/v1/orders/${c.body.id}`);
    expect(paid.body.status).toBe('processed');
    expect(paid.body.total_paid_amount).toBe('100.00');
    expect(paid.body.transactions.payments[0]).toMatchObject({ paid_amount: '100.00' });
    expect(paid.body.transactions.payments[0]).not.toHaveProperty('refunded_amount');

    const payId = paid.body.transactions.payments[0].id as string;
    const refund = (body?: unknown) => k.api('POST', `/v1/orders/${c.body.id}/refund`, body, { 'x-idempotency-key': newKey() });
    const part = await refund({ transactions: [{ id: payId, amount: '30.00' }] });
    expect(part.body.transactions.payments[0]).toMatchObject({ paid_amount: '100.00', refunded_amount: '30.00' });
    const rest = await refund();
    expect(rest.body.status).toBe('refunded');
    expect(rest.body.transactions.payments[0]).toMatchObject({ paid_amount: '100.00', refunded_amount: '100.00' });
  });

  it('intents carry payment_mode "card" on create and on read', async () => {
    const c = await k.api('POST', `/point/integration-api/devices/${INTENT_DEVICE}/payment-intents`, intentBody(1500));
    expect(c.status).toBe(201);
    expect(c.body.payment_mode).toBe('card');
    const read = await k.api('GET', `/point/integration-api/payment-intents/${c.body.id}`);
    expect(read.body).toMatchObject({ id: c.body.id, payment_mode: 'card' });
  });

  it('the newer POST /users/test answers with date_created and date_last_updated', async () => {
    const r = await k.api('POST', '/users/test', { site_id: 'MLC', description: 'cashier trainee' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ site_id: 'MLC', description: 'cashier trainee', site_status: 'active' });
    expect(Number.isNaN(Date.parse(r.body.date_created))).toBe(false);
    expect(r.body.date_last_updated).toBe(r.body.date_created);
  });

  it("knows the docs' virtual test terminal and forces its orders with /events", async () => {
    const list = await k.api('GET', '/terminals/v1/list');
    expect(list.body.data.terminals.map((t: { id: string }) => t.id)).toContain(VIRTUAL_TERMINAL);
    await k.control.timing({ customer: 'manual' });
    const c = await createOrder(orderBody('15.00', {}, VIRTUAL_TERMINAL));
    expect(c.status).toBe(201);
    expect((await k.api('POST', `/v1/orders/${c.body.id}/events`, { status: 'processed' })).status).toBe(204);
    expect((await k.api('GET', `/v1/orders/${c.body.id}`)).body.status).toBe('processed');
  });

  it('payments carry the bare serial of the reader, never the API device id', async () => {
    await k.api('POST', `/point/integration-api/devices/${INTENT_DEVICE}/payment-intents`, intentBody(1500));
    await createOrder(orderBody('15.00'));
    await k.api('POST', '/point/services/integrations/v1', mobileBody(15));
    const serials = Object.fromEntries(
      (await k.api('GET', '/v1/payments/search?limit=10')).body.results.map((p: { metadata: { integration: string }; point_of_interaction: { device: { serial_number: string } } }) => [
        p.metadata.integration,
        p.point_of_interaction.device.serial_number,
      ]),
    );
    expect(serials.intents).toBe('SMARTPOS1234567890');
    expect(serials.orders).toBe(ORDER_TERMINAL.split('__')[1]);
    expect(serials.mobile).toMatch(/^MPREADER[0-9A-F]{10}$/);
    expect(Object.values(serials)).not.toContain('caja-1');
  });
});

describe("the seed's enable-integrators call", () => {
  let k: Kit;
  beforeEach(async () => {
    k = await openKit({ timing: INSTANT });
  });
  afterEach(() => k.close());

  const path = '/point/services/user/status/integrators';

  it('is accepted exactly as the seed writes it: ?access_token= (with its stray space) and {"Id": …}', async () => {
    const res = await fetch(`${k.sim.baseUrl}${path}?access_token=%20${MLA.token}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application / json' }, // sic: the seed's own spelling
      body: `{\n    "Id": ${MLA.userId}\n} `,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'OK' });
  });

  it('is accepted with Authorization: Bearer and {"id": …} too', async () => {
    expect(await k.api('POST', path, { id: MLA.userId })).toMatchObject({ status: 200, body: { status: 'OK' } });
  });

  it('stays strict: another user, two different ids, no id, a query token anywhere else', async () => {
    const mlb = SEED_ACCOUNTS[1]!;
    expect((await k.api('POST', path, { Id: mlb.userId })).status).toBe(400);
    expect((await k.api('POST', path, { Id: MLA.userId, id: mlb.userId })).status).toBe(400);
    expect((await k.api('POST', path, {})).body.cause[0].code).toBe('required_parameter');
    const elsewhere = await fetch(`${k.sim.baseUrl}/point/integration-api/devices?access_token=${MLA.token}`);
    expect(elsewhere.status).toBe(401);
  });

  it('never writes a query-string token into the request log', async () => {
    await fetch(`${k.sim.baseUrl}${path}?access_token=${MLA.token}`, { method: 'POST', body: JSON.stringify({ Id: MLA.userId }) });
    const [entry] = await k.control.requests();
    expect(entry).toMatchObject({ path, userId: MLA.userId, status: 200, query: { access_token: '[redacted]' } });
    const raw = await fetch(`${k.sim.baseUrl}/__sim/requests`).then((r) => r.text());
    expect(raw).not.toContain(MLA.token);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TIMING } from './state';
import { MLA, MLB, newKey, openKit, ORDER_TERMINAL, ORDER_TERMINAL_2, orderBody, STEPPED, type Kit } from './test-kit';

function expectOrdersError(body: unknown, code?: string) {
  expect(body).toEqual({ errors: [{ code: code ?? expect.any(String), message: expect.any(String), details: expect.any(Array) }] });
}

describe('Orders API', () => {
  let k: Kit;
  beforeEach(async () => {
    k = await openKit({ timing: STEPPED, manualClock: true });
  });
  afterEach(() => k.close());

  const create = (body: unknown, key: string | null = newKey(), headers: Record<string, string> = {}) =>
    k.api('POST', '/v1/orders', body, { ...(key ? { 'x-idempotency-key': key } : {}), ...headers });

  it('requires X-Idempotency-Key on create', async () => {
    const r = await create(orderBody('15.00'), null);
    expect(r.status).toBe(400);
    expectOrdersError(r.body, 'empty_required_header');
  });

  it('creates an order and walks it created → at_terminal → processed', async () => {
    const c = await create(orderBody('15.00'));
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({
      id: expect.stringMatching(/^ORD/),
      type: 'point',
      status: 'created',
      status_detail: 'created',
      external_reference: 'ext-15-00',
      expiration_time: 'PT15M',
      transactions: { payments: [{ id: expect.stringMatching(/^PAY/), amount: '15.00', status: 'created' }] },
      config: { point: { terminal_id: ORDER_TERMINAL, print_on_terminal: 'no_ticket' }, payment_method: { default_type: 'credit_card' } },
    });
    const read = async () => (await k.api('GET', `/v1/orders/${c.body.id}`)).body;
    await k.control.advance(100);
    expect((await read()).status).toBe('at_terminal');
    await k.control.advance(200);
    const done = await read();
    expect(done.status).toBe('processed');
    expect(done.transactions.payments[0]).toMatchObject({ status: 'processed', status_detail: 'accredited', reference_id: expect.any(String) });
    const p = await k.api('GET', `/v1/payments/${done.transactions.payments[0].reference_id}`);
    expect(p.body).toMatchObject({ status: 'approved', transaction_amount: 15, external_reference: 'ext-15-00' });
  });

  it('replays the same key with the first order; same key with another body is 409', async () => {
    const key = newKey();
    const first = await create(orderBody('15.00'), key);
    const again = await create(orderBody('15.00'), key);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    const other = await create(orderBody('16.00'), key);
    expect(other.status).toBe(409);
    expectOrdersError(other.body, 'idempotency_key_already_used');
    const orders = (await k.control.requests()).filter((r) => r.path === '/v1/orders');
    expect(orders.map((r) => r.idempotencyKey)).toEqual([key, key, key]);
  });

  it('refuses a second order on a busy terminal with already_queued_order_on_terminal', async () => {
    await create(orderBody('15.00'));
    const second = await create(orderBody('16.00'));
    expect(second.status).toBe(409);
    expectOrdersError(second.body, 'already_queued_order_on_terminal');
    expect((await create(orderBody('16.00', {}, ORDER_TERMINAL_2))).status).toBe(201);
  });

  it('validates the body strictly', async () => {
    const cases: [unknown, string][] = [
      [{ ...orderBody('15.00'), type: 'online' }, 'type'],
      [{ ...orderBody('15.00'), external_reference: undefined }, 'external_reference'],
      [{ ...orderBody('15.00'), external_reference: 'x'.repeat(65) }, 'external_reference'],
      [orderBody('15'), 'amount'],
      [orderBody('15.5'), 'amount'],
      [orderBody('15.000'), 'amount'],
      [{ ...orderBody('15.00'), transactions: { payments: [{ amount: 15 }] } }, 'amount'],
      [orderBody('4.99'), 'amount'],
      [orderBody('4000000.01'), 'amount'],
      [{ ...orderBody('15.00'), expiration_time: 'PT29S' }, 'expiration_time'],
      [{ ...orderBody('15.00'), expiration_time: 'PT3H1S' }, 'expiration_time'],
      [{ ...orderBody('15.00'), expiration_time: '15 minutes' }, 'expiration_time'],
      [{ ...orderBody('15.00'), config: { point: {} } }, 'terminal_id'],
      [{ ...orderBody('15.00'), config: { point: { terminal_id: ORDER_TERMINAL, print_on_terminal: 'always' } } }, 'print_on_terminal'],
      [{ ...orderBody('15.00'), config: { point: { terminal_id: ORDER_TERMINAL }, payment_method: { default_type: 'pix' } } }, 'default_type'],
    ];
    for (const [body, field] of cases) {
      const r = await create(body);
      expect(r.status, field).toBe(400);
      expectOrdersError(r.body);
      expect(JSON.stringify(r.body.errors[0].details), field).toContain(field);
    }
    expect((await create({ ...orderBody('15.00'), expiration_time: 'PT30S' })).status).toBe(201);
    expect((await create(orderBody('15.00', {}, 'NOPE'))).status).toBe(404);
    expect((await create('{"type":', newKey())).status).toBe(400);
  });

  it('expires an order still waiting after expiration_time', async () => {
    await k.control.timing({ customer: 'manual' });
    const c = await create({ ...orderBody('15.00'), expiration_time: 'PT1M' });
    await k.control.advance(59_000);
    expect((await k.api('GET', `/v1/orders/${c.body.id}`)).body.status).toBe('at_terminal');
    await k.control.advance(1_000);
    const o = (await k.api('GET', `/v1/orders/${c.body.id}`)).body;
    expect(o).toMatchObject({ status: 'expired', transactions: { payments: [{ status: 'expired' }] } });
    expect((await create(orderBody('16.00'))).status).toBe(201);
  });

  it('cancels: 200 while created, 409 at the terminal, 202 at the terminal when allowed', async () => {
    const c = await create(orderBody('15.00'));
    const cancel = (id: string, key = newKey()) => k.api('POST', `/v1/orders/${id}/cancel`, undefined, { 'x-idempotency-key': key });
    expect((await k.api('POST', `/v1/orders/${c.body.id}/cancel`)).status).toBe(400); // key required
    const key = newKey();
    const ok = await cancel(c.body.id, key);
    expect(ok).toMatchObject({ status: 200, body: { status: 'canceled' } });
    expect((await cancel(c.body.id, key)).status).toBe(200); // replay
    expect((await cancel(c.body.id)).status).toBe(409);

    await k.control.timing({ customer: 'manual' });
    const c2 = await create(orderBody('15.00'));
    await k.control.advance(100);
    const refused = await cancel(c2.body.id);
    expect(refused.status).toBe(409);
    expectOrdersError(refused.body, 'cannot_cancel_order');
    await k.api('POST', `/v1/orders/${c2.body.id}/events`, { status: 'canceled' });

    // The header counts on the cancel request itself (async-cancel.test.ts covers the rest).
    const c3 = await create(orderBody('15.00'), newKey(), { 'x-allow-cancelable-status': 'at_terminal' });
    await k.control.advance(100);
    expect((await k.control.terminal(ORDER_TERMINAL)).screen).toBe('waiting_card');
    expect((await cancel(c3.body.id)).status).toBe(409);
    const accepted = await k.api('POST', `/v1/orders/${c3.body.id}/cancel`, undefined, {
      'x-idempotency-key': newKey(),
      'x-allow-cancelable-status': 'at_terminal',
    });
    expect(accepted).toMatchObject({ status: 202, body: { status: 'at_terminal' } });
    await k.control.advance(DEFAULT_TIMING.cancelConfirmMs);
    expect((await k.control.terminal(ORDER_TERMINAL)).charge).toMatchObject({ state: 'canceled' });
    expect((await create(orderBody('15.00'))).status).toBe(201);
  });

  it('refunds fully and partially, never beyond the amount', async () => {
    await k.control.timing({ toTerminalMs: 0, customerMs: 0, processingMs: 0 });
    const c = await create(orderBody('100.00'));
    const refund = (body?: unknown) => k.api('POST', `/v1/orders/${c.body.id}/refund`, body, { 'x-idempotency-key': newKey() });
    const payId = c.body.transactions.payments[0].id;
    const part = await refund({ transactions: [{ id: payId, amount: '30.00' }] });
    expect(part.status).toBe(201);
    expect(part.body).toMatchObject({ status: 'processed', status_detail: 'partially_refunded' });
    expect(part.body.transactions.refunds).toEqual([expect.objectContaining({ amount: '30.00', transaction_id: payId })]);
    expect((await refund({ transactions: [{ id: payId, amount: '70.01' }] })).status).toBe(400);
    const rest = await refund();
    expect(rest.body.status).toBe('refunded');
    expect(rest.body.transactions.refunds.map((r: { amount: string }) => r.amount)).toEqual(['30.00', '70.00']);
    expect((await refund()).status).toBe(409);
    const [p] = await k.control.payments();
    expect(p).toMatchObject({ status: 'refunded', refunds: [{ amountMinor: 3000 }, { amountMinor: 7000 }] });
  });

  it('forces statuses with the test events route', async () => {
    await k.control.timing({ customer: 'manual' });
    const c = await create(orderBody('15.00'));
    const force = (status: string) => k.api('POST', `/v1/orders/${c.body.id}/events`, { status });
    expect((await force('at_terminal')).status).toBe(204);
    expect((await k.api('GET', `/v1/orders/${c.body.id}`)).body.status).toBe('at_terminal');
    expect((await force('processed')).status).toBe(204);
    expect((await k.api('GET', `/v1/orders/${c.body.id}`)).body.status).toBe('processed');
    expect((await force('failed')).status).toBe(409);
    expect((await force('refunded')).status).toBe(204);
    expect((await k.api('GET', `/v1/orders/${c.body.id}`)).body.status).toBe('refunded');
    expect((await force('nonsense')).status).toBe(400);
  });

  it('lists terminals and switches modes; a second PDV terminal on one POS is 412', async () => {
    const list = await k.api('GET', '/terminals/v1/list');
    expect(list.status).toBe(200);
    // Two shop terminals and the docs' virtual test terminal NEWLAND_N950__SBX0000001.
    expect(list.body.paging).toEqual({ total: 3, offset: 0, limit: 50 });
    expect(list.body.data.terminals[0]).toEqual({
      id: ORDER_TERMINAL,
      pos_id: 1241,
      store_id: '45601',
      external_pos_id: 'CAJA-O1',
      operating_mode: 'PDV',
    });
    expect((await k.api('GET', '/terminals/v1/list?pos_id=1242')).body.data.terminals).toHaveLength(1);
    const set = await k.api('PATCH', '/terminals/v1/setup', { terminals: [{ id: ORDER_TERMINAL, operating_mode: 'STANDALONE' }] });
    expect(set).toMatchObject({ status: 200, body: { terminals: [{ id: ORDER_TERMINAL, operating_mode: 'STANDALONE' }] } });
    await k.control.addDevice(MLA.userId, {
      id: 'NEWLAND_N950__SAMEPOS',
      family: 'orders',
      mode: 'STANDALONE',
      storeId: '45601',
      posId: '1242',
      externalPosId: 'CAJA-O2',
    });
    const clash = await k.api('PATCH', '/terminals/v1/setup', { terminals: [{ id: 'NEWLAND_N950__SAMEPOS', operating_mode: 'PDV' }] });
    expect(clash.status).toBe(412);
    expectOrdersError(clash.body);
    const swap = await k.api('PATCH', '/terminals/v1/setup', {
      terminals: [
        { id: ORDER_TERMINAL_2, operating_mode: 'STANDALONE' },
        { id: 'NEWLAND_N950__SAMEPOS', operating_mode: 'PDV' },
      ],
    });
    expect(swap.status).toBe(200);
    expect((await k.api('PATCH', '/terminals/v1/setup', { terminals: [{ id: 'x', operating_mode: 'SOMETIMES' }] })).status).toBe(400);
  });

  it('answers 401 in the orders shape and hides other accounts', async () => {
    const c = await create(orderBody('15.00'));
    const anon = await k.as(null)('GET', `/v1/orders/${c.body.id}`);
    expect(anon.status).toBe(401);
    expectOrdersError(anon.body, 'unauthorized');
    const other = k.as(MLB);
    expect((await other('GET', `/v1/orders/${c.body.id}`)).status).toBe(404);
    expect((await other('POST', `/v1/orders/${c.body.id}/cancel`, undefined, { 'x-idempotency-key': newKey() })).status).toBe(404);
    expect((await other('POST', '/v1/orders', orderBody('15.00'), { 'x-idempotency-key': newKey() })).status).toBe(404);
    expect((await other('GET', '/terminals/v1/list')).body.data.terminals.map((t: { id: string }) => t.id)).toEqual([
      'NEWLAND_N950__N950NCB000000101',
    ]);
    const nf = await k.api('GET', '/v1/orders/ORD000');
    expect(nf.status).toBe(404);
    expectOrdersError(nf.body, 'order_not_found');
  });
});

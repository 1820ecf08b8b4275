import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CajaError } from '../../shared/errors';
import { captureLog } from '../test-kits/engine-test-kit';
import { SimControl, startSimulator, type Simulator } from '../simulator/index';
import { SEED_ACCOUNTS } from '../simulator/seed';
import { PointError } from './point-error';
import { TerminalDirectory } from './terminal-directory';

const MLA = SEED_ACCOUNTS[0]!;
const MLC_LIKE = SEED_ACCOUNTS[1]!; // MLB: limits differ from MLA
const INTENT = 'PAX_A910__SMARTPOS1234567890';
const ORDER = 'NEWLAND_N950__N950NCB000000001';

let sim: Simulator | null = null;
let fake: Server | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
  await new Promise<void>((r) => (fake ? fake.close(() => r()) : r()));
  fake = null;
});

async function withSim(token = MLA.token) {
  sim = await startSimulator({ port: 0, timing: { toTerminalMs: 100, customerMs: 5000, processingMs: 100, customer: 'manual' } });
  const log = captureLog();
  const dir = new TerminalDirectory({ baseUrl: sim.baseUrl, getToken: () => token, site: 'MLA', log, minReadIntervalMs: 1100 });
  return { dir, control: new SimControl(sim.baseUrl), log };
}

const start = (
  family: 'intents' | 'orders' | 'mobile',
  terminalId: string,
  amountMinor: number,
  description = 'Alfajor de maicena triple',
) => ({
  family,
  terminalId,
  amountMinor,
  description,
  externalReference: `CAJA-test-${family}-${amountMinor}`,
  idempotencyKey: `key-${family}-${amountMinor}`,
  expirationSeconds: 120,
});

describe('wire formats, converted in one place per client', () => {
  it('intents send integer hundredths, orders decimal strings, mobile a decimal number and ≤20 chars', async () => {
    const { dir, control } = await withSim();
    await dir.startCharge(start('intents', INTENT, 150050));
    await dir.startCharge(start('orders', ORDER, 150050));
    await dir.startCharge(start('mobile', 'caja-1', 150050));
    const bodies = (await control.requests()).filter((r) => r.method === 'POST').map((r) => r.body as Record<string, unknown>);
    expect(bodies[0]!.amount).toBe(150050);
    expect((bodies[1]!.transactions as { payments: { amount: string }[] }).payments[0]!.amount).toBe('1500.50');
    expect(bodies[2]!.amount).toBe(1500.5);
    expect(String(bodies[2]!.description).length).toBeLessThanOrEqual(20);
    const keys = (await control.requests()).filter((r) => r.method === 'POST').map((r) => r.idempotencyKey);
    expect(keys).toEqual(['key-intents-150050', 'key-orders-150050', 'key-mobile-150050']);
  });

  it('site limits are checked before sending (MLA 5.00–4,000,000.00; MLB from 1.00)', async () => {
    const { dir, control } = await withSim();
    for (const [family, id] of [
      ['intents', INTENT],
      ['orders', ORDER],
      ['mobile', 'caja-1'],
    ] as const) {
      expect(() => dir.checkAmount(family, 499)).toThrow(CajaError);
      expect(() => dir.checkAmount(family, 400_000_001)).toThrow(/outside/);
      expect(() => dir.checkAmount(family, 10.5)).toThrow(CajaError);
      await expect(dir.startCharge(start(family, id, 0))).rejects.toMatchObject({ code: 'INVALID_AMOUNT' });
    }
    expect((await control.requests()).filter((r) => r.method !== 'GET')).toEqual([]);
    const mlb = new TerminalDirectory({ baseUrl: sim!.baseUrl, getToken: () => MLC_LIKE.token, site: 'MLB' });
    expect(() => mlb.checkAmount('intents', 100)).not.toThrow();
    expect(() => mlb.checkAmount('intents', 7_000_001)).toThrow(CajaError);
  });
});

describe('errors map to the closed list', () => {
  it('401, 404, 409 busy, 409 not cancellable', async () => {
    const bad = await withSim('TEST-000000-not-a-valid-token-xyz');
    await expect(bad.dir.listTerminals()).rejects.toMatchObject({ code: 'AUTH' });
    await sim!.close();
    const { dir } = await withSim();
    await expect(dir.startCharge(start('intents', 'NOPE', 1000))).rejects.toMatchObject({ code: 'TERMINAL_NOT_FOUND' });
    await expect(dir.startCharge(start('orders', 'NOPE', 1000))).rejects.toMatchObject({ code: 'TERMINAL_NOT_FOUND' });
    const first = await dir.startCharge(start('intents', INTENT, 1000));
    await expect(dir.startCharge({ ...start('intents', INTENT, 2000) })).rejects.toMatchObject({ code: 'TERMINAL_BUSY' });
    const order = await dir.startCharge(start('orders', ORDER, 1000));
    await expect(dir.startCharge({ ...start('orders', ORDER, 2000) })).rejects.toMatchObject({ code: 'TERMINAL_BUSY' });
    // Once on the terminal an intent cannot be cancelled through the API.
    await new Promise((r) => setTimeout(r, 300));
    await expect(dir.cancelCharge('intents', INTENT, first.chargeId, 'c1')).rejects.toMatchObject({ code: 'NOT_CANCELLABLE' });
    // At the terminal the cancel is asynchronous (202): the order turns canceled once the terminal confirms.
    await dir.cancelCharge('orders', ORDER, order.chargeId, 'c2');
    for (let i = 0; i < 100 && (await dir.readCharge('orders', order.chargeId, ORDER)).phase !== 'cancelled'; i++) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect((await dir.readCharge('orders', order.chargeId, ORDER)).phase).toBe('cancelled');
  });

  it('no token: AUTH before any request', async () => {
    const { control } = await withSim();
    const dir = new TerminalDirectory({ baseUrl: sim!.baseUrl, getToken: () => null, site: 'MLA' });
    await expect(dir.listTerminals()).rejects.toMatchObject({ code: 'AUTH' });
    expect(await control.requests()).toEqual([]);
  });
});

describe('reads back off', () => {
  it('honours 429 Retry-After and paces reads of one resource', async () => {
    const { dir, control } = await withSim();
    const c = await dir.startCharge(start('intents', INTENT, 1000));
    // Three reads at once: the client spaces them instead of earning 429s.
    const snaps = await Promise.all([1, 2, 3].map(() => dir.readCharge('intents', c.chargeId, INTENT)));
    expect(snaps.every((s) => s.chargeId === c.chargeId)).toBe(true);
    const reads = (await control.requests()).filter((r) => r.method === 'GET' && r.path.includes(c.chargeId));
    expect(reads.every((r) => r.status === 200)).toBe(true);
    // A stricter limit than the client's pace: 429s answered, the client waits and succeeds.
    await control.faults({ readsPerSecond: 0.5 });
    await dir.readCharge('intents', c.chargeId, INTENT);
    await dir.readCharge('intents', c.chargeId, INTENT);
    const after = (await control.requests()).filter((r) => r.method === 'GET' && r.path.includes(c.chargeId));
    expect(after.some((r) => r.status === 429)).toBe(true);
    expect(after[after.length - 1]!.status).toBe(200);
  }, 20_000);

  it('writes that the API does not replay are never repeated after a 5xx', async () => {
    const { dir, control } = await withSim();
    await control.faults({ failNext: { count: 1, status: 503, match: { method: 'POST' } } });
    const err = await dir.startCharge(start('intents', INTENT, 1000)).catch((e: PointError) => e);
    expect(err).toBeInstanceOf(PointError);
    expect((err as PointError).outcomeUnknown).toBe(true);
    expect((await control.requests()).filter((r) => r.method === 'POST')).toHaveLength(1);
    await control.faults({ failNext: { count: 2, status: 503, match: { method: 'POST' } } });
    const order = await dir.startCharge(start('orders', ORDER, 1000));
    const posts = (await control.requests()).filter((r) => r.method === 'POST' && r.path === '/v1/orders');
    expect(posts).toHaveLength(3);
    expect(new Set(posts.map((p) => p.idempotencyKey)).size).toBe(1);
    expect(order.chargeId).toMatch(/^ORD/);
  });
});

describe('the token stays secret', () => {
  it('appears in no log line and no error, whatever fails', async () => {
    const { dir, control, log } = await withSim();
    const errors: unknown[] = [];
    await control.faults({ dropNext: { count: 40 } });
    await dir.listTerminals().catch((e) => errors.push(e));
    await control.clearFaults();
    await control.faults({ failNext: { count: 10, status: 500 } });
    await dir.startCharge(start('orders', ORDER, 1000)).catch((e) => errors.push(e));
    await control.clearFaults();
    await dir.readCharge('intents', 'no-such-intent', INTENT).catch((e) => errors.push(e));
    expect(errors).toHaveLength(3);
    const text =
      errors
        .map((e) => `${(e as Error).message}\n${(e as Error).stack}\n${JSON.stringify(e)}\n${String((e as Error).cause)}`)
        .join('\n') + log.lines.join('\n');
    expect(text).not.toContain(MLA.token);
    expect(text).not.toMatch(/Bearer/);
    expect(errors.every((e) => e instanceof CajaError)).toBe(true);
  });
});

describe('tolerant reader', () => {
  it('accepts the shapes other sources show: 200 creates, CANCELLED, string ids, top-level payment_id', async () => {
    fake = createServer((req, res) => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'POST' && req.url?.endsWith('/payment-intents'))
        return send(200, { id: 'i-1', device_id: INTENT, amount: 1000 });
      if (req.url === '/point/integration-api/payment-intents/i-1')
        return send(200, { id: 'i-1', state: 'CANCELLED', device_id: INTENT, payment_id: '777' });
      if (req.url?.startsWith('/point/integration-api/devices'))
        return send(200, {
          devices: [{ id: INTENT, pos_id: '12', store_id: 456, external_pos_id: 'CAJA1', operating_mode: 'pdv' }],
          paging: { total: 1 },
        });
      if (req.url?.startsWith('/terminals/v1/list')) return send(200, { data: { terminals: [] }, paging: { total: 0 } });
      if (req.url?.startsWith('/point/services/integrations/v1/devices'))
        return send(200, { devices: [{ name: 'caja-9', status: 'BUSY' }] });
      if (req.url === '/v1/orders/O-1')
        return send(200, {
          id: 'O-1',
          status: 'cancelled',
          transactions: { payments: [{ id: 'PAY1', amount: '10.00', status: 'canceled' }] },
        });
      if (req.url === '/v1/payments/777')
        return send(200, { id: '777', status: 'approved', transaction_amount: '10.00', external_reference: 'r' });
      return send(404, { message: 'nope', error: 'not_found', status: 404, cause: [] });
    });
    await new Promise<void>((r) => fake!.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
    const dir = new TerminalDirectory({ baseUrl: base, getToken: () => MLA.token, site: 'MLA', minReadIntervalMs: 0 });
    const created = await dir.startCharge(start('intents', INTENT, 1000));
    expect(created.chargeId).toBe('i-1');
    expect(created.phase).toBe('queued');
    const read = await dir.readCharge('intents', 'i-1', INTENT);
    expect(read.phase).toBe('cancelled');
    expect(read.paymentId).toBe('777');
    const order = await dir.readCharge('orders', 'O-1', ORDER);
    expect(order.phase).toBe('cancelled');
    expect(order.amountMinor).toBe(1000);
    const terminals = await dir.listTerminals();
    expect(terminals.find((t) => t.id === INTENT)).toMatchObject({ mode: 'PDV', storeId: '456', posId: '12' });
    // BUSY with no payment attempt is how the mobile API shows a phone whose app is closed: offline.
    expect(terminals.find((t) => t.id === 'caja-9')).toMatchObject({ status: 'offline', family: 'mobile' });
    const payment = await dir.getPayment('777');
    expect(payment.amountMinor).toBe(1000);
  });

  it('an answer outside any known shape is UNEXPECTED_RESPONSE, not undefined', async () => {
    fake = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ surprise: true }));
    });
    await new Promise<void>((r) => fake!.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
    const dir = new TerminalDirectory({ baseUrl: base, getToken: () => MLA.token, site: 'MLA', minReadIntervalMs: 0 });
    await expect(dir.getPayment('1')).rejects.toMatchObject({ code: 'UNEXPECTED_RESPONSE' });
  });
});

/**
 * Webhooks against a real local HTTP receiver: the simulator POSTs signed notifications for order and
 * intent changes to the URL an account registered, retries 5xx and unreachable receivers with back-off
 * on the simulator clock (a bounded number of times), and shows every attempt in `/__sim/webhooks`.
 * Signatures are checked twice: by recomputing the documented manifest here, and with the official
 * SDK's own `WebhookSignatureValidator`.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookSignatureValidator } from 'mercadopago';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebhookDeliveryView } from './control-api';
import { DEFAULT_TIMING } from './state';
import { INSTANT, INTENT_DEVICE, intentBody, MLA, MLB, mobileBody, newKey, openKit, orderBody, type Kit } from './test-kit';

const SECRET = 'caja-webhook-secret';

interface Received {
  url: URL;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** A shop server stand-in: records every POST and answers with the next scripted status (then 200). */
class Receiver {
  readonly received: Received[] = [];
  readonly script: number[] = [];
  private waiters: { n: number; resolve: () => void }[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received.push({
          url: new URL(req.url ?? '/', 'http://receiver.local'),
          headers: req.headers,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
        });
        res.writeHead(this.script.shift() ?? 200).end();
        this.waiters = this.waiters.filter((w) => (this.received.length >= w.n ? (w.resolve(), false) : true));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/mercadopago?shop=1`;
    return this;
  }

  /** Resolves once `n` notifications in total have arrived. */
  count(n: number): Promise<void> {
    if (this.received.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

/**
 * The documented check, done by hand: HMAC-SHA256 over "id:…;request-id:…;ts:…;", with the data.id of
 * the query string in lowercase (Mercado Pago: an alphanumeric data.id goes into the manifest in
 * lowercase). `verbatim` skips the lowercasing, as a careless receiver would.
 */
function signatureIsValid(r: Received, secret: string, verbatim = false): boolean {
  const sig = String(r.headers['x-signature']);
  const parts = Object.fromEntries(sig.split(',').map((p) => p.split('=') as [string, string]));
  const id = r.url.searchParams.get('data.id')!;
  const manifest = `id:${verbatim ? id : id.toLowerCase()};request-id:${String(r.headers['x-request-id'])};ts:${parts.ts};`;
  return parts.v1 === createHmac('sha256', secret).update(manifest).digest('hex');
}

/** The official SDK's validator takes the data.id as given: the caller lowercases it, per the docs. */
function sdkAccepts(r: Received, secret: string): boolean {
  try {
    const dataId = r.url.searchParams.get('data.id')!.toLowerCase();
    WebhookSignatureValidator.validate({ xSignature: r.headers['x-signature'], xRequestId: r.headers['x-request-id'], dataId, secret });
    return true;
  } catch {
    return false;
  }
}

/** Polls the control API until `pick` finds what the test waits for (bounded by the test's timeout). */
async function until<T>(k: Kit, pick: (deliveries: WebhookDeliveryView[]) => T | undefined): Promise<T> {
  for (;;) {
    const found = pick((await k.control.webhooks()).deliveries);
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('webhooks', () => {
  let k: Kit;
  let receiver: Receiver;
  beforeEach(async () => {
    k = await openKit({ timing: INSTANT });
    receiver = await new Receiver().start();
  });
  afterEach(async () => {
    await k.close();
    await receiver.close();
  });

  const createOrder = (amount = '15.00') => k.api('POST', '/v1/orders', orderBody(amount), { 'x-idempotency-key': newKey() });

  it('signs order notifications the documented way, in the topic "order" shape', async () => {
    await k.control.webhook({ userId: MLA.userId, url: receiver.url, secret: SECRET });
    const order = await createOrder();
    await receiver.count(2); // at_terminal, then processed
    const byAction = Object.fromEntries(receiver.received.map((r) => [r.body.action, r]));
    expect(Object.keys(byAction).sort()).toEqual(['order.at_terminal', 'order.processed']);
    for (const r of receiver.received) {
      expect(r.url.pathname).toBe('/hooks/mercadopago');
      expect(Object.fromEntries(r.url.searchParams)).toEqual({ shop: '1', 'data.id': order.body.id, type: 'order' });
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.headers['x-signature']).toMatch(/^ts=\d+,v1=[0-9a-f]{64}$/);
      expect(signatureIsValid(r, SECRET)).toBe(true);
      // The trap: an order id copied verbatim ("ORD…") into the manifest does not verify.
      expect(signatureIsValid(r, SECRET, true)).toBe(false);
      expect(sdkAccepts(r, SECRET)).toBe(true);
      expect(sdkAccepts(r, 'another-secret')).toBe(false);
    }
    expect(byAction['order.processed']!.body).toMatchObject({
      type: 'order',
      api_version: 'v1',
      application_id: order.body.integration_data.application_id,
      user_id: String(MLA.userId),
      live_mode: false,
      data: { id: order.body.id, type: 'point', status: 'processed', status_detail: 'accredited', total_paid_amount: '15.00', external_reference: 'ext-15-00' },
    });
  });

  it('sends point_integration_wh notifications for every intent state change', async () => {
    await k.control.webhook({ userId: MLA.userId, url: receiver.url, secret: SECRET });
    const intent = await k.api('POST', `/point/integration-api/devices/${INTENT_DEVICE}/payment-intents`, intentBody(1500));
    await receiver.count(4);
    expect(receiver.received.map((r) => r.body.state).sort()).toEqual(['FINISHED', 'ON_TERMINAL', 'PROCESSED', 'PROCESSING']);
    const finished = receiver.received.find((r) => r.body.state === 'FINISHED')!;
    expect(finished.body).toMatchObject({
      id: intent.body.id,
      type: 'point_integration_wh',
      amount: 1500,
      caller_id: MLA.userId,
      payment: { id: expect.any(Number), state: 'approved', type: 'credit_card' },
      additional_info: { external_reference: 'ref-1500' },
    });
    expect(finished.body.created_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    for (const r of receiver.received) {
      expect(r.url.searchParams.get('data.id')).toBe(intent.body.id);
      expect(signatureIsValid(r, SECRET) && sdkAccepts(r, SECRET)).toBe(true);
    }
  });

  it('retries a 5xx with back-off on the simulator clock until the receiver takes it', async () => {
    await k.control.clock({ mode: 'manual' });
    await k.control.timing({ customer: 'manual' }); // one notification: at_terminal
    await k.control.webhook({ userId: MLA.userId, url: receiver.url, secret: SECRET, retryDelaysMs: [1000, 5000] });
    receiver.script.push(503, 500);
    await createOrder();
    await receiver.count(1);
    await until(k, (ds) => (ds[0]?.attempts.length === 1 ? true : undefined));
    await k.control.advance(1000);
    await receiver.count(2);
    await until(k, (ds) => (ds[0]?.attempts.length === 2 ? true : undefined));
    await k.control.advance(5000);
    await receiver.count(3);
    const delivered = await until(k, (ds) => (ds[0]?.state === 'delivered' ? ds[0] : undefined));
    expect(delivered.attempts.map((a) => a.status)).toEqual([503, 500, 200]);
    // One notification: the same request id and data id each time, each attempt validly signed.
    expect(new Set(receiver.received.map((r) => r.headers['x-request-id'])).size).toBe(1);
    expect(receiver.received.every((r) => signatureIsValid(r, SECRET))).toBe(true);
    expect((await k.control.webhooks()).deliveries).toHaveLength(1);
  });

  it('gives up after the last retry, and never retries a 4xx', async () => {
    await k.control.clock({ mode: 'manual' });
    await k.control.timing({ customer: 'manual' });
    await k.control.webhook({ userId: MLA.userId, url: receiver.url, secret: SECRET, retryDelaysMs: [1000] });
    receiver.script.push(500, 502);
    await createOrder();
    await until(k, (ds) => (ds[0]?.attempts.length === 1 ? true : undefined));
    await k.control.advance(1000);
    const failed = await until(k, (ds) => (ds[0]?.state === 'failed' ? ds[0] : undefined));
    expect(failed.attempts.map((a) => a.status)).toEqual([500, 502]);

    receiver.script.push(400);
    await k.control.customer('NEWLAND_N950__N950NCB000000001', 'approve');
    const refused = await until(k, (ds) => (ds[1]?.state === 'failed' ? ds[1] : undefined));
    expect(refused.attempts.map((a) => a.status)).toEqual([400]);
  });

  it('retries a receiver that does not answer at all', async () => {
    await k.control.clock({ mode: 'manual' });
    await k.control.timing({ customer: 'manual' });
    const gone = await new Receiver().start();
    await gone.close(); // nothing listens on its port any more
    await k.control.webhook({ userId: MLA.userId, url: gone.url, secret: SECRET, retryDelaysMs: [1000] });
    await createOrder();
    const first = await until(k, (ds) => (ds[0]?.attempts.length === 1 ? ds[0] : undefined));
    expect(first).toMatchObject({ state: 'pending', attempts: [{ status: null, error: expect.any(String) }] });
    await k.control.advance(1000);
    const failed = await until(k, (ds) => (ds[0]?.state === 'failed' ? ds[0] : undefined));
    expect(failed.attempts).toHaveLength(2);
  });

  it('notifies only the account that registered, never shows secrets, and forgets on reset', async () => {
    await k.control.webhook({ userId: MLB.userId, url: receiver.url, secret: SECRET });
    await createOrder(); // MLA: nobody registered
    await k.as(MLB)('POST', '/v1/orders', orderBody('15.00', {}, 'NEWLAND_N950__N950NCB000000101'), { 'x-idempotency-key': newKey() });
    await receiver.count(2);
    expect(receiver.received.every((r) => r.body.user_id === String(MLB.userId))).toBe(true);
    const view = await k.control.webhooks();
    expect(view.webhooks).toEqual([{ userId: MLB.userId, url: receiver.url, retryDelaysMs: [10_000, 60_000, 300_000, 900_000] }]);
    expect(JSON.stringify(view)).not.toContain(SECRET);
    await k.control.webhook({ userId: MLB.userId, url: null });
    expect((await k.control.webhooks()).webhooks).toEqual([]);
    await k.control.webhook({ userId: MLB.userId, url: receiver.url, secret: SECRET });
    await k.control.reset();
    expect(await k.control.webhooks()).toEqual({ webhooks: [], deliveries: [] });
  });

  it("tells a mobile order's notification_url of its payment: created, then updated", async () => {
    await k.control.clock({ mode: 'manual' });
    await k.control.webhook({ userId: MLA.userId, url: 'http://127.0.0.1:9/panel-url-not-used-by-mobile', secret: SECRET });
    // 15.05: the payment is in process, approved inProcessSettleMs later.
    await k.api('POST', '/point/services/integrations/v1', mobileBody(15.05, { notification_url: receiver.url }));
    await receiver.count(1);
    const paymentId = (await k.control.payments())[0]!.id;
    expect(receiver.received[0]!.body).toMatchObject({ action: 'payment.created', type: 'payment', data: { id: paymentId }, user_id: String(MLA.userId) });
    expect(Object.fromEntries(receiver.received[0]!.url.searchParams)).toMatchObject({ 'data.id': paymentId, type: 'payment' });
    await k.control.advance(DEFAULT_TIMING.inProcessSettleMs);
    await receiver.count(2);
    expect(receiver.received[1]!.body).toMatchObject({ action: 'payment.updated', data: { id: paymentId } });
    expect(receiver.received.every((r) => signatureIsValid(r, SECRET) && sdkAccepts(r, SECRET))).toBe(true);
    // The panel URL is for orders and intents; the mobile family only uses the order's own URL.
    expect((await k.control.webhooks()).deliveries.map((d) => d.url)).toEqual([receiver.url, receiver.url]);
  });

  it('sends mobile notifications unsigned when the account has no secret, and none without a notification_url', async () => {
    await k.api('POST', '/point/services/integrations/v1', mobileBody(16, { device_name: 'caja-2' }));
    await k.api('POST', '/point/services/integrations/v1', mobileBody(15, { notification_url: receiver.url }));
    await receiver.count(1);
    expect(receiver.received[0]!.headers['x-signature']).toBeUndefined();
    expect(receiver.received[0]!.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect((await k.control.webhooks()).deliveries).toHaveLength(1);
  });

  it('validates registrations', async () => {
    const post = (body: unknown) =>
      fetch(`${k.sim.baseUrl}/__sim/webhooks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post({ userId: MLA.userId, url: 'ftp://example.com/x', secret: SECRET })).status).toBe(400);
    expect((await post({ userId: MLA.userId, url: receiver.url })).status).toBe(400);
    expect((await post({ userId: MLA.userId, url: receiver.url, secret: '' })).status).toBe(400);
    expect((await post({ userId: 999, url: receiver.url, secret: SECRET })).status).toBe(404);
  });
});

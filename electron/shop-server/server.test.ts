/**
 * The shop's webhook receiver against the real simulator (which signs and sends Mercado Pago's
 * notifications) and a real PostgreSQL: signed notifications of every family are stored once and
 * told to the tills once; forged, wrongly keyed, unsigned, stale and replayed ones are not.
 */
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { silentLogger } from '../ground/logger';
import type { ShopDb } from '../shop/shop-db';
import { INTENT_DEVICE, intentBody, MLA, mobileBody, newKey, openKit, orderBody, type Kit } from '../simulator/test-kit';
import type { WebhookDeliveryView } from '../simulator/control-api';
import { describeWithPg, openTestShopDb, freshDatabase, type ScratchDatabase } from '../test-kits/pg-test-kit';
import { startShopServer, type ShopServer } from './server';
import { WEBHOOK_CHANNEL, type WebhookHintPayload } from './store';
import { verifySignature } from './verify';

const SECRET = 'panel-secret-0f3c9a';
const SHOP = 'shop-1';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

async function connect(url: string): Promise<ShopDb> {
  const db = await openTestShopDb(url);
  cleanups.push(() => db.close());
  return db;
}

interface Setup {
  pg: ScratchDatabase;
  db: ShopDb;
  server: ShopServer;
  sim: Kit;
  /** Every caja_webhook payload the tills heard, in order. */
  heard: WebhookHintPayload[];
}

async function setup(options: { registerSecret?: string | null } = {}): Promise<Setup> {
  const pg = await freshDatabase();
  cleanups.push(() => pg.drop());
  const db = await connect(pg.url);
  const server = await startShopServer({ db, shopId: SHOP, secret: SECRET, host: '127.0.0.1', log: silentLogger });
  cleanups.push(() => server.close());
  const sim = await openKit();
  cleanups.push(() => sim.close());
  const till = await connect(pg.url);
  const heard: WebhookHintPayload[] = [];
  await till.listen(WEBHOOK_CHANNEL, (p) => heard.push(JSON.parse(p) as WebhookHintPayload));
  const secret = options.registerSecret === undefined ? SECRET : options.registerSecret;
  if (secret !== null) await sim.control.webhook({ userId: MLA.userId, url: server.url, secret });
  return { pg, db, server, sim, heard };
}

async function deliveries(s: Setup, pred: (ds: WebhookDeliveryView[]) => boolean): Promise<WebhookDeliveryView[]> {
  for (;;) {
    const ds = (await s.sim.control.webhooks()).deliveries;
    if (pred(ds)) return ds;
    await new Promise((r) => setTimeout(r, 20));
  }
}
const settled = (ds: WebhookDeliveryView[]) => ds.length > 0 && ds.every((d) => d.state !== 'pending');

async function rows(db: ShopDb) {
  return db.query<{ request_id: string; topic: string; data_id: string; deliveries: number; action: string | null }>(
    'SELECT request_id, topic, data_id, deliveries, action FROM webhook_notifications WHERE shop_id = $1 ORDER BY received_at',
    [SHOP],
  );
}

function sign(secret: string, dataId: string, requestId: string, ts: number): string {
  const v1 = createHmac('sha256', secret).update(`id:${dataId.toLowerCase()};request-id:${requestId};ts:${ts};`).digest('hex');
  return `ts=${ts},v1=${v1}`;
}

function post(s: Setup, query: string, headers: Record<string, string>, body: unknown = { type: 'order' }) {
  return fetch(`${s.server.url}?${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

it('checks the documented manifest with the id lowercased, and refuses what is not signed with the secret', () => {
  const now = 1_800_000_000;
  const good = { signature: sign(SECRET, 'ORD01ABC', 'req-1', now), requestId: 'req-1', dataId: 'ORD01ABC' };
  expect(verifySignature(SECRET, good, now)).toEqual({ ok: true, ts: now });
  expect(verifySignature('', good, now)).toEqual({ ok: false, problem: 'no-secret' });
  expect(verifySignature('other', good, now)).toEqual({ ok: false, problem: 'mismatch' });
  expect(verifySignature(SECRET, { ...good, requestId: 'req-2' }, now)).toEqual({ ok: false, problem: 'mismatch' });
  expect(verifySignature(SECRET, { ...good, signature: undefined }, now)).toEqual({ ok: false, problem: 'missing' });
  expect(verifySignature(SECRET, { ...good, signature: '' }, now)).toEqual({ ok: false, problem: 'missing' });
  expect(verifySignature(SECRET, { ...good, signature: 'ts=1,v1=zz' }, now)).toEqual({ ok: false, problem: 'malformed' });
  expect(verifySignature(SECRET, good, now + 301)).toEqual({ ok: false, problem: 'stale' });
  expect(verifySignature(SECRET, good, now - 301)).toEqual({ ok: false, problem: 'stale' });
  // The id signed verbatim (upper case) is what a careless sender does: not Mercado Pago's manifest.
  const verbatim = createHmac('sha256', SECRET).update(`id:ORD01ABC;request-id:req-1;ts:${now};`).digest('hex');
  expect(verifySignature(SECRET, { ...good, signature: `ts=${now},v1=${verbatim}` }, now).ok).toBe(false);
});

it('will not start with an empty secret', () => {
  expect(() => startShopServer({ db: null as unknown as ShopDb, shopId: SHOP, secret: '', log: silentLogger })).toThrow(
    /secret is empty/,
  );
  // `npm run shop-server` says so and exits before touching anything.
  for (const secret of ['  ']) {
    const run = spawnSync(
      join(process.cwd(), 'node_modules/.bin/tsx'),
      ['electron/shop-server/cli.ts', '--shop', SHOP, '--pg-url', 'postgres://caja@127.0.0.1:1/shop'],
      {
        encoding: 'utf8',
        env: { ...process.env, CAJA_WEBHOOK_SECRET: secret },
      },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('CAJA_WEBHOOK_SECRET is empty');
  }
}, 30_000);

describeWithPg('the shop webhook receiver', () => {
  it('accepts the simulator signed order and intent notifications, stores each once and tells the tills once', async () => {
    const s = await setup();
    const order = await s.sim.api('POST', '/v1/orders', orderBody('15.00'), { 'x-idempotency-key': newKey() });
    const intent = await s.sim.api('POST', `/point/integration-api/devices/${INTENT_DEVICE}/payment-intents`, intentBody(1500));
    const ds = await deliveries(s, (d) => d.length >= 6 && settled(d)); // order: at_terminal, processed; intent: four states
    expect(ds.every((d) => d.state === 'delivered' && d.attempts.map((a) => a.status).join() === '200')).toBe(true);
    const stored = await rows(s.db);
    expect(stored.map((r) => r.request_id).sort()).toEqual(ds.map((d) => d.requestId).sort());
    expect(stored.filter((r) => r.topic === 'order').map((r) => [r.data_id, r.action])).toEqual([
      [order.body.id, 'order.at_terminal'],
      [order.body.id, 'order.processed'],
    ]);
    expect(stored.filter((r) => r.topic === 'point_integration_wh').every((r) => r.data_id === intent.body.id)).toBe(true);
    await expect.poll(() => s.heard.length).toBe(ds.length);
    expect(s.heard.filter((h) => h.topic === 'order')).toEqual([
      { shopId: SHOP, topic: 'order', id: order.body.id },
      { shopId: SHOP, topic: 'order', id: order.body.id },
    ]);
  });

  it("accepts a mobile order's payment notifications sent to its notification_url", async () => {
    const s = await setup();
    await s.sim.api('POST', '/point/services/integrations/v1', mobileBody(15, { notification_url: s.server.url }));
    const ds = await deliveries(s, settled);
    expect(ds.map((d) => [d.topic, d.state])).toEqual([['payment', 'delivered']]);
    const paymentId = String((await s.sim.control.payments())[0]!.id);
    await expect.poll(() => s.heard).toEqual([{ shopId: SHOP, topic: 'payment', id: paymentId }]);
  });

  it('refuses notifications signed with another secret (401, and Mercado Pago does not retry a 4xx)', async () => {
    const s = await setup({ registerSecret: 'the-secret-of-another-app' });
    await s.sim.api('POST', '/v1/orders', orderBody('15.00'), { 'x-idempotency-key': newKey() });
    const ds = await deliveries(s, (d) => d.length >= 2 && settled(d));
    expect(ds.map((d) => d.attempts.map((a) => a.status))).toEqual([[401], [401]]);
    expect(await rows(s.db)).toEqual([]);
    expect(s.heard).toEqual([]);
  });

  it('refuses a forged, missing, empty or stale signature, and a signature for another request', async () => {
    const s = await setup({ registerSecret: null });
    const now = Math.floor(Date.now() / 1000);
    const id = 'ORD01JTESTFORGED';
    const forged = sign('guessed-secret', id, 'r-1', now);
    const cases: [string, Record<string, string>][] = [
      ['forged', { 'x-request-id': 'r-1', 'x-signature': forged }],
      ['signed with an empty secret', { 'x-request-id': 'r-9', 'x-signature': sign('', id, 'r-9', now) }],
      ['missing', { 'x-request-id': 'r-2' }],
      ['empty', { 'x-request-id': 'r-3', 'x-signature': '' }],
      ['stale', { 'x-request-id': 'r-4', 'x-signature': sign(SECRET, id, 'r-4', now - 600) }],
      ['other request', { 'x-request-id': 'r-6', 'x-signature': sign(SECRET, id, 'r-5', now) }],
      ['no request id', { 'x-signature': sign(SECRET, id, '', now) }],
    ];
    for (const [what, headers] of cases) {
      const res = await post(s, `data.id=${id}&type=order`, headers);
      expect(res.status, what).toBe(401);
    }
    // Another id than the one signed.
    expect(
      (await post(s, 'data.id=ORD01JOTHER&type=order', { 'x-request-id': 'r-7', 'x-signature': sign(SECRET, id, 'r-7', now) }))
        .status,
    ).toBe(401);
    // The control: signed right, it is taken.
    expect(
      (await post(s, `data.id=${id}&type=order`, { 'x-request-id': 'r-8', 'x-signature': sign(SECRET, id, 'r-8', now) })).status,
    ).toBe(200);
    expect((await rows(s.db)).map((r) => r.request_id)).toEqual(['r-8']);
    await expect.poll(() => s.heard.length).toBe(1);
  });

  it('acknowledges a replayed request without storing or telling it twice, and refuses it once stale', async () => {
    const s = await setup({ registerSecret: null });
    const now = Math.floor(Date.now() / 1000);
    const headers = { 'x-request-id': 'r-replay', 'x-signature': sign(SECRET, 'ORD01JREPLAY', 'r-replay', now) };
    const first = await post(s, 'data.id=ORD01JREPLAY&type=order', headers);
    expect(await first.json()).toEqual({ ok: true, outcome: 'new' });
    // The same request again, even with another topic in the (unsigned) query: a repeat.
    const again = await post(s, 'data.id=ORD01JREPLAY&type=payment', headers);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ok: true, outcome: 'repeat' });
    expect((await rows(s.db)).map((r) => [r.request_id, r.topic, r.deliveries])).toEqual([['r-replay', 'order', 2]]);
    // Told once: a later notification is heard, the replay never was.
    await post(s, 'data.id=ORD01JLATER&type=order', {
      'x-request-id': 'r-later',
      'x-signature': sign(SECRET, 'ORD01JLATER', 'r-later', now),
    });
    await expect.poll(() => s.heard.map((h) => h.id)).toEqual(['ORD01JREPLAY', 'ORD01JLATER']);
    // A captured valid request replayed after the freshness window: refused.
    const stale = await startShopServer({
      db: s.db,
      shopId: SHOP,
      secret: SECRET,
      host: '127.0.0.1',
      log: silentLogger,
      now: () => (now + 301) * 1000,
    });
    cleanups.push(() => stale.close());
    const late = await fetch(`${stale.url}?data.id=ORD01JREPLAY&type=order`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: '{}',
    });
    expect(late.status).toBe(401);
  });

  it('stores once a notification Mercado Pago delivers twice (its first answer lost), telling the tills once', async () => {
    const s = await setup({ registerSecret: null });
    // A proxy that passes the first delivery on but answers Mercado Pago 503, as if our 200 was lost.
    let forwarded = 0;
    const proxy: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(([k]) => k.startsWith('x-') || k === 'content-type'),
        ) as Record<string, string>;
        void fetch(`${s.server.url}${req.url!.slice(req.url!.indexOf('?'))}`, {
          method: 'POST',
          headers,
          body: Buffer.concat(chunks),
        }).then((r) => {
          forwarded++;
          res.writeHead(forwarded === 1 ? 503 : r.status).end();
        });
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => (proxy.close(() => r()), proxy.closeAllConnections())));
    await s.sim.control.clock({ mode: 'manual' });
    await s.sim.control.timing({ customer: 'manual' }); // one notification: at_terminal
    await s.sim.control.webhook({
      userId: MLA.userId,
      url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/hook`,
      secret: SECRET,
      retryDelaysMs: [1000],
    });
    await s.sim.api('POST', '/v1/orders', orderBody('15.00'), { 'x-idempotency-key': newKey() });
    await deliveries(s, (d) => d[0]?.attempts.length === 1);
    await s.sim.control.advance(1000);
    const [d] = await deliveries(s, settled);
    expect(d!.attempts.map((a) => a.status)).toEqual([503, 200]);
    expect((await rows(s.db)).map((r) => [r.request_id, r.deliveries])).toEqual([[d!.requestId, 2]]);
    await expect.poll(() => s.heard.length).toBe(1);
    await new Promise((r) => setTimeout(r, 100)); // a second NOTIFY would have arrived by now
    expect(s.heard).toHaveLength(1);
  });

  it('bounds the body, answers only POST on its path, and says 503 while PostgreSQL is away', async () => {
    const s = await setup({ registerSecret: null });
    const now = Math.floor(Date.now() / 1000);
    const headers = { 'x-request-id': 'r-big', 'x-signature': sign(SECRET, '1', 'r-big', now) };
    expect((await post(s, 'data.id=1&type=payment', headers, 'x'.repeat(70_000))).status).toBe(413);
    expect((await fetch(s.server.url)).status).toBe(405);
    expect((await fetch(s.server.url.replace('/webhooks/mercadopago', '/other'), { method: 'POST' })).status).toBe(404);
    expect((await fetch(s.server.url.replace('/webhooks/mercadopago', '/healthz'))).status).toBe(200);
    const gone = await connect(s.pg.url);
    const down = await startShopServer({ db: gone, shopId: SHOP, secret: SECRET, host: '127.0.0.1', log: silentLogger });
    cleanups.push(() => down.close());
    await gone.close();
    const res = await fetch(`${down.url}?data.id=1&type=payment`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: '{}',
    });
    expect(res.status).toBe(503);
    expect(await rows(s.db)).toEqual([]);
  });
});

/**
 * Webhooks for the whole shop, end to end: the simulator signs and sends Mercado Pago's notification,
 * the shop server verifies and stores it and NOTIFYs, the till's webhook hints LISTEN and ask the
 * engine to read the charge at once. The till here polls only once a minute, so a sale that settles
 * within the test did so through the hint; and the simulator's own request log shows the engine read
 * the charge a handful of times, not in a loop. With the receiver down the till settles by polling.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import type { SaleView } from '../../shared/contract';
import { silentLogger } from '../ground/logger';
import { startShopServer, type ShopServer } from '../shop-server/server';
import { publishEndpoint } from '../shop-server/store';
import type { RecordedRequest } from '../simulator/control-api';
import {
  cart,
  INTENT,
  MANUAL_SIM,
  MLA,
  ORDER,
  PHONE,
  startKit,
  TEST_TIMING,
  waitState,
  type Kit,
} from '../test-kits/engine-test-kit';
import { describeWithPg, openTestShopDb, freshDatabase } from '../test-kits/pg-test-kit';
import type { ShopDb } from './shop-db';
import type { ShopContext } from './shop-link';
import { startWebhookHints, type WebhookHints } from './webhook-hints';

const SECRET = 'panel-secret-for-hints';
const SHOP = 'shop-hints';
/** A till that would not look again for a minute on its own. */
const SLOW_POLLS = { pollFastMs: 60_000, pollSlowMs: 60_000, slowestPollMs: 60_000, slowAfterMs: 60_000, notTakenMs: 120_000 };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

async function connect(url: string): Promise<ShopDb> {
  const db = await openTestShopDb(url);
  cleanups.push(() => db.close());
  return db;
}

interface Shop {
  kit: Kit;
  server: ShopServer;
  hints: WebhookHints;
  engine: Awaited<ReturnType<Kit['engine']>>;
}

async function shop(options: { timing: Partial<typeof TEST_TIMING>; receiverUp: boolean }): Promise<Shop> {
  const pg = await freshDatabase();
  cleanups.push(() => pg.drop());
  const kit = await startKit(MANUAL_SIM);
  cleanups.push(() => kit.close());
  const serverDb = await connect(pg.url);
  const server = await startShopServer({ db: serverDb, shopId: SHOP, secret: SECRET, host: '127.0.0.1', log: silentLogger });
  cleanups.push(() => server.close());
  if (options.receiverUp) await publishEndpoint(serverDb, SHOP, server.url);
  else await server.close();
  await kit.control.webhook({ userId: MLA.userId, url: server.url, secret: SECRET, retryDelaysMs: [] });
  const engine = await kit.engine({ timing: options.timing });
  const ctx: ShopContext = {
    db: await connect(pg.url),
    shopId: SHOP,
    tillId: randomUUID(),
    tillName: 'Caja 1',
    log: silentLogger,
  };
  const hints = await startWebhookHints(ctx, { engine });
  cleanups.push(() => hints.stop());
  return { kit, server, hints, engine };
}

/** The engine's reads of one charge (and its payments), as the simulator recorded them. */
function readsOf(requests: RecordedRequest[], chargeId: string): RecordedRequest[] {
  return requests.filter((r) => r.method === 'GET' && (r.path.includes(chargeId) || r.path.startsWith('/v1/payments')));
}

async function chargeIdOf(s: Shop, sale: SaleView, terminalId: string): Promise<string> {
  await waitState(s.engine, sale.id, 'at_terminal');
  return (await s.kit.control.terminal(terminalId)).charge!.id;
}

describeWithPg('webhook hints', () => {
  it.each([
    ['orders', ORDER],
    ['intents', INTENT],
  ] as const)(
    '%s: a payment approved moves the till through the webhook, long before its next poll',
    async (_family, terminalId) => {
      const s = await shop({ timing: SLOW_POLLS, receiverUp: true });
      const sale = await s.engine.charge({ cart: cart(1500), terminalId });
      const chargeId = await chargeIdOf(s, sale, terminalId); // at_terminal: itself learned from a hint (no poll for a minute)
      await s.kit.control.customer(terminalId, 'approve');
      const approved = await waitState(s.engine, sale.id, 'approved', 20_000);
      expect(approved.total).toBe(1500);
      expect(s.hints.counts().matched).toBeGreaterThan(0);
      // A few reads, each answering a notification: not a poll loop.
      const reads = readsOf(await s.kit.control.requests(), chargeId);
      expect(reads.length).toBeGreaterThan(0);
      expect(reads.length).toBeLessThanOrEqual(8);
    },
  );

  it('mobile: the phone charge names the shop server, and its payment notification moves the till', async () => {
    const s = await shop({ timing: SLOW_POLLS, receiverUp: true });
    const sale = await s.engine.charge({ cart: cart(1500), terminalId: PHONE });
    await chargeIdOf(s, sale, PHONE);
    const create = (await s.kit.control.requests()).find(
      (r) => r.method === 'POST' && r.path === '/point/services/integrations/v1',
    );
    expect(create?.body).toMatchObject({ notification_url: s.server.url });
    await s.kit.control.customer(PHONE, 'approve');
    const approved = await waitState(s.engine, sale.id, 'approved', 20_000);
    expect(approved.total).toBe(1500);
    const delivered = (await s.kit.control.webhooks()).deliveries.filter((d) => d.topic === 'payment');
    expect(delivered.map((d) => d.state)).toContain('delivered');
    expect(s.hints.counts().matched).toBeGreaterThan(0);
  });

  it('ignores a hint for a charge it does not know (another till, a finished sale)', async () => {
    const s = await shop({ timing: SLOW_POLLS, receiverUp: true });
    expect(await s.engine.hint({ topic: 'order', resourceId: 'ORD01JNOTOURS' })).toBe(0);
    expect(await s.engine.hint({ topic: 'point_integration_wh', resourceId: randomUUID() })).toBe(0);
    expect(await s.engine.hint({ topic: 'something_else', resourceId: '1' })).toBe(0);
    const sale = await s.engine.charge({ cart: cart(1500), terminalId: ORDER });
    const chargeId = await chargeIdOf(s, sale, ORDER);
    expect(await s.engine.hint({ topic: 'order', resourceId: chargeId.toLowerCase() })).toBe(1);
  });

  it('with the receiver down the till still settles, by polling', async () => {
    const s = await shop({ timing: TEST_TIMING, receiverUp: false });
    const sale = await s.engine.charge({ cart: cart(1500), terminalId: ORDER });
    await waitState(s.engine, sale.id, 'at_terminal');
    await s.kit.control.customer(ORDER, 'approve');
    await waitState(s.engine, sale.id, 'approved', 20_000);
    expect(s.hints.counts().received).toBe(0);
    expect((await s.kit.control.webhooks()).deliveries.every((d) => d.state === 'failed')).toBe(true);
  });
});

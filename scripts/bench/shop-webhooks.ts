/**
 * Shop webhooks benchmark: payment-to-screen latency (the simulator approves → the engine's
 * sale.changed says approved) for a till hearing webhooks through the shop server (receiver → PostgreSQL
 * NOTIFY → webhook hints → read) and polling only once a minute, beside the same till polling at the
 * default pace without webhooks. Floors from the same run: a bare LISTEN/NOTIFY round trip and a bare
 * HTTP POST to a node:http server. Needs PostgreSQL: CAJA_TEST_PG_URL, or Debian's server binaries
 * (the private test cluster is started as `npm test` does). Prints only.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { createCheckoutEngine, DEFAULT_TIMING } from '../../electron/checkout/engine';
import type { EngineTiming } from '../../electron/checkout/engine-api';
import { silentLogger } from '../../electron/ground/logger';
import { startShopServer } from '../../electron/shop-server/server';
import { publishEndpoint } from '../../electron/shop-server/store';
import { openShopDb, splitConnectionUrl } from '../../electron/shop/shop-db';
import { startWebhookHints } from '../../electron/shop/webhook-hints';
import { SimControl, startSimulator } from '../../electron/simulator/index';
import { DEMO_ACCOUNT } from '../../electron/simulator/seed';
import { listenNotifyFloor, scratchShopDatabase } from './shop-bench-kit';

const SAMPLES = 21;
const SECRET = 'bench-webhook-secret';
// One terminal of each family (a phone's notifications go to the URL its create names: the receiver's).
const TERMINALS = ['NEWLAND_N950__N950NCB000000001', 'PAX_A910__SMARTPOS1234567890', 'caja-1'];

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const ms = (v: number) => `${v.toFixed(1)} ms`;
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

async function until(pred: () => boolean): Promise<void> {
  const end = Date.now() + 30_000;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out waiting for the terminal');
    await sleep(10);
  }
}

async function httpPostFloor(): Promise<number[]> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const times: number[] = [];
  try {
    for (let i = 0; i < 50; i++) {
      const t0 = performance.now();
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"order"}' });
      await res.arrayBuffer();
      times.push(performance.now() - t0);
    }
  } finally {
    server.closeAllConnections();
    server.close();
  }
  return sorted(times.slice(5));
}

/** Approve → approved on the engine's sale.changed, SAMPLES times over the three families. */
async function latency(mode: 'webhooks' | 'polling', dbUrl: string, dir: string): Promise<number[]> {
  const sim = await startSimulator({
    port: 0,
    timing: { toTerminalMs: 50, customerMs: 1000, processingMs: 0, customer: 'manual' },
  });
  const control = new SimControl(sim.baseUrl);
  const { url: kept, password } = splitConnectionUrl(dbUrl);
  const conn = { url: kept, ssl: 'disable' as const, caCert: null };
  const serverDb = await openShopDb(conn, password, { log: silentLogger });
  const tillDb = await openShopDb(conn, password, { log: silentLogger });
  const server = await startShopServer({ db: serverDb, shopId: 'bench', secret: SECRET, host: '127.0.0.1', log: silentLogger });
  const slow: Partial<EngineTiming> = {
    pollFastMs: 60_000,
    pollSlowMs: 60_000,
    slowestPollMs: 60_000,
    slowAfterMs: 60_000,
    notTakenMs: 120_000,
  };
  const engine = createCheckoutEngine({
    journalPath: join(dir, `${mode}.sqlite`),
    baseUrl: sim.baseUrl,
    getToken: () => DEMO_ACCOUNT.token,
    site: 'MLA',
    register: 'R1',
    timing: mode === 'webhooks' ? slow : {},
  });
  await engine.ready;
  let hints: { stop(): Promise<void> } | null = null;
  if (mode === 'webhooks') {
    await control.webhook({ userId: DEMO_ACCOUNT.userId, url: server.url, secret: SECRET });
    await publishEndpoint(serverDb, 'bench', server.url);
    hints = await startWebhookHints(
      { db: tillDb, shopId: 'bench', tillId: randomUUID(), tillName: 'Bench', log: silentLogger },
      { engine },
    );
  }
  const samples: number[] = [];
  try {
    for (let i = 0; i < SAMPLES; i++) {
      const terminalId = TERMINALS[i % TERMINALS.length]!;
      const sale = await engine.charge({
        cart: {
          lines: [{ productId: null, sku: null, name: 'Bench', unitPrice: 10_000, quantity: 1, discount: 0 }],
          cartDiscount: 0,
        },
        terminalId,
      });
      await until(() => engine.get(sale.id).state === 'at_terminal');
      // A customer takes a moment to tap the card: past the per-resource read pace (1.1 s) after the
      // at_terminal read, and at an arbitrary phase of the poller's cycle.
      await sleep(1200 + Math.random() * DEFAULT_TIMING.pollFastMs);
      let seen!: (t: number) => void;
      const seenAt = new Promise<number>((r) => (seen = r));
      const off = engine.onSaleChanged((s) => {
        if (s.id === sale.id && s.state === 'approved') seen(performance.now());
      });
      const t0 = performance.now();
      await control.customer(terminalId, 'approve');
      samples.push((await seenAt) - t0);
      off();
    }
  } finally {
    await hints?.stop();
    await engine.close();
    await server.close();
    await tillDb.close();
    await serverDb.close();
    await sim.close();
  }
  return sorted(samples);
}

export async function benchShopWebhooks(): Promise<void> {
  const db = await scratchShopDatabase('shop webhooks');
  if (!db) return;
  const dir = mkdtempSync(join(tmpdir(), 'caja-bench-webhooks-'));
  try {
    const notify = await listenNotifyFloor(db.url, 50);
    const post = await httpPostFloor();
    const hooked = await latency('webhooks', db.url, dir);
    const polled = await latency('polling', db.url, dir);
    const floor = pct(notify, 50) + pct(post, 50);
    console.log(`payment → screen (${SAMPLES} approvals each, orders, intents and phones)`);
    console.log(
      `  floor: LISTEN/NOTIFY round trip p50 ${ms(pct(notify, 50))} p95 ${ms(pct(notify, 95))}; bare HTTP POST p50 ${ms(pct(post, 50))} p95 ${ms(pct(post, 95))}; sum of p50s ${ms(floor)}`,
    );
    console.log(
      `  with webhooks (till polls every 60 s)  p50 ${ms(pct(hooked, 50))}  p95 ${ms(pct(hooked, 95))}  max ${ms(hooked.at(-1)!)}   ratio to floor p50 ${(pct(hooked, 50) / floor).toFixed(1)}x   budget p95 < 300 ms: ${pct(hooked, 95) < 300 ? 'met' : 'NOT met'}`,
    );
    console.log(
      `  polling only (poll ${DEFAULT_TIMING.pollFastMs} ms)          p50 ${ms(pct(polled, 50))}  p95 ${ms(pct(polled, 95))}  max ${ms(polled.at(-1)!)}   webhooks/polling p95 ${(pct(hooked, 95) / pct(polled, 95)).toFixed(2)}x`,
    );
  } finally {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

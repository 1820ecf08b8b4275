/**
 * The one-file shop server (`npm run build:shop-server`) away from the repository: built into a temp
 * folder, then ONLY shop-server.mjs copied into an empty folder outside the repository, where no
 * node_modules is reachable, and run with plain `node` against a real PostgreSQL. It must behave as
 * the tsx-run server does (server.test.ts): a signed notification stored once and told once, a
 * forged one refused. A bundle that still reached for a package (pg, zod) or a repository file
 * would fail to start here.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { ShopDb } from '../shop/shop-db';
import { describeWithPg, freshDatabase, openTestShopDb } from '../test-kits/pg-test-kit';
import { WEBHOOK_CHANNEL, type WebhookHintPayload } from './store';

const SECRET = 'panel-secret-bundle-7d21';
const SHOP = 'shop-bundled';
const PUBLIC_URL = 'https://shop.example/webhooks/mercadopago';
const repo = resolve(import.meta.dirname, '../..');

let work: string;
let runDir: string;
let bundle: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'caja-shop-server-'));
  const outDir = join(work, 'build');
  const built = spawnSync(
    process.execPath,
    [join(repo, 'node_modules/vite/bin/vite.js'), 'build', '-c', 'scripts/vite-shop-server.config.ts', '--outDir', outDir],
    { cwd: repo, encoding: 'utf8' },
  );
  expect(built.status, built.stderr).toBe(0);
  expect(readdirSync(outDir).sort()).toEqual(['shop-server.mjs', 'shop-server.mjs.map']);
  runDir = join(work, 'run');
  mkdirSync(runDir);
  bundle = join(runDir, 'shop-server.mjs');
  copyFileSync(join(outDir, 'shop-server.mjs'), bundle);
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

/** Only what a shop's host would have: a PATH for `node`, and the variables the server reads. */
function bareEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', ...extra };
}

function runBundle(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [bundle, ...args], { cwd: runDir, env: bareEnv(env), encoding: 'utf8' });
}

it('is one self-contained file in a folder with no node_modules above it, outside the repository', () => {
  expect(readdirSync(runDir)).toEqual(['shop-server.mjs']);
  expect(relative(repo, runDir).startsWith('..')).toBe(true);
  // Node looks for packages in every ancestor's node_modules: none may exist, or this test proves nothing.
  for (let d = runDir; ; d = dirname(d)) {
    expect(existsSync(join(d, 'node_modules')), `${d}/node_modules`).toBe(false);
    if (dirname(d) === d) break;
  }
  const text = readFileSync(bundle, 'utf8');
  expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
  expect(text).toMatch(/\/\/# sourceMappingURL=shop-server\.mjs\.map\s*$/);
  // Only Node's built-ins are imported; everything else is inside.
  const imports = [...text.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
  expect(imports.length).toBeGreaterThan(0);
  expect(imports.filter((i) => !i!.startsWith('node:'))).toEqual([]);
});

it('prints its usage with --help, and refuses to start without the secret or with an unknown flag', () => {
  const help = runBundle(['--help'], {});
  expect(help.status).toBe(0);
  expect(help.stdout).toContain('Usage: shop-server --shop ID --pg-url URL');
  for (const flag of [
    '--port',
    '--host',
    '--path',
    '--shop',
    '--public-url',
    '--pg-url',
    '--ssl',
    '--ca',
    'CAJA_WEBHOOK_SECRET',
  ]) {
    expect(help.stdout).toContain(flag);
  }
  const noSecret = runBundle(['--shop', SHOP, '--pg-url', 'postgres://caja@127.0.0.1:1/shop'], { CAJA_WEBHOOK_SECRET: ' ' });
  expect(noSecret.status).toBe(2);
  expect(noSecret.stderr).toContain('CAJA_WEBHOOK_SECRET is empty');
  const unknown = runBundle(['--shopp', SHOP], { CAJA_WEBHOOK_SECRET: SECRET });
  expect(unknown.status).toBe(2);
  expect(unknown.stderr).toContain("Unknown option '--shopp'");
});

function sign(secret: string, dataId: string, requestId: string, ts: number): string {
  const v1 = createHmac('sha256', secret).update(`id:${dataId.toLowerCase()};request-id:${requestId};ts:${ts};`).digest('hex');
  return `ts=${ts},v1=${v1}`;
}

/** Starts the bundle and resolves with the webhook URL it prints once listening (or why it stopped). */
function startBundle(pgUrl: string): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  const child = spawn(
    process.execPath,
    [bundle, '--shop', SHOP, '--pg-url', pgUrl, '--host', '127.0.0.1', '--port', '0', '--public-url', PUBLIC_URL],
    { cwd: runDir, env: bareEnv({ CAJA_WEBHOOK_SECRET: SECRET }), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  let seen = '';
  child.stderr!.on('data', (c: Buffer) => (seen += c.toString()));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      seen += line + '\n';
      const m = /listening at (http:\/\/\S+)/.exec(line);
      if (m) resolve({ url: m[1]!, child, output: () => seen });
    });
    child.once('exit', (code) => reject(new Error(`the bundle exited (${code}) before listening:\n${seen}`)));
  });
}

describeWithPg('the bundled shop server, run by plain node with no repository', () => {
  it('stores a signed notification once and tells the tills once, refuses a forged one, publishes its URL, stops on SIGTERM', async () => {
    const pg = await freshDatabase();
    cleanups.push(() => pg.drop());
    const server = await startBundle(pg.url);
    const db: ShopDb = await openTestShopDb(pg.url);
    cleanups.push(() => db.close());
    const heard: WebhookHintPayload[] = [];
    await db.listen(WEBHOOK_CHANNEL, (p) => heard.push(JSON.parse(p) as WebhookHintPayload));

    const now = Math.floor(Date.now() / 1000);
    const id = 'ORD01JBUNDLED';
    const post = (headers: Record<string, string>) =>
      fetch(`${server.url}?data.id=${id}&type=order`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ type: 'order', action: 'order.processed' }),
      });
    const signed = { 'x-request-id': 'r-1', 'x-signature': sign(SECRET, id, 'r-1', now) };

    const first = await post(signed);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ok: true, outcome: 'new' });
    const again = await post(signed); // Mercado Pago retrying after a lost answer
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ok: true, outcome: 'repeat' });
    const forged = await post({ 'x-request-id': 'r-2', 'x-signature': sign('guessed-secret', id, 'r-2', now) });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toEqual({ error: 'invalid_signature', problem: 'mismatch' });
    expect((await post({ 'x-request-id': 'r-3' })).status).toBe(401);

    const rows = await db.query<{
      request_id: string;
      topic: string;
      data_id: string;
      action: string | null;
      deliveries: number;
    }>('SELECT request_id, topic, data_id, action, deliveries FROM webhook_notifications WHERE shop_id = $1', [SHOP]);
    expect(rows).toEqual([{ request_id: 'r-1', topic: 'order', data_id: id, action: 'order.processed', deliveries: 2 }]);
    await expect.poll(() => heard).toEqual([{ shopId: SHOP, topic: 'order', id }]);
    expect(await db.query<{ url: string }>('SELECT url FROM webhook_endpoints WHERE shop_id = $1', [SHOP])).toEqual([
      { url: PUBLIC_URL },
    ]);

    const exited = new Promise<number | null>((r) => server.child.once('exit', (code) => r(code)));
    server.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // The bundle logged through the same redacting logger: the secret never shows.
    expect(server.output()).not.toContain(SECRET);
    expect(heard).toHaveLength(1);
  }, 60_000);
});

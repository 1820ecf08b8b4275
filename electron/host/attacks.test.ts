/**
 * Each attack from issue 11 replayed against a real host (real services, demo simulator): the host
 * must refuse or close, keep answering a well-behaved page afterwards, and not keep the memory the
 * attack made it use. Memory is compared after a forced GC, with ceilings far above normal noise
 * and far below what the unguarded host used (it grew by 210 MiB for the pipelined calls).
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserApp, type BrowserApp } from './browser-app';
import { HOST_LIMITS } from './server';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MiB = 1024 * 1024;

let app: BrowserApp;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'caja-attack-'));
  const rendererDir = join(dataDir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Caja</title>');
  app = await startBrowserApp({ dataDir, port: 0, forceDemo: true, rendererDir, keysDir: join(dataDir, 'keys') });
});

afterAll(async () => {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const secretOf = () => new URL(app.host.url).hash.replace('#secret=', '');

function memory(): { heap: number; rss: number } {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss };
}

/** Runs an attack and reports how much memory it left behind (MiB, after GC). */
async function growthOf(name: string, attack: () => Promise<void>): Promise<{ heap: number; rss: number }> {
  const before = memory();
  await attack();
  const after = memory();
  const growth = { heap: (after.heap - before.heap) / MiB, rss: (after.rss - before.rss) / MiB };
  console.log(
    `[attack] ${name}: heap ${(before.heap / MiB).toFixed(0)} → ${(after.heap / MiB).toFixed(0)} MiB, rss ${(before.rss / MiB).toFixed(0)} → ${(after.rss / MiB).toFixed(0)} MiB`,
  );
  return growth;
}

function openSocket(options: { secret?: string; origin?: string } = {}): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${app.host.port}/caja?secret=${options.secret ?? secretOf()}`, {
    origin: options.origin ?? app.host.origin,
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

/** A raw HTTP exchange, bytes exactly as given: clients normalise what an attacker would not. */
function raw(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(app.host.port, '127.0.0.1', () => socket.write(request));
    let text = '';
    socket.on('data', (c) => (text += c.toString('latin1')));
    socket.on('end', () => resolve(text));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

const upgradeRequest = (path: string, headers: Record<string, string>) =>
  [`GET ${path} HTTP/1.1`, 'Connection: Upgrade', 'Upgrade: websocket', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==']
    .concat(Object.entries(headers).map(([k, v]) => `${k}: ${v}`))
    .join('\r\n') + '\r\n\r\n';

/** The proof of life after each attack: a fresh, well-behaved page gets an answer. */
async function stillAnswers(): Promise<void> {
  const ws = await openSocket();
  const answer = await new Promise<{ id: number; result: { ok: boolean; value?: { name?: string } } }>((resolve) => {
    ws.once('message', (data) => resolve(JSON.parse(String(data))));
    ws.send(JSON.stringify({ id: 1, channel: 'app.getInfo' }));
  });
  expect(answer).toMatchObject({ id: 1, result: { ok: true, value: { name: 'Caja' } } });
  ws.close();
}

function closeOf(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

describe('the host under attack', () => {
  it('survives a malformed upgrade path from another origin', async () => {
    const host = `127.0.0.1:${app.host.port}`;
    const growth = await growthOf('malformed upgrade', async () => {
      for (const path of ['//', '//[', 'http://[::1', '/caja?secret=%E0%A4%A', '*', '/caja?' + 'a'.repeat(8000)]) {
        const answer = await raw(upgradeRequest(path, { Host: host, Origin: 'https://evil.example' }));
        expect(answer).toMatch(/^HTTP\/1\.1 (403|400|431)/);
      }
    });
    await stillAnswers();
    expect(growth.heap).toBeLessThan(32);
    expect(growth.rss).toBeLessThan(128);
  });

  it('closes only the socket that sends invalid UTF-8', async () => {
    const bystander = await openSocket();
    const attacker = await openSocket();
    const closed = closeOf(attacker);
    // ws sends a Buffer as given when told it is text: the frame is a text frame with bad UTF-8.
    attacker.send(Buffer.from([0x7b, 0xff, 0xfe, 0xfd, 0x7d]), { binary: false });
    expect(await closed).toBe(1007);
    expect(bystander.readyState).toBe(WebSocket.OPEN);
    bystander.close();
    await stillAnswers();
  });

  it('answers a valid 25 MiB CSV with the size limit, and gives the memory back', async () => {
    const growth = await growthOf('25 MiB CSV', async () => {
      const ws = await openSocket();
      const answer = new Promise<{ id: number; result: { ok: boolean; error?: { code: string; message: string } } }>((resolve) =>
        ws.on('message', (data) => {
          const frame = JSON.parse(String(data)) as { id?: number };
          if (frame.id === 1) resolve(frame as never);
        }),
      );
      const csv = 'name,price\n' + 'Producto de prueba,100\n'.repeat(Math.ceil((25 * MiB) / 23));
      ws.send(JSON.stringify({ id: 1, channel: 'catalog.importPreview', input: { csv } }));
      expect((await answer).result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/larger than 20 MiB/) } });
      ws.close();
    });
    await stillAnswers();
    expect(growth.heap).toBeLessThan(32);
    expect(growth.rss).toBeLessThan(128);
  });

  it(`closes a socket that sends a frame over ${HOST_LIMITS.maxFrameBytes / MiB} MiB, without buffering it`, async () => {
    const growth = await growthOf('oversized frame', async () => {
      const ws = await openSocket();
      const closed = closeOf(ws);
      ws.send(Buffer.alloc(HOST_LIMITS.maxFrameBytes + 1, 0x20), { binary: false });
      expect(await closed).toBe(1009); // "message too big"
    });
    await stillAnswers();
    expect(growth.heap).toBeLessThan(32);
    expect(growth.rss).toBeLessThan(128);
  });

  it('answers only requests addressed to 127.0.0.1 or localhost on its own port', async () => {
    const port = app.host.port;
    const page = (host: string) => raw(`GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    expect(await page('evil.example')).toMatch(/^HTTP\/1\.1 421/);
    expect(await page(`evil.example:${port}`)).toMatch(/^HTTP\/1\.1 421/);
    expect(await page(`127.0.0.1:${port + 1}`)).toMatch(/^HTTP\/1\.1 421/);
    expect(await page(`127.0.0.1:${port}`)).toMatch(/^HTTP\/1\.1 200/);
    expect(await page(`localhost:${port}`)).toMatch(/^HTTP\/1\.1 200/);
    // The socket too: a rebound name with the right origin and even the right secret is refused.
    const socket = await raw(upgradeRequest(`/caja?secret=${secretOf()}`, { Host: `evil.example:${port}`, Origin: app.host.origin }));
    expect(socket).toMatch(/^HTTP\/1\.1 403/);
    await stillAnswers();
  });

  it('answers 5,000 pipelined calls on one socket, refusing those over the in-flight cap, and gives the memory back', async () => {
    let refused = 0;
    const growth = await growthOf('5,000 pipelined calls', async () => {
      const ws = await openSocket();
      const answered = new Set<number>();
      const done = new Promise<void>((resolve) => {
        ws.on('message', (data) => {
          const frame = JSON.parse(String(data)) as { id?: number; result?: { ok: boolean; error?: { code: string } } };
          if (frame.id === undefined || !frame.result) return; // a pushed event, not an answer
          if (!frame.result.ok) {
            expect(frame.result.error?.code).toBe('RATE_LIMITED');
            refused += 1;
          }
          answered.add(frame.id);
          if (answered.size === 5000) resolve();
        });
      });
      // One write of all 5,000 frames, so they arrive together as an attacker would pipeline them.
      for (let id = 1; id <= 5000; id++) ws.send(JSON.stringify({ id, channel: 'terminals.list' }));
      await done;
      ws.close();
    });
    console.log(`[attack] 5,000 pipelined calls: ${refused} answered RATE_LIMITED`);
    expect(refused).toBeGreaterThan(0);
    await stillAnswers();
    expect(growth.heap).toBeLessThan(48);
    expect(growth.rss).toBeLessThan(128);
  });

  it(`accepts at most ${HOST_LIMITS.maxSockets} sockets out of 300, and answers again once they close`, async () => {
    const growth = await growthOf('300 sockets', async () => {
      const attempts = await Promise.allSettled(Array.from({ length: 300 }, () => openSocket()));
      const open = attempts.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : []));
      const refusals = attempts.flatMap((a) => (a.status === 'rejected' ? [String(a.reason)] : []));
      expect(open.length).toBeLessThanOrEqual(HOST_LIMITS.maxSockets);
      expect(refusals.length).toBeGreaterThanOrEqual(300 - HOST_LIMITS.maxSockets);
      expect(refusals.every((r) => /503|ECONNRESET|socket hang up/.test(r))).toBe(true);
      await Promise.all(open.map((ws) => ((ws.close(), closeOf(ws)))));
    });
    // Hundreds of refusals, a line or two in the log: a flood must not fill the disk either.
    const refusalLines = readFileSync(join(dataDir, 'caja.log'), 'utf8').split('\n').filter((l) => l.includes('refused a socket'));
    expect(refusalLines.length).toBeLessThanOrEqual(3);
    await stillAnswers();
    expect(growth.heap).toBeLessThan(32);
    expect(growth.rss).toBeLessThan(128);
  });
});

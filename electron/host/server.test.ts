/**
 * The browser host against the real services in demo mode: only the page it served, with the run's
 * secret, may drive the contract; it binds loopback only; static files cannot escape the renderer.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserApp, type BrowserApp } from './browser-app';
import { resolveStatic } from './server';

let app: BrowserApp;
let dataDir: string;
let rendererDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'caja-host-'));
  rendererDir = join(dataDir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Caja</title>');
  writeFileSync(join(dataDir, 'outside.txt'), 'must not be served');
  app = await startBrowserApp({ dataDir, port: 0, forceDemo: true, rendererDir, keysDir: join(dataDir, 'keys') });
});

afterAll(async () => {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const secretOf = () => new URL(app.host.url).hash.replace('#secret=', '');

function connect(options: { secret?: string; origin?: string; path?: string }): Promise<WebSocket> {
  const url = `ws://127.0.0.1:${app.host.port}${options.path ?? '/caja'}?secret=${options.secret ?? ''}`;
  const ws = new WebSocket(url, { origin: options.origin ?? app.host.origin });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function callOver(ws: WebSocket, frame: unknown): Promise<{ id: number | null; result: { ok: boolean; value?: unknown; error?: { code: string; message: string } } }> {
  return new Promise((resolve) => {
    ws.once('message', (data) => resolve(JSON.parse(String(data))));
    ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  });
}

describe('browser host', () => {
  it('binds to loopback only', () => {
    expect(app.host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves the renderer with a CSP that allows only its own socket', async () => {
    const res = await fetch(app.host.origin + '/');
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain(`connect-src ws://127.0.0.1:${app.host.port}/caja`);
    expect(csp).toContain("script-src 'self'");
    expect(await res.text()).toContain('<title>Caja</title>');
  });

  it('never serves files outside the renderer folder', async () => {
    for (const attempt of ['/../outside.txt', '/%2e%2e/outside.txt', '/..%2foutside.txt', '/a/../../outside.txt', '/%00']) {
      const resolved = resolveStatic(rendererDir, attempt);
      // Either refused, or clamped to a path inside the renderer folder.
      if (resolved !== null) expect(resolved.startsWith(rendererDir + sep)).toBe(true);
    }
    const body = await new Promise<string>((resolve) => {
      // Raw request: fetch would normalise the dots away before sending.
      const req = request({ host: '127.0.0.1', port: app.host.port, path: '/../outside.txt' }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve(text));
      });
      req.end();
    });
    expect(body).not.toContain('must not be served');
  });

  it('runs a contract call for the page with the secret', async () => {
    const ws = await connect({ secret: secretOf() });
    const answer = await callOver(ws, { id: 7, channel: 'app.getInfo', input: undefined });
    expect(answer.id).toBe(7);
    expect(answer.result).toMatchObject({ ok: true, value: { name: 'Caja', shell: 'browser', backend: 'demo' } });
    ws.close();
  });

  it('refuses a socket without the secret, with a wrong one, or from another origin', async () => {
    await expect(connect({})).rejects.toThrow('403');
    await expect(connect({ secret: 'x'.repeat(secretOf().length) })).rejects.toThrow('403');
    await expect(connect({ secret: secretOf(), origin: 'http://127.0.0.1:1' })).rejects.toThrow('403');
    await expect(connect({ secret: secretOf(), origin: 'https://evil.example' })).rejects.toThrow('403');
    await expect(connect({ secret: secretOf(), path: '/other' })).rejects.toThrow('403');
  });

  it('answers unknown channels, malformed frames and bad arguments with a coded error', async () => {
    const ws = await connect({ secret: secretOf() });
    const unknown = await callOver(ws, { id: 1, channel: 'shell.exec', input: 'rm -rf /' });
    expect(unknown.result.error?.code).toBe('UNKNOWN_CHANNEL');
    const garbage = await callOver(ws, '{not json');
    expect(garbage.result.error?.code).toBe('INVALID_INPUT');
    const bad = await callOver(ws, { id: 2, channel: 'checkout.cancel', input: { saleId: 42 } });
    expect(bad.result.error?.code).toBe('INVALID_INPUT');
    expect(Object.keys(bad.result.error!).sort()).toEqual(['code', 'message']);
    ws.close();
  });

  it('opens with a one-time launch link, so the secret itself never goes on a command line', async () => {
    const link = app.host.launchUrl();
    expect(link).not.toContain(secretOf());
    const first = await fetch(link, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe(`/#secret=${secretOf()}`);
    // Used once, it is worthless to anyone who read it in the process list afterwards.
    expect((await fetch(link, { redirect: 'manual' })).status).toBe(410);
    expect((await fetch(`${app.host.origin}/launch/made-up-token`, { redirect: 'manual' })).status).toBe(410);
    expect(app.host.launchUrl()).not.toBe(link);
  });
});

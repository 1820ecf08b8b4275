/**
 * The contract as the renderer meets it in a real browser: one call travels page → WebSocket →
 * dispatch → services and back; a page from any other origin cannot drive Caja even if it learns the
 * secret; the page itself cannot reach the network.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from './fixtures';

test('app.getInfo travels the contract and is rendered', async ({ page, caja }) => {
  await expect(page.getByTestId('app-info')).toContainText('browser');
  await expect(page.getByTestId('app-info')).toContainText('demo');
  expect(caja.app.host.url).toContain('#secret=');
  // The secret leaves the address bar as soon as the page has it.
  expect(page.url()).not.toContain('secret');
});

test('the page has no Node and cannot reach the network', async ({ page }) => {
  await expect(page.getByTestId('app-info')).toBeVisible();
  const probe = await page.evaluate(async () => ({
    require: typeof (window as { require?: unknown }).require,
    process: typeof (window as { process?: unknown }).process,
    fetch: await fetch('http://127.0.0.1:9/').then(
      () => 'reached',
      () => 'blocked',
    ),
  }));
  expect(probe).toEqual({ require: 'undefined', process: 'undefined', fetch: 'blocked' });
});

test('errors cross as code and message only', async ({ page }) => {
  await expect(page.getByTestId('app-info')).toBeVisible();
  const answer = await page.evaluate(async () => {
    const bridge = (window as { caja?: Record<string, (i: unknown) => Promise<unknown>> }).caja;
    // The browser host keeps window.caja private to the bridge; go through a raw socket like a hostile script would.
    if (bridge) return 'exposed';
    const secret = sessionStorage.getItem('caja.hostSecret');
    return new Promise((resolve) => {
      const ws = new WebSocket(`ws://${location.host}/caja?secret=${secret}`);
      ws.onopen = () => ws.send(JSON.stringify({ id: 1, channel: 'sales.refund', input: { saleId: 'nope', amount: -5 } }));
      ws.onmessage = (m) => resolve(JSON.parse(String(m.data)));
    });
  });
  expect(answer).toMatchObject({ id: 1, result: { ok: false, error: { code: 'INVALID_INPUT' } } });
  expect(Object.keys((answer as { result: { error: object } }).result.error).sort()).toEqual(['code', 'message']);
});

test('a page from another origin cannot drive Caja, even with the secret', async ({ page, caja }) => {
  const secret = new URL(caja.app.host.url).hash.replace('#secret=', '');
  const evil: Server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>evil</title>');
  });
  await new Promise<void>((ok) => evil.listen(0, '127.0.0.1', ok));
  try {
    const evilPage = await page.context().newPage();
    await evilPage.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
    const outcome = await evilPage.evaluate(
      ({ port, secret }) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}/caja?secret=${secret}`);
          ws.onopen = () => resolve('connected');
          ws.onerror = () => resolve('refused');
        }),
      { port: caja.app.host.port, secret },
    );
    expect(outcome).toBe('refused');
  } finally {
    evil.close();
  }
});

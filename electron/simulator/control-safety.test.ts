/**
 * The control API is safe to leave running in a demo: a web page on another site cannot drive it
 * (JSON-only writes, no CORS grant), it compiles nothing a caller sends (globs, never regular
 * expressions), and it is never reachable from another machine (loopback only).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { globMatcher } from './faults';
import { isLoopbackHost, startSimulator } from './index';
import { INSTANT, INTENT_DEVICE, intentBody, newKey, openKit, orderBody, type Kit } from './test-kit';

describe('control API safety', () => {
  let k: Kit;
  beforeEach(async () => {
    k = await openKit({ timing: INSTANT });
  });
  afterEach(() => k.close());

  const post = (path: string, init: { contentType?: string; body?: string }) =>
    fetch(`${k.sim.baseUrl}/__sim${path}`, {
      method: 'POST',
      headers: init.contentType === undefined ? {} : { 'content-type': init.contentType },
      body: init.body,
    });

  it('refuses writes that are not application/json with a clear 415, and does nothing', async () => {
    // What a cross-site <form> or a no-preflight fetch can send.
    for (const [contentType, body] of [
      ['application/x-www-form-urlencoded', 'mode=manual'],
      ['text/plain', '{"customer":"manual"}'],
      ['multipart/form-data; boundary=x', '--x--'],
      [undefined, '{"customer":"manual"}'],
    ] as const) {
      const res = await post('/timing', { contentType, body });
      expect(res.status).toBe(415);
      expect((await res.json()).error).toMatch(/Content-Type: application\/json/);
    }
    expect((await post('/reset', { contentType: 'text/plain' })).status).toBe(415);
    const info = await fetch(`${k.sim.baseUrl}/__sim/info`).then((r) => r.json());
    expect(info.timing.customer).toBe('auto');
    // JSON with parameters is JSON.
    expect((await post('/timing', { contentType: 'application/json; charset=utf-8', body: '{"customer":"manual"}' })).status).toBe(204);
    expect((await fetch(`${k.sim.baseUrl}/__sim/info`).then((r) => r.json())).timing.customer).toBe('manual');
  });

  it('grants no cross-origin access: no CORS headers, preflights are not answered with a grant', async () => {
    const pre = await fetch(`${k.sim.baseUrl}/__sim/timing`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(pre.ok).toBe(false);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const read = await fetch(`${k.sim.baseUrl}/__sim/terminals`, { headers: { origin: 'https://evil.example' } });
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('matches fault paths exactly or by * globs, and refuses regular expressions', async () => {
    await k.control.faults({ failNext: { count: 1, status: 503, match: { method: 'POST', path: '/v1/orders/*/cancel' } } });
    // Not the create: the glob is anchored at both ends.
    expect((await k.api('POST', '/v1/orders', orderBody('15.00'), { 'x-idempotency-key': newKey() })).status).toBe(201);
    await k.control.clearFaults();
    await k.control.faults({ readsPerSecond: null, failNext: { count: 1, status: 503, match: { path: '*/payment-intents' } } });
    expect((await k.api('POST', `/point/integration-api/devices/${INTENT_DEVICE}/payment-intents`, intentBody(1500))).status).toBe(503);

    for (const regex of ['^/v1/orders$', 'payment-intents$', '/v1/(orders|payments)', '/v1/orders/\\w+', '[a-z]+', '/v1/orders?']) {
      const res = await post('/faults', { contentType: 'application/json', body: JSON.stringify({ dropNext: { count: 1, match: { path: regex } } }) });
      expect(res.status, regex).toBe(400);
    }
    // Characters a path may hold are taken literally, never as pattern syntax.
    const created = await k.api('POST', '/v1/orders', orderBody('17.00', {}, 'NEWLAND_N950__N950NCB000000002'), { 'x-idempotency-key': newKey() });
    await k.control.faults({ failNext: { count: 1, status: 503, match: { path: '/v1/orders/.+' } } });
    expect((await k.api('GET', `/v1/orders/${created.body.id}`)).status).toBe(200);
  });

  it('glob matching is literal apart from *, and linear', () => {
    expect(globMatcher('/v1/orders').test('/v1/orders')).toBe(true);
    expect(globMatcher('/v1/orders').test('/v1/orders/ORD1')).toBe(false);
    expect(globMatcher('*/refunds').test('/v1/payments/9/refunds')).toBe(true);
    expect(globMatcher('*/refunds').test('/v1/payments/9/refunds/1')).toBe(false);
    expect(globMatcher('/v1/orders/*/cancel').test('/v1/orders/ORD1/cancel')).toBe(true);
    expect(globMatcher('/v1/orders/*/cancel').test('/v1/orders/cancel')).toBe(false);
    expect(globMatcher('/a*a').test('/a')).toBe(false);
    expect(globMatcher('*').test('/anything/at/all')).toBe(true);
    expect(globMatcher('/v1/payments.search').test('/v1/payments/search')).toBe(false); // "." is a dot
    // A pattern that backtracks catastrophically as a regex is a plain scan here.
    expect(globMatcher(`/${'*a'.repeat(40)}b`).test(`/${'a'.repeat(5000)}`)).toBe(false);
  });
});

describe('loopback only', () => {
  it('knows loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.com', '127.0.0.1.example.com', '128.0.0.1', '']) {
      expect(isLoopbackHost(h), h).toBe(false);
    }
  });

  it('refuses to start on any other host, saying why', async () => {
    await expect(startSimulator({ port: 0, host: '0.0.0.0' })).rejects.toThrow(/loopback only.*"0\.0\.0\.0".*no authentication/);
    await expect(startSimulator({ port: 0, host: '::' })).rejects.toThrow(/loopback only/);
  });

  it('starts on ::1 or localhost', async () => {
    const sim = await startSimulator({ port: 0, host: 'localhost' });
    try {
      expect((await fetch(`${sim.baseUrl}/__sim/info`)).status).toBe(200);
    } finally {
      await sim.close();
    }
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INTENT_DEVICE, intentBody, newKey, openKit, ORDER_TERMINAL, orderBody, STEPPED, type Kit } from './test-kit';

const intentPath = `/point/integration-api/devices/${INTENT_DEVICE}/payment-intents`;

describe('fault injection and control', () => {
  let k: Kit;
  beforeEach(async () => {
    k = await openKit({ timing: STEPPED, manualClock: true, readLimit: true });
  });
  afterEach(() => k.close());

  it('limits reads of one intent by default (429 + Retry-After); readsPerSecond sets every family at once', async () => {
    const c = await k.api('POST', intentPath, intentBody(1500));
    const read = () => k.api('GET', `/point/integration-api/payment-intents/${c.body.id}`);
    expect((await read()).status).toBe(200);
    const limited = await read();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.body).toMatchObject({ status: 429, error: 'too_many_requests' });

    const o = await k.api('POST', '/v1/orders', orderBody('15.00'), { 'x-idempotency-key': newKey() });
    const readOrder = () => k.api('GET', `/v1/orders/${o.body.id}`);
    await k.control.faults({ readsPerSecond: null });
    expect((await readOrder()).status).toBe(200);
    expect((await readOrder()).status).toBe(200);
    expect((await read()).status).toBe(200);
    expect((await read()).status).toBe(200);
    await k.control.faults({ readsPerSecond: 1 });
    expect((await readOrder()).status).toBe(200);
    const ol = await readOrder();
    expect(ol.status).toBe(429);
    expect(ol.body.errors[0].code).toBe('too_many_requests');
  });

  it('fails the next matching requests with the given status and does nothing', async () => {
    await k.control.faults({ failNext: { count: 2, status: 503, match: { method: 'POST', path: '/v1/orders' } } });
    expect((await k.api('GET', '/point/integration-api/devices')).status).toBe(200); // not matched
    const a = await k.api('POST', '/v1/orders', orderBody('15.00'), { 'x-idempotency-key': newKey() });
    expect(a.status).toBe(503);
    expect(a.body.errors[0].code).toBe('injected_fault');
    expect((await k.api('POST', '/v1/orders', orderBody('15.00'), { 'x-idempotency-key': newKey() })).status).toBe(503);
    expect((await k.control.terminal(ORDER_TERMINAL)).charge).toBeNull();
    expect((await k.api('POST', '/v1/orders', orderBody('15.00'), { 'x-idempotency-key': newKey() })).status).toBe(201);
    await k.control.faults({ failNext: { count: 1, status: 500 } });
    const mp = await k.api('GET', '/point/integration-api/devices');
    expect(mp.body).toMatchObject({ status: 500, error: 'internal_server_error' });
  });

  it('drops connections before handling: nothing happens', async () => {
    await k.control.faults({ dropNext: { count: 1, match: { path: '*/payment-intents' } } });
    await expect(k.api('POST', intentPath, intentBody(1500))).rejects.toThrow();
    expect((await k.control.terminal(INTENT_DEVICE)).charge).toBeNull();
    const [req] = await k.control.requests();
    expect(req).toMatchObject({ method: 'POST', path: intentPath, status: null });
    expect((await k.api('POST', intentPath, intentBody(1500))).status).toBe(201);
  });

  it('loses the answer after the side effect; the key replays the same charge', async () => {
    await k.control.faults({ loseResponseNext: { count: 1, match: { method: 'POST' } } });
    const key = newKey();
    await expect(k.api('POST', '/v1/orders', orderBody('15.00'), { 'x-idempotency-key': key })).rejects.toThrow();
    const held = (await k.control.terminal(ORDER_TERMINAL)).charge;
    expect(held).not.toBeNull();
    const retry = await k.api('POST', '/v1/orders', orderBody('15.00'), { 'x-idempotency-key': key });
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(held!.id);
    const reqs = await k.control.requests();
    expect(reqs.map((r) => r.status)).toEqual([201, 201]);
  });

  it('applies latency without changing answers', async () => {
    await k.control.faults({ latencyMs: 30 });
    expect((await k.api('GET', '/terminals/v1/list')).status).toBe(200);
    const info = await fetch(`${k.sim.baseUrl}/__sim/info`).then((r) => r.json());
    expect(info.faults.latencyMs).toBe(30);
  });

  it('stalls an offline terminal and resumes it', async () => {
    const c = await k.api('POST', intentPath, intentBody(1500), {});
    await k.control.setOnline(INTENT_DEVICE, false);
    await k.control.advance(10_000);
    expect((await k.control.terminal(INTENT_DEVICE)).online).toBe(false);
    await k.control.faults({ readsPerSecond: null });
    expect((await k.api('GET', `/point/integration-api/payment-intents/${c.body.id}`)).body.state).toBe('OPEN');
    await expect(k.control.customer(INTENT_DEVICE, 'approve')).rejects.toThrow(/409/);
    await k.control.setOnline(INTENT_DEVICE, true);
    expect((await k.api('GET', `/point/integration-api/payment-intents/${c.body.id}`)).body.state).toBe('ON_TERMINAL');
    await k.control.advance(200);
    expect((await k.api('GET', `/point/integration-api/payment-intents/${c.body.id}`)).body.state).toBe('FINISHED');
  });

  it('records requests without the Authorization header; `since` pages the log', async () => {
    const key = newKey();
    await k.api('POST', '/v1/orders?x=1', orderBody('15.00'), { 'x-idempotency-key': key });
    await k.api('GET', '/terminals/v1/list');
    await fetch(`${k.sim.baseUrl}/__sim/terminals`);
    const all = await k.control.requests();
    expect(all).toHaveLength(2);
    expect(all[0]).toMatchObject({ method: 'POST', path: '/v1/orders', query: { x: '1' }, userId: 100001, idempotencyKey: key, status: 201 });
    expect(all[0]!.body).toMatchObject({ type: 'point' });
    const raw = await fetch(`${k.sim.baseUrl}/__sim/requests`).then((r) => r.text());
    expect(raw).not.toContain('Bearer');
    expect(raw).not.toContain('demo-token');
    expect(await k.control.requests(all[0]!.seq)).toHaveLength(1);
  });

  it('validates control bodies and resets to the seeds', async () => {
    await expect(k.control.customer(INTENT_DEVICE, 'approve')).rejects.toThrow(/409/);
    const post = (path: string, body: string) => fetch(`${k.sim.baseUrl}/__sim${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect((await post('/faults', JSON.stringify({ latencyMs: -1 }))).status).toBe(400);
    // A regular expression is not a path: refused, never compiled.
    expect((await post('/faults', JSON.stringify({ dropNext: { count: 1, match: { path: '^/v1/(orders|payments)$' } } }))).status).toBe(400);
    expect((await post('/terminals/NOPE/online', '{"online":true}')).status).toBe(404);
    await k.api('PATCH', `/point/integration-api/devices/${INTENT_DEVICE}`, { operating_mode: 'STANDALONE' });
    await k.api('POST', intentPath, intentBody(1500));
    await k.control.reset();
    expect(await k.control.requests()).toEqual([]);
    expect((await k.control.terminal(INTENT_DEVICE)).mode).toBe('PDV');
    expect((await k.control.terminal(INTENT_DEVICE)).charge).toBeNull();
  });

  it('serves the terminal screen page, self-contained', async () => {
    const res = await fetch(k.sim.terminalScreenUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('/__sim/terminals');
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=/);
    expect(html).not.toContain('demo-token');
  });
});

describe('state file', () => {
  it('persists and reloads state, including a charge in flight', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-state-'));
    const file = join(dir, 'state.json');
    try {
      const a = await openKit({ timing: { ...STEPPED, customer: 'manual' }, stateFile: file });
      await a.api('PATCH', `/point/integration-api/devices/PAX_A910__SMARTPOS1234567891`, { operating_mode: 'STANDALONE' });
      const paid = await a.api('POST', '/v1/orders', orderBody('15.00'), { 'x-idempotency-key': 'persist-1' });
      await a.control.customer(ORDER_TERMINAL, 'approve');
      await a.control.advance(100);
      const pending = await a.api('POST', intentPath, intentBody(2500));
      await a.close();
      expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe(1);

      const b = await openKit({ timing: { ...STEPPED, toTerminalMs: 600_000, customer: 'manual' }, stateFile: file });
      try {
        expect((await b.api('GET', `/v1/orders/${paid.body.id}`)).body.status).toBe('processed');
        expect(await b.control.payments()).toHaveLength(1);
        const replay = await b.api('POST', '/v1/orders', orderBody('15.00'), { 'x-idempotency-key': 'persist-1' });
        expect(replay.body.id).toBe(paid.body.id);
        expect((await b.api('GET', '/point/integration-api/devices')).body.devices[1].operating_mode).toBe('STANDALONE');
        // The intent queued before the restart is still this device's charge.
        const i = await b.api('GET', `/point/integration-api/payment-intents/${pending.body.id}`);
        expect(i.status).toBe(200);
        expect((await b.control.terminal(INTENT_DEVICE)).charge?.id).toBe(pending.body.id);
      } finally {
        await b.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

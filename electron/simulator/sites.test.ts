/**
 * Every site Settings offers has a seeded account that works end to end with its own currency rules:
 * a token, devices of each family, orders and payments in the site's currency with its decimals.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_ACCOUNTS } from './seed';
import { SIM_SITE_IDS, SIM_SITES, type SiteId } from './sites';
import { apiClient, INSTANT, newKey, openKit, type Kit } from './test-kit';

describe('every site has a working seeded account', () => {
  let k: Kit;
  beforeAll(async () => {
    k = await openKit({ timing: INSTANT });
  });
  afterAll(() => k.close());

  const accountOf = (site: SiteId) => {
    const a = SEED_ACCOUNTS.find((x) => x.site === site);
    if (!a) throw new Error(`no seeded account for ${site}`);
    return a;
  };

  it.each(SIM_SITE_IDS)('%s: token, devices of every family, and its own country', async (site) => {
    const a = accountOf(site);
    const call = apiClient(k.sim.baseUrl, a.token);
    expect((await call('GET', '/users/me')).body).toMatchObject({ id: a.userId, site_id: site, country_id: SIM_SITES[site].countryCode });
    expect((await call('GET', '/point/integration-api/devices')).body.devices.length).toBeGreaterThanOrEqual(1);
    expect((await call('GET', '/terminals/v1/list')).body.data.terminals.length).toBeGreaterThanOrEqual(1);
    expect((await call('GET', '/point/services/integrations/v1/devices')).body.devices.length).toBeGreaterThanOrEqual(1);
  });

  it.each(SIM_SITE_IDS)("%s: an order and its payment speak the site's currency and decimals", async (site) => {
    const a = accountOf(site);
    const call = apiClient(k.sim.baseUrl, a.token);
    const { currency, decimals } = SIM_SITES[site];
    const terminal = a.devices.find((d) => d.family === 'orders')!.id;
    const amount = decimals === 0 ? '1500' : '15.00';
    const wrong = decimals === 0 ? '1500.00' : '15';
    const order = (value: string) =>
      call(
        'POST',
        '/v1/orders',
        { type: 'point', external_reference: `site-${site}-${value.replace('.', '_')}`, transactions: { payments: [{ amount: value }] }, config: { point: { terminal_id: terminal } } },
        { 'x-idempotency-key': newKey() },
      );
    expect((await order(wrong)).status).toBe(400);
    const created = await order(amount);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ currency, total_amount: amount, country_code: SIM_SITES[site].countryCode });
    const paymentId = (await call('GET', `/v1/orders/${created.body.id}`)).body.transactions.payments[0].reference_id;
    const payment = await call('GET', `/v1/payments/${paymentId}`);
    expect(payment.body).toMatchObject({ currency_id: currency, transaction_amount: 15 * (decimals === 0 ? 100 : 1) });
  });

  it('tokens are per account: one site never sees another site\u2019s devices', async () => {
    const [first, second] = [accountOf('MLC'), accountOf('MLU')];
    const device = first.devices.find((d) => d.family === 'intents')!.id;
    const other = apiClient(k.sim.baseUrl, second.token);
    expect((await other('PATCH', `/point/integration-api/devices/${device}`, { operating_mode: 'PDV' })).status).toBe(404);
  });
});

describe('independence', () => {
  it('the simulator imports nothing of the client: only its own modules, node: built-ins and zod', () => {
    const dir = __dirname;
    const outside: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)) {
        const spec = m[1]!;
        if (!(spec.startsWith('./') || spec.startsWith('node:') || spec === 'zod')) outside.push(`${file}: ${spec}`);
      }
    }
    expect(outside).toEqual([]);
  });
});

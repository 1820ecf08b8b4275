/**
 * The handlers main exposes, wired to the real catalog, engine, vault and simulator: what the
 * renderer gets through either pipe.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SaleView } from '../shared/contract';
import { createLogger } from './logger';
import { createServices, type Services } from './services';
import { createFileKeySecretBox } from './settings/token-vault';
import { startSimulator, type Simulator } from './simulator';

// Mercado Pago for a live till (the token check asks it whose token it is).
let mercadoPago: Simulator;
beforeAll(async () => {
  mercadoPago = await startSimulator({ port: 0 });
});
afterAll(() => mercadoPago.close());

// A token the simulator's account 100001 answers /users/me for: a token is checked before it is saved (issue 12).
const TOKEN = 'TEST-100001-mla-caja-demo-token';
let services: Services | null = null;
let dataDir = '';

async function start(forceDemo: boolean): Promise<Services> {
  dataDir = mkdtempSync(join(tmpdir(), 'caja-services-'));
  services = await createServices({
    dataDir,
    shell: 'browser',
    version: '9.9.9',
    platform: 'linux',
    secretBox: createFileKeySecretBox(dataDir, join(dataDir, '..', `${basename(dataDir)}-keys`)),
    log: createLogger({ file: join(dataDir, 'caja.log') }),
    forceDemo,
    // What `npm start` does for a new folder: the demo, chosen, until a token is entered.
    firstRunDemo: true,
    simulatorTiming: { toTerminalMs: 50, customerMs: 100, processingMs: 50, customer: 'auto' },
    liveBaseUrl: mercadoPago.baseUrl,
  });
  // A manager is at the till in these tests; electron/roles/roles.test.ts proves the gate.
  await services.handlers['manager.setPin']({ pin: '1234' });
  return services;
}

afterEach(async () => {
  await services?.close();
  services = null;
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(`${dataDir}-keys`, { recursive: true, force: true });
});

describe('services', () => {
  it('starts in demo mode with a seeded catalog and charges a scanned product end to end', async () => {
    const s = await start(false);
    expect(await s.handlers['app.getInfo'](undefined)).toMatchObject({ backend: 'demo', terminalScreenUrl: expect.stringContaining('/__sim/screen') });
    const water = await s.handlers['catalog.lookup']({ code: '7790001000019' });
    expect(water).toMatchObject({ name: 'Agua Mineral 500ml', price: 150000 });

    const settled = new Promise<SaleView>((resolve) =>
      s.subscribe((event, payload) => {
        if (event === 'sale.changed' && (payload as SaleView).state === 'approved') resolve(payload as SaleView);
      }),
    );
    const line = { productId: water!.id, sku: water!.sku, name: water!.name, unitPrice: water!.price, quantity: 1, discount: 0 };
    const sale = await s.handlers['checkout.charge']({ cart: { lines: [line], cartDiscount: 0 }, terminalId: 'PAX_A910__SMARTPOS1234567890' });
    expect((await settled).id).toBe(sale.id);

    const pt = await s.handlers['receipt.render']({ saleId: sale.id, locale: 'pt-BR' });
    const es = await s.handlers['receipt.render']({ saleId: sale.id });
    expect(pt.html).toContain('lang="pt-BR"');
    expect(es.html).toContain('lang="es-AR"');
  });

  it('keeps the token write-only: stored sealed, switches to live, never in any answer or log', async () => {
    const s = await start(false);
    const settings = await s.handlers['settings.setToken']({ token: TOKEN });
    expect(settings.hasToken).toBe(true);
    expect(JSON.stringify(settings)).not.toContain(TOKEN);
    expect((await s.handlers['app.getInfo'](undefined)).backend).toBe('live');
    for (const file of readdirSync(dataDir)) {
      const text = readFileSync(join(dataDir, file)).toString('latin1');
      expect(text, file).not.toContain(TOKEN.slice(8, 28));
    }
  });

  it('refuses to move the demo account to another country', async () => {
    const s = await start(true);
    await expect(s.handlers['settings.update']({ site: 'MLB' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect((await s.handlers['settings.get'](undefined)).site).toBe('MLA');
  });
});

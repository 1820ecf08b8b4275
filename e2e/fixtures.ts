/**
 * The whole app for a browser spec: real services (catalog, engine, journal) and the real simulator
 * in this process, the real renderer in Chromium, the contract over the host's WebSocket. Each test
 * gets a fresh data folder, so specs never see each other's sales.
 */
import { test as base, expect } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBrowserApp, type BrowserApp, type BrowserAppOptions } from '../electron/host/browser-app';
import { SimControl, startSimulator } from '../electron/simulator';
import type { Timing } from '../electron/simulator/control-api';

/** Quick terminals: the customer pays ~1 s after the charge reaches the terminal. */
export const FAST_TIMING: Timing = { toTerminalMs: 200, customerMs: 800, processingMs: 300, customer: 'auto' };

export interface AppFixture {
  app: BrowserApp;
  dataDir: string;
  sim: SimControl;
  /** Stops the app and starts it again on the same data folder, against the same simulator. */
  restart(options?: Partial<BrowserAppOptions>): Promise<BrowserApp>;
}

export const test = base.extend<{ caja: AppFixture; timing: Timing }>({
  timing: [FAST_TIMING, { option: true }],
  // Automatic: a spec that only asks for `page` still gets the app started and opened.
  caja: [
    async ({ page, timing }, use) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'caja-e2e-'));
      // The token's key lives outside the data folder, as it does for a user (never in ~/.config here).
      const keysDir = mkdtempSync(join(tmpdir(), 'caja-e2e-keys-'));
      // Mercado Pago's side lives outside the app, so it survives the app's restarts as it would.
      const simulator = await startSimulator({ port: 0, timing });
      const options: BrowserAppOptions = { dataDir, keysDir, port: 0, forceDemo: true, externalSimulator: simulator };
      let app = await startBrowserApp(options);
      const fixture: AppFixture = {
        app,
        dataDir,
        sim: new SimControl(simulator.baseUrl),
        async restart(more) {
          await app.close();
          app = await startBrowserApp({ ...options, ...more });
          fixture.app = app;
          return app;
        },
      };
      await page.goto(app.host.url);
      await use(fixture);
      await app.close();
      await simulator.close();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(keysDir, { recursive: true, force: true });
    },
    { auto: true },
  ],
});

export { expect };

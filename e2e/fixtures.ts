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
  /** Moves the manager session's clock (PIN lock-outs, idle lock; it stands still otherwise) forward, restarts included. */
  advanceManagerClock(ms: number): void;
}

/** The first PIN lock-out of every spec's till; specs move the manager clock past it rather than wait. */
export const MANAGER_LOCK_OUT_MS = 30_000;

/** The manager PIN every spec's till is set up with (the first-run welcome sets it in `manager: 'none'`). */
export const MANAGER_PIN = '2580';

/**
 * Who is at the till when the page opens: `unlocked` (a manager, the default for specs about other
 * things), `locked` (a cashier: the PIN is set, the manager's actions are refused), `none` (a brand-new
 * till: no PIN yet, the first-run welcome shows).
 */
export type ManagerAtTill = 'unlocked' | 'locked' | 'none';

export const test = base.extend<{ caja: AppFixture; timing: Timing; manager: ManagerAtTill; demo: boolean }>({
  timing: [FAST_TIMING, { option: true }],
  manager: ['unlocked', { option: true }],
  // false: a folder nobody chose the demo for (live, waiting for a token), as an installed app starts.
  demo: [true, { option: true }],
  // Automatic: a spec that only asks for `page` still gets the app started and opened.
  caja: [
    async ({ page, timing, manager, demo }, use) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'caja-e2e-'));
      // The manager session's clock stands still unless a spec moves it: lock-outs and the idle lock
      // are then exact, whatever the machine's speed.
      let managerNow = Date.now();
      // The token's key lives outside the data folder, as it does for a user (never in ~/.config here).
      const keysDir = mkdtempSync(join(tmpdir(), 'caja-e2e-keys-'));
      // Mercado Pago's side lives outside the app, so it survives the app's restarts as it would.
      const simulator = await startSimulator({ port: 0, timing });
      const options: BrowserAppOptions = {
        dataDir,
        keysDir,
        port: 0,
        forceDemo: demo,
        externalSimulator: simulator,
        // A live till talks to the same simulator (token checks, a connected account).
        liveBaseUrl: simulator.baseUrl,
        manager: { now: () => managerNow, lockOut: { firstMs: MANAGER_LOCK_OUT_MS } },
      };
      let app = await startBrowserApp(options);
      if (manager !== 'none') await app.services.handlers['manager.setPin']({ pin: MANAGER_PIN });
      if (manager === 'locked') await app.services.handlers['manager.lock'](undefined);
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
        advanceManagerClock(ms) {
          managerNow += ms;
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

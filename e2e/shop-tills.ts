/**
 * Tills of one shop for the multi-register specs: each a browser host on its own data folder, all on
 * one simulator and one scratch database of the test PostgreSQL (Playwright's global setup starts
 * it). `shopTills()` registers the hooks that make and clear them around each test.
 */
import { test, expect } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBrowserApp, type BrowserApp } from '../electron/host/browser-app';
import { freshDatabase, TEST_PG_URL, type ScratchDatabase } from '../electron/test-kits/pg-scratch';
import { startSimulator, type Simulator } from '../electron/simulator';
import type { Timing } from '../electron/simulator/control-api';

export const MANAGER_PIN = '2580';

export interface ShopTills {
  readonly sim: Simulator;
  readonly db: ScratchDatabase;
  /** A till with the manager PIN set and the register named, not yet in the shop. */
  open(name: string): Promise<BrowserApp>;
  /** A till that joined the shop (connected, as the status bar would say). */
  join(name: string): Promise<BrowserApp>;
}

/** Skips the file without PostgreSQL, except on CI, where its absence must fail instead. */
export function shopTills(timing?: Timing): ShopTills {
  test.skip(!TEST_PG_URL && !process.env.CI, 'needs PostgreSQL: CAJA_TEST_PG_URL (playwright.config starts one when Debian postgresql is installed)');
  let sim: Simulator | null = null;
  let db: ScratchDatabase | null = null;
  const apps: BrowserApp[] = [];
  const dirs: string[] = [];

  test.beforeEach(async () => {
    db = await freshDatabase('caja_e2e');
    sim = await startSimulator({ port: 0, ...(timing ? { timing } : {}) });
  });
  test.afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await sim?.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    await db?.drop();
  });

  const tills: ShopTills = {
    get sim() {
      return sim!;
    },
    get db() {
      return db!;
    },
    async open(name) {
      const dataDir = mkdtempSync(join(tmpdir(), 'caja-e2e-till-'));
      const keysDir = mkdtempSync(join(tmpdir(), 'caja-e2e-keys-'));
      dirs.push(dataDir, keysDir);
      const app = await startBrowserApp({ dataDir, keysDir, port: 0, forceDemo: true, externalSimulator: sim!, liveBaseUrl: sim!.baseUrl });
      apps.push(app);
      await app.services.handlers['manager.setPin']({ pin: MANAGER_PIN });
      await app.services.handlers['settings.update']({ registerId: name });
      return app;
    },
    async join(name) {
      const app = await tills.open(name);
      const joined = await app.services.handlers['shop.connect']({ url: db!.url, ssl: 'disable', shopId: 'demo-shop', shopName: 'Demo shop' });
      expect(joined.ok).toBe(true);
      await expect.poll(async () => (await app.services.handlers['shop.status'](undefined)).state, { timeout: 20_000 }).toBe('connected');
      return app;
    },
  };
  return tills;
}

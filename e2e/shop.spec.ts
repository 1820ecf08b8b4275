/**
 * The Shop server section of the Manager screen, in Chromium through the browser host: a wrong
 * password is refused in words and nothing is saved; the right one connects, and the status bar
 * then says the till is synced with nothing pending.
 */
import { test, expect } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startBrowserApp, type BrowserApp } from '../electron/host/browser-app';
import { startSimulator, type Simulator } from '../electron/simulator';

const PG = process.env.CAJA_TEST_PG_URL ?? '';

test.skip(!PG, 'needs PostgreSQL: CAJA_TEST_PG_URL (playwright.config starts one when Debian postgresql is installed)');

let sim: Simulator;
let app: BrowserApp;
let database: string;
const dirs: string[] = [];

test.beforeEach(async () => {
  database = `caja_e2e_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  sim = await startSimulator({ port: 0 });
  const dataDir = mkdtempSync(join(tmpdir(), 'caja-e2e-shop-'));
  const keysDir = mkdtempSync(join(tmpdir(), 'caja-e2e-keys-'));
  dirs.push(dataDir, keysDir);
  app = await startBrowserApp({ dataDir, keysDir, port: 0, forceDemo: true, externalSimulator: sim, liveBaseUrl: sim.baseUrl });
  await app.services.handlers['manager.setPin']({ pin: '2580' });
  await app.services.handlers['manager.lock'](undefined);
});

test.afterEach(async () => {
  await app.close();
  await sim.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  const admin = new pg.Client({ connectionString: PG });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
});

test('a wrong password is refused in words and nothing saved; the right one connects and the status bar says synced', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const url = new URL(PG);
  url.pathname = `/${database}`;
  const password = decodeURIComponent(url.password);
  url.password = '';

  await page.goto(app.host.url);
  await page
    .getByRole('navigation')
    .getByRole('button', { name: /^Manager/ })
    .click();
  await page.getByLabel('Manager PIN').fill('2580');
  await page.getByRole('button', { name: 'Unlock' }).click();
  const section = page.getByTestId('shop-server');
  await expect(section.getByRole('heading', { name: 'Shop server' })).toBeVisible();

  await section.getByTestId('shop-url').fill(url.toString());
  await section.getByTestId('shop-password').fill('not-the-password');
  await section.getByTestId('shop-ssl').selectOption('disable');
  await section.getByTestId('shop-id').fill('centro');
  await section.getByTestId('shop-name').fill('Centro');
  await section.getByTestId('shop-connect').click();
  await expect(section.getByTestId('shop-problem')).toHaveText(/refused the user or password.*nothing was saved/);
  expect((await app.services.handlers['shop.status'](undefined)).state).toBe('off');
  await expect(page.getByTestId('shop-sync')).toHaveCount(0);

  await section.getByTestId('shop-password').fill(password);
  await section.getByTestId('shop-connect').click();
  await expect(section.getByText('Connected and saved.')).toBeVisible();
  await expect(page.getByTestId('shop-sync')).toHaveText(/^Synced \S+.* · 0 pending$/, { timeout: 30_000 });
  await expect(section.getByTestId('shop-state')).toContainText('Centro');
  await expect(section.getByTestId('shop-state')).not.toContainText(password);
});

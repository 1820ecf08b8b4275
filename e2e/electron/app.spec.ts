/**
 * Specs that launch the real Electron app. Electron's binary is downloaded on first use; on machines
 * where that cannot happen (CI here) these specs skip with a message and the browser specs cover the
 * same renderer and services through the browser host.
 */
import { expect, test, type ElectronApplication } from '@playwright/test';
import { NO_BINARY, electronBinary, isBuilt, launchCaja } from './electron-app';

const binary = electronBinary();
if (!binary) console.warn(`Electron specs skipped: ${NO_BINARY}`);
test.skip(!binary, NO_BINARY);
test.skip(!isBuilt(), 'Run `npm run build` first.');

let app: ElectronApplication;

test.beforeEach(async () => {
  ({ app } = await launchCaja());
});

test.afterEach(async () => {
  await app.close();
});

test('opens one secure window that shows the app info from main', async () => {
  const page = await app.firstWindow();
  await expect(page.getByTestId('app-info')).toContainText('electron');
  const exposed = await page.evaluate(() => ({
    caja: typeof (window as { caja?: unknown }).caja,
    require: typeof (window as { require?: unknown }).require,
    process: typeof (window as { process?: unknown }).process,
  }));
  expect(exposed).toEqual({ caja: 'object', require: 'undefined', process: 'undefined' });
  // A sandboxed, isolated preload cannot hand the page Node: the page sees only window.caja.
  expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
});

test('the renderer has no network and cannot navigate away or open windows', async () => {
  const page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
  const fetched = await page.evaluate(() =>
    fetch('http://127.0.0.1:9/').then(
      () => 'reached',
      () => 'blocked',
    ),
  );
  expect(fetched).toBe('blocked');
  await page.evaluate(() => {
    window.location.href = 'https://example.com/';
  });
  await page.waitForTimeout(500);
  expect(page.url()).toMatch(/^app:\/\/caja\//);
  const opened = await page.evaluate(() => window.open('https://example.com/') === null);
  expect(opened).toBe(true);
  expect(app.windows()).toHaveLength(1);
});

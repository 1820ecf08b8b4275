/**
 * main.ts's security settings in the real Electron, where a binary exists (CI): the same promises
 * electron/main.test.ts checks against the fake electron module, now against Chromium itself.
 */
import { expect, test, type ElectronApplication } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NO_BINARY, electronBinary, isBuilt, launchCaja } from './electron-app';

test.skip(!electronBinary(), NO_BINARY);
test.skip(!isBuilt(), 'Run `npm run build` first.');

let app: ElectronApplication;
let userData: string;

test.beforeEach(async () => {
  ({ app, userData } = await launchCaja());
});

test.afterEach(async () => {
  await app.close();
});

test('the page is denied every permission it asks about', async () => {
  const page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
  const states = await page.evaluate(() =>
    Promise.all(
      (['geolocation', 'notifications', 'camera', 'microphone'] as PermissionName[]).map((name) =>
        navigator.permissions.query({ name }).then((s) => s.state),
      ),
    ),
  );
  expect(states).toEqual(['denied', 'denied', 'denied', 'denied']);
});

test('app:// serves the renderer with its CSP and nothing outside it', async () => {
  await app.firstWindow();
  const answers = await app.evaluate(async ({ net }) => {
    const get = async (url: string) => {
      const res = await net.fetch(url);
      return { status: res.status, csp: res.headers.get('content-security-policy') };
    };
    return Promise.all([get('app://caja/index.html'), get('app://caja/..%2Fpackage.json'), get('app://other/index.html')]);
  });
  expect(answers[0]).toMatchObject({ status: 200, csp: expect.stringContaining("connect-src 'none'") });
  expect(answers.slice(1).map((a) => a.status)).toEqual([404, 404]);
});

test('the token is sealed by the OS keychain only where a real one exists', async () => {
  await app.firstWindow();
  const backend = await app.evaluate(({ safeStorage }) =>
    process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os',
  );
  const log = readFileSync(join(userData, 'caja.log'), 'utf8');
  if (backend === 'basic_text' || backend === 'unknown') expect(log).toContain('no usable OS keychain');
  else expect(log).toContain('token sealed by the OS keychain');
});

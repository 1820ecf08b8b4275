/**
 * The Shop server section of the Manager screen, in Chromium through the browser host: a wrong
 * password is refused in words and nothing is saved; the right one connects, and the status bar
 * then says the till is synced with nothing pending.
 */
import { shopTills } from './shop-tills';
import { test, expect } from '@playwright/test';
import type { BrowserApp } from '../electron/host/browser-app';

const shop = shopTills();
let app: BrowserApp;

test.beforeEach(async () => {
  app = await shop.open('CAJA1');
  await app.services.handlers['manager.lock'](undefined);
});

test('a wrong password is refused in words and nothing saved; the right one connects and the status bar says synced', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const url = new URL(shop.db.url);
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

/**
 * The shared catalog on screen: two tills of one shop on one PostgreSQL (two browser hosts, two data
 * folders). A price changed on Till 1's Catalog screen shows on Till 2's without touching it; an edit
 * Till 2 started before Till 1 saved is refused and its dialog shows Till 1's values.
 */
import { shopTills } from './shop-tills';
import { test, expect, type Page } from '@playwright/test';
import type { Product } from '../shared/contract';
import type { BrowserApp } from '../electron/host/browser-app';
import { WATER } from './cashier';

const shop = shopTills();
const till = (name: string): Promise<BrowserApp> => shop.join(name);

async function catalogOf(page: Page, app: BrowserApp): Promise<void> {
  await page.goto(app.host.url);
  await expect(page.getByRole('searchbox', { name: 'Search products' })).toBeVisible();
  await page.getByRole('button', { name: 'Catalog' }).click();
  await page.getByRole('searchbox', { name: 'Filter products' }).fill(WATER.name);
}

test('a price changed on Till 1 shows on Till 2; an edit Till 2 started meanwhile is refused with Till 1’s values', async ({ browser }) => {
  test.setTimeout(120_000);
  const app1 = await till('Till 1');
  const app2 = await till('Till 2');
  const page1 = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const page2 = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await catalogOf(page1, app1);
  await catalogOf(page2, app2);
  const row2 = page2.getByRole('row', { name: new RegExp(WATER.name) });
  await expect(row2).toBeVisible();

  // Till 1 changes the price on its screen; Till 2's list follows without a touch.
  await page1.getByRole('button', { name: `Edit ${WATER.name}` }).click();
  const edit1 = page1.getByRole('dialog', { name: 'Edit product' });
  await edit1.getByLabel('Price').fill('1750');
  await edit1.getByRole('button', { name: 'Save' }).click();
  await expect(edit1).toBeHidden();
  await expect(row2).toContainText('ARS 1,750.00', { timeout: 10_000 });

  // Till 2 opens the same product; Till 1 saves first (its handler, as its screen would).
  await page2.getByRole('button', { name: `Edit ${WATER.name}` }).click();
  const edit2 = page2.getByRole('dialog', { name: 'Edit product' });
  const current = (await app1.services.handlers['catalog.lookup']({ code: WATER.barcode })) as Product;
  await app1.services.handlers['catalog.upsert']({ ...current, price: 188800 });
  await edit2.getByLabel('Price').fill('2000');
  await edit2.getByRole('button', { name: 'Save' }).click();
  // Refused: the dialog stays, says why, and shows the values that won.
  await expect(edit2).toContainText('Another till changed this product while you were editing');
  await expect(edit2.getByLabel('Price')).toHaveValue(/^1888/);
  // Saved again on what it now shows: accepted, and Till 1 follows.
  await edit2.getByLabel('Price').fill('1900');
  await edit2.getByRole('button', { name: 'Save' }).click();
  await expect(edit2).toBeHidden();
  await expect(page1.getByRole('row', { name: new RegExp(WATER.name) })).toContainText('ARS 1,900.00', { timeout: 10_000 });
});

/**
 * Two tills of one shop on one PostgreSQL, as `npm run demo -- --simulator … --shop-db …` runs them:
 * two browser hosts (two data folders, two services) sharing one simulator. Till 1 sells; Till 2 sees
 * the sale in its "Whole shop" history, with the till it was made on, and sees Till 1 holding a
 * terminal in its picker while Till 1's customer is at it, and Till 1's price change in its catalog.
 */
import { shopTills } from './shop-tills';
import { test, expect, type Page } from '@playwright/test';
import type { BrowserApp } from '../electron/host/browser-app';
import { SimControl } from '../electron/simulator';
import { CAJA1, chargeState, chooseTerminal, scan, terminalRadio, WATER } from './cashier';

// Manual customer: a charge stays at the terminal until the spec pays it (the board shows it held).
const shop = shopTills({ toTerminalMs: 200, customerMs: 800, processingMs: 300, customer: 'manual' });
const till = (name: string): Promise<BrowserApp> => shop.join(name);

async function open(page: Page, app: BrowserApp): Promise<void> {
  await page.goto(app.host.url);
  await expect(page.getByRole('searchbox', { name: 'Search products' })).toBeVisible();
}

test("Till 2 sees Till 1's sale in the whole-shop history and Till 1's terminal busy in its picker", async ({ browser }) => {
  test.setTimeout(180_000);
  const app1 = await till('Till 1');
  const app2 = await till('Till 2');
  const page1 = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const page2 = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await open(page1, app1);
  await open(page2, app2);
  const control = new SimControl(shop.sim.baseUrl);

  // Till 1 sells on the first terminal; the customer pays.
  await scan(page1, WATER.barcode);
  await chooseTerminal(page1, CAJA1);
  await page1.keyboard.press('F9');
  await expect(chargeState(page1)).toHaveText('On the terminal', { timeout: 15_000 });

  // While Till 1's customer is at the terminal, Till 2's picker says who holds it.
  await scan(page2, WATER.barcode);
  await expect(terminalRadio(page2, CAJA1)).toBeVisible();
  await expect(page2.getByText(/Busy — Till 1/i).first()).toBeVisible({ timeout: 15_000 });
  await page2.screenshot({ path: 'docs/screenshots/41-multi-register-picker-busy.png' });

  await control.customer(CAJA1, 'approve');
  await expect(chargeState(page1)).toHaveText('Payment approved', { timeout: 20_000 });

  // Till 2: History, "Whole shop": Till 1's sale, with its till.
  await page2.keyboard.press('Escape');
  await page2.getByRole('button', { name: /^History/ }).click();
  const scope = page2.getByTestId('history-scope');
  await expect(scope).toBeVisible();
  await scope.getByLabel('Whole shop').check();
  const table = page2.getByRole('table', { name: 'History' });
  await expect(table.getByRole('columnheader', { name: 'Till' })).toBeVisible();
  await expect(table.getByRole('row').filter({ hasText: 'Till 1' })).toHaveCount(1, { timeout: 15_000 });
  await expect(table).toContainText('ARS 1,500.00');
  await page2.screenshot({ path: 'docs/screenshots/40-multi-register-whole-shop-history.png', fullPage: true });

  // Till 2 refunds Till 1's sale: claimed shop-wide, journaled on Till 2, one refund at Mercado Pago.
  await table.getByRole('button', { name: /^Open sale of ARS 1,500.00/ }).click();
  const detail = page2.getByTestId('sale-detail');
  await expect(detail).toContainText('Approved');
  // Its timeline is Till 1's own, read from the events Till 1's outbox pushed to the shop.
  await expect(detail.getByRole('list', { name: 'Timeline' })).toContainText('Approved');
  await detail.getByRole('button', { name: 'Refund' }).click();
  const dialog = page2.getByRole('dialog', { name: 'Refund this payment' });
  await dialog.getByRole('button', { name: 'Refund', exact: true }).click();
  await dialog.getByRole('button', { name: 'Refund ARS 1,500.00' }).click();
  await expect(dialog).toBeHidden();
  await expect(detail.getByRole('list', { name: 'Refunds' })).toContainText('Refund of ARS 1,500.00: approved');
  // Its receipt too comes from the shop's copy of the sale.
  await detail.getByRole('button', { name: 'Show receipt' }).click();
  const receipt = page2.getByRole('dialog', { name: 'Receipt' });
  await expect(
    receipt
      .frameLocator('iframe')
      .getByText(/1[.,]500/)
      .first(),
  ).toBeVisible();
  await receipt.getByRole('button', { name: 'Close' }).click();
  const payments = await control.payments();
  expect(payments).toHaveLength(1);
  expect(payments[0]!.refunds).toHaveLength(1);

  // "This till" is Till 2's own journal: no sale of its own, only the copy its refund belongs to.
  await scope.getByLabel('This till').check();
  await expect(page2.getByText('1 sale', { exact: true })).toBeVisible();
  await expect(table.getByRole('columnheader', { name: 'Till' })).toHaveCount(0);

  // A price changed on Till 1 reaches Till 2's catalog (the shop's shared catalog) without a reload.
  const water = await app1.services.handlers['catalog.lookup']({ code: WATER.barcode });
  expect(water).not.toBeNull();
  await app1.services.handlers['catalog.upsert']({ ...water!, price: 160_000 });
  await page2.keyboard.press('F2');
  await page2.getByRole('searchbox', { name: 'Search products' }).fill('Agua Mineral');
  await expect(page2.getByText('ARS 1,600.00').first()).toBeVisible({ timeout: 15_000 });
});

test("Till 2's open whole-shop history shows Till 1's new sales without Search, keeping its filters and the open sale", async ({ browser }) => {
  test.setTimeout(120_000);
  const app1 = await till('Till 1');
  const app2 = await till('Till 2');
  const control = new SimControl(shop.sim.baseUrl);
  /** Till 1 charges on its first terminal and the customer answers (through Till 1's own handlers). */
  const sell = async (minor: number, action: 'approve' | 'reject') => {
    const sale = await app1.services.handlers['checkout.charge']({
      cart: { lines: [{ productId: null, sku: null, name: 'Alfajor', unitPrice: minor, quantity: 1, discount: 0 }], cartDiscount: 0 },
      terminalId: CAJA1,
    });
    await expect(() => control.customer(CAJA1, action)).toPass({ timeout: 15_000 });
    await expect
      .poll(async () => (await app1.services.handlers['checkout.get']({ saleId: sale.id })).state, { timeout: 20_000 })
      .toBe(action === 'approve' ? 'approved' : 'rejected');
  };
  await sell(110_000, 'approve');

  const page2 = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await open(page2, app2);
  await page2.getByRole('button', { name: /^History/ }).click();
  await page2.getByTestId('history-scope').getByLabel('Whole shop').check();
  const filters = page2.getByRole('form', { name: 'Filters' });
  await filters.getByLabel('State').selectOption('approved');
  await filters.getByRole('button', { name: 'Search' }).click();
  const table = page2.getByRole('table', { name: 'History' });
  await expect(table.getByRole('row').filter({ hasText: 'Till 1' })).toHaveCount(1, { timeout: 15_000 });
  await table.getByRole('button', { name: /^Open sale of ARS 1,100.00/ }).click();
  const detail = page2.getByTestId('sale-detail');
  await expect(detail).toContainText('ARS 1,100.00');

  // Till 1 sells twice more, one refused: Till 2's screen follows with no Search pressed, its filter
  // (approved only) still applied, the sale it had open still open.
  await sell(120_000, 'reject');
  await sell(130_000, 'approve');
  await expect(table).toContainText('ARS 1,300.00', { timeout: 15_000 });
  await expect(page2.getByText('2 sales', { exact: true })).toBeVisible();
  await expect(table).not.toContainText('ARS 1,200.00');
  await expect(filters.getByLabel('State')).toHaveValue('approved');
  await expect(detail).toContainText('ARS 1,100.00');
});

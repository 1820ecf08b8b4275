/** History after real sales: find a sale, read its journal, refund part of it, export, reconcile. */
import { expect, test } from './fixtures';
import { CAJA1, cartLines, chargeState, chooseTerminal, scan, WATER } from './cashier';

test('refund part of a sale from history, then see it in the detail and in Mercado Pago', async ({ page, caja }) => {
  await scan(page, WATER.barcode);
  await scan(page, WATER.barcode);
  await chooseTerminal(page, CAJA1);
  await page.keyboard.press('F9');
  await expect(chargeState(page)).toHaveText('Payment approved');
  await page.keyboard.press('F2');
  await expect(cartLines(page)).toHaveCount(0);

  await page.keyboard.press('F4');
  await expect(page.getByRole('heading', { name: 'History', level: 1 })).toBeVisible();
  await expect(page.getByText('1 sale', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: /^Open sale of ARS 3,000.00/ }).click();
  const detail = page.getByTestId('sale-detail');
  await expect(detail).toContainText('Approved');
  await expect(detail.getByRole('list', { name: 'Timeline' }).getByRole('listitem').first()).toBeVisible();

  await detail.getByRole('button', { name: 'Refund' }).click();
  const dialog = page.getByRole('dialog', { name: 'Refund this payment' });
  await dialog.getByLabel('Partial amount').check();
  await dialog.getByLabel('Amount to refund').fill('1000');
  await dialog.getByRole('button', { name: 'Refund', exact: true }).click();
  await expect(dialog.getByText('Refund ARS 1,000.00 to the customer’s card?')).toBeVisible();
  await dialog.getByRole('button', { name: 'Refund ARS 1,000.00' }).click();
  await expect(dialog).toBeHidden();
  await expect(detail.getByRole('list', { name: 'Refunds' })).toContainText('Refund of ARS 1,000.00: approved');

  const payments = await caja.sim.payments();
  expect(payments).toHaveLength(1);
  expect(payments[0]!.refunds).toEqual([expect.objectContaining({ amountMinor: 100000 })]);

  // Export: a real download of the filtered history.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.csv$/);

  // End of shift: Caja and Mercado Pago agree on today's money.
  await page.getByRole('button', { name: 'Reconcile with Mercado Pago' }).click();
  const report = page.getByTestId('reconcile-report');
  await expect(report).toBeVisible();
  await expect(report.getByRole('row', { name: /^Caja/ })).toContainText('ARS 3,000.00');
});

test('filters: state and text search narrow the list', async ({ page, caja: _caja }) => {
  await scan(page, WATER.barcode);
  await chooseTerminal(page, CAJA1);
  await page.keyboard.press('F9');
  await expect(chargeState(page)).toHaveText('Payment approved');
  await page.keyboard.press('F2');

  await page.getByRole('button', { name: /^History/ }).click();
  const filters = page.getByRole('form', { name: 'Filters' });
  await filters.getByLabel('State').selectOption('rejected');
  await filters.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByText('No sales match these filters.')).toBeVisible();
  await filters.getByLabel('State').selectOption('');
  await filters.getByLabel('Search sales').fill('agua');
  await filters.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByText('1 sale', { exact: true })).toBeVisible();
});

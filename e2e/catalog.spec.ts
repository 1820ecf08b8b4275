/** The manager's catalog: a CSV with one bad row imports nothing; fixed, it imports everything. */
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { cartLines, scan, searchBox } from './cashier';

const BAD = [
  'name,price,sku,barcode,category',
  'Yerba Test 500g,2100.50,TST-1,7799999000011,Almacén',
  'Sin precio,,TST-2,7799999000028,Almacén',
  'Té Test,abc,TST-3,7799999000035,Almacén',
].join('\n');
const GOOD = [
  'name,price,sku,barcode,category',
  'Yerba Test 500g,2100.50,TST-1,7799999000011,Almacén',
  'Mate Test,900,TST-2,7799999000028,Almacén',
  'Té Test,1200,TST-3,7799999000035,Almacén',
].join('\n');

test('CSV import: a bad row blocks the whole file; once fixed every row imports', async ({ page, caja }) => {
  await page.getByRole('button', { name: 'Catalog' }).click();
  await page.getByRole('button', { name: 'Import CSV' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import products from a CSV file' });
  await dialog.getByLabel('Or paste the CSV here').fill(BAD);
  await dialog.getByRole('button', { name: 'Preview' }).click();
  const preview = dialog.getByTestId('import-preview');
  await expect(preview).toContainText('1 valid, 2 with errors');
  await expect(preview.getByRole('row').filter({ hasText: 'Yerba Test' })).toContainText('OK');
  // Each problem worded by the renderer from main's code and values.
  await expect(preview).toContainText('Missing price');
  await expect(preview).toContainText('Price “abc” is not a number');
  await expect(dialog.getByRole('button', { name: /^Import \d+ product/ })).toBeDisabled();
  // main refuses as well: nothing was written by the preview, and a commit of this file fails.
  await expect(Promise.resolve().then(() => caja.app.services.handlers['catalog.importCommit']({ csv: BAD }))).rejects.toThrow(
    /nothing was imported/,
  );
  expect(await caja.app.services.handlers['catalog.lookup']({ code: '7799999000011' })).toBeNull();

  await dialog.getByLabel('Or paste the CSV here').fill(GOOD);
  // The preview no longer matches the text: it must be previewed again before importing.
  await expect(dialog.getByRole('button', { name: /^Import \d+ product/ })).toBeDisabled();
  await dialog.getByRole('button', { name: 'Preview' }).click();
  await expect(preview).toContainText('3 valid, 0 with errors');
  await dialog.getByRole('button', { name: 'Import 3 products' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status')).toContainText('Imported 3 products.');

  // The imported product scans at the till.
  await page.getByRole('button', { name: /^Sale/ }).click();
  await scan(page, '7799999000011');
  await expect(cartLines(page).first()).toContainText('Yerba Test 500g');
  await expect(page.getByTestId('cart-total')).toHaveText('ARS 2,100.50');
});

test('add, edit and delete a product by hand', async ({ page, caja: _caja }) => {
  await page.getByRole('button', { name: 'Catalog' }).click();
  await page.getByRole('button', { name: 'Add product' }).click();
  const dialog = page.getByRole('dialog', { name: 'New product' });
  await dialog.getByLabel('Name').fill('Producto Manual');
  await dialog.getByLabel('Price').fill('1234,50');
  await dialog.getByLabel('Barcode').fill('7791234500001');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();

  await page.getByRole('searchbox', { name: 'Filter products' }).fill('Producto Manual');
  await expect(page.getByRole('row', { name: /Producto Manual/ })).toContainText('ARS 1,234.50');
  await page.getByRole('button', { name: 'Edit Producto Manual' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit product' });
  await edit.getByLabel('Price').fill('1500');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('row', { name: /Producto Manual/ })).toContainText('ARS 1,500.00');

  await page.getByRole('button', { name: 'Delete Producto Manual' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('row', { name: /Producto Manual/ })).toHaveCount(0);
});

test('the cart survives a reload, and undo takes back the last change', async ({ page, caja: _caja }) => {
  await scan(page, '7790001000019');
  await page.getByRole('button', { name: 'One more Agua Mineral 500ml' }).click();
  await expect(page.getByTestId('cart-total')).toHaveText('ARS 3,000.00');
  await page.reload();
  await expect(page.getByTestId('cart-total')).toHaveText('ARS 3,000.00');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByTestId('cart-total')).toHaveText('ARS 1,500.00');
  await page.getByRole('button', { name: 'Discount on Agua Mineral 500ml' }).click();
  await page.getByRole('dialog').getByLabel('Discount').fill('10%');
  await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByTestId('cart-total')).toHaveText('ARS 1,350.00');
  await searchBox(page).focus();
});

test('the search box answers from its own copy of the catalog, and an edit patches that copy in place', async ({ page, caja }) => {
  const sent: string[] = [];
  page.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(String(f.payload))));
  const slicesAsked = () => sent.filter((frame) => frame.includes('"catalog.snapshot"')).length;
  // The page connected before the listener: reload so the socket (and the copy's slices) are observed.
  await page.reload();
  const copyVersion = () => page.locator('html').getAttribute('data-catalog-version');
  await expect.poll(copyVersion, { timeout: 20_000 }).toMatch(/^\d+$/);
  const loaded = Number(await copyVersion());
  expect(slicesAsked()).toBeGreaterThan(0);

  await searchBox(page).fill('agua mineral');
  await expect(page.getByTestId('search-results')).toContainText('Agua Mineral 500ml');
  expect(sent.some((frame) => frame.includes('"catalog.search"') && frame.includes('agua mineral'))).toBe(false);

  // A manager changes the price elsewhere: catalog.changed carries the product and the copy is
  // patched, without fetching the catalog again.
  const before = slicesAsked();
  const water = (await caja.app.services.handlers['catalog.lookup']({ code: '7790001000019' }))!;
  await caja.app.services.handlers['catalog.upsert']({ ...water, price: 175000 });
  await expect.poll(copyVersion).toBe(String(loaded + 1));
  await searchBox(page).fill('agua mineral 5');
  await expect(page.getByTestId('search-results')).toContainText('1,750.00');
  // And a delete takes it out of the copy the same way.
  await caja.app.services.handlers['catalog.delete']({ id: water.id });
  await expect.poll(copyVersion).toBe(String(loaded + 2));
  await searchBox(page).fill('agua mineral 50');
  await expect(page.getByText('No product matches “agua mineral 50”.')).toBeVisible();
  expect(slicesAsked()).toBe(before);
  expect(sent.some((frame) => frame.includes('"catalog.search"') && frame.includes('agua'))).toBe(false);
});

test('CSV import: the size limit is announced, a bigger file is refused unread, a big file previews as a summary', async ({ page, caja }) => {
  await page.getByRole('button', { name: 'Catalog' }).click();
  await page.getByRole('button', { name: 'Import CSV' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import products from a CSV file' });
  await expect(dialog).toContainText('Files up to 20 MiB.');

  // A path, not a buffer: the browser gets the file itself, as when a manager picks one.
  const tooBig = join(caja.dataDir, 'big.csv');
  writeFileSync(tooBig, '');
  truncateSync(tooBig, 21 * 1024 * 1024);
  await dialog.getByLabel('CSV file').setInputFiles(tooBig);
  await expect(dialog).toContainText('This file is 21.0 MiB; Caja imports files up to 20 MiB. Split it into smaller files.');
  await expect(dialog.getByRole('button', { name: 'Preview' })).toBeDisabled();

  // 5,000 rows, a few bad: the preview counts them all but lists only the first rows and problems.
  const rows = ['name,price,sku'];
  for (let i = 0; i < 5000; i++) rows.push(`Producto ${i},${i % 1000 === 999 ? 'x' : 100 + i},S-${i}`);
  await dialog.getByLabel('CSV file').setInputFiles({ name: 'ok.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
  await dialog.getByRole('button', { name: 'Preview' }).click();
  const preview = dialog.getByTestId('import-preview');
  await expect(preview).toContainText('4995 valid, 5 with errors');
  await expect(preview).toContainText('5000 rows read. Below: the first rows and the first rows with problems.');
  await expect(preview.getByRole('row')).toHaveCount(1 + 20 + 5);
  await expect(preview.getByRole('row').filter({ hasText: /^1001/ })).toContainText('not a number');
});

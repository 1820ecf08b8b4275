/**
 * Main writes its error messages in English; a Spanish or Portuguese screen must show the cashier's
 * language only (lib/errors.ts), and dates follow the language chosen in Caja, not the browser's.
 */
import { expect, test } from './fixtures';
import { WATER } from './cashier';

test.describe('in Spanish', () => {
  test.use({ locale: 'es-AR' });

  test("main's English refusal is shown as the Spanish sentence for its code, without the English", async ({ page }) => {
    await page.getByRole('navigation').getByRole('button', { name: /^Catálogo/ }).click();
    await page.getByRole('button', { name: 'Agregar producto' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Nombre').fill('Agua repetida');
    await dialog.getByLabel('Precio').fill('100');
    await dialog.getByLabel('Código de barras').fill(WATER.barcode);
    await dialog.getByRole('button', { name: 'Guardar' }).click();
    // CONFLICT, whose English message names the barcode and the product that has it.
    await expect(dialog.locator('[data-code=CONFLICT]')).toContainText('Eso choca con algo que ya existe.');
    await expect(dialog).not.toContainText('already belongs to');
    await expect(dialog).not.toContainText(WATER.name);
  });

  test('History dates are written day first, whatever the browser would do', async ({ page }) => {
    await page.keyboard.press('F4');
    const from = page.getByLabel('Desde');
    const now = new Date();
    const dd = String(now.getDate()).padStart(2, '0');
    const mm = String(now.getMonth() + 1).padStart(2, '0');
    await expect(from).toHaveValue(`${dd}/${mm}/${now.getFullYear()}`);
    await from.fill('1/2/26');
    await from.press('Tab');
    await expect(from).toHaveValue('01/02/2026');
    await from.fill('31/02/2026');
    await from.press('Tab');
    await expect(page.getByText('Escribí la fecha como dd/mm/aaaa.')).toBeVisible();
  });
});

test.describe('in English, the same refusal', () => {
  test('keeps main’s own words underneath, which name what clashed', async ({ page }) => {
    await page.getByRole('navigation').getByRole('button', { name: /^Catalog/ }).click();
    await page.getByRole('button', { name: 'Add product' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Repeated water');
    await dialog.getByLabel('Price').fill('100');
    await dialog.getByLabel('Barcode').fill(WATER.barcode);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog.locator('[data-code=CONFLICT]')).toContainText(WATER.name);
  });
});

/**
 * Main writes its error messages in English; a Spanish or Portuguese screen must show the cashier's
 * language only (lib/errors.ts), and dates follow the language chosen in Caja, not the browser's.
 */
import { expect, test } from './fixtures';
import { WATER } from './cashier';

test.describe('in Spanish', () => {
  test.use({ locale: 'es-AR' });

  test("main's English refusal is shown as the Spanish sentence for its code, without the English", async ({ page }) => {
    await page
      .getByRole('navigation')
      .getByRole('button', { name: /^Catálogo/ })
      .click();
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

  test('CSV import problems are Spanish sentences built from main’s codes, with no English', async ({ page }) => {
    const csv = [
      'name,price,sku,barcode,category,favourite',
      'Yerba Es,2100,ES-1,7799999100011,Almacén,si',
      ',100,ES-2,,,',
      'Pan Es,,ES-3,,,',
      'Té Es,-5,ES-4,,,',
      'Mate Es,abc,ES-5,,,',
      'Café Es,"1.2.3,4",ES-6,,,',
      'Leche Es,"1500,555",ES-7,,,',
      'Soda Es,100,ES-8,,,quizás',
      'Agua Es,100,ES-9,7799999100011,,',
      'Jugo Es,100,es-1,,,',
      `${'x'.repeat(81)},100,,,,`,
    ].join('\n');
    await page
      .getByRole('navigation')
      .getByRole('button', { name: /^Catálogo/ })
      .click();
    await page.getByRole('button', { name: 'Importar CSV' }).click();
    const dialog = page.getByRole('dialog', { name: 'Importar productos desde un CSV' });
    await dialog.getByLabel('O pegá el CSV acá').fill(csv);
    await dialog.getByRole('button', { name: 'Vista previa' }).click();
    const preview = dialog.getByTestId('import-preview');
    await expect(preview).toContainText('1 válidas, 10 con errores');
    for (const sentence of [
      'Falta el nombre',
      'Falta el precio',
      'El precio “-5” no puede ser negativo',
      'El precio “abc” no es un número',
      'Caja no puede leer el precio “1.2.3,4” como número',
      'El precio “1500,555” tiene más de 2 decimales',
      'Favorito “quizás” debería ser sí o no',
      'El código de barras 7799999100011 también está en la línea 2',
      'El SKU es-1 también está en la línea 2',
      'Nombre: más de 80 caracteres',
    ]) {
      await expect(preview).toContainText(sentence);
    }
    // Not one of main's English sentences (csv-import.ts problemInEnglish) under or beside them.
    for (const english of [
      'Missing',
      'is not a number',
      'cannot be negative',
      'more than',
      'should be yes or no',
      'also on line',
      'longer than',
      'Price',
      'Barcode',
    ]) {
      await expect(preview).not.toContainText(english);
    }
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
    await page
      .getByRole('navigation')
      .getByRole('button', { name: /^Catalog/ })
      .click();
    await page.getByRole('button', { name: 'Add product' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Repeated water');
    await dialog.getByLabel('Price').fill('100');
    await dialog.getByLabel('Barcode').fill(WATER.barcode);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog.locator('[data-code=CONFLICT]')).toContainText(WATER.name);
  });
});

/**
 * Pictures of every screen for docs/screenshots, taken through the real app (engine + simulator).
 * The UI is in es-AR, the shop's language; one English picture shows the switch.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { CAJA1, CAJA2, ORDERS1, terminalRadio } from './cashier';

const DIR = 'docs/screenshots';
const shot = (page: Page, name: string) => page.screenshot({ path: `${DIR}/${name}.png` });

test.use({ locale: 'es-AR', timing: { toTerminalMs: 100, customerMs: 800, processingMs: 200, customer: 'manual' } });

async function scan(page: Page, code: string) {
  const box = page.getByRole('searchbox', { name: 'Buscar productos' });
  await box.focus();
  await page.keyboard.type(code);
  await page.keyboard.press('Enter');
  await expect(box).toHaveValue('');
}

async function fillCart(page: Page) {
  await scan(page, '7790001000019');
  await scan(page, '7790001000019');
  const box = page.getByRole('searchbox', { name: 'Buscar productos' });
  await box.fill('alfajor');
  await page.getByTestId('search-results').getByRole('button').first().click();
  await page.getByRole('button', { name: 'Agregar Yerba Mate Playadito 1kg' }).click();
  await page.getByRole('button', { name: 'Descuento en Yerba Mate Playadito 1kg' }).click();
  await page.getByRole('dialog').getByLabel('Descuento').fill('10%');
  await page.getByRole('dialog').getByRole('button', { name: 'Confirmar' }).click();
}

test('sale screens and the charge status', async ({ page, caja }) => {
  test.setTimeout(120_000);
  await expect(terminalRadio(page, CAJA1)).toBeEnabled();
  await shot(page, '01-sale-empty');

  await fillCart(page);
  await terminalRadio(page, CAJA1).check();
  await page.getByRole('searchbox', { name: 'Buscar productos' }).fill('agua');
  await expect(page.getByTestId('search-results').getByRole('button').first()).toBeVisible();
  await shot(page, '02-sale-cart-search');
  await page.getByRole('searchbox', { name: 'Buscar productos' }).fill('');

  await page.getByRole('button', { name: 'Importe libre' }).click();
  await page.getByRole('dialog').getByLabel('Importe').fill('250');
  await shot(page, '03-free-amount-dialog');
  await page.getByRole('dialog').getByRole('button', { name: 'Confirmar' }).click();

  await page.keyboard.press('F9');
  await expect(page.getByTestId('charge-state')).toHaveText('En la terminal');
  await shot(page, '04-charge-at-terminal');

  await caja.sim.customer(CAJA1, 'approve');
  await expect(page.getByTestId('charge-state')).toHaveText('Pago aprobado');
  await expect(page.frameLocator('iframe').locator('body')).toContainText('Agua Mineral');
  await shot(page, '05-charge-approved-receipt');
  await page.keyboard.press('F2');

  await scan(page, '7790001000019');
  await terminalRadio(page, CAJA2).check();
  await page.keyboard.press('F9');
  await expect(page.getByTestId('charge-state')).toHaveText('En la terminal');
  await caja.sim.customer(CAJA2, { action: 'reject', statusDetail: 'cc_rejected_insufficient_amount' });
  await expect(page.getByTestId('charge-state')).toHaveText('Pago rechazado');
  await shot(page, '06-charge-rejected');

  await page.getByRole('button', { name: 'Elegir otra terminal' }).click();
  await shot(page, '07-charge-choose-other-terminal');
  await page.getByRole('button', { name: 'Volver', exact: true }).click();
  await page.getByRole('button', { name: 'Volver al carrito' }).click();

  // A second register holds CAJA-O1: the picker shows it busy.
  await terminalRadio(page, ORDERS1).check();
  await page.keyboard.press('F9');
  await expect(page.getByTestId('charge-state')).toHaveText('En la terminal');
  const app = await caja.restart({ port: caja.app.host.port });
  await page.goto(app.host.url);
  await page.reload();
  await expect(page.getByTestId('unfinished-banner')).toBeVisible();
  await expect(page.getByTestId(`terminal-${ORDERS1}`)).toContainText('Ocupada');
  await shot(page, '08-unfinished-banner-busy-terminal');
  await caja.sim.customer(ORDERS1, 'approve');
  await page.getByTestId('unfinished-banner').getByRole('button', { name: 'Consultar ahora' }).click();
  await expect(page.getByTestId('unfinished-banner')).toBeHidden();
});

test('history, refund, reconciliation', async ({ page, caja }) => {
  test.setTimeout(120_000);
  for (const code of ['7790001000019', '']) {
    if (code) await scan(page, code);
    else await fillCart(page);
    await terminalRadio(page, CAJA1).check();
    await page.keyboard.press('F9');
    await expect(page.getByTestId('charge-state')).toHaveText('En la terminal');
    await caja.sim.customer(CAJA1, 'approve');
    await expect(page.getByTestId('charge-state')).toHaveText('Pago aprobado');
    await page.keyboard.press('F2');
  }
  await page.keyboard.press('F4');
  await page
    .getByRole('button', { name: /^Abrir la venta/ })
    .first()
    .click();
  await expect(page.getByTestId('sale-detail')).toContainText('Aprobado');
  await page.getByRole('button', { name: 'Conciliar con Mercado Pago' }).click();
  await expect(page.getByTestId('reconcile-report')).toBeVisible();
  // Clicking scrolled the screen to the report; the picture should show the filters and the list.
  await page.locator('main.content').evaluate((el) => el.scrollTo(0, 0));
  await shot(page, '09-history-detail-reconcile');

  await page.getByTestId('sale-detail').getByRole('button', { name: 'Devolver' }).click();
  await page.getByRole('dialog').getByLabel('Importe parcial').check();
  await page.getByRole('dialog').getByLabel('Importe a devolver').fill('1000');
  await page.getByRole('dialog').getByRole('button', { name: 'Devolver', exact: true }).click();
  await shot(page, '10-refund-confirm');
  await page
    .getByRole('dialog')
    .getByRole('button', { name: /^Devolver \$/ })
    .click();
  await expect(page.getByRole('dialog')).toBeHidden();

  await page.getByRole('button', { name: 'Ver comprobante' }).click();
  await expect(page.getByRole('dialog').frameLocator('iframe').locator('body')).toContainText('Total');
  await shot(page, '11-receipt-dialog');
});

test('catalog, import preview, settings, English', async ({ page, caja: _caja }) => {
  await page.getByRole('button', { name: 'Catálogo' }).click();
  await expect(page.getByRole('row').nth(5)).toBeVisible();
  await shot(page, '12-catalog');

  await page.getByRole('button', { name: 'Importar CSV' }).click();
  await page
    .getByRole('dialog')
    .getByLabel('O pegá el CSV acá')
    .fill(
      [
        'nombre,precio,sku,codigo de barras,categoria',
        'Yerba Test 500g,2100.50,TST-1,7799999000011,Almacén',
        'Sin precio,,TST-2,7799999000028,Almacén',
        'Té Test,abc,TST-3,7799999000035,Almacén',
      ].join('\n'),
    );
  await page.getByRole('dialog').getByRole('button', { name: 'Vista previa' }).click();
  await expect(page.getByTestId('import-preview')).toBeVisible();
  await shot(page, '13-import-preview-errors');
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Ajustes' }).click();
  // Terminals are configured on Devices; Settings points the manager to the account on the Manager screen.
  await expect(page.getByRole('button', { name: 'Ir a la cuenta en la pantalla Encargado' })).toBeVisible();
  await shot(page, '14-settings');

  await page.getByLabel('Idioma').selectOption('en');
  await page.getByRole('button', { name: /^Sale/ }).click();
  await expect(terminalRadio(page, CAJA1)).toBeEnabled();
  await shot(page, '15-sale-english');
});

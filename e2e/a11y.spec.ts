/**
 * Accessibility, checked by a real tool: axe-core (the engine behind most browser audits) runs on
 * every screen and every dialog of the real app, in English and in Spanish. Serious and critical
 * findings fail the spec; minor and moderate ones are printed so they are seen, not hidden.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { CAJA1, cartLines, chargeState, chooseTerminal, scan, searchBox, WATER } from './cashier';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

async function expectAccessible(page: Page, where: string): Promise<void> {
  // Animations and the live countdown settle first, so axe reads what a person would see.
  await page.waitForTimeout(150);
  // The receipt preview is a sandboxed iframe where no script may run (axe would wait on it forever);
  // the receipt's own HTML is checked on a page of its own below.
  const { violations } = await new AxeBuilder({ page }).withTags(TAGS).exclude('iframe').analyze();
  const describe = (v: (typeof violations)[number]) =>
    `${v.impact} ${v.id}: ${v.help} — ${v.nodes
      .slice(0, 3)
      .map((n) => n.target.join(' '))
      .join(' | ')}`;
  const minor = violations.filter((v) => v.impact !== 'serious' && v.impact !== 'critical');
  if (minor.length) console.log(`axe, ${where} (not failing):\n  ${minor.map(describe).join('\n  ')}`);
  // Soft: one run lists every screen's findings, not just the first screen's.
  expect
    .soft(
      violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map(describe),
      `serious or critical axe findings on ${where}`,
    )
    .toEqual([]);
}

test.describe('with a customer who waits to be told', () => {
  test.use({ timing: { toTerminalMs: 100, customerMs: 800, processingMs: 200, customer: 'manual' } });

  test('the sale screen, its dialogs and the charge status', async ({ page, caja }) => {
    test.setTimeout(300_000);
    await expect(searchBox(page)).toBeVisible();
    await expectAccessible(page, 'the empty sale screen');

    await scan(page, WATER.barcode);
    await searchBox(page).fill('leche');
    await expect(page.getByTestId('search-results').getByRole('button').first()).toBeVisible();
    await expectAccessible(page, 'the sale screen with a cart and search results');
    await searchBox(page).fill('');

    await page.getByRole('button', { name: 'Free amount' }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await expectAccessible(page, 'the free amount dialog');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: `Discount on ${WATER.name}` }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await expectAccessible(page, 'the line discount dialog');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Clear cart' }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await expectAccessible(page, 'the clear-the-cart confirmation');
    await page.keyboard.press('Escape');

    await chooseTerminal(page, CAJA1);
    await page.keyboard.press('F9');
    await expect(chargeState(page)).toHaveText('On the terminal');
    await expectAccessible(page, 'the charge status while the terminal waits');
    await caja.sim.customer(CAJA1, { action: 'reject', statusDetail: 'cc_rejected_insufficient_amount' });
    await expect(chargeState(page)).toHaveText('Payment rejected');
    await expectAccessible(page, 'a rejected charge');
    await page.getByRole('button', { name: 'Back to cart' }).click();
    await expect(cartLines(page)).toHaveCount(1);

    await page.keyboard.press('F9');
    await expect(chargeState(page)).toHaveText('On the terminal');
    await caja.sim.customer(CAJA1, 'approve');
    await expect(chargeState(page)).toHaveText('Payment approved');
    await expectAccessible(page, 'an approved charge with its receipt');
    await page.keyboard.press('F2');
  });
});

test('history, a sale, its refund and receipt, reconciliation', async ({ page, caja }) => {
  test.setTimeout(300_000);
  await scan(page, WATER.barcode);
  await chooseTerminal(page, CAJA1);
  await page.keyboard.press('F9');
  await expect(chargeState(page)).toHaveText('Payment approved');
  await page.keyboard.press('F2');

  await page.keyboard.press('F4');
  await expect(page.getByRole('heading', { name: 'History' })).toBeVisible();
  await expectAccessible(page, 'the history screen');
  await page
    .getByRole('button', { name: /^Open sale/ })
    .first()
    .click();
  await expect(page.getByTestId('sale-detail')).toBeVisible();
  await expectAccessible(page, 'a sale in history');

  await page.getByRole('button', { name: 'Refund' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await expectAccessible(page, 'the refund dialog');
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Show receipt' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await expectAccessible(page, 'the receipt dialog');
  await page.keyboard.press('Escape');

  const saleId = (await caja.app.services.handlers['sales.history']({ limit: 1, offset: 0 })).items[0]!.id;
  const { html } = await caja.app.services.handlers['receipt.render']({ saleId, locale: 'en' });
  const receipt = await page.context().newPage();
  await receipt.setContent(html);
  await expectAccessible(receipt, 'the receipt itself');
  await receipt.close();

  await page.getByRole('button', { name: 'Reconcile with Mercado Pago' }).click();
  await expect(page.getByTestId('reconcile-report')).toBeVisible();
  await expectAccessible(page, 'the reconciliation report');
});

test('catalog, its product and import dialogs, settings, manager and devices', async ({ page }) => {
  test.setTimeout(300_000);
  await page.getByRole('button', { name: 'Catalog' }).click();
  await expect(page.getByRole('heading', { name: 'Catalog' })).toBeVisible();
  await expectAccessible(page, 'the catalog screen');

  await page.getByRole('button', { name: 'Add product' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await expectAccessible(page, 'the product dialog');
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Import CSV' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await expectAccessible(page, 'the import dialog');
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await expectAccessible(page, 'the settings screen');

  const nav = page.getByRole('navigation');
  await nav.getByRole('button', { name: /^Manager/ }).click();
  await expect(page.getByRole('heading', { name: 'Manager', exact: true })).toBeVisible();
  await expectAccessible(page, 'the manager screen');
  await nav.getByRole('button', { name: /^Devices/ }).click();
  await expect(page.getByRole('heading', { name: 'Devices', exact: true })).toBeVisible();
  await expectAccessible(page, 'the devices screen');
});

test.describe('a brand-new till', () => {
  test.use({ manager: 'none' });

  test('the first-run welcome', async ({ page }) => {
    await expect(page.getByRole('dialog', { name: 'Welcome to Caja' })).toBeVisible();
    await expectAccessible(page, 'the first-run welcome');
  });
});

test.describe('in Spanish', () => {
  test.use({ locale: 'es-AR' });

  test('the sale and history screens', async ({ page }) => {
    test.setTimeout(300_000);
    await expect(page.getByRole('searchbox', { name: 'Buscar productos' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'es-AR');
    await expectAccessible(page, 'the sale screen in Spanish');
    await page.keyboard.press('F4');
    await expect(page.getByRole('heading', { name: 'Historial' })).toBeVisible();
    await expectAccessible(page, 'the history screen in Spanish');
  });
});

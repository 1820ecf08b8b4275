/**
 * The cashier's core path through the real engine and simulator: scan or search, charge on a
 * terminal, follow the live status. Money is asserted twice: on screen and in the simulator's own
 * record of payments (exactly one, never a duplicate).
 */
import { expect, test } from './fixtures';
import {
  addFreeAmount,
  CAJA1,
  CAJA2,
  cartLines,
  chargeButton,
  chargeState,
  chooseTerminal,
  ORDERS1,
  scan,
  searchBox,
  terminalRadio,
  WATER,
} from './cashier';

test('scan a barcode and charge: approved, receipt shown, cart emptied', async ({ page, caja }) => {
  await scan(page, WATER.barcode);
  await expect(cartLines(page)).toHaveCount(1);
  await expect(cartLines(page).first()).toContainText(WATER.name);
  await expect(page.getByTestId('cart-total')).toHaveText('ARS 1,500.00');

  await chooseTerminal(page, CAJA1);
  await page.keyboard.press('F9');
  await expect(chargeState(page)).toHaveText('Payment approved');
  const receipt = page.frameLocator('iframe[title="Receipt preview"]');
  await expect(receipt.locator('body')).toContainText(WATER.name);
  await expect(page.getByRole('button', { name: 'Print or save as PDF' })).toBeEnabled();

  const payments = await caja.sim.payments();
  expect(payments).toHaveLength(1);
  expect(payments[0]).toMatchObject({ amountMinor: WATER.minor, status: 'approved', terminalId: CAJA1 });

  await page.keyboard.press('F2');
  await expect(chargeState(page)).toBeHidden();
  await expect(cartLines(page)).toHaveCount(0);
  await expect(searchBox(page)).toBeFocused();
});

test('search by name, pick the result and charge on an Orders API terminal', async ({ page, caja }) => {
  await searchBox(page).fill('alfajor triple');
  await page
    .getByTestId('search-results')
    .getByRole('button', { name: /Alfajor Triple Havanna/ })
    .click();
  await expect(cartLines(page)).toHaveCount(1);
  await page.getByRole('button', { name: 'One more Alfajor Triple Havanna' }).click();
  await expect(page.getByTestId('cart-total')).toHaveText('ARS 1,920.00');

  await chooseTerminal(page, ORDERS1);
  await chargeButton(page).click();
  await expect(chargeState(page)).toHaveText('Payment approved');
  const payments = await caja.sim.payments();
  expect(payments).toHaveLength(1);
  expect(payments[0]).toMatchObject({ amountMinor: 192000, status: 'approved', terminalId: ORDERS1 });
});

test('a rejected card goes back to the cart with the cart intact', async ({ page, caja }) => {
  // Amounts ending in 01 are rejected for insufficient funds by the simulator.
  await addFreeAmount(page, '1500,01', 'Varios');
  await expect(page.getByTestId('cart-total')).toHaveText('ARS 1,500.01');
  await chooseTerminal(page, CAJA1);
  await chargeButton(page).click();

  await expect(chargeState(page)).toHaveText('Payment rejected');
  await expect(page.getByTestId('charge-reason')).toContainText('insufficient funds');
  await page.getByRole('button', { name: 'Back to cart' }).click();
  await expect(chargeState(page)).toBeHidden();
  await expect(cartLines(page)).toHaveCount(1);
  await expect(cartLines(page).first()).toContainText('Varios');
  await expect(page.getByTestId('cart-total')).toHaveText('ARS 1,500.01');

  const payments = await caja.sim.payments();
  expect(payments.filter((p) => p.status === 'approved')).toHaveLength(0);
  expect(payments.length).toBeLessThanOrEqual(1);
});

test.describe('with a customer who waits to be told', () => {
  test.use({ timing: { toTerminalMs: 100, customerMs: 800, processingMs: 200, customer: 'manual' } });

  test('cancel while the terminal waits for the card (Esc)', async ({ page, caja }) => {
    await scan(page, WATER.barcode);
    await chooseTerminal(page, ORDERS1);
    await page.keyboard.press('F9');
    await expect(chargeState(page)).toHaveText('On the terminal');
    await expect(page.getByText('Ask the customer to insert or tap the card.')).toBeVisible();
    await expect(page.getByText(/The terminal waits \d+:\d\d more/)).toBeVisible();

    await page.keyboard.press('Escape');
    await expect(chargeState(page)).toHaveText('Charge cancelled');
    await page.getByRole('button', { name: 'Back to cart' }).click();
    await expect(cartLines(page)).toHaveCount(1);
    expect(await caja.sim.payments()).toHaveLength(0);
    const terminal = await caja.sim.terminal(ORDERS1);
    expect(terminal.charge?.state ?? 'canceled').toBe('canceled');
  });

  test('a busy terminal cannot be chosen from another page, and frees up live', async ({ page, caja }) => {
    await scan(page, WATER.barcode);
    await chooseTerminal(page, CAJA1);
    await page.keyboard.press('F9');
    await expect(chargeState(page)).toHaveText('On the terminal');

    const other = await page.context().newPage();
    await other.goto(caja.app.host.url);
    const busy = terminalRadio(other, CAJA1);
    await expect(busy).toBeDisabled();
    await expect(other.getByTestId(`terminal-${CAJA1}`)).toContainText(/Busy with sale \w+ \(register CAJA1\)/);
    await expect(terminalRadio(other, CAJA2)).toBeEnabled();

    await caja.sim.customer(CAJA1, 'approve');
    await expect(chargeState(page)).toHaveText('Payment approved');
    // The other page learns it from the event (or the gentle refresh), without a reload.
    await expect(busy).toBeEnabled();
    expect(await caja.sim.payments()).toHaveLength(1);
  });

  test('restart mid-payment: the unfinished banner shows it and it settles', async ({ page, caja }) => {
    await scan(page, WATER.barcode);
    await chooseTerminal(page, CAJA1);
    await page.keyboard.press('F9');
    await expect(chargeState(page)).toHaveText('On the terminal');

    // Same port so the page keeps its origin (and its saved cart); a new run brings a new secret.
    const app = await caja.restart({ port: caja.app.host.port });
    // Only the fragment differs, so goto alone would not load the page again: reload reads the new secret.
    await page.goto(app.host.url);
    await page.reload();
    const banner = page.getByTestId('unfinished-banner');
    await expect(banner).toBeVisible();
    await expect(banner).toContainText('1 payment has not finished');
    // \s: the amount's space is a no-break space.
    await expect(banner).toContainText(/ARS\s1,500\.00 on DEMO \d+ \(CAJA1\)/);
    await expect(cartLines(page)).toHaveCount(1);

    await caja.sim.customer(CAJA1, 'approve');
    await banner.getByRole('button', { name: 'Check now' }).click();
    await expect(banner).toBeHidden();
    // The cart belonged to the sale that was paid: it is done with.
    await expect(cartLines(page)).toHaveCount(0);
    const payments = await caja.sim.payments();
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ amountMinor: WATER.minor, status: 'approved' });
  });
});

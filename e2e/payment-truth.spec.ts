/**
 * The cashier's side of "settle only on evidence": what the screen offers when Mercado Pago's answer
 * is lost or a terminal never takes the charge. Real services, real simulator, real renderer; every
 * test ends by counting the payments the simulator holds, because that is what the customer's card sees.
 */
import { CAJA1, CAJA2, ORDERS1, WATER, cartLines, chargeButton, chargeState, chooseTerminal, scan } from './cashier';
import { expect, test } from './fixtures';
import type { Page } from '@playwright/test';

const shot = (page: Page, name: string) => page.screenshot({ path: `docs/screenshots/${name}.png` });

test.describe('payment truth at the till', () => {
  test('a terminal that does not take the charge is said early; cancel, then charge on another', async ({ page, caja }) => {
    test.setTimeout(90_000);
    await scan(page, WATER.barcode);
    await chooseTerminal(page, ORDERS1);
    // Asleep or unplugged: the Orders API lists it as usual, but nothing ever takes the order.
    await caja.sim.setOnline(ORDERS1, false);
    await page.keyboard.press('F9');

    const reason = page.getByTestId('charge-reason');
    await expect(reason).toHaveAttribute('data-reason', 'notTaken', { timeout: 30_000 });
    await expect(reason).toContainText('hasn’t taken the charge');
    await shot(page, '16-charge-not-taken');
    await page.getByRole('button', { name: 'Cancel and use another terminal' }).click();
    await expect(chargeState(page)).toHaveText('Charge cancelled', { timeout: 30_000 });
    await expect(reason).toContainText('nothing was charged');

    // The picker opens by itself once Mercado Pago has shown the cancel.
    const picker = page.locator('.charge-choose');
    await picker.getByRole('radio', { name: /\(CAJA2\)/ }).check();
    await picker.getByRole('button', { name: /^Charge on / }).click();
    await expect(chargeState(page)).toHaveText('Payment approved', { timeout: 30_000 });

    const payments = await caja.sim.payments();
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ amountMinor: WATER.minor, status: 'approved' });
  });

  test('a lost create answer stays unknown: no second charge, resolved by hand, then settled by evidence', async ({
    page,
    caja,
  }) => {
    test.setTimeout(120_000);
    // Nobody pays until the test says so, and the create's answer is lost after the intent exists.
    await caja.sim.timing({ customer: 'manual' });
    await caja.sim.faults({ loseResponseNext: { count: 1, match: { method: 'POST', path: '*/payment-intents' } } });
    await scan(page, WATER.barcode);
    await chooseTerminal(page, CAJA1);
    await page.keyboard.press('F9');

    await expect(chargeState(page)).toHaveText('Unknown — checking with Mercado Pago…', { timeout: 30_000 });
    await expect(page.getByRole('button', { name: /^Retry on/ })).toHaveCount(0);
    await shot(page, '17-charge-unknown-actions');

    // Walking away keeps the cart, and the same cart cannot be sent again as a new sale.
    await page.getByRole('button', { name: 'Keep checking in the background' }).click();
    await expect(cartLines(page)).toHaveCount(1);
    await expect(page.getByTestId('cart-unsettled')).toBeVisible();
    await chooseTerminal(page, CAJA2);
    await expect(chargeButton(page)).toBeDisabled();
    await page.keyboard.press('F9');
    await expect(page.locator('.charge-overlay')).toHaveCount(0);

    // A person checked the terminal and closes it by hand; the reason is kept and shown.
    const banner = page.getByTestId('unfinished-banner');
    await banner.getByRole('button', { name: 'Open status' }).click();
    await page.getByRole('button', { name: 'Resolve by hand…' }).click();
    await page.getByLabel('What did you check? (kept in the journal)').fill('Terminal screen blank, manager called');
    await shot(page, '18-resolve-by-hand');
    await page.getByRole('button', { name: 'Resolve by hand', exact: true }).click();
    await expect(chargeState(page)).toHaveText('Closed by hand');
    await expect(page.getByTestId('charge-reason')).toContainText('Terminal screen blank, manager called');
    await page.getByRole('button', { name: 'Back to cart' }).click();
    await expect(banner).toContainText('Resolved by hand');

    // The charge was live all along: the customer pays it, and Caja's evidence wins over the hand.
    await caja.sim.customer(CAJA1, 'approve');
    await expect
      .poll(async () => {
        await banner.getByRole('button', { name: 'Check now' }).click({ timeout: 2_000 }).catch(() => undefined);
        return banner.isVisible();
      }, { timeout: 60_000, intervals: [2_000] })
      .toBe(false);
    const payments = await caja.sim.payments();
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ amountMinor: WATER.minor, status: 'approved' });
  });
});

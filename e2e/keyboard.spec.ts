/**
 * A whole sale with the keyboard only: search, pick, scan, a free-amount line, choose a terminal,
 * charge, next sale. No click anywhere; every Tab stop on the way must show where focus is.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { CAJA1, cartLines, chargeState, searchBox, terminalRadio, WATER } from './cashier';

/**
 * How the focused element shows it has focus, or null when nothing does: its own outline, a ring
 * drawn by a container (`.terminal:has(:focus-visible)`), or the search box's border.
 */
function focusIndicator(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!(el instanceof HTMLElement) || el === document.body) return null;
    for (let node: HTMLElement | null = el, depth = 0; node && depth < 3; node = node.parentElement, depth++) {
      const style = getComputedStyle(node);
      if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) return `outline on ${node.tagName}`;
    }
    // The search box trades the ring for its border turning brand blue (#0b5cd5) while focused.
    const box = el.closest('.search-box');
    return box && getComputedStyle(box).borderTopColor === 'rgb(11, 92, 213)' ? 'search box border' : null;
  });
}

const describeFocus = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return el ? `${el.tagName} "${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40) ?? ''}"` : 'nothing';
  });

/** Presses Tab until `reached` holds, checking that every stop on the way shows its focus. */
async function tabUntil(page: Page, reached: () => Promise<boolean>, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    expect(await focusIndicator(page), `focus is visible on ${await describeFocus(page)}`).not.toBeNull();
    if (await reached()) return;
  }
  throw new Error('Tab never reached the control');
}

test('a whole sale with the keyboard only, with visible focus at every stop', async ({ page, caja }) => {
  test.setTimeout(120_000);
  // The sale screen opens with the search box focused: a scanner can type right away.
  await expect(searchBox(page)).toBeFocused();
  expect(await focusIndicator(page)).not.toBeNull();

  // Search, move the highlight with ↓, add with Enter.
  await page.keyboard.type('alfajor triple');
  const results = page.getByTestId('search-results');
  await expect(results.getByRole('button').first()).toBeVisible();
  const second = (await results.getByRole('button').nth(1).locator('.result-name').textContent())!;
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(cartLines(page)).toHaveCount(1);
  await expect(cartLines(page).first()).toContainText(second);
  await expect(searchBox(page)).toBeFocused();

  // A scanner: digits and Enter.
  await page.keyboard.type(WATER.barcode);
  await page.keyboard.press('Enter');
  await expect(cartLines(page)).toHaveCount(2);

  // A free-amount line through its dialog: Tab to the button, Enter, type, Enter.
  const freeAmount = page.getByRole('button', { name: 'Free amount', exact: true });
  await tabUntil(page, () => freeAmount.evaluate((b) => b === document.activeElement));
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Free amount line' });
  await expect(dialog.getByLabel('Amount')).toBeFocused();
  await page.keyboard.type('250');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(freeAmount).toBeFocused(); // focus comes back where it was
  await expect(cartLines(page)).toHaveCount(3);

  // The terminal: Tab into the radio group, arrows until CAJA1 is chosen.
  const caja1 = terminalRadio(page, CAJA1);
  await tabUntil(page, () => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type === 'radio'));
  for (let i = 0; i < 10 && !(await caja1.isChecked()); i++) {
    await page.keyboard.press('ArrowDown');
    expect(await focusIndicator(page)).not.toBeNull();
  }
  await expect(caja1).toBeChecked();

  // Charge with F9; the customer pays; F2 starts the next sale with the search box ready.
  await page.keyboard.press('F9');
  await expect(chargeState(page)).toHaveText('Payment approved');
  const payments = await caja.sim.payments();
  expect(payments).toHaveLength(1);
  expect(payments[0]).toMatchObject({ status: 'approved', terminalId: CAJA1 });
  await page.keyboard.press('F2');
  await expect(chargeState(page)).toBeHidden();
  await expect(cartLines(page)).toHaveCount(0);
  await expect(searchBox(page)).toBeFocused();
});

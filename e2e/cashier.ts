/** What a cashier does on the sale screen, in words the specs read well with. */
import { expect, type Page } from '@playwright/test';

export const WATER = { name: 'Agua Mineral 500ml', barcode: '7790001000019', minor: 150000 };
export const CAJA1 = 'PAX_A910__SMARTPOS1234567890';
export const CAJA2 = 'PAX_A910__SMARTPOS1234567891';
export const CAJA3_STANDALONE = 'PAX_A910__SMARTPOS1234567892';
export const ORDERS1 = 'NEWLAND_N950__N950NCB000000001';

export const searchBox = (page: Page) => page.getByRole('searchbox', { name: 'Search products' });
export const cartLines = (page: Page) => page.getByTestId('cart-line');
export const chargeState = (page: Page) => page.getByTestId('charge-state');

/** A USB scanner types the digits and Enter into the focused search box. */
export async function scan(page: Page, code: string): Promise<void> {
  await searchBox(page).focus();
  await page.keyboard.type(code, { delay: 5 });
  await page.keyboard.press('Enter');
  await expect(searchBox(page)).toHaveValue('');
}

/** Terminal labels by id, as the demo account names them (shown as "DEMO n (label)" in demo mode). */
const LABELS: Record<string, string> = {
  [CAJA1]: 'CAJA1',
  [CAJA2]: 'CAJA2',
  [CAJA3_STANDALONE]: 'CAJA3',
  [ORDERS1]: 'CAJA-O1',
};

export const terminalRadio = (page: Page, id: string) =>
  page.getByRole('radio', { name: new RegExp(`^DEMO \\d+ \\(${(LABELS[id] ?? id).replace(/[-]/g, '\\-')}\\) `) }).first();

export async function chooseTerminal(page: Page, id: string): Promise<void> {
  await terminalRadio(page, id).check();
}

export async function addFreeAmount(page: Page, amount: string, name?: string): Promise<void> {
  await page.getByRole('button', { name: 'Free amount' }).click();
  const dialog = page.getByRole('dialog', { name: 'Free amount line' });
  if (name) await dialog.getByLabel('Description').fill(name);
  await dialog.getByLabel('Amount').fill(amount);
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(dialog).toBeHidden();
}

export const chargeButton = (page: Page) => page.getByRole('button', { name: /^Charge .*\(F9\)$/ });

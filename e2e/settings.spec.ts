/** Settings: language follows the cashier's choice, the token is write-only, terminals are managed. */
import { expect, test } from './fixtures';
import { CAJA3_STANDALONE, terminalRadio } from './cashier';

test('switching the language persists across a reload', async ({ page, caja }) => {
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Language').selectOption('es-AR');
  await expect(page.getByRole('button', { name: /^Venta/ })).toBeVisible();
  expect((await caja.app.services.handlers['settings.get'](undefined)).locale).toBe('es-AR');
  await page.reload();
  await expect(page.getByRole('button', { name: /^Historial/ })).toBeVisible();
  await expect(page.getByRole('searchbox', { name: 'Buscar productos' })).toBeVisible();
  await expect(page.getByText('Elegí la terminal')).toBeVisible();
});

test('the access token is write-only: saved, never shown again', async ({ page, caja }) => {
  const token = 'TEST-0000111122223333-secret-value';
  await page.getByRole('button', { name: 'Settings' }).click();
  const field = page.getByLabel('Mercado Pago access token').and(page.locator('input'));
  await field.fill(token);
  await page.getByRole('button', { name: 'Save token' }).click();
  await expect(page.getByText('Token saved')).toBeVisible();
  await expect(field).toHaveValue('');
  expect((await caja.app.services.handlers['settings.get'](undefined)).hasToken).toBe(true);
  await page.reload();
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByText('A token is saved.')).toBeVisible();
  expect(await page.content()).not.toContain(token);
});

test('a manager switches a standalone terminal to PDV and it becomes selectable', async ({ page, caja }) => {
  await expect(terminalRadio(page, CAJA3_STANDALONE)).toBeDisabled();
  await expect(page.getByTestId(`terminal-${CAJA3_STANDALONE}`)).toContainText('Standalone mode');
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Mode of CAJA3').selectOption('PDV');
  await expect(page.getByLabel('Mode of CAJA3')).toHaveValue('PDV');
  const link = page.getByRole('link', { name: 'Open the simulated terminal screen' });
  await expect(link).toHaveAttribute('href', caja.app.services.simulator()!.terminalScreenUrl);
  await expect(link).toHaveAttribute('target', '_blank');

  await page.getByRole('button', { name: /^Sale/ }).click();
  await expect(terminalRadio(page, CAJA3_STANDALONE)).toBeEnabled();
});

test('a manager creates a Mercado Pago test user and sees its password once', async ({ page, caja }) => {
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Country').selectOption('MLB');
  await page.getByRole('button', { name: 'Create test user' }).click();
  const notice = page.getByRole('status').filter({ hasText: 'Test user TESTUSER' });
  await expect(notice).toContainText('Password');
  const created = (await caja.sim.requests()).filter((r) => r.path === '/users/test_user');
  expect(created).toHaveLength(1);
  expect(created[0]!.body).toEqual({ site_id: 'MLB' });
});

/** Settings: language follows the cashier's choice, the token is write-only, terminals are managed. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { addFreeAmount, CAJA1, CAJA3_STANDALONE, chargeButton, terminalRadio } from './cashier';

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

test('the access token is write-only, and set on the Manager screen only (Settings sends the manager there)', async ({ page, caja }) => {
  // Checked with Mercado Pago (GET /users/me) before it is saved: the simulator's account 100001.
  const token = 'TEST-100001-mla-caja-demo-token';
  await page.getByRole('button', { name: 'Settings' }).click();
  // One token form in the app: Settings has none, only the way to it.
  await expect(page.getByLabel('Mercado Pago access token')).toHaveCount(0);
  await page.getByRole('button', { name: 'Go to the account on the Manager screen' }).click();
  const field = page.getByLabel('New access token');
  await expect(field).toBeFocused();
  await field.fill(token);
  await page.getByRole('button', { name: 'Check token' }).click();
  await page.getByRole('button', { name: 'Save token' }).click();
  await expect(page.getByText('Token saved')).toBeVisible();
  await expect(field).toHaveValue('');
  expect((await caja.app.services.handlers['settings.get'](undefined)).hasToken).toBe(true);
  await page.reload();
  await page.getByRole('navigation').getByRole('button', { name: /^Manager/ }).click();
  await expect(page.getByTestId('current-account')).toHaveText('Connected to TESTCAJAMLA (id 100001), Argentina.');
  expect(await page.content()).not.toContain(token);
});

test('a manager switches a standalone terminal to PDV on Devices and it becomes selectable', async ({ page, caja }) => {
  await expect(terminalRadio(page, CAJA3_STANDALONE)).toBeDisabled();
  await expect(page.getByTestId(`terminal-${CAJA3_STANDALONE}`)).toContainText('Standalone mode');
  await page.getByRole('button', { name: 'Settings' }).click();
  const link = page.getByRole('link', { name: 'Open the simulated terminal screen' });
  await expect(link).toHaveAttribute('href', caja.app.services.simulator()!.terminalScreenUrl);
  await expect(link).toHaveAttribute('target', '_blank');
  // Terminals are configured in one place: the Devices screen (Settings has no copy of it).
  await expect(page.getByLabel(/^Mode of /)).toHaveCount(0);
  await page.getByRole('navigation').getByRole('button', { name: /^Devices/ }).click();
  // In demo mode every terminal is labelled DEMO n (its name), here too.
  await expect(page.getByTestId(`device-${CAJA3_STANDALONE}`)).toContainText(/^DEMO \d+ \(CAJA3\)/);
  await page.getByTestId(`device-${CAJA3_STANDALONE}`).getByRole('button', { name: 'Switch to PDV' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('dialog')).toBeHidden();

  await page.getByRole('button', { name: /^Sale/ }).click();
  await expect(terminalRadio(page, CAJA3_STANDALONE)).toBeEnabled();
});

test('a manager creates a Mercado Pago test user on the Manager screen and sees its password once', async ({ page, caja }) => {
  await page.getByRole('navigation').getByRole('button', { name: /^Manager/ }).click();
  await page.getByLabel('Country').selectOption('MLB');
  await page.getByRole('button', { name: 'Create test user' }).click();
  const notice = page.getByTestId('test-user-created');
  await expect(notice).toContainText('Test user TESTUSER');
  await expect(notice).toContainText('Password');
  const created = (await caja.sim.requests()).filter((r) => r.path === '/users/test_user');
  expect(created).toHaveLength(1);
  expect(created[0]!.body).toEqual({ site_id: 'MLB' });
});

test('the demo says so on every screen, over dialogs too, and its terminals are labelled DEMO', async ({ page, caja: _caja }) => {
  const band = page.getByTestId('demo-band');
  await expect(band).toHaveText('DEMO — no real payments');
  await expect(terminalRadio(page, CAJA1)).toBeVisible();
  await expect(page.getByTestId(`terminal-${CAJA1}`)).toContainText(/^DEMO \d+ \(CAJA1\)/);
  for (const screen of ['History', 'Catalog', 'Settings']) {
    await page.getByRole('button', { name: new RegExp(`^${screen}`) }).click();
    await expect(band).toBeVisible();
  }
  await page.getByRole('button', { name: /^Catalog/ }).click();
  await page.getByRole('button', { name: 'Import CSV' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await expect(band).toBeVisible();
  // Nothing a cashier can click is under the band: it lets clicks through.
  expect(await band.evaluate((el) => getComputedStyle(el).pointerEvents)).toBe('none');
});

test('a saved token this computer cannot read: live, no demo, charging refused with the reason', async ({ page, caja }) => {
  await caja.app.services.handlers['settings.setToken']({ token: 'TEST-100001-mla-caja-demo-token' });
  await caja.app.services.handlers['settings.update']({ shopName: 'Almacén Don Pepe' });
  // Same data folder, another key (keychain reset, key file replaced, folder copied elsewhere).
  const otherKeys = mkdtempSync(join(tmpdir(), 'caja-e2e-other-keys-'));
  try {
    const app = await caja.restart({ forceDemo: false, keysDir: otherKeys });
    await page.goto(app.host.url);
    const problem = page.getByTestId('token-problem');
    await expect(problem).toHaveText("The saved Mercado Pago token can't be read on this computer; a manager must enter it again on the Manager screen.");
    await expect(page.getByTestId('demo-band')).toHaveCount(0);
    await expect(page.getByTestId('app-info')).toContainText('live');
    await addFreeAmount(page, '100');
    await expect(terminalRadio(page, CAJA1)).toHaveCount(0); // no terminals without a token: nothing to fake
    await expect(chargeButton(page)).toBeDisabled();
    await expect(
      Promise.resolve().then(() =>
        app.services.handlers['checkout.charge']({
          cart: { lines: [{ productId: null, sku: null, name: 'x', unitPrice: 10000, quantity: 1, discount: 0 }], cartDiscount: 0 },
          terminalId: CAJA1,
        }),
      ),
    ).rejects.toThrow(/can't be read on this computer/);
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByTestId('settings-token-problem')).toContainText("can't be read on this computer");
    await page.screenshot({ path: test.info().outputPath('token-unreadable-settings.png') });
    // The shop is as it was: name and country untouched.
    await expect(page.getByLabel('Shop name')).toHaveValue('Almacén Don Pepe');
    expect((await app.services.handlers['settings.get'](undefined)).site).toBe('MLA');
  } finally {
    await caja.restart({ forceDemo: true });
    rmSync(otherKeys, { recursive: true, force: true });
  }
});

/**
 * The manager's side in Chromium, through the browser host and the simulator: the first-run welcome,
 * connecting an account, the PIN and its lock-out, a cashier refused by main on every manager
 * action, the device screen (mode switch and its 412, a stuck terminal cleared, the health check),
 * and test users up to Mercado Pago's limit. Screenshots go to docs/screenshots/.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { accessRules, protectedChannels } from '../electron/roles/access';
import { protectedSamples } from '../electron/roles/protected-samples';
import { addFreeAmount, CAJA1, CAJA3_STANDALONE, chargeButton, chargeState, chooseTerminal, ORDERS1, terminalRadio } from './cashier';
import { expect, MANAGER_LOCK_OUT_MS, MANAGER_PIN, test } from './fixtures';

const shot = (page: Page, name: string) => page.screenshot({ path: `docs/screenshots/${name}.png`, fullPage: true });
const nav = (page: Page, name: string) => page.getByRole('navigation').getByRole('button', { name: new RegExp(`^${name}`) }).click();

async function unlock(page: Page, pin = MANAGER_PIN) {
  await page.getByLabel('Manager PIN').fill(pin);
  await page.getByRole('button', { name: 'Unlock' }).click();
}

test.describe('a brand-new till', () => {
  test.use({ manager: 'none' });

  test('first run to a paid demo sale, without reading a doc', async ({ page, caja }) => {
    const welcome = page.getByRole('dialog', { name: 'Welcome to Caja' });
    await expect(welcome).toBeVisible();
    await shot(page, '22-welcome');
    await welcome.getByRole('button', { name: 'Try the demo' }).click();
    await welcome.getByLabel('New manager PIN').fill('4321');
    await welcome.getByLabel('Repeat the PIN').fill('4321');
    await welcome.getByRole('button', { name: 'Confirm' }).click();
    await welcome.getByLabel('Shop name').fill('Kiosco Primera Vez');
    await welcome.getByRole('button', { name: 'Start selling' }).click();
    await expect(welcome).toBeHidden();
    expect(await caja.app.services.handlers['manager.status'](undefined)).toMatchObject({ pinSet: true });
    expect((await caja.app.services.handlers['settings.get'](undefined)).shopName).toBe('Kiosco Primera Vez');

    await addFreeAmount(page, '1200');
    await chooseTerminal(page, CAJA1);
    await chargeButton(page).click();
    await expect(chargeState(page)).toHaveText('Payment approved');
    expect((await caja.sim.payments()).map((p) => p.status)).toEqual(['approved']);
  });
});

test.describe('a brand-new installed till (no demo chosen)', () => {
  test.use({ manager: 'none', demo: false });

  test('first run connecting a real account: token checked, account confirmed, PIN, names, live', async ({ page, caja }) => {
    const welcome = page.getByRole('dialog', { name: 'Welcome to Caja' });
    await welcome.getByRole('button', { name: 'Connect my Mercado Pago account' }).click();
    await welcome.getByLabel('Country').selectOption('MLB');
    await welcome.getByLabel('Mercado Pago access token').fill('TEST-100002-mlb-caja-demo-token');
    await welcome.getByRole('button', { name: 'Check token' }).click();
    await expect(welcome.getByTestId('checked-account')).toHaveText('Mercado Pago account TESTCAJAMLB (id 100002), Brazil.');
    // Nothing saved before the manager confirms and sets the PIN.
    expect((await caja.app.services.handlers['settings.get'](undefined)).hasToken).toBe(false);
    await welcome.getByRole('button', { name: 'Yes, this is my account' }).click();
    await welcome.getByLabel('New manager PIN').fill('97531');
    await welcome.getByLabel('Repeat the PIN').fill('97531');
    await welcome.getByRole('button', { name: 'Confirm' }).click();
    await welcome.getByLabel('Register id').fill('CAIXA2');
    await welcome.getByRole('button', { name: 'Start selling' }).click();
    await expect(welcome).toBeHidden();
    expect(await caja.app.services.handlers['settings.get'](undefined)).toMatchObject({
      hasToken: true,
      site: 'MLB',
      registerId: 'CAIXA2',
      account: { id: '100002', nickname: 'TESTCAJAMLB' },
    });
    expect(await caja.app.services.handlers['app.getInfo'](undefined)).toMatchObject({ backend: 'live', tokenProblem: null });
    await expect(page.getByTestId('demo-band')).toHaveCount(0);
  });
});

test.describe('a till whose PIN was forgotten', () => {
  test.use({ manager: 'none', demo: false });

  test('manager.json removed: the welcome asks only for a new PIN; the account and its sales stay', async ({ page, caja }) => {
    await caja.app.services.handlers['manager.setPin']({ pin: '1111' });
    await caja.app.services.handlers['settings.setToken']({ token: 'TEST-100001-mla-caja-demo-token' });
    rmSync(join(caja.dataDir, 'manager.json'));
    const app = await caja.restart();
    await page.goto(app.host.url);
    const welcome = page.getByRole('dialog', { name: 'Welcome to Caja' });
    await expect(welcome.getByLabel('New manager PIN')).toBeVisible();
    await expect(welcome.getByRole('button', { name: 'Try the demo' })).toHaveCount(0);
    await welcome.getByLabel('New manager PIN').fill('2222');
    await welcome.getByLabel('Repeat the PIN').fill('2222');
    await welcome.getByRole('button', { name: 'Confirm' }).click();
    await welcome.getByRole('button', { name: 'Start selling' }).click();
    await expect(welcome).toBeHidden();
    expect(await app.services.handlers['settings.get'](undefined)).toMatchObject({ hasToken: true, account: { id: '100001' } });
    await app.services.handlers['manager.lock'](undefined);
    await expect(Promise.resolve().then(() => app.services.handlers['manager.unlock']({ pin: '1111' }))).rejects.toThrow(/Wrong manager PIN/);
    expect((await app.services.handlers['manager.unlock']({ pin: '2222' })).unlocked).toBe(true);
  });
});

test.describe('a live till with a manager at it', () => {
  test.use({ demo: false });

  test('connecting a good token, a bad one, and another account’s (which needs confirming)', async ({ page, caja }) => {
    await nav(page, 'Manager');
    const token = page.getByLabel('New access token');
    await token.fill('TEST-424242-not-a-real-account');
    await page.getByRole('button', { name: 'Check token' }).click();
    const accountPanel = page.getByRole('region', { name: 'Mercado Pago account' });
    await expect(accountPanel.getByRole('alert')).toContainText('did not accept this access token');
    expect((await caja.app.services.handlers['settings.get'](undefined)).hasToken).toBe(false);

    await token.fill('TEST-100001-mla-caja-demo-token');
    await page.getByRole('button', { name: 'Check token' }).click();
    await expect(page.getByTestId('token-check')).toContainText('Mercado Pago account TESTCAJAMLA (id 100001), Argentina.');
    await page.getByRole('button', { name: 'Save token' }).click();
    await expect(page.getByTestId('current-account')).toHaveText('Connected to TESTCAJAMLA (id 100001), Argentina.');
    expect(await caja.app.services.handlers['app.getInfo'](undefined)).toMatchObject({ backend: 'live', tokenProblem: null });

    await token.fill('TEST-100002-mlb-caja-demo-token');
    await page.getByRole('button', { name: 'Check token' }).click();
    const check = page.getByTestId('token-check');
    await expect(check).toContainText('This token is for another account: TESTCAJAMLB (100002), not TESTCAJAMLA (100001).');
    await shot(page, '24-manager-switch-account');
    await check.getByRole('button', { name: 'Switch to this account' }).click();
    await expect(page.getByTestId('current-account')).toHaveText('Connected to TESTCAJAMLB (id 100002), Brazil.');
    expect((await caja.app.services.handlers['settings.get'](undefined)).site).toBe('MLB');
  });
});

test.describe('a cashier at the till (PIN set, locked)', () => {
  test.use({ manager: 'locked' });

  test('wrong PINs lock attempts out, and a restart does not reset it', async ({ page, caja }) => {
    await nav(page, 'Manager');
    await shot(page, '23-manager-locked');
    for (let i = 0; i < 3; i++) {
      await unlock(page, '0000');
      await expect(page.getByRole('alert').first()).toBeVisible();
    }
    await expect(page.getByTestId('pin-locked-out')).toContainText('Too many wrong PINs');
    // Now even the right PIN is refused, by main.
    await unlock(page);
    await expect(page.getByTestId('manager-session')).toHaveCount(0);
    await expect(Promise.resolve().then(() => caja.app.services.handlers['manager.unlock']({ pin: MANAGER_PIN }))).rejects.toThrow(/Too many wrong PINs/);

    const app = await caja.restart();
    await page.goto(app.host.url);
    await nav(page, 'Manager');
    await expect(page.getByTestId('pin-locked-out')).toContainText('Too many wrong PINs');

    // The lock-out is the session's configured one (the fixture's clock moves; nothing waits):
    // a second short of it the right PIN is still refused, past it the manager is in.
    caja.advanceManagerClock(MANAGER_LOCK_OUT_MS - 1000);
    await expect(Promise.resolve().then(() => app.services.handlers['manager.unlock']({ pin: MANAGER_PIN }))).rejects.toThrow(/Too many wrong PINs/);
    caja.advanceManagerClock(1000);
    await page.reload();
    await nav(page, 'Manager');
    await expect(page.getByTestId('pin-locked-out')).toHaveCount(0);
    await unlock(page);
    await expect(page.getByTestId('manager-session')).toBeVisible();
  });

  test('main refuses the cashier every manager action, even called directly from the page', async ({ page }) => {
    await expect(page.getByTestId('app-info')).toBeVisible();
    // Every channel access.ts says a manager may be needed for, each with a valid input. A refund is
    // refused only above the threshold and needs a real sale: the PIN dialog spec below and
    // roles.test.ts (through dispatch) prove that one.
    const samples = protectedSamples({ id: 'any' });
    const channels = protectedChannels(accessRules({ pinSet: () => true, refundAboveThreshold: () => true })).filter((c) => c !== 'sales.refund');
    expect(channels.filter((c) => !(c in samples))).toEqual([]);
    const calls = channels.map((c) => [c, samples[c]] as const);
    // Straight at main over the page's own socket, as a script in DevTools could.
    const answers = await page.evaluate(async (calls) => {
      const ws = new WebSocket(`ws://${location.host}/caja?secret=${sessionStorage.getItem('caja.hostSecret')}`);
      await new Promise((resolve) => (ws.onopen = resolve));
      let next = 0;
      const send = (channel: string, input: unknown) =>
        new Promise<{ error?: { code: string } }>((resolve) => {
          const id = ++next;
          const onMessage = (m: MessageEvent) => {
            const frame = JSON.parse(String(m.data)) as { id?: number; result?: { error?: { code: string } } };
            if (frame.id !== id) return;
            ws.removeEventListener('message', onMessage);
            resolve(frame.result ?? {});
          };
          ws.addEventListener('message', onMessage);
          ws.send(JSON.stringify({ id, channel, input }));
        });
      const out: Record<string, string | undefined> = {};
      for (const [channel, input] of calls) out[channel] = (await send(channel, input)).error?.code;
      ws.close();
      return out;
    }, calls);
    expect(Object.keys(answers)).toHaveLength(channels.length);
    for (const c of channels) expect(answers[c], c).toBe('FORBIDDEN');

    // And through the screens: the shop name is refused with the reason.
    await nav(page, 'Settings');
    await page.getByLabel('Shop name').fill('Hijacked');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    // The PIN is asked where the cashier is; without it, main's refusal stays on screen.
    const prompt = page.getByRole('dialog', { name: 'A manager must do this' });
    await prompt.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByRole('alert')).toContainText('Only a manager can do this');
    await nav(page, 'Devices');
    await expect(page.getByRole('heading', { name: 'Devices' })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Terminals of this account' })).toHaveCount(0);
  });
});

test.describe('a manager called to the till', () => {
  test.use({ manager: 'locked' });

  test('a refund above the threshold asks for the PIN right there, then goes ahead', async ({ page, caja }) => {
    await addFreeAmount(page, '900');
    await chooseTerminal(page, CAJA1);
    await chargeButton(page).click();
    await expect(chargeState(page)).toHaveText('Payment approved');
    await page.keyboard.press('F2');
    await page.keyboard.press('F4');
    await page.getByRole('button', { name: /^Open sale of ARS 900.00/ }).click();
    const detail = page.getByTestId('sale-detail');
    await detail.getByRole('button', { name: 'Refund' }).click();
    const dialog = page.getByRole('dialog', { name: 'Refund this payment' });
    await dialog.getByRole('button', { name: 'Refund', exact: true }).click();
    await dialog.getByRole('button', { name: /^Refund ARS 900.00/ }).click();
    const prompt = page.getByRole('dialog', { name: 'A manager must do this' });
    await expect(prompt).toBeVisible();
    await shot(page, '29-manager-prompt');
    expect((await caja.sim.payments())[0]!.refunds).toEqual([]);
    await prompt.getByLabel('Manager PIN').fill(MANAGER_PIN);
    await prompt.getByRole('button', { name: 'Unlock' }).click();
    await expect(prompt).toBeHidden();
    await expect(detail.getByRole('list', { name: 'Refunds' })).toContainText('Refund of ARS 900.00: approved');
    expect((await caja.sim.payments())[0]!.refunds).toEqual([expect.objectContaining({ amountMinor: 90000 })]);
  });
});

test('switching a terminal’s mode, and the 412 of a second PDV terminal on one point of sale', async ({ page, caja }) => {
  // A second Orders API terminal on the POS of CAJA-O1 (which is in PDV).
  await caja.sim.addDevice(100001, {
    id: 'NEWLAND_N950__N950NCB000000077',
    family: 'orders',
    mode: 'STANDALONE',
    storeId: '45601',
    posId: '1241',
    externalPosId: 'CAJA-O1',
  });
  await nav(page, 'Devices');
  const row3 = page.getByTestId(`device-${CAJA3_STANDALONE}`);
  await row3.getByRole('button', { name: 'Switch to PDV' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('The device restarts to apply the change');
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(dialog).toBeHidden();
  await expect(row3).toContainText('PDV');
  expect((await caja.sim.terminal(CAJA3_STANDALONE)).mode).toBe('PDV');

  await page.getByRole('button', { name: 'Refresh' }).click();
  const second = page.getByTestId('device-NEWLAND_N950__N950NCB000000077');
  await second.getByRole('button', { name: 'Switch to PDV' }).click();
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Another terminal of the same point of sale is already in PDV mode');
  await shot(page, '27-devices-switch-412');
  expect((await caja.sim.terminal('NEWLAND_N950__N950NCB000000077')).mode).toBe('STANDALONE');
});

test('the registers allowed on a terminal: the confirmation says what changes, the picker says why, main refuses the charge', async ({ page, caja }) => {
  const charge = () =>
    caja.app.services.handlers['checkout.charge']({
      cart: { lines: [{ productId: null, sku: null, name: 'x', unitPrice: 10000, quantity: 1, discount: 0 }], cartDiscount: 0 },
      terminalId: CAJA1,
    });
  await nav(page, 'Devices');
  const row = page.getByTestId(`device-${CAJA1}`);
  await expect(row.getByTestId(`allowed-${CAJA1}`)).toHaveText('Any register');
  await row.getByRole('button', { name: /^Choose the registers that may use DEMO \d+ \(CAJA1\)$/ }).click();
  const dialog = page.getByRole('dialog', { name: /^Registers that may use DEMO \d+ \(CAJA1\)$/ });
  const change = dialog.getByTestId('registers-change');
  await expect(change).toHaveText('Nothing changes yet.');
  await expect(dialog.getByRole('button', { name: 'Confirm' })).toBeDisabled();
  await dialog.getByLabel('Another register (its id)').fill('CAJA2');
  await dialog.getByRole('button', { name: 'Add' }).click();
  await expect(change).toHaveText(/goes from Any register to CAJA2\. This register \(CAJA1\) will no longer charge on it\.$/);
  await shot(page, '31-devices-registers');
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(dialog).toBeHidden();
  await expect(row.getByTestId(`allowed-${CAJA1}`)).toHaveText('CAJA2');
  expect((await caja.app.services.handlers['terminals.list'](undefined)).find((t) => t.id === CAJA1)!.allowed).toEqual(['CAJA2']);

  // The cashier sees why, and main refuses even a direct call, before Mercado Pago is asked.
  await nav(page, 'Sale');
  await addFreeAmount(page, '100');
  await expect(terminalRadio(page, CAJA1)).toBeDisabled();
  await expect(page.getByTestId(`terminal-${CAJA1}`)).toContainText('Not for this register: kept for CAJA2');
  await expect(Promise.resolve().then(charge)).rejects.toMatchObject({ code: 'TERMINAL_NOT_ALLOWED' });
  expect(await caja.sim.payments()).toEqual([]);

  // Adding this register back: both may use it.
  await nav(page, 'Devices');
  await row.getByRole('button', { name: /^Choose the registers/ }).click();
  await dialog.getByLabel('CAJA1 (this register)').check();
  await expect(change).toHaveText(/goes from CAJA2 to CAJA1, CAJA2\.$/);
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(row.getByTestId(`allowed-${CAJA1}`)).toHaveText('CAJA1, CAJA2');
  await nav(page, 'Sale');
  await expect(terminalRadio(page, CAJA1)).toBeEnabled();
});

test.describe('a terminal stuck with a charge', () => {
  test.use({ timing: { toTerminalMs: 100, customerMs: 800, processingMs: 200, customer: 'manual' } });

  test('clearing it cancels only the charge this shop created, and says so', async ({ page, caja }) => {
    // The charge this shop started (as the cashier's F9 would) waits on the terminal for a card.
    const line = { productId: null, sku: null, name: 'Yerba', unitPrice: 70000, quantity: 1, discount: 0 };
    const { id: saleId } = await caja.app.services.handlers['checkout.charge']({ cart: { lines: [line], cartDiscount: 0 }, terminalId: ORDERS1 });
    await expect.poll(async () => (await caja.app.services.handlers['checkout.get']({ saleId })).state).toBe('at_terminal');

    await nav(page, 'Devices');
    // An Orders API terminal: its charge can be cancelled while on the terminal (an intent's cannot).
    const row = page.getByTestId(`device-${ORDERS1}`);
    await expect(row).toContainText('Busy with sale');
    await row.getByRole('button', { name: /^Clear the stuck terminal/ }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText('A charge Caja did not create is left alone');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await expect(dialog.getByTestId('clear-outcome')).toContainText(/This shop's charge on .* (was cancelled|is being cancelled)/);
    await shot(page, '28-devices-cleared');
    await expect.poll(async () => (await caja.app.services.handlers['checkout.get']({ saleId })).state).toBe('cancelled');
    await expect.poll(async () => (await caja.sim.terminal(ORDERS1)).charge).toBeNull();
  });
});

test('the health check with one terminal offline: red, with the fix', async ({ page, caja }) => {
  // A phone (mobile API): the one family whose device list tells an unreachable device apart.
  await caja.sim.setOnline('caja-2', false);
  await nav(page, 'Devices');
  await page.getByRole('button', { name: 'Run the health check' }).click();
  await expect(page.getByTestId('health-token')).toHaveAttribute('data-level', 'green');
  await expect(page.getByTestId('health-account')).toHaveAttribute('data-level', 'green');
  // Mercado Pago promises no allowance header: unknown is amber, never a made-up green.
  await expect(page.getByTestId('health-rate_limit')).toHaveAttribute('data-level', 'amber');
  await expect(page.getByTestId('health-rate_limit')).toContainText('Mercado Pago did not report it');
  const offline = page.getByTestId('health-terminal-caja-2');
  await expect(offline).toHaveAttribute('data-level', 'red');
  await expect(offline).toContainText('offline');
  await expect(offline).toContainText('Turn the terminal on and check its Wi-Fi or mobile data.');
  await expect(page.getByTestId(`health-terminal-${CAJA1}`)).toHaveAttribute('data-level', 'green');
  await expect(page.getByTestId(`health-terminal-${CAJA3_STANDALONE}`)).toHaveAttribute('data-level', 'red');
  await shot(page, '26-devices-health');
});

test('test users up to Mercado Pago’s limit of 10, the one made here listed, the 11th refused clearly', async ({ page, caja }) => {
  for (let i = 0; i < 9; i++) await caja.app.services.handlers['accounts.createTestUser']({ site: 'MLA' });
  await nav(page, 'Manager');
  await page.getByRole('button', { name: 'Create test user' }).click();
  const created = page.getByTestId('test-user-created');
  await expect(created).toContainText('Write down the password now');
  await expect(created.getByRole('button', { name: 'Copy password' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Test users made on this computer' }).getByRole('row')).toHaveCount(2);
  await shot(page, '25-manager');
  await page.getByRole('button', { name: 'Create test user' }).click();
  await expect(page.getByRole('alert')).toContainText('already has 10 test users');
  expect((await caja.sim.requests()).filter((r) => r.path === '/users/test_user')).toHaveLength(11);
});

test('phones: the one-time "enable integrators" step, and removing a phone with a confirmation', async ({ page, caja }) => {
  await nav(page, 'Devices');
  await page.getByRole('button', { name: 'Enable integrations for phones' }).click();
  await expect(page.getByText('Phones can now take charges from Caja.')).toBeVisible();
  const enabled = (await caja.sim.requests()).filter((r) => r.path === '/point/services/user/status/integrators');
  expect(enabled.map((r) => r.body)).toEqual([{ Id: 100001 }]);

  await page.getByRole('button', { name: /^Remove the phone .*caja-2/ }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Caja can no longer charge on it');
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('device-caja-2')).toHaveCount(0);
  expect((await caja.sim.terminals()).map((t) => t.id)).not.toContain('caja-2');
});

test('settings with validation: the poll interval is bounded, the journal is backed up, diagnostics carry no token', async ({ page, caja }) => {
  await caja.app.services.handlers['settings.setToken']({ token: 'TEST-100001-mla-caja-demo-token' });
  await nav(page, 'Manager');
  const till = page.getByRole('region', { name: 'This till' });
  await till.getByLabel('Seconds between looks at a waiting charge').fill('1');
  await till.getByRole('button', { name: 'Save' }).click();
  await expect(till.getByRole('alert')).toContainText('A whole number of seconds from 2 to 10.');
  expect((await caja.app.services.handlers['settings.get'](undefined)).pollSeconds).toBe(3);
  await till.getByLabel('Seconds between looks at a waiting charge').fill('4');
  await till.getByRole('button', { name: 'Save' }).click();
  await expect(till.getByTestId('till-note')).toHaveText('Saved');
  expect((await caja.app.services.handlers['settings.get'](undefined)).pollSeconds).toBe(4);

  await till.getByRole('button', { name: 'Back up the journal' }).click();
  await expect(till.getByTestId('till-note')).toContainText(`Journal copied to ${caja.dataDir}`);

  await till.getByRole('button', { name: 'Copy diagnostics' }).click();
  await till.getByText('Diagnostics', { exact: true }).click();
  const text = till.getByTestId('diagnostics');
  await expect(text).toContainText('"pollSeconds":4');
  await expect(text).toContainText('Last ');
  expect(await text.textContent()).not.toContain('caja-demo-token');
});

test('the data folder: a bad path refused with the reason, a good one used from the next start with the sales in it', async ({ page, caja }) => {
  await addFreeAmount(page, '700');
  await chooseTerminal(page, CAJA1);
  await chargeButton(page).click();
  await expect(chargeState(page)).toHaveText('Payment approved');
  await page.keyboard.press('F2'); // a new sale: the paid one's overlay goes

  await nav(page, 'Manager');
  const section = page.getByRole('region', { name: 'Data folder' });
  await expect(section.getByTestId('data-folder-in-use')).toHaveText(`In use: ${caja.dataDir}`);
  const field = section.getByLabel('New data folder (full path)');
  await field.fill('caja-data');
  await section.getByRole('button', { name: 'Move at next start' }).click();
  await expect(section.getByRole('alert')).toHaveText('Write the full path of the folder, starting from the drive or from /.');
  await field.fill(caja.dataDir);
  await section.getByRole('button', { name: 'Move at next start' }).click();
  await expect(section.getByRole('alert')).toHaveText('That is already the data folder.');

  const target = join(mkdtempSync(join(tmpdir(), 'caja-e2e-moved-')), 'till');
  try {
    await field.fill(target);
    await section.getByRole('button', { name: 'Move at next start' }).click();
    await expect(section.getByTestId('data-folder-pending')).toContainText(`At the next start the journal and catalog move to ${target}.`);
    await shot(page, '32-manager-data-folder');

    const app = await caja.restart();
    await page.goto(app.host.url);
    await app.services.handlers['manager.unlock']({ pin: MANAGER_PIN });
    await nav(page, 'Manager');
    await expect(section.getByTestId('data-folder-in-use')).toHaveText(`In use: ${target}`);
    await expect(section.getByTestId('data-folder-pending')).toHaveCount(0);
    expect(readdirSync(target).filter((n) => n.endsWith('.sqlite')).sort()).toEqual(['catalog.sqlite', 'journal-demo.sqlite']);
    const history = await app.services.handlers['sales.history']({ limit: 10, offset: 0 });
    expect(history.items.map((x) => [x.state, x.total])).toEqual([['approved', 70000]]);
  } finally {
    rmSync(dirname(target), { recursive: true, force: true });
  }
});

/** axe on the manager's screens (serious and critical findings fail), beside the perf engineer's checks of the cashier's. */
async function seriousFindings(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).exclude('iframe').analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
}

test.describe('accessibility of the manager’s screens', () => {
  test.use({ manager: 'locked' });

  test('the PIN pad, the manager screen, the device screen with its health list and a confirmation', async ({ page }) => {
    await nav(page, 'Manager');
    await expect(page.getByLabel('Manager PIN')).toBeVisible();
    expect(await seriousFindings(page), 'PIN pad').toEqual([]);
    await unlock(page);
    await expect(page.getByTestId('manager-session')).toBeVisible();
    expect(await seriousFindings(page), 'Manager').toEqual([]);
    await nav(page, 'Devices');
    await page.getByRole('button', { name: 'Run the health check' }).click();
    await expect(page.getByTestId('health-token')).toBeVisible();
    expect(await seriousFindings(page), 'Devices').toEqual([]);
    await page.getByTestId(`device-${CAJA3_STANDALONE}`).getByRole('button', { name: 'Switch to PDV' }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    expect(await seriousFindings(page), 'mode confirmation').toEqual([]);
  });
});

test.describe('accessibility of the welcome', () => {
  test.use({ manager: 'none' });

  test('each step of the first run', async ({ page }) => {
    const welcome = page.getByRole('dialog', { name: 'Welcome to Caja' });
    await expect(welcome).toBeVisible();
    expect(await seriousFindings(page), 'welcome').toEqual([]);
    await welcome.getByRole('button', { name: 'Connect my Mercado Pago account' }).click();
    await expect(welcome.getByLabel('Country')).toBeVisible();
    expect(await seriousFindings(page), 'connect step').toEqual([]);
  });
});

/**
 * Never a silent demo (issue 11): the demo runs only when a person chose it, a till that had a token
 * stays live whatever happens to it, and a token this computer cannot read stops charging with a
 * message a manager can act on — keeping the shop's country, catalog and settings as they were.
 * Also: the data folder is private, and the browser host's key file lives outside it.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from './logger';
import { createServices, type Services } from './services';
import { decideBackend } from './settings/backend-choice';
import { createFileKeySecretBox, keyFileFor, openTokenVault } from './settings/token-vault';
import { startSimulator, type Simulator } from './simulator';

// A token the simulator's account 100001 answers /users/me for: a token is checked before it is saved (issue 12).
const TOKEN = 'TEST-100001-mla-caja-demo-token';
const UNREADABLE = "The saved Mercado Pago token can't be read on this computer; a manager must enter it again";
const FAST = { toTerminalMs: 50, customerMs: 100, processingMs: 50, customer: 'auto' } as const;

// Mercado Pago for the live tills of these tests (the token check asks it whose token it is).
let mercadoPago: Simulator;
beforeAll(async () => {
  mercadoPago = await startSimulator({ port: 0 });
});
afterAll(() => mercadoPago.close());

const open: Services[] = [];
const folders: string[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
});

function folder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  folders.push(dir);
  return dir;
}

async function start(dataDir: string, keysDir: string, more: { forceDemo?: boolean; firstRunDemo?: boolean } = {}): Promise<Services> {
  const s = await createServices({
    dataDir,
    shell: 'browser',
    version: '9.9.9',
    platform: 'linux',
    secretBox: createFileKeySecretBox(dataDir, keysDir),
    log: createLogger({ file: join(dataDir, 'caja.log') }),
    firstRunDemo: false,
    simulatorTiming: FAST,
    liveBaseUrl: mercadoPago.baseUrl,
    ...more,
  });
  open.push(s);
  await unlockManager(s);
  return s;
}

/** These tests are about demo/live and files, not roles: a manager is at the till (electron/roles/ tests the gate). */
async function unlockManager(s: Services): Promise<void> {
  if ((await s.handlers['manager.status'](undefined)).pinSet) await s.handlers['manager.unlock']({ pin: '1234' });
  else await s.handlers['manager.setPin']({ pin: '1234' });
}

async function stop(s: Services): Promise<void> {
  open.splice(open.indexOf(s), 1);
  await s.close();
}

const line = { productId: null, sku: null, name: 'Alfajor', unitPrice: 150000, quantity: 1, discount: 0 };
/** Handlers may throw before returning a promise; the pipes turn both into an error envelope. */
const attempt = <T>(call: () => T | Promise<T>): Promise<T> => Promise.resolve().then(call);
const charge = (s: Services) =>
  attempt(() => s.handlers['checkout.charge']({ cart: { lines: [line], cartDiscount: 0 }, terminalId: 'PAX_A910__SMARTPOS1234567890' }));

describe('demo or live', () => {
  it('decides from the person’s choice and the vault, never from a missing or broken token', () => {
    const base = { forceDemo: false, firstRunDemo: false, recorded: null } as const;
    expect(decideBackend({ ...base, vault: 'empty' })).toEqual({ mode: 'live', problem: 'missing', record: null });
    expect(decideBackend({ ...base, vault: 'empty', firstRunDemo: true })).toEqual({ mode: 'demo', problem: null, record: 'demo' });
    expect(decideBackend({ ...base, vault: 'empty', recorded: 'live', firstRunDemo: true })).toMatchObject({ mode: 'live', problem: 'missing' });
    expect(decideBackend({ ...base, vault: 'unreadable', recorded: 'demo', firstRunDemo: true })).toEqual({ mode: 'live', problem: 'unreadable', record: 'live' });
    expect(decideBackend({ ...base, vault: 'readable', recorded: 'demo' })).toEqual({ mode: 'live', problem: null, record: 'live' });
    expect(decideBackend({ ...base, vault: 'readable', forceDemo: true })).toMatchObject({ mode: 'demo', record: null });
  });

  it('a new folder nobody chose the demo for is live, waiting for a token, and charges nothing', async () => {
    const dir = folder('caja-choice-');
    const s = await start(dir, folder('caja-keys-'));
    expect(await s.handlers['app.getInfo'](undefined)).toMatchObject({ backend: 'live', tokenProblem: 'missing', terminalScreenUrl: null });
    await expect(charge(s)).rejects.toMatchObject({ code: 'AUTH', message: expect.stringMatching(/No Mercado Pago token/) });
    expect(s.simulator()).toBeNull();
    expect(await s.handlers['sales.history']({ limit: 10, offset: 0 })).toMatchObject({ total: 0 });
  });

  it('the first-run demo is recorded, stays until a token, and never comes back after one', async () => {
    const dir = folder('caja-choice-');
    const keys = folder('caja-keys-');
    let s = await start(dir, keys, { firstRunDemo: true });
    expect((await s.handlers['app.getInfo'](undefined)).backend).toBe('demo');
    await stop(s);
    // A later start without the launcher's say-so: the folder's recorded choice holds.
    s = await start(dir, keys);
    expect((await s.handlers['app.getInfo'](undefined)).backend).toBe('demo');
    await s.handlers['settings.setToken']({ token: TOKEN });
    expect(await s.handlers['app.getInfo'](undefined)).toMatchObject({ backend: 'live', tokenProblem: null });
    await stop(s);
    // The token goes missing (file deleted): live, asking for a token — not the demo.
    rmSync(join(dir, 'token.vault'));
    s = await start(dir, keys, { firstRunDemo: true });
    expect(await s.handlers['app.getInfo'](undefined)).toMatchObject({ backend: 'live', tokenProblem: 'missing' });
  });

  it('a token this computer cannot read stops charging, says why, and keeps the shop as it was', async () => {
    const dir = folder('caja-choice-');
    let s = await start(dir, folder('caja-keys-'));
    await s.handlers['settings.setToken']({ token: TOKEN });
    await s.handlers['settings.update']({ site: 'MLB', shopName: 'Padaria Central' });
    await s.handlers['catalog.upsert']({ name: 'Pão de queijo', price: 450, sku: 'PQ-1', barcode: null, category: null, favourite: false });
    await stop(s);

    // Same folder, another computer's key (keychain reset, key file replaced, folder copied).
    s = await start(dir, folder('caja-other-keys-'), { firstRunDemo: true });
    const info = await s.handlers['app.getInfo'](undefined);
    expect(info).toMatchObject({ backend: 'live', tokenProblem: 'unreadable', terminalScreenUrl: null });
    await expect(charge(s)).rejects.toMatchObject({ code: 'AUTH', message: expect.stringContaining(UNREADABLE) });
    await expect(attempt(() => s.handlers['terminals.list'](undefined))).rejects.toMatchObject({ code: 'AUTH', message: expect.stringContaining(UNREADABLE) });
    expect(await s.handlers['settings.get'](undefined)).toMatchObject({ site: 'MLB', shopName: 'Padaria Central', hasToken: false });
    const catalog = await s.handlers['catalog.list']({ offset: 0, limit: 50 });
    expect(catalog.items.map((p) => p.name)).toEqual(['Pão de queijo']);
    expect(s.simulator()).toBeNull();

    // A manager enters it again: charging is possible again (live, no problem).
    await s.handlers['settings.setToken']({ token: TOKEN });
    expect(await s.handlers['app.getInfo'](undefined)).toMatchObject({ backend: 'live', tokenProblem: null });
  });
});

describe('files only the user can read', () => {
  it('keeps the data folder 0700 and every file in it 0600, journal, WAL and simulator state included', async () => {
    const dir = folder('caja-perms-');
    const keys = join(folder('caja-perms-home-'), 'caja-keys');
    const s = await start(dir, keys, { firstRunDemo: true });
    const sale = await charge(s);
    await s.handlers['catalog.importPreview']({ csv: 'name,price\nx,1\n' });
    await s.handlers['settings.update']({ shopName: 'Kiosco' });
    expect(sale.id).toBeTruthy();
    const whileRunning = readdirSync(dir);
    expect(whileRunning.some((f) => f.endsWith('-wal'))).toBe(true);
    for (const file of whileRunning) expect(`${file} ${(statSync(join(dir, file)).mode & 0o777).toString(8)}`).toBe(`${file} 600`);
    await stop(s); // the simulator saves its state on the way out
    const files = readdirSync(dir);
    expect(files).toEqual(
      expect.arrayContaining(['caja.log', 'catalog.sqlite', 'journal-demo.sqlite', 'settings.json', 'backend.json', 'simulator-state.json']),
    );
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const file of files) expect(`${file} ${(statSync(join(dir, file)).mode & 0o777).toString(8)}`).toBe(`${file} 600`);
    // The key that opens the token is not in the data folder.
    expect(files).not.toContain('vault.key');
    expect(statSync(keys).mode & 0o777).toBe(0o700);
    expect(statSync(keyFileFor(dir, keys)).mode & 0o777).toBe(0o600);
  });

  it('moves a key file left beside the vault by older versions out of the data folder, token intact', () => {
    const dir = folder('caja-legacy-');
    const keys = folder('caja-legacy-keys-');
    // What an older Caja left: the key in the data folder itself.
    const legacy = createFileKeySecretBox(dir, dir);
    openTokenVault(join(dir, 'token.vault'), legacy).set(TOKEN);
    writeFileSync(join(dir, 'vault.key'), readFileSync(keyFileFor(dir, dir)));
    rmSync(keyFileFor(dir, dir));
    const vault = openTokenVault(join(dir, 'token.vault'), createFileKeySecretBox(dir, keys));
    expect(vault.get()).toBe(TOKEN);
    expect(existsSync(join(dir, 'vault.key'))).toBe(false);
    expect(existsSync(keyFileFor(dir, keys))).toBe(true);
  });
});

/**
 * Runs main.ts's real start-up against a fake `electron` module (electron/testing/fake-electron.ts,
 * typed from Electron's .d.ts), since no Electron binary can be downloaded where these tests run.
 * It proves the security settings, the vault's choice of keychain, the hardening of packaged builds
 * and the update wiring; e2e/electron/*.spec.ts drive the real binary wherever one exists.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SaleViewSchema, type SaleState, type SaleView } from '../shared/contract';
import type * as ServicesModule from './services';
import type { EventListener, Services, ServicesOptions } from './services';
import { openTokenVault, type SecretBox } from './settings/token-vault';
import { createFakeElectron, type FakeElectron, type FakeElectronOptions } from './testing/fake-electron';

const h = vi.hoisted(() => ({
  fake: null as FakeElectron | null,
  createServices: null as ((options: ServicesOptions) => Promise<Services>) | null,
  updater: null as FakeUpdater | null,
}));

// Vitest keeps a mocked module across vi.resetModules(), so the mocks read the current fake on each
// access: every boot() gets a fresh Electron, as every real start does.
vi.mock('electron', () => {
  const current = () => h.fake!.module;
  return {
    get app() {
      return current().app;
    },
    get BrowserWindow() {
      return current().BrowserWindow;
    },
    get dialog() {
      return current().dialog;
    },
    get ipcMain() {
      return current().ipcMain;
    },
    get Menu() {
      return current().Menu;
    },
    get net() {
      return current().net;
    },
    get protocol() {
      return current().protocol;
    },
    get safeStorage() {
      return current().safeStorage;
    },
    get session() {
      return current().session;
    },
    get shell() {
      return current().shell;
    },
  };
});
vi.mock('electron-updater', () => ({
  get autoUpdater() {
    return h.updater;
  },
}));
vi.mock('./services', () => ({ createServices: (options: ServicesOptions) => h.createServices!(options) }));

const SIM_SCREEN = 'http://127.0.0.1:43123/__sim/screen';
const TOKEN = 'APP_USR-7654321098765432-010203-0123456789abcdef0123456789abcdef-123456789';

class FakeUpdater {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  logger: unknown = null;
  checks = 0;
  installs = 0;
  private listeners = new Map<string, ((arg: never) => void)[]>();
  private markInstalled: () => void = () => undefined;
  readonly installed = new Promise<void>((resolve) => (this.markInstalled = resolve));
  on(event: string, listener: (arg: never) => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  emit(event: string, arg: unknown) {
    (this.listeners.get(event) ?? []).forEach((l) => l(arg as never));
  }
  async checkForUpdates() {
    this.checks += 1;
    return null;
  }
  quitAndInstall() {
    this.installs += 1;
    this.markInstalled();
  }
}

/** Services that answer what main asks of them and record what main gave them. */
function fakeServices(unfinished: SaleView[] = []) {
  const listeners = new Set<EventListener>();
  let unfinishedAsked: () => void = () => undefined;
  let managerAsked: () => void = () => undefined;
  const services = {
    options: null as ServicesOptions | null,
    closed: 0,
    unfinished,
    manager: { pinSet: false, unlocked: false },
    nextUnfinishedQuestion: () => new Promise<void>((resolve) => (unfinishedAsked = resolve)),
    nextManagerQuestion: () => new Promise<void>((resolve) => (managerAsked = resolve)),
    emit: ((event, payload) => listeners.forEach((l) => l(event, payload))) as EventListener,
    create: async (options: ServicesOptions): Promise<Services> => {
      services.options = options;
      return {
        handlers: {
          'checkout.unfinished': async () => {
            unfinishedAsked();
            return services.unfinished;
          },
          'settings.get': async () => ({ locale: null }),
          'manager.status': async () => {
            managerAsked();
            return services.manager;
          },
        } as unknown as Services['handlers'],
        subscribe: (listener) => {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
        simulator: () => ({ baseUrl: 'http://127.0.0.1:43123', terminalScreenUrl: SIM_SCREEN }),
        close: async () => {
          services.closed += 1;
        },
      };
    },
  };
  return services;
}

function sale(state: SaleState): SaleView {
  const at = '2026-12-01T12:00:00.000Z';
  return SaleViewSchema.parse({
    id: 'sale-1',
    createdAt: at,
    updatedAt: at,
    state,
    total: 1500,
    site: 'MLA',
    currency: 'ARS',
    lines: [],
    cartDiscount: 0,
    register: 'CAJA1',
    terminalId: 'T1',
    family: 'orders',
    externalReference: null,
    paymentId: null,
    cardBrand: null,
    cardLast4: null,
    refundedAmount: 0,
    expiresAt: null,
    cancellable: false,
    retryable: false,
    resolvable: false,
    reason: null,
    errorCode: null,
  });
}

const savedArgv = [...process.argv];
const savedPlatform = process.platform;
afterEach(() => {
  delete process.env.CAJA_KEYS_DIR;
  process.argv = [...savedArgv];
  Object.defineProperty(process, 'platform', { value: savedPlatform });
  delete process.env.PORTABLE_EXECUTABLE_DIR;
});

interface BootOptions extends Partial<FakeElectronOptions> {
  /** CAJA_KEYS_DIR, as kiosks and test runs set it. */
  keysDir?: string;
  argv?: string[];
  platform?: NodeJS.Platform;
  services?: ReturnType<typeof fakeServices>;
  createServices?: (options: ServicesOptions) => Promise<Services>;
}

async function boot(options: BootOptions = {}) {
  vi.resetModules();
  delete process.env.CAJA_DATA_DIR;
  delete process.env.CAJA_KEYS_DIR;
  if (options.keysDir) process.env.CAJA_KEYS_DIR = options.keysDir;
  if (options.argv) process.argv = [...savedArgv, ...options.argv];
  if (options.platform) Object.defineProperty(process, 'platform', { value: options.platform });
  const userData = options.userData ?? mkdtempSync(join(tmpdir(), 'caja-main-'));
  const fake = createFakeElectron({ storageBackend: 'gnome_libsecret', ...options, userData });
  const services = options.services ?? fakeServices();
  h.fake = fake;
  h.updater = new FakeUpdater();
  h.createServices = options.createServices ?? services.create;
  const main = await import('./main');
  await main.started;
  return { fake, main, services, userData, updater: h.updater, win: fake.windows[0] };
}

describe('the window', () => {
  it('is isolated, sandboxed, Node-free, and loads the app from app://caja', async () => {
    const { fake, win } = await boot({ isPackaged: true });
    expect(fake.windows).toHaveLength(1);
    expect(win!.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      devTools: false,
    });
    expect(win!.options.webPreferences?.preload).toMatch(/[/\\]preload\.cjs$/);
    expect(win!.loaded).toEqual(['app://caja/index.html']);
    expect(fake.calls.privilegedSchemes).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) },
    ]);
  });

  it('registers every contract channel, refusing callers other than the app itself', async () => {
    const { fake } = await boot();
    const call = fake.ipcHandlers.get('caja:checkout.unfinished')!;
    expect(await call({ senderFrame: { url: 'app://caja/index.html', parent: null } } as never, undefined)).toEqual({
      ok: true,
      value: [],
    });
    const foreign = await call({ senderFrame: { url: 'https://evil.example/', parent: null } } as never, undefined);
    expect(foreign).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('the app:// protocol', () => {
  it('serves the renderer with the CSP that cuts it off the network', async () => {
    const { fake, main } = await boot();
    const res = await fake.request('app://caja/index.html');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(readFileSync(join(import.meta.dirname, '..', 'renderer', 'index.html'), 'utf8'));
    expect(res.headers.get('content-security-policy')).toBe(main.CSP);
    expect(main.CSP).toContain("connect-src 'none'");
    expect(main.CSP).toContain("script-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('refuses to leave the renderer folder, however the path is spelled', async () => {
    const { fake } = await boot();
    // package.json sits one folder above the renderer: reachable only through a traversal.
    for (const path of [
      '..%2Fpackage.json',
      '%2e%2e%2fpackage.json',
      '..%5Cpackage.json',
      '%2e%2e/%2e%2e/main/package.json',
      '../package.json',
    ]) {
      const res = await fake.request(`app://caja/${path}`);
      const body = await res.text();
      expect(body, path).not.toContain('"name": "caja"');
      expect(res.status, path).toBe(404);
    }
    expect((await fake.request('app://caja/screens')).status).toBe(404);
    expect((await fake.request('app://caja/index.html%00.png')).status).toBe(404);
  });

  it('answers only for its own host', async () => {
    const { fake } = await boot();
    expect((await fake.request('app://evil/index.html')).status).toBe(404);
    expect((await fake.request('app://caja.evil/index.html')).status).toBe(404);
  });
});

describe('permissions, navigation and windows', () => {
  it('denies every permission request and check', async () => {
    const { fake, win } = await boot();
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'hid',
      'serial',
      'openExternal',
    ] as const) {
      const granted = await new Promise<boolean>((resolve) =>
        fake.permissions.request!(win!.webContents as never, permission, resolve, {} as never),
      );
      expect(granted, permission).toBe(false);
      expect(fake.permissions.check!(null, permission, 'app://caja', {} as never), permission).toBe(false);
    }
  });

  it('refuses navigation, webviews and window.open, on this window and any later one', async () => {
    const { fake, win } = await boot();
    const later = new fake.module.BrowserWindow();
    for (const contents of [win!.webContents, later.webContents]) {
      expect(contents.attempt('will-navigate', 'https://example.com/')).toBe(false);
      expect(contents.attempt('will-navigate', 'app://caja/other.html')).toBe(false);
      expect(contents.attempt('will-attach-webview', {}, {})).toBe(false);
      expect(contents.open('https://example.com/')).toEqual({ action: 'deny' });
    }
    expect(fake.calls.openedExternally).toEqual([]);
  });

  it("opens only the demo simulator's terminal screen, on its exact origin, in the system browser", async () => {
    const { fake, win } = await boot();
    const refused = [
      'http://127.0.0.1:43124/__sim/screen',
      'http://localhost:43123/__sim/screen',
      'https://127.0.0.1:43123/__sim/screen',
      'http://user@127.0.0.1:43123/__sim/screen',
      'http://127.0.0.1:43123/v1/orders',
      'file:///etc/passwd',
      'not a url',
    ];
    for (const url of refused) expect(win!.webContents.open(url)).toEqual({ action: 'deny' });
    expect(fake.calls.openedExternally).toEqual([]);
    expect(win!.webContents.open(`${SIM_SCREEN}?terminal=T1`)).toEqual({ action: 'deny' });
    expect(fake.calls.openedExternally).toEqual([`${SIM_SCREEN}?terminal=T1`]);
  });
});

describe('one Caja per machine', () => {
  it('a second instance quits before touching anything', async () => {
    let created = 0;
    const { fake } = await boot({
      singleInstanceLock: false,
      createServices: async () => {
        created += 1;
        throw new Error('must not start');
      },
    });
    expect(fake.calls.quit).toBe(1);
    expect(created).toBe(0);
    expect(fake.windows).toHaveLength(0);
    await expect(fake.request('app://caja/index.html')).rejects.toThrow(/no handler/);
  });

  it('the first instance comes forward when a second one starts', async () => {
    const { fake, win } = await boot();
    const focus = vi.spyOn(win!, 'focus');
    fake.module.app.emit('second-instance');
    expect(focus).toHaveBeenCalledTimes(1);
  });
});

describe('the token vault', () => {
  it('uses the OS keychain through the async safeStorage API when a real backend is there', async () => {
    const { fake, services, userData } = await boot({ storageBackend: 'gnome_libsecret' });
    const box = services.options!.secretBox;
    expect(box.kind).toBe('os-keychain');
    const sealedToken = box.encrypt(TOKEN);
    expect(sealedToken.toString('latin1')).not.toContain(TOKEN);
    // The data key sits beside the vault only as the keychain sealed it.
    expect(readFileSync(join(userData, 'vault-key.sealed'), 'utf8')).toMatch(/^sealed:gnome_libsecret:/);
    expect(fake.calls.deprecated).toEqual([]);

    // The next start opens what this one sealed.
    const again = await boot({ storageBackend: 'gnome_libsecret', userData });
    expect(again.services.options!.secretBox.decrypt(sealedToken)).toBe(TOKEN);
    expect(again.fake.calls.deprecated).toEqual([]);
  });

  it.each(['basic_text', 'unknown'] as const)('does not count Linux\'s "%s" store as a keychain', async (storageBackend) => {
    const { services, userData } = await boot({ storageBackend });
    expect(services.options!.secretBox.kind).toBe('file-key');
    expect(existsSync(join(userData, 'vault-key.sealed'))).toBe(false);
    // The fallback key lives in the user's config folder, not beside the vault.
    expect(readdirSync(join(userData, 'appData', 'caja-keys'))).toHaveLength(1);
    expect(readFileSync(join(userData, 'caja.log'), 'utf8')).toContain('no usable OS keychain');
  });

  it('still opens a token sealed by the key file on a start without the keychain, and reseals it with the keychain', async () => {
    const locked = await boot({ storageBackend: 'gnome_libsecret', asyncEncryptionAvailable: false });
    const sealedByFile = locked.services.options!.secretBox.encrypt(TOKEN);

    const unlocked = await boot({ storageBackend: 'gnome_libsecret', userData: locked.userData });
    const box = unlocked.services.options!.secretBox;
    expect(box.kind).toBe('os-keychain');
    expect(box.decrypt(sealedByFile)).toBe(TOKEN);
    // The next save is the keychain's: a third start opens it without the key file's help.
    const resealed = box.encrypt(TOKEN);
    rmSync(join(locked.userData, 'appData', 'caja-keys'), { recursive: true });
    const third = await boot({ storageBackend: 'gnome_libsecret', userData: locked.userData });
    expect(third.services.options!.secretBox.decrypt(resealed)).toBe(TOKEN);
    expect(() => third.services.options!.secretBox.decrypt(sealedByFile)).toThrow();
  });

  it('keeps the fallback key where CAJA_KEYS_DIR says, as the browser host does', async () => {
    const keysDir = mkdtempSync(join(tmpdir(), 'caja-keys-'));
    const { userData } = await boot({ storageBackend: 'basic_text', keysDir });
    expect(readdirSync(keysDir)).toHaveLength(1);
    expect(existsSync(join(userData, 'appData', 'caja-keys'))).toBe(false);
  });

  it('falls back to the key file when the keychain says encryption is unavailable', async () => {
    const { services, fake } = await boot({ storageBackend: 'kwallet6', asyncEncryptionAvailable: false });
    expect(services.options!.secretBox.kind).toBe('file-key');
    expect(fake.calls.deprecated).toEqual([]);
  });

  it('runs the real services on the box it chose: the vault seals with the keychain, the next start opens it, the demo screen opens outside', async () => {
    const actual = await vi.importActual<typeof ServicesModule>('./services');
    const chosen: SecretBox[] = [];
    const createServices = (options: ServicesOptions) => {
      chosen.push(options.secretBox);
      return actual.createServices(options);
    };
    const trusted = { senderFrame: { url: 'app://caja/index.html', parent: null } } as never;
    const first = await boot({ argv: ['--demo'], createServices });
    // The services' own vault file, written through the box main handed them.
    const vaultFile = join(first.userData, 'token.vault');
    openTokenVault(vaultFile, chosen[0]!).set(TOKEN);
    expect(chosen[0]!.kind).toBe('os-keychain');
    expect(readFileSync(vaultFile).toString('latin1')).not.toContain(TOKEN);
    // The real demo simulator's screen is the one page main will open outside.
    const info = await first.fake.ipcHandlers.get('caja:app.getInfo')!(trusted, undefined);
    const screen = (info as { value: { terminalScreenUrl: string } }).value.terminalScreenUrl;
    expect(screen).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    first.win!.webContents.open(screen);
    first.win!.webContents.open(screen.replace(/:(\d+)\//, (_m, port: string) => `:${Number(port) + 1}/`));
    expect(first.fake.calls.openedExternally).toEqual([screen]);
    first.fake.module.app.emit('window-all-closed');
    await first.fake.quitting;

    const second = await boot({ argv: ['--demo'], createServices, userData: first.userData });
    expect(openTokenVault(vaultFile, chosen[1]!).get()).toBe(TOKEN);
    expect(readFileSync(join(first.userData, 'caja.log'), 'utf8')).not.toContain(TOKEN);
    second.fake.module.app.emit('window-all-closed');
    await second.fake.quitting;
  });
});

describe('when services cannot start', () => {
  it('logs (redacted), tells the user where to look, exits 1, and opens no window', async () => {
    const { fake, userData } = await boot({
      createServices: async () => {
        throw new Error(`journal locked while using ${TOKEN}`);
      },
    });
    expect(fake.calls.exitCodes).toEqual([1]);
    expect(fake.windows).toHaveLength(0);
    expect(fake.calls.errorBoxes).toHaveLength(1);
    expect(fake.calls.errorBoxes[0]!.content).toContain(join(userData, 'caja.log'));
    expect(fake.calls.errorBoxes[0]!.content).not.toContain('journal locked');
    const log = readFileSync(join(userData, 'caja.log'), 'utf8');
    expect(log).toContain('could not start services');
    expect(log).not.toContain(TOKEN);
  });

  it('also exits cleanly when the keychain itself fails', async () => {
    const { fake, services } = await boot({ storageBackend: 'gnome_libsecret', keychainFails: true });
    expect(services.options).toBeNull();
    expect(fake.calls.exitCodes).toEqual([1]);
    expect(fake.calls.errorBoxes).toHaveLength(1);
    expect(fake.windows).toHaveLength(0);
  });
});

describe('when the window cannot load', () => {
  it('says so and exits instead of leaving a till without a screen', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { fake } = await boot({ loadFails: true });
    expect(fake.calls.exitCodes).toEqual([1]);
    expect(fake.calls.errorBoxes).toHaveLength(1);
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });
});

describe('packaged builds', () => {
  it('have no DevTools and no menu on Windows and Linux', async () => {
    const { fake, win } = await boot({ isPackaged: true, platform: 'win32' });
    expect(fake.calls.menus).toEqual([null]);
    expect(win!.options.webPreferences?.devTools).toBe(false);
  });

  it('keep only the app and Edit menus on macOS (Cmd+Q, copy and paste), nothing that reaches DevTools', async () => {
    const { fake } = await boot({ isPackaged: true, platform: 'darwin' });
    expect(fake.calls.menus).toHaveLength(1);
    expect(fake.calls.menus[0]!.template).toEqual([{ role: 'appMenu' }, { role: 'editMenu' }]);
  });

  it('get DevTools and the default menu back with --debug, for support', async () => {
    const { fake, win } = await boot({ isPackaged: true, argv: ['--debug'] });
    expect(fake.calls.menus).toEqual([]);
    expect(win!.options.webPreferences?.devTools).toBe(true);
  });

  it('development runs keep DevTools', async () => {
    const { win } = await boot({ isPackaged: false });
    expect(win!.options.webPreferences?.devTools).toBe(true);
  });
});

describe('updates', () => {
  it('are not touched in development runs or the portable build', async () => {
    const dev = await boot({ isPackaged: false });
    expect(dev.updater.checks).toBe(0);
    expect(dev.updater.autoDownload).toBe(false);
    process.env.PORTABLE_EXECUTABLE_DIR = 'C:\\Caja';
    const portable = await boot({ isPackaged: true });
    expect(portable.updater.checks).toBe(0);
  });

  it('download in the background and install only after the charge in flight settles and the manager agrees', async () => {
    const services = fakeServices([sale('at_terminal')]);
    const { updater, fake, userData } = await boot({ isPackaged: true, services, messageBoxResponse: 0 });
    expect(updater.autoDownload).toBe(true);
    expect(updater.autoInstallOnAppQuit).toBe(true);
    expect(updater.checks).toBe(1);
    expect(JSON.parse(readFileSync(join(userData, 'updates.json'), 'utf8')).lastCheckAt).toEqual(expect.any(Number));

    // Downloaded mid-payment: main asks the services, sees the charge, and waits without a question.
    const asked = services.nextUnfinishedQuestion();
    updater.emit('update-downloaded', { version: '0.2.0' });
    await asked;
    await new Promise((resolve) => setImmediate(resolve));
    expect(fake.calls.messageBoxes).toHaveLength(0);
    expect(updater.installs).toBe(0);

    // The sale settles, but a manager PIN exists and nobody unlocked it: the cashier is not asked.
    services.manager = { pinSet: true, unlocked: false };
    services.unfinished = [];
    const checked = services.nextManagerQuestion();
    services.emit('sale.changed', sale('approved'));
    await checked;
    await new Promise((resolve) => setImmediate(resolve));
    expect(fake.calls.messageBoxes).toHaveLength(0);

    // The manager unlocks; at the next reconsideration main asks (in Spanish by default) and installs.
    services.manager = { pinSet: true, unlocked: true };
    services.emit('sale.changed', sale('approved'));
    await updater.installed;
    expect(fake.calls.messageBoxes).toHaveLength(1);
    expect(fake.calls.messageBoxes[0]).toMatchObject({
      message: expect.stringContaining('0.2.0'),
      buttons: ['Reiniciar ahora', 'Más tarde'],
      cancelId: 1,
    });
    expect(updater.installs).toBe(1);
  });
});

describe('closing', () => {
  it('closes the services before quitting', async () => {
    const { fake, services } = await boot();
    fake.module.app.emit('window-all-closed');
    await fake.quitting;
    expect(services.closed).toBe(1);
    expect(fake.calls.quit).toBe(1);
  });
});

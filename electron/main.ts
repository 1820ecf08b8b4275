/**
 * Electron's main process: lifecycle, the window, the app:// protocol and wiring. Everything that
 * matters for money lives in services.ts and below, free of Electron; this file only plugs it in.
 * `electron/main.test.ts` runs this file's start-up against a fake `electron` module.
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  net,
  protocol,
  safeStorage,
  session,
  shell,
  type WebContents,
} from 'electron';
import { autoUpdater } from 'electron-updater';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FINAL_STATES, type SaleView } from '../shared/contract';
import type { Logger } from './checkout/engine-api';
import { handle, pushEvent } from './ipc';
import { resolveStatic } from './host/server';
import { createLogger } from './logger';
import { createServices, type Services } from './services';
import { openKeychainSecretBox, sealWithFirstOpenWithAny } from './settings/keychain-box';
import type { SecretBox } from './settings/token-vault';
import { createFileKeySecretBox, keyFileFor } from './settings/token-vault';
import { startAutoUpdates, updateQuestion, type AutoUpdates } from './updates/auto-update';
import { anyChargeInFlight } from './updates/update-gate';

const SCHEME = 'app';
const APP_HOST = 'caja';
const APP_ORIGIN = `${SCHEME}://${APP_HOST}`;
const RENDERER_DIR = join(__dirname, '..', 'renderer');

// The renderer never talks to the network: connect-src is only the app itself.
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'none'",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * Support can start a packaged Caja with `--debug` to get DevTools and Electron's menu back; a
 * cashier's normal start has neither (DevTools would reach window.caja and every channel).
 */
const debugging = !app.isPackaged || process.argv.includes('--debug');

// codeCache: V8 keeps the compiled renderer script between starts (as it does for http), so every
// start after the first skips compiling it again.
protocol.registerSchemesAsPrivileged([
  { scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);

// Tests and kiosk installs point the data folder elsewhere; it must be set before anything reads it.
if (process.env.CAJA_DATA_DIR) app.setPath('userData', process.env.CAJA_DATA_DIR);

/** Settles when start-up is over: the window loaded, or the app is quitting. The harness awaits it. */
export const started: Promise<void> = app.requestSingleInstanceLock()
  ? main().catch((error: unknown) => {
      // Anything main() did not handle itself (the window failing to load): say so and leave,
      // rather than keep a till running with no screen.
      console.error('Caja could not start:', error);
      dialog.showErrorBox('Caja', 'Caja could not start. Please start it again.');
      app.exit(1);
    })
  : // Two Cajas on one journal would race on the same terminals; the first one keeps the till.
    Promise.resolve(app.quit());

interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

function loadWindowState(file: string): WindowState {
  try {
    return { width: 1280, height: 800, maximized: false, ...(JSON.parse(readFileSync(file, 'utf8')) as Partial<WindowState>) };
  } catch {
    return { width: 1280, height: 800, maximized: false };
  }
}

/** The OS keychain when there is a real one; otherwise the local key file, said in the log. */
async function chooseSecretBox(dataDir: string, log: Logger): Promise<SecretBox> {
  // Electron's appData is the user's config folder: the local key stays out of the data folder.
  const keysDir = process.env.CAJA_KEYS_DIR ?? join(app.getPath('appData'), 'caja-keys');
  const choice = await openKeychainSecretBox({
    safeStorage,
    platform: process.platform,
    keyFile: join(dataDir, 'vault-key.sealed'),
  });
  if (choice.box) {
    log.info('token sealed by the OS keychain', { backend: choice.backend });
    const hadLocalKey = existsSync(keyFileFor(dataDir, keysDir)) || existsSync(join(dataDir, 'vault.key'));
    return hadLocalKey ? sealWithFirstOpenWithAny(choice.box, createFileKeySecretBox(dataDir, keysDir)) : choice.box;
  }
  log.warn('no usable OS keychain; the token is sealed with a local key file', {
    backend: choice.backend,
    reason: choice.reason,
  });
  return createFileKeySecretBox(dataDir, keysDir);
}

/** Serves the built renderer on app://caja with the CSP; nothing outside its folder, no other host. */
async function serveApp(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const file = url.host === APP_HOST ? resolveStatic(RENDERER_DIR, url.pathname) : null;
  if (!file || !existsSync(file) || !statSync(file).isFile()) return new Response('Not found', { status: 404 });
  const response = await net.fetch(pathToFileURL(file).toString());
  const headers = new Headers(response.headers);
  headers.set('Content-Security-Policy', CSP);
  headers.set('X-Content-Type-Options', 'nosniff');
  return new Response(response.body, { status: response.status, headers });
}

/**
 * The only page main opens outside the app: the demo simulator's terminal screen, on the exact
 * origin the running simulator has (not any loopback port: another local server could be anything).
 */
function isSimulatorScreen(url: string, services: Services | null): boolean {
  const screen = services?.simulator()?.terminalScreenUrl;
  if (!screen) return false;
  try {
    const target = new URL(url);
    const allowed = new URL(screen);
    return target.origin === allowed.origin && target.username === '' && target.pathname.startsWith(allowed.pathname);
  } catch {
    return false;
  }
}

/** The app never navigates away from itself, embeds no webviews and opens no windows of its own. */
function guardContents(contents: WebContents, services: () => Services | null): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isSimulatorScreen(url, services())) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

function applyMenu(): void {
  if (debugging) return;
  // No View menu, so no DevTools or reload. macOS keeps the app and Edit menus: without them
  // Cmd+Q, Cmd+C and Cmd+V stop working in every text field.
  Menu.setApplicationMenu(
    process.platform === 'darwin' ? Menu.buildFromTemplate([{ role: 'appMenu' }, { role: 'editMenu' }]) : null,
  );
}

function updatesEnabled(): boolean {
  // Development runs have nothing to update; the portable .exe cannot replace itself.
  return app.isPackaged && !process.env.PORTABLE_EXECUTABLE_DIR && !process.argv.includes('--no-updates');
}

async function main(): Promise<void> {
  let services: Services | null = null;
  app.on('web-contents-created', (_event, contents) => guardContents(contents, () => services));

  await app.whenReady();
  applyMenu();
  const dataDir = app.getPath('userData');
  mkdirSync(dataDir, { recursive: true });
  const log = createLogger({ file: join(dataDir, 'caja.log') });

  protocol.handle(SCHEME, serveApp);
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  try {
    services = await createServices({
      dataDir,
      shell: 'electron',
      version: app.getVersion(),
      platform: process.platform,
      secretBox: await chooseSecretBox(dataDir, log),
      log,
      forceDemo: process.argv.includes('--demo'),
    });
  } catch (error) {
    // The logger redacts; the dialog says only where to look, never what failed inside.
    log.error('could not start services', { error: String(error) });
    dialog.showErrorBox('Caja', `Caja could not start. Details are in ${join(dataDir, 'caja.log')}.`);
    app.exit(1);
    return;
  }
  const running = services;
  handle(ipcMain, running.handlers, { trustedOrigin: APP_ORIGIN, log });

  const stateFile = join(dataDir, 'window-state.json');
  const state = loadWindowState(stateFile);
  const win = new BrowserWindow({
    x: state.x,
    y: state.y,
    width: state.width,
    height: state.height,
    minWidth: 900,
    minHeight: 600,
    title: 'Caja',
    show: false,
    backgroundColor: '#0f172a',
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      devTools: debugging,
    },
  });
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  const saveState = () => {
    if (win.isDestroyed()) return;
    const bounds = win.getNormalBounds();
    writeFileSync(stateFile, JSON.stringify({ ...bounds, maximized: win.isMaximized() }));
  };
  win.on('close', saveState);

  let updates: AutoUpdates | null = null;
  if (updatesEnabled()) {
    updates = startAutoUpdates({
      updater: autoUpdater,
      stateFile: join(dataDir, 'updates.json'),
      log,
      chargeInFlight: async () => anyChargeInFlight(await running.handlers['checkout.unfinished'](undefined)),
      // A cashier never answers: with a manager PIN, the question waits for the manager's session.
      managerAvailable: async () => {
        const manager = await running.handlers['manager.status'](undefined);
        return !manager.pinSet || manager.unlocked;
      },
      askManager: async (version) => {
        const locale = (await running.handlers['settings.get'](undefined)).locale ?? app.getLocale();
        const { response } = await dialog.showMessageBox(win, { type: 'question', ...updateQuestion(locale, version) });
        return response === 0;
      },
    });
  }

  const unsubscribe = running.subscribe((event, payload) => {
    pushEvent(win.webContents, event, payload);
    // A sale that just settled may be what an update was waiting for.
    if (event === 'sale.changed' && FINAL_STATES.includes((payload as SaleView).state)) updates?.nudge();
  });
  app.on('second-instance', () => {
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('window-all-closed', () => {
    unsubscribe();
    updates?.stop();
    void running.close().finally(() => app.quit());
  });

  await win.loadURL(`${APP_ORIGIN}/index.html`);
}

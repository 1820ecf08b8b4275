/**
 * Electron's main process: lifecycle, the window, the app:// protocol and wiring. Everything that
 * matters for money lives in services.ts and below, free of Electron; this file only plugs it in.
 */
import { app, BrowserWindow, ipcMain, net, protocol, safeStorage, session, shell } from 'electron';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { handle, pushEvent } from './ipc';
import { resolveStatic } from './host/server';
import { createLogger } from './logger';
import { createServices, type Services } from './services';
import type { SecretBox } from './settings/token-vault';
import { createFileKeySecretBox } from './settings/token-vault';

const SCHEME = 'app';
const APP_ORIGIN = `${SCHEME}://caja`;
const RENDERER_DIR = join(__dirname, '..', 'renderer');

// The renderer never talks to the network: connect-src is only the app itself.
const CSP = [
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

protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

// Tests and kiosk installs point the data folder elsewhere; it must be set before anything reads it.
if (process.env.CAJA_DATA_DIR) app.setPath('userData', process.env.CAJA_DATA_DIR);

if (!app.requestSingleInstanceLock()) {
  // Two Cajas on one journal would race on the same terminals; the first one keeps the till.
  app.quit();
} else {
  void main();
}

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

function safeStorageBox(dataDir: string): SecretBox {
  // Without an OS keychain (some Linux desktops) fall back to a local key file rather than plain text.
  if (!safeStorage.isEncryptionAvailable()) return createFileKeySecretBox(dataDir);
  return {
    kind: 'os-keychain',
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (sealed) => safeStorage.decryptString(sealed),
  };
}

async function main(): Promise<void> {
  await app.whenReady();
  const dataDir = app.getPath('userData');
  mkdirSync(dataDir, { recursive: true });
  const log = createLogger({ file: join(dataDir, 'caja.log') });

  protocol.handle(SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = url.host === 'caja' ? resolveStatic(RENDERER_DIR, url.pathname) : null;
    if (!file || !existsSync(file)) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CSP);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });

  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  let services: Services;
  try {
    services = await createServices({
      dataDir,
      shell: 'electron',
      version: app.getVersion(),
      platform: process.platform,
      secretBox: safeStorageBox(dataDir),
      log,
      forceDemo: process.argv.includes('--demo'),
    });
  } catch (error) {
    log.error('could not start services', { error: String(error) });
    app.exit(1);
    return;
  }
  handle(ipcMain, services.handlers, { trustedOrigin: APP_ORIGIN, log });

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

  // The app never navigates away from itself, and never opens windows; links to the demo's
  // terminal screen (on loopback) go to the system browser.
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^http:\/\/127\.0\.0\.1:\d+\/__sim\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });

  const unsubscribe = services.subscribe((event, payload) => pushEvent(win.webContents, event, payload));
  app.on('second-instance', () => {
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('window-all-closed', () => {
    unsubscribe();
    void services.close().finally(() => app.quit());
  });

  await win.loadURL(`${APP_ORIGIN}/index.html`);
}

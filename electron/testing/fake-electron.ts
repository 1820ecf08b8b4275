/**
 * A fake of the parts of the `electron` module main.ts uses, for running main's start-up under
 * Vitest where no Electron binary exists. Every member is typed against Electron's own `.d.ts`
 * (`Pick<Electron.App, …>` and so on), so a signature main relies on cannot drift from the real one
 * without the typecheck saying so. The fake is deliberately strict where Electron is lenient to a
 * fault: the deprecated synchronous safeStorage calls throw, so a test fails if main goes back to them.
 */
import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Electron from 'electron';

type LinuxBackend = ReturnType<Electron.SafeStorage['getSelectedStorageBackend']>;

export interface FakeElectronOptions {
  userData: string;
  /** The user's config folder (Electron's `appData`); defaults to a folder inside userData. */
  appData?: string;
  isPackaged?: boolean;
  /** What requestSingleInstanceLock answers: false when another Caja holds the lock. */
  singleInstanceLock?: boolean;
  /** Linux's selected password store; `basic_text` is what Chromium picks without a keyring. */
  storageBackend?: LinuxBackend;
  asyncEncryptionAvailable?: boolean;
  /** The keychain daemon is broken: safeStorage's async calls reject. */
  keychainFails?: boolean;
  /** Which button the next native question gets (0 = the first). */
  messageBoxResponse?: number;
  locale?: string;
  version?: string;
  /** The window's page fails to load (a missing renderer build). */
  loadFails?: boolean;
}

type PermissionRequestHandler = Parameters<Electron.Session['setPermissionRequestHandler']>[0];
type PermissionCheckHandler = Parameters<Electron.Session['setPermissionCheckHandler']>[0];
type ProtocolHandler = Parameters<Electron.Protocol['handle']>[1];
type WindowOpenHandler = Parameters<Electron.WebContents['setWindowOpenHandler']>[0];

/** An Electron event whose default can be prevented, as `will-navigate` and friends receive. */
export class FakeEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export function createFakeElectron(options: FakeElectronOptions) {
  const calls = {
    quit: 0,
    exitCodes: [] as number[],
    errorBoxes: [] as { title: string; content: string }[],
    messageBoxes: [] as Electron.MessageBoxOptions[],
    openedExternally: [] as string[],
    menus: [] as (FakeMenu | null)[],
    privilegedSchemes: [] as Electron.CustomScheme[],
    /** Every deprecated API main touched; the harness expects this to stay empty. */
    deprecated: [] as string[],
  };
  const paths = new Map<string, string>([
    ['userData', options.userData],
    ['appData', options.appData ?? join(options.userData, 'appData')],
  ]);
  let markQuit: () => void = () => undefined;
  /** Settles on the first app.quit(): tests await it instead of polling. */
  const quitting = new Promise<void>((resolve) => (markQuit = resolve));

  class FakeApp
    extends EventEmitter
    implements
      Pick<
        Electron.App,
        | 'whenReady'
        | 'getPath'
        | 'setPath'
        | 'getVersion'
        | 'getLocale'
        | 'requestSingleInstanceLock'
        | 'quit'
        | 'exit'
        | 'isPackaged'
      >
  {
    isPackaged = options.isPackaged ?? false;
    whenReady(): Promise<void> {
      return Promise.resolve();
    }
    getPath(name: Parameters<Electron.App['getPath']>[0]): string {
      const path = paths.get(name);
      if (!path) throw new Error(`fake electron: no path for ${name}`);
      return path;
    }
    setPath(name: string, path: string): void {
      paths.set(name, path);
    }
    getVersion(): string {
      return options.version ?? '0.1.0';
    }
    getLocale(): string {
      return options.locale ?? 'es-AR';
    }
    requestSingleInstanceLock(): boolean {
      return options.singleInstanceLock ?? true;
    }
    quit(): void {
      calls.quit += 1;
      markQuit();
    }
    exit(exitCode = 0): void {
      calls.exitCodes.push(exitCode);
    }
  }
  const app = new FakeApp();

  class FakeWebContents
    extends EventEmitter
    implements Pick<Electron.WebContents, 'setWindowOpenHandler' | 'isDestroyed' | 'send'>
  {
    windowOpenHandler: WindowOpenHandler | null = null;
    sent: { channel: string; args: unknown[] }[] = [];
    setWindowOpenHandler(handler: WindowOpenHandler): void {
      this.windowOpenHandler = handler;
    }
    isDestroyed(): boolean {
      return false;
    }
    send(channel: string, ...args: unknown[]): void {
      this.sent.push({ channel, args });
    }
    /** What Electron does when the page navigates: emit, then go ahead unless prevented. */
    attempt(event: 'will-navigate' | 'will-attach-webview', ...args: unknown[]): boolean {
      const e = new FakeEvent();
      this.emit(event, e, ...args);
      return !e.defaultPrevented;
    }
    /** What Electron does on window.open / target=_blank: ask the handler. */
    open(url: string): Electron.WindowOpenHandlerResponse {
      if (!this.windowOpenHandler) return { action: 'allow' };
      return this.windowOpenHandler({
        url,
        frameName: '',
        features: '',
        disposition: 'new-window',
        referrer: { url: '', policy: 'no-referrer' },
      });
    }
  }

  class FakeBrowserWindow
    extends EventEmitter
    implements
      Pick<
        Electron.BrowserWindow,
        'maximize' | 'show' | 'focus' | 'restore' | 'isMinimized' | 'isMaximized' | 'isDestroyed' | 'getNormalBounds' | 'loadURL'
      >
  {
    static instances: FakeBrowserWindow[] = [];
    readonly webContents = new FakeWebContents();
    loaded: string[] = [];
    constructor(readonly options: Electron.BrowserWindowConstructorOptions = {}) {
      super();
      FakeBrowserWindow.instances.push(this);
      // Electron announces every new WebContents on the app before the page can do anything.
      app.emit('web-contents-created', new FakeEvent(), this.webContents);
    }
    static getAllWindows(): FakeBrowserWindow[] {
      return FakeBrowserWindow.instances;
    }
    maximize(): void {}
    show(): void {}
    focus(): void {}
    restore(): void {}
    isMinimized(): boolean {
      return false;
    }
    isMaximized(): boolean {
      return false;
    }
    isDestroyed(): boolean {
      return false;
    }
    getNormalBounds(): Electron.Rectangle {
      return { x: 10, y: 20, width: 1280, height: 800 };
    }
    async loadURL(url: string): Promise<void> {
      this.loaded.push(url);
      if (options.loadFails) throw new Error(`ERR_FILE_NOT_FOUND (-6) loading '${url}'`);
    }
  }

  const protocolHandlers = new Map<string, ProtocolHandler>();
  const protocol: Pick<Electron.Protocol, 'registerSchemesAsPrivileged' | 'handle'> = {
    registerSchemesAsPrivileged(schemes) {
      // Electron throws when this runs after ready; main must call it at load time.
      calls.privilegedSchemes.push(...schemes);
    },
    handle(scheme, handler) {
      protocolHandlers.set(scheme, handler);
    },
  };

  const permissions: { request: PermissionRequestHandler; check: PermissionCheckHandler } = { request: null, check: null };
  const defaultSession: Pick<Electron.Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> = {
    setPermissionRequestHandler(handler) {
      permissions.request = handler;
    },
    setPermissionCheckHandler(handler) {
      permissions.check = handler;
    },
  };

  const net: Pick<Electron.Net, 'fetch'> = {
    // Only file: URLs, which is all main's protocol handler asks for; anything else is a test bug.
    async fetch(input) {
      const url = typeof input === 'string' ? input : input.url;
      if (!url.startsWith('file:')) throw new Error(`fake electron: net.fetch(${url}) is not a file`);
      return new Response(await readFile(fileURLToPath(url)), { status: 200 });
    },
  };

  // A reversible "encryption" tagged with the backend, so sealed bytes are not the plain text.
  const seal = (plain: string) => Buffer.from(`sealed:${options.storageBackend ?? 'os'}:` + Buffer.from(plain).toString('hex'));
  const unseal = (sealed: Buffer) => {
    const match = /^sealed:[^:]+:([0-9a-f]*)$/.exec(sealed.toString());
    if (!match) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return Buffer.from(match[1]!, 'hex').toString();
  };
  const keychain = async () => {
    if (options.keychainFails) throw new Error('org.freedesktop.secrets: the name is not activatable');
  };
  const safeStorage: Electron.SafeStorage = {
    getSelectedStorageBackend: () => options.storageBackend ?? 'unknown',
    isAsyncEncryptionAvailable: async () => {
      await keychain();
      return options.asyncEncryptionAvailable ?? true;
    },
    encryptStringAsync: async (plain) => seal(plain),
    decryptStringAsync: async (sealed) => ({ result: unseal(sealed), shouldReEncrypt: false }),
    setUsePlainTextEncryption: () => {
      calls.deprecated.push('safeStorage.setUsePlainTextEncryption');
    },
    isEncryptionAvailable: () => {
      calls.deprecated.push('safeStorage.isEncryptionAvailable');
      throw new Error('deprecated: use isAsyncEncryptionAvailable');
    },
    encryptString: () => {
      calls.deprecated.push('safeStorage.encryptString');
      throw new Error('deprecated: use encryptStringAsync');
    },
    decryptString: () => {
      calls.deprecated.push('safeStorage.decryptString');
      throw new Error('deprecated: use decryptStringAsync');
    },
  };

  const shell: Pick<Electron.Shell, 'openExternal'> = {
    async openExternal(url) {
      calls.openedExternally.push(url);
    },
  };

  const dialog: Pick<Electron.Dialog, 'showErrorBox' | 'showMessageBox'> = {
    showErrorBox(title, content) {
      calls.errorBoxes.push({ title, content });
    },
    async showMessageBox(...args: [Electron.BaseWindow, Electron.MessageBoxOptions] | [Electron.MessageBoxOptions]) {
      const box = args.length === 2 ? args[1] : args[0];
      calls.messageBoxes.push(box);
      return { response: options.messageBoxResponse ?? box.cancelId ?? 0, checkboxChecked: false };
    },
  };

  class FakeMenu {
    constructor(readonly template: (Electron.MenuItemConstructorOptions | Electron.MenuItem)[]) {}
    static buildFromTemplate(template: (Electron.MenuItemConstructorOptions | Electron.MenuItem)[]): FakeMenu {
      return new FakeMenu(template);
    }
    static setApplicationMenu(menu: FakeMenu | null): void {
      calls.menus.push(menu);
    }
  }

  const ipcHandlers = new Map<string, Parameters<Electron.IpcMain['handle']>[1]>();
  const ipcMain: Pick<Electron.IpcMain, 'handle' | 'removeHandler'> = {
    handle(channel, listener) {
      if (ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      ipcHandlers.set(channel, listener);
    },
    removeHandler(channel) {
      ipcHandlers.delete(channel);
    },
  };

  return {
    /** What `vi.mock('electron', …)` returns. */
    module: {
      app,
      BrowserWindow: FakeBrowserWindow,
      dialog,
      ipcMain,
      Menu: FakeMenu,
      net,
      protocol,
      safeStorage,
      session: { defaultSession },
      shell,
    },
    calls,
    quitting,
    windows: FakeBrowserWindow.instances,
    permissions,
    ipcHandlers,
    /** Asks the registered protocol handler, as Chromium would for a request to `url`. */
    async request(url: string): Promise<Response> {
      const scheme = new URL(url).protocol.slice(0, -1);
      const handler = protocolHandlers.get(scheme);
      if (!handler) throw new Error(`fake electron: no handler for ${scheme}:`);
      return handler(new Request(url));
    },
  };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;

/**
 * Keeps the Mercado Pago access token encrypted at rest. The vault hands the token only to the
 * clients (through `get`), never to the renderer: the contract has no channel that returns it.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** Encrypts small secrets. Electron's safeStorage (OS keychain) in the app; a local key file under Node. */
export interface SecretBox {
  readonly kind: string;
  encrypt(plain: string): Buffer;
  decrypt(sealed: Buffer): string;
}

/**
 * Where key files live by default: the user's own config folder (not the data folder), in a
 * `caja-keys` folder of its own — so the data folder alone (a backup, a copy, a shared drive) never
 * holds both the sealed token and its key.
 */
export function defaultKeysDir(): string {
  // Kiosk installs (like CAJA_DATA_DIR) and test runs may point it elsewhere.
  if (process.env.CAJA_KEYS_DIR) return process.env.CAJA_KEYS_DIR;
  const home = homedir();
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'caja-keys');
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'caja-keys');
  return join(process.env.XDG_CONFIG_HOME ?? join(home, '.config'), 'caja-keys');
}

/** One key per data folder, named by a hash of the folder's path (never the path itself). */
export function keyFileFor(dataDir: string, keysDir: string): string {
  return join(keysDir, `${createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 24)}.key`);
}

/**
 * For the browser host, where no OS keychain is reachable: AES-256-GCM with a random key in a 0600
 * file in a 0700 folder outside the data folder (`keysDir`, by default `defaultKeysDir()`). Anyone
 * who can read the user's files can still read both; docs/architecture.md says so.
 */
export function createFileKeySecretBox(dataDir: string, keysDir: string = defaultKeysDir()): SecretBox {
  const keyFile = keyFileFor(dataDir, keysDir);
  // Before issue 11 the key sat beside the vault: move it out once, so existing tokens still open.
  const oldKeyFile = join(dataDir, 'vault.key');
  let key: Buffer;
  mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  chmodSync(keysDir, 0o700);
  if (existsSync(keyFile)) {
    key = readFileSync(keyFile);
  } else if (existsSync(oldKeyFile)) {
    key = readFileSync(oldKeyFile);
    writeFileSync(keyFile, key, { mode: 0o600 });
    rmSync(oldKeyFile, { force: true });
  } else {
    key = randomBytes(32);
    writeFileSync(keyFile, key, { mode: 0o600 });
  }
  chmodSync(keyFile, 0o600);
  return aesGcmBox(key, 'file-key');
}

/** Seals with a 256-bit key: iv (12) + tag (16) + body. Both boxes differ only in who guards the key. */
export function aesGcmBox(key: Buffer, kind: string): SecretBox {
  return {
    kind,
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decrypt(sealed) {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

export interface TokenVault {
  get(): string | null;
  set(token: string): void;
  clear(): void;
  has(): boolean;
  /**
   * `unreadable`: a token is stored but this computer cannot open it (key file replaced, keychain
   * reset, folder copied from another machine). The till must then refuse to charge — never fall
   * back to the demo, which would approve charges no terminal took.
   */
  state(): 'empty' | 'readable' | 'unreadable';
}

export function openTokenVault(file: string, box: SecretBox): TokenVault {
  let cached: string | null = null;
  let unreadable = false;
  if (existsSync(file)) {
    try {
      cached = box.decrypt(readFileSync(file));
    } catch {
      // A vault sealed by another machine's key cannot be opened: the manager enters the token again.
      cached = null;
      unreadable = true;
    }
  }
  return {
    get: () => cached,
    has: () => cached !== null,
    state: () => (cached !== null ? 'readable' : unreadable ? 'unreadable' : 'empty'),
    set(token) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, box.encrypt(token), { mode: 0o600 });
      chmodSync(file, 0o600);
      cached = token;
      unreadable = false;
    },
    clear() {
      rmSync(file, { force: true });
      cached = null;
      unreadable = false;
    },
  };
}

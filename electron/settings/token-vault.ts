/**
 * Keeps the Mercado Pago access token encrypted at rest. The vault hands the token only to the
 * clients (through `get`), never to the renderer: the contract has no channel that returns it.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Encrypts small secrets. Electron's safeStorage (OS keychain) in the app; a local key file under Node. */
export interface SecretBox {
  readonly kind: string;
  encrypt(plain: string): Buffer;
  decrypt(sealed: Buffer): string;
}

/**
 * For the browser host, where no OS keychain is reachable: AES-256-GCM with a random key kept in a
 * 0600 file beside the data. It keeps the token out of plain sight and out of backups of the vault
 * alone, which is weaker than safeStorage; docs/architecture.md says so.
 */
export function createFileKeySecretBox(dataDir: string): SecretBox {
  const keyFile = join(dataDir, 'vault.key');
  let key: Buffer;
  if (existsSync(keyFile)) {
    key = readFileSync(keyFile);
  } else {
    mkdirSync(dataDir, { recursive: true });
    key = randomBytes(32);
    writeFileSync(keyFile, key, { mode: 0o600 });
  }
  return {
    kind: 'file-key',
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
}

export function openTokenVault(file: string, box: SecretBox): TokenVault {
  let cached: string | null = null;
  if (existsSync(file)) {
    try {
      cached = box.decrypt(readFileSync(file));
    } catch {
      // A vault sealed by another machine's key cannot be opened: the manager enters the token again.
      cached = null;
    }
  }
  return {
    get: () => cached,
    has: () => cached !== null,
    set(token) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, box.encrypt(token), { mode: 0o600 });
      chmodSync(file, 0o600);
      cached = token;
    },
    clear() {
      rmSync(file, { force: true });
      cached = null;
    },
  };
}

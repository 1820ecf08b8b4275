/**
 * The token vault's secret box when an OS keychain is really there (Keychain, DPAPI, libsecret,
 * KWallet), through Electron's asynchronous safeStorage API — the synchronous calls are deprecated
 * in the Electron we pin.
 *
 * The vault's SecretBox is synchronous (it seals the token the moment the manager saves it), and the
 * keychain is now only reachable asynchronously. So the keychain seals a random 256-bit data key
 * once, at start-up, in `vault-key.sealed`; the token is sealed with that key (AES-256-GCM) in
 * memory. This is the same arrangement Chromium uses for its own cookies: the folder alone opens
 * nothing, because the data key only ever leaves the keychain into this process's memory.
 *
 * Nothing here imports Electron at run time: main passes `safeStorage` in, tests pass a fake.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SafeStorage } from 'electron';
import { aesGcmBox, type SecretBox } from './token-vault';

export type AsyncSafeStorage = Pick<
  SafeStorage,
  'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync' | 'getSelectedStorageBackend'
>;

export interface KeychainBoxOptions {
  safeStorage: AsyncSafeStorage;
  platform: NodeJS.Platform;
  /** Where the keychain-sealed data key lives (beside the vault; useless without the keychain). */
  keyFile: string;
}

export type KeychainChoice =
  { box: SecretBox; backend: string } | { box: null; reason: 'no-encryption' | 'weak-backend'; backend: string };

/**
 * Linux's `basic_text` "backend" encrypts with a password hard-coded in Chromium: anyone with the
 * file opens it. `unknown` means the backend could not be chosen. Neither counts as a keychain.
 */
const WEAK_LINUX_BACKENDS = new Set(['basic_text', 'unknown']);

export async function openKeychainSecretBox(options: KeychainBoxOptions): Promise<KeychainChoice> {
  const { safeStorage, platform, keyFile } = options;
  const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend() : platform === 'darwin' ? 'keychain' : 'dpapi';
  if (WEAK_LINUX_BACKENDS.has(backend)) return { box: null, reason: 'weak-backend', backend };
  if (!(await safeStorage.isAsyncEncryptionAvailable())) return { box: null, reason: 'no-encryption', backend };

  const key = await loadOrCreateDataKey(safeStorage, keyFile);
  return { box: aesGcmBox(key, 'os-keychain'), backend };
}

async function loadOrCreateDataKey(safeStorage: AsyncSafeStorage, keyFile: string): Promise<Buffer> {
  if (existsSync(keyFile)) {
    try {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(readFileSync(keyFile));
      const key = Buffer.from(result, 'base64');
      if (key.length !== 32) throw new Error('sealed data key has the wrong length');
      // The keychain rotated its own key: seal ours again so the next start still opens it.
      if (shouldReEncrypt) await sealDataKey(safeStorage, keyFile, key);
      return key;
    } catch {
      // Keychain reset, profile copied from another machine: this key is gone for good. Keep the
      // file aside (the keychain may come back) and start a new key: the old token no longer
      // opens, and the vault treats it as lost instead of guessing.
      renameSync(keyFile, `${keyFile}.unreadable-${Date.now()}`);
      const key = randomBytes(32);
      await sealDataKey(safeStorage, keyFile, key);
      return key;
    }
  }
  const key = randomBytes(32);
  await sealDataKey(safeStorage, keyFile, key);
  return key;
}

async function sealDataKey(safeStorage: AsyncSafeStorage, keyFile: string, key: Buffer): Promise<void> {
  mkdirSync(dirname(keyFile), { recursive: true });
  writeFileSync(keyFile, await safeStorage.encryptStringAsync(key.toString('base64')), { mode: 0o600 });
}

/**
 * Seals with `primary` and opens with whichever box can: a token sealed by the local key file on a
 * start when the keychain was unavailable (a Linux session whose keyring was still locked) keeps
 * opening once the keychain is back, and the next save seals it with the keychain.
 */
export function sealWithFirstOpenWithAny(primary: SecretBox, ...fallbacks: SecretBox[]): SecretBox {
  return {
    kind: primary.kind,
    encrypt: (plain) => primary.encrypt(plain),
    decrypt(sealed) {
      let firstError: unknown;
      for (const box of [primary, ...fallbacks]) {
        try {
          return box.decrypt(sealed);
        } catch (error) {
          // GCM refuses a wrong key outright, so a failure here is "not this box", never garbage.
          firstError ??= error;
        }
      }
      throw firstError;
    },
  };
}

import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openKeychainSecretBox, type AsyncSafeStorage } from './keychain-box';

const TOKEN = 'APP_USR-7654321098765432-010203-0123456789abcdef0123456789abcdef-123456789';

/** A keychain whose "encryption" is reversible and tagged with a generation, so rotation shows. */
function keychain(
  options: { backend?: ReturnType<AsyncSafeStorage['getSelectedStorageBackend']>; generation?: number; broken?: boolean } = {},
) {
  const generation = options.generation ?? 1;
  const storage: AsyncSafeStorage = {
    getSelectedStorageBackend: vi.fn(() => options.backend ?? 'gnome_libsecret'),
    isAsyncEncryptionAvailable: async () => true,
    encryptStringAsync: vi.fn(async (plain: string) => Buffer.from(`g${generation}:${Buffer.from(plain).toString('hex')}`)),
    decryptStringAsync: vi.fn(async (sealed: Buffer) => {
      const m = /^g(\d+):([0-9a-f]+)$/.exec(sealed.toString());
      if (!m || options.broken) throw new Error('keychain cannot decrypt');
      return { result: Buffer.from(m[2]!, 'hex').toString(), shouldReEncrypt: Number(m[1]) < generation };
    }),
  };
  return storage;
}

const dir = () => mkdtempSync(join(tmpdir(), 'caja-keychain-'));

describe('openKeychainSecretBox', () => {
  it('keeps one data key across starts, sealed by the keychain, never in the clear', async () => {
    const keyFile = join(dir(), 'vault-key.sealed');
    const first = await openKeychainSecretBox({ safeStorage: keychain(), platform: 'linux', keyFile });
    const sealed = first.box!.encrypt(TOKEN);
    expect(readFileSync(keyFile, 'utf8')).toMatch(/^g1:/);
    const second = await openKeychainSecretBox({ safeStorage: keychain(), platform: 'linux', keyFile });
    expect(second.box!.decrypt(sealed)).toBe(TOKEN);
  });

  it('reseals the data key when the keychain rotated its own', async () => {
    const keyFile = join(dir(), 'vault-key.sealed');
    const sealed = (await openKeychainSecretBox({ safeStorage: keychain(), platform: 'linux', keyFile })).box!.encrypt(TOKEN);
    const rotated = keychain({ generation: 2 });
    const box = (await openKeychainSecretBox({ safeStorage: rotated, platform: 'linux', keyFile })).box!;
    expect(rotated.encryptStringAsync).toHaveBeenCalledTimes(1);
    expect(readFileSync(keyFile, 'utf8')).toMatch(/^g2:/);
    expect(box.decrypt(sealed)).toBe(TOKEN);
  });

  it('keeps an unreadable data key aside and starts a new one: the old token then does not open', async () => {
    const folder = dir();
    const keyFile = join(folder, 'vault-key.sealed');
    const sealed = (await openKeychainSecretBox({ safeStorage: keychain(), platform: 'linux', keyFile })).box!.encrypt(TOKEN);
    const box = (await openKeychainSecretBox({ safeStorage: keychain({ broken: true }), platform: 'linux', keyFile })).box!;
    expect(() => box.decrypt(sealed)).toThrow();
    expect(readdirSync(folder).filter((f) => f.startsWith('vault-key.sealed.unreadable-'))).toHaveLength(1);
    expect(existsSync(keyFile)).toBe(true);
  });

  it("refuses Linux's basic_text and unknown stores without writing anything; other OSes have a keychain", async () => {
    for (const backend of ['basic_text', 'unknown'] as const) {
      const keyFile = join(dir(), 'vault-key.sealed');
      expect(await openKeychainSecretBox({ safeStorage: keychain({ backend }), platform: 'linux', keyFile })).toEqual({
        box: null,
        reason: 'weak-backend',
        backend,
      });
      expect(existsSync(keyFile)).toBe(false);
    }
    // getSelectedStorageBackend is Linux-only; on macOS and Windows the keychain/DPAPI is the backend.
    const mac = keychain({ backend: 'unknown' });
    const choice = await openKeychainSecretBox({ safeStorage: mac, platform: 'darwin', keyFile: join(dir(), 'k') });
    expect(choice).toMatchObject({ backend: 'keychain', box: { kind: 'os-keychain' } });
    expect(mac.getSelectedStorageBackend).not.toHaveBeenCalled();
  });
});

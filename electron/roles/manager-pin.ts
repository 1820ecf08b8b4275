/**
 * The manager's PIN: scrypt-hashed with a random salt, compared in constant time, with a lock-out
 * after wrong attempts that doubles each time. The attempt count and the lock-out are written to
 * `manager.json` before the answer is given, so restarting the app does not buy another try.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { CajaError } from '../../shared/errors';

/** Wrong attempts allowed before the first lock-out; every further wrong one locks again, longer. */
export const FREE_ATTEMPTS = 3;

/** How long wrong PINs lock attempts out: the first lock-out, doubling up to the longest. */
export interface LockOutConfig {
  firstMs: number;
  longestMs: number;
}
export const DEFAULT_LOCK_OUT: LockOutConfig = { firstMs: 30_000, longestMs: 15 * 60_000 };

// N=2^14 (npm run bench, "manager PIN"): slow enough to make guessing a stolen file expensive, quick at the till.
export const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 } as const;

const StoredSchema = z.object({
  salt: z.string().nullable(),
  hash: z.string().nullable(),
  failures: z.number().int().min(0),
  lockedUntil: z.number().int().min(0),
});
type Stored = z.infer<typeof StoredSchema>;
const EMPTY: Stored = { salt: null, hash: null, failures: 0, lockedUntil: 0 };

export const PIN_RULE = /^\d{4,8}$/;

export interface PinCheck {
  ok: boolean;
  /** When a wrong PIN locked further attempts out (epoch ms), else 0. */
  lockedUntil: number;
  failures: number;
}

export interface ManagerPin {
  isSet(): boolean;
  /** Epoch ms until which attempts are refused (0: not locked). */
  lockedUntil(): number;
  failures(): number;
  set(pin: string): void;
  /** Checks a PIN, counting a wrong one; refuses (CONFLICT) while locked out. */
  verify(pin: string, now: number): PinCheck;
}

export function hashPin(pin: string, salt: Buffer): Buffer {
  return scryptSync(pin, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
}

/** By default 30 s after the third wrong PIN, then 60 s, 120 s… up to 15 minutes. */
export function lockOutMs(failures: number, config: LockOutConfig = DEFAULT_LOCK_OUT): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(config.longestMs, config.firstMs * 2 ** (failures - FREE_ATTEMPTS));
}

export function openManagerPin(file: string, lockOut: LockOutConfig = DEFAULT_LOCK_OUT): ManagerPin {
  let current = load(file);
  const save = (next: Stored) => {
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify(next), { mode: 0o600 });
    renameSync(tmp, file);
    current = next;
  };
  return {
    isSet: () => current.hash !== null,
    lockedUntil: () => current.lockedUntil,
    failures: () => current.failures,
    set(pin) {
      if (!PIN_RULE.test(pin)) throw new CajaError('INVALID_INPUT', 'The PIN must be 4 to 8 digits.');
      const salt = randomBytes(16);
      save({ salt: salt.toString('base64'), hash: hashPin(pin, salt).toString('base64'), failures: 0, lockedUntil: 0 });
    },
    verify(pin, now) {
      if (current.hash === null || current.salt === null) throw new CajaError('FORBIDDEN', 'No manager PIN is set yet.');
      if (current.lockedUntil > now) {
        const seconds = Math.ceil((current.lockedUntil - now) / 1000);
        throw new CajaError('CONFLICT', `Too many wrong PINs. Try again in ${seconds} s.`);
      }
      const expected = Buffer.from(current.hash, 'base64');
      const given = hashPin(pin, Buffer.from(current.salt, 'base64'));
      if (given.length === expected.length && timingSafeEqual(given, expected)) {
        save({ ...current, failures: 0, lockedUntil: 0 });
        return { ok: true, lockedUntil: 0, failures: 0 };
      }
      const failures = current.failures + 1;
      const wait = lockOutMs(failures, lockOut);
      const lockedUntil = wait > 0 ? now + wait : 0;
      // Written before answering: a restart right after a wrong PIN keeps the count.
      save({ ...current, failures, lockedUntil });
      return { ok: false, lockedUntil, failures };
    },
  };
}

function load(file: string): Stored {
  if (!existsSync(file)) return EMPTY;
  try {
    return StoredSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    // A damaged file must not open the manager's side to anyone: it reads as a PIN nothing matches
    // (removing manager.json by hand, with access to the user's files, is the way back).
    return { salt: '', hash: '', failures: 0, lockedUntil: 0 };
  }
}

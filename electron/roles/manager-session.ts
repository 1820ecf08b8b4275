/**
 * Whether a manager is at the till right now. One session for the whole app, held in main: a till
 * is one screen and one person at a time, and both pipes (Electron's window, the browser host's
 * socket) reach the same services, so a per-connection session would let a second tab or a
 * reconnect walk around a lock. It opens with the PIN, stays open while the manager keeps working
 * (each manager action pushes the idle deadline), and closes on idle, on "Lock", or on restart
 * (it is never written to disk).
 */
import { CajaError } from '../../shared/errors';
import type { ManagerPin } from './manager-pin';

export const IDLE_LOCK_MS = 5 * 60_000;

export interface ManagerStatus {
  pinSet: boolean;
  unlocked: boolean;
  /** When the session locks by itself if nothing else is done (ISO), null while locked. */
  unlockedUntil: string | null;
  /** While wrong PINs lock attempts out (ISO), else null. */
  lockedOutUntil: string | null;
  failures: number;
}

export interface ManagerSession {
  status(): ManagerStatus;
  unlock(pin: string): ManagerStatus;
  lock(): ManagerStatus;
  /** The first PIN (no PIN yet), or a new one from an unlocked manager. */
  setPin(pin: string): ManagerStatus;
  /** Throws FORBIDDEN unless a manager session is open; an allowed call keeps it open longer. */
  require(what: string): void;
  isUnlocked(): boolean;
}

export function createManagerSession(pin: ManagerPin, now: () => number = Date.now, idleMs = IDLE_LOCK_MS): ManagerSession {
  let until = 0;
  const open = () => until > now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const status = (): ManagerStatus => ({
    pinSet: pin.isSet(),
    unlocked: open(),
    unlockedUntil: open() ? iso(until) : null,
    lockedOutUntil: pin.lockedUntil() > now() ? iso(pin.lockedUntil()) : null,
    failures: pin.failures(),
  });
  return {
    status,
    isUnlocked: open,
    unlock(given) {
      const check = pin.verify(given, now());
      if (!check.ok) {
        until = 0;
        const wait = check.lockedUntil > 0 ? ` Too many wrong PINs: try again in ${Math.ceil((check.lockedUntil - now()) / 1000)} s.` : '';
        throw new CajaError('FORBIDDEN', `Wrong manager PIN.${wait}`);
      }
      until = now() + idleMs;
      return status();
    },
    lock() {
      until = 0;
      return status();
    },
    setPin(next) {
      // The first PIN is set by whoever installs the till; changing it needs the manager.
      if (pin.isSet() && !open()) throw new CajaError('FORBIDDEN', 'Only a manager can change the manager PIN: unlock first.');
      pin.set(next);
      until = now() + idleMs;
      return status();
    },
    require(what) {
      if (!pin.isSet()) throw new CajaError('FORBIDDEN', `${what} needs a manager, and no manager PIN is set yet: set one first.`);
      if (!open()) throw new CajaError('FORBIDDEN', `${what} needs a manager: enter the manager PIN first.`);
      until = now() + idleMs;
    },
  };
}

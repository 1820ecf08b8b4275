/**
 * When Caja may look for, and install, a new version — without ever restarting under a payment.
 *
 * Pure logic: no Electron, no files, no timers. main.ts feeds it electron-updater, a native question
 * for the manager, a clock, and a way to ask the services whether a charge is in flight; the tests
 * feed it fakes. The rules:
 *
 * - look for an update at most once a day (the last look is persisted, so restarts do not add looks);
 *   electron-updater downloads it in the background;
 * - once downloaded, install only when no charge is in flight AND the manager agrees (asked only
 *   while the manager's session is unlocked, when a manager PIN exists), checking the charges again
 *   after the answer (a cashier may have started one while the question was on screen);
 * - if the manager says "later", electron-updater installs it when the app quits, so it is running at
 *   the next start; Caja does not ask again for that version.
 */
import type { SaleState, SaleView } from '../../shared/contract';

export const CHECK_EVERY_MS = 24 * 60 * 60 * 1000;

/**
 * A restart in these states would cut a payment short: the request is leaving, the customer is at
 * the terminal, or the engine is still finding out what happened. (The journal would recover it on
 * the next start, but the cashier would lose sight of it at the worst moment.)
 */
export const IN_FLIGHT_STATES: readonly SaleState[] = ['sending', 'at_terminal', 'processing', 'unknown'];

export function anyChargeInFlight(unfinished: readonly Pick<SaleView, 'state'>[]): boolean {
  return unfinished.some((sale) => IN_FLIGHT_STATES.includes(sale.state));
}

/** The part of electron-updater's AppUpdater the gate drives. */
export interface UpdaterPort {
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(): void;
}

export interface UpdateGateDeps {
  now(): number;
  /** Whether a charge is in flight; an error counts as "yes" (never restart on a guess). */
  chargeInFlight(): Promise<boolean>;
  /**
   * Whether the manager is there to be asked: no PIN was ever set, or the manager's session is
   * unlocked. Otherwise the question waits, so a cashier never answers it. An error counts as "no".
   */
  managerAvailable?(): Promise<boolean>;
  /** Asks the manager whether to restart into `version` now. False: at the next start. */
  askManager(version: string): Promise<boolean>;
  updater: UpdaterPort;
  /** When Caja last looked for an update (epoch ms), kept across restarts. */
  lastCheck: { load(): number | null; save(at: number): void };
  log: {
    info(message: string, data?: Record<string, unknown>): void;
    warn(message: string, data?: Record<string, unknown>): void;
  };
}

export type TickOutcome =
  'checked' | 'not-due' | 'waiting-for-charge' | 'waiting-for-manager' | 'installing' | 'deferred-to-next-start' | 'busy';

export interface UpdateGate {
  /** electron-updater finished downloading `version` in the background. */
  downloaded(version: string): void;
  /** Decides and does the one next step. Call it at start, on a timer and whenever a sale settles. */
  tick(): Promise<TickOutcome>;
}

export function createUpdateGate(deps: UpdateGateDeps): UpdateGate {
  let lastCheckAt = deps.lastCheck.load();
  let ready: string | null = null;
  let deferred: string | null = null;
  let busy = false;

  const inFlight = async (): Promise<boolean> => {
    try {
      return await deps.chargeInFlight();
    } catch (error) {
      deps.log.warn('could not tell whether a charge is in flight; not installing', { error: String(error) });
      return true;
    }
  };

  const managerThere = async (): Promise<boolean> => {
    if (!deps.managerAvailable) return true;
    try {
      return await deps.managerAvailable();
    } catch (error) {
      deps.log.warn('could not tell whether the manager is there; not asking', { error: String(error) });
      return false;
    }
  };

  const isDue = (now: number) =>
    // A clock set backwards would otherwise postpone the next look for as long as it was wrong.
    lastCheckAt === null || now < lastCheckAt || now - lastCheckAt >= CHECK_EVERY_MS;

  async function step(): Promise<TickOutcome> {
    if (ready !== null && deferred !== ready) {
      const version = ready;
      if (await inFlight()) return 'waiting-for-charge';
      if (!(await managerThere())) return 'waiting-for-manager';
      if (!(await deps.askManager(version))) {
        deferred = version;
        deps.log.info('update deferred to the next start', { version });
        return 'deferred-to-next-start';
      }
      if (await inFlight()) return 'waiting-for-charge';
      deps.log.info('installing update', { version });
      deps.updater.quitAndInstall();
      return 'installing';
    }
    const now = deps.now();
    if (!isDue(now)) return ready !== null ? 'deferred-to-next-start' : 'not-due';
    lastCheckAt = now;
    deps.lastCheck.save(now);
    try {
      await deps.updater.checkForUpdates();
    } catch (error) {
      // Offline tills are normal: tomorrow's look will try again.
      deps.log.warn('update check failed', { error: String(error) });
    }
    return 'checked';
  }

  return {
    downloaded(version) {
      ready = version;
    },
    async tick() {
      // One question on screen at a time, one check at a time.
      if (busy) return 'busy';
      busy = true;
      try {
        return await step();
      } finally {
        busy = false;
      }
    },
  };
}

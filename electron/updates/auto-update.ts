/**
 * Plugs electron-updater into the update gate: background download, the daily look persisted in the
 * data folder, and a tick on a timer and whenever main says a sale settled. The updater and the
 * question to the manager come in as arguments, so this runs in tests without Electron.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { AppUpdater } from 'electron-updater';
import type { Logger } from '../checkout/engine-api';
import { createUpdateGate, type TickOutcome, type UpdateGate } from './update-gate';

export type UpdaterLike = Pick<
  AppUpdater,
  'checkForUpdates' | 'quitAndInstall' | 'autoDownload' | 'autoInstallOnAppQuit' | 'logger'
> & {
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
};

export interface AutoUpdateOptions {
  updater: UpdaterLike;
  chargeInFlight(): Promise<boolean>;
  managerAvailable?(): Promise<boolean>;
  askManager(version: string): Promise<boolean>;
  /** `updates.json` in the data folder: when Caja last looked. */
  stateFile: string;
  log: Logger;
  /** How often the gate reconsiders (the daily limit is the gate's; this is only how soon it notices). */
  tickEveryMs?: number;
  now?: () => number;
}

export interface AutoUpdates {
  gate: UpdateGate;
  /** What the tick at start did ('busy' never: nothing runs before it). */
  firstTick: Promise<TickOutcome | null>;
  /** A sale settled: an update waiting for it may go ahead. */
  nudge(): void;
  stop(): void;
}

export function startAutoUpdates(options: AutoUpdateOptions): AutoUpdates {
  const { updater, log } = options;
  // Download in the background; if the manager says "later", electron-updater installs on quit, so
  // the new version is what the next start runs.
  updater.autoDownload = true;
  updater.autoInstallOnAppQuit = true;
  // Our logger redacts; electron-updater's lines go through it.
  updater.logger = {
    info: (m: unknown) => log.info(`updater: ${String(m)}`),
    warn: (m: unknown) => log.warn(`updater: ${String(m)}`),
    error: (m: unknown) => log.error(`updater: ${String(m)}`),
  };

  const gate = createUpdateGate({
    now: options.now ?? Date.now,
    chargeInFlight: options.chargeInFlight,
    managerAvailable: options.managerAvailable,
    askManager: options.askManager,
    updater,
    lastCheck: {
      load() {
        try {
          const at = (JSON.parse(readFileSync(options.stateFile, 'utf8')) as { lastCheckAt?: unknown }).lastCheckAt;
          return typeof at === 'number' && Number.isFinite(at) ? at : null;
        } catch {
          return null;
        }
      },
      save(at) {
        try {
          writeFileSync(options.stateFile, JSON.stringify({ lastCheckAt: at }), { mode: 0o600 });
        } catch (error) {
          log.warn('could not remember the update check', { error: String(error) });
        }
      },
    },
    log,
  });

  const tick = () =>
    gate.tick().catch((error: unknown) => {
      log.warn('update step failed', { error: String(error) });
      return null;
    });
  updater.on('update-downloaded', (info) => {
    log.info('update downloaded', { version: info.version });
    gate.downloaded(info.version);
    void tick();
  });
  updater.on('error', (error) => log.warn('updater error', { error: error.message }));

  const timer = setInterval(() => void tick(), options.tickEveryMs ?? 15 * 60 * 1000);
  // The timer must never keep a closing app alive.
  timer.unref();
  const firstTick = tick();

  return {
    gate,
    firstTick,
    nudge: () => void tick(),
    stop: () => clearInterval(timer),
  };
}

const QUESTION: Record<'es' | 'pt' | 'en', { message: string; detail: string; now: string; later: string }> = {
  es: {
    message: 'Hay una nueva versión de Caja ({version}).',
    detail: 'No hay cobros en curso. ¿Reiniciar ahora para instalarla? Si elige "Más tarde", se instala al cerrar Caja.',
    now: 'Reiniciar ahora',
    later: 'Más tarde',
  },
  pt: {
    message: 'Há uma nova versão do Caja ({version}).',
    detail:
      'Não há cobranças em andamento. Reiniciar agora para instalá-la? Se escolher "Mais tarde", ela é instalada ao fechar o Caja.',
    now: 'Reiniciar agora',
    later: 'Mais tarde',
  },
  en: {
    message: 'A new version of Caja is ready ({version}).',
    detail: 'No charge is in progress. Restart now to install it? If you choose "Later", it installs when Caja closes.',
    now: 'Restart now',
    later: 'Later',
  },
};

/** The manager's question in the language on screen (settings' locale, else the system's). */
export function updateQuestion(locale: string | null, version: string) {
  const lang = locale?.slice(0, 2);
  const text = QUESTION[lang === 'pt' || lang === 'en' ? lang : 'es'];
  return {
    message: text.message.replace('{version}', version),
    detail: text.detail,
    buttons: [text.now, text.later],
    // "Later" is the safe default: Enter or Esc never restarts the till.
    defaultId: 1,
    cancelId: 1,
  };
}

/**
 * The manager's session as main reports it. Main decides (every protected handler checks its own
 * session); this store only mirrors it so the screens can show the PIN pad or the manager's tools,
 * and re-reads it after anything that could have changed it (a FORBIDDEN answer, the idle lock).
 */
import { create } from 'zustand';
import type { ManagerStatus } from '../../shared/contract';
import { call, onManagerNeeded } from '../bridge';
import { i18n } from '../i18n';
import { describeError, type ShownError } from '../lib/errors';
import { useAppStore } from './app-store';

interface ManagerState {
  status: ManagerStatus | null;
  error: ShownError | null;
  busy: boolean;
  /** A manager action was refused while locked: the PIN dialog is open, and this settles it. */
  prompt: ((unlocked: boolean) => void) | null;
  /** Opens the PIN dialog when main's session is locked (and a PIN exists); true once unlocked. */
  askPin(): Promise<boolean>;
  /** The first-run welcome is on screen: it stays until its last step, even once the PIN exists. */
  welcoming: boolean;
  finishWelcome(): void;
  /** A section of the Manager screen another screen sent the manager to (shown once the PIN is in). */
  focus: 'account' | null;
  show(section: 'account'): void;
  focused(): void;
  refresh(): Promise<ManagerStatus | null>;
  unlock(pin: string): Promise<boolean>;
  lock(): Promise<void>;
  setPin(pin: string): Promise<boolean>;
  /** Starts re-reading the status, so the screen locks when main's session idles out; returns stop. */
  start(everyMs?: number): () => void;
}

export const useManagerStore = create<ManagerState>()((set, get) => ({
  status: null,
  error: null,
  busy: false,
  welcoming: false,
  prompt: null,
  focus: null,

  show(section) {
    set({ focus: section });
    useAppStore.getState().go('manager');
  },

  focused() {
    set({ focus: null });
  },

  async askPin() {
    const status = await get().refresh();
    if (!status?.pinSet || status.unlocked) return false;
    get().prompt?.(false);
    return new Promise<boolean>((resolve) =>
      set({
        error: null,
        prompt: (unlocked) => {
          set({ prompt: null });
          resolve(unlocked);
        },
      }),
    );
  },

  finishWelcome() {
    set({ welcoming: false });
  },

  async refresh() {
    try {
      const status = await call('manager.status');
      set((s) => ({ status, welcoming: s.welcoming || !status.pinSet }));
      return status;
    } catch (error) {
      set({ error: describeError(error) });
      return null;
    }
  },

  async unlock(pin) {
    set({ busy: true, error: null });
    try {
      set({ status: await call('manager.unlock', { pin }) });
      return true;
    } catch (error) {
      const shown = describeError(error);
      // FORBIDDEN from unlock means a wrong PIN (CONFLICT: locked out, shown from the status).
      set({ error: shown.code === 'FORBIDDEN' ? { ...shown, text: i18n.t('manager.wrongPin') } : shown });
      await get().refresh();
      return false;
    } finally {
      set({ busy: false });
    }
  },

  async lock() {
    set({ status: await call('manager.lock'), error: null });
  },

  async setPin(pin) {
    set({ busy: true, error: null });
    try {
      set({ status: await call('manager.setPin', { pin }) });
      return true;
    } catch (error) {
      set({ error: describeError(error) });
      return false;
    } finally {
      set({ busy: false });
    }
  },

  start(everyMs = 15_000) {
    onManagerNeeded(() => get().askPin());
    void get().refresh();
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void get().refresh();
    }, everyMs);
    return () => {
      clearInterval(timer);
      onManagerNeeded(null);
    };
  },
}));

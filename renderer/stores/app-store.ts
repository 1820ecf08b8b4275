/**
 * What the whole app needs to know about itself: who it is (app.getInfo), the register's settings,
 * and which screen is showing. Settings are main's: every change goes through the contract and the
 * store keeps main's answer, never its own guess.
 */
import { create } from 'zustand';
import type { AppInfo, Locale, Settings } from '../../shared/contract';
import { rememberSite } from '../boot';
import { call } from '../bridge';
import { applyLocale, firstLocale, switchLocale } from '../i18n';
import { describeError, type ShownError } from '../lib/errors';

export type Screen = 'sale' | 'history' | 'catalog' | 'settings' | 'manager' | 'devices';

interface AppState {
  info: AppInfo | null;
  settings: Settings | null;
  locale: Locale;
  screen: Screen;
  startError: ShownError | null;
  /** Bumped to ask the search box to take focus (F1, /, F2), whatever screen asked. */
  focusSearchTick: number;
  start(): Promise<void>;
  go(screen: Screen): void;
  focusSearch(): void;
  updateSettings(patch: Parameters<typeof call<'settings.update'>>[1]): Promise<Settings>;
  setToken(token: string): Promise<Settings>;
}

export const useAppStore = create<AppState>()((set, get) => ({
  info: null,
  settings: null,
  // The language the first screen opened in (locale-files.ts); main's settings confirm or switch it.
  locale: applyLocale(firstLocale),
  screen: 'sale',
  startError: null,
  focusSearchTick: 0,

  async start() {
    try {
      const [info, settings] = await Promise.all([call('app.getInfo'), call('settings.get')]);
      rememberSite(settings.site);
      set({ info, settings, locale: await switchLocale(settings.locale), startError: null });
    } catch (error) {
      set({ startError: describeError(error) });
    }
  },

  go(screen) {
    if (get().screen !== screen) set({ screen });
  },

  focusSearch() {
    set((s) => ({ screen: 'sale', focusSearchTick: s.focusSearchTick + 1 }));
  },

  async updateSettings(patch) {
    const settings = await call('settings.update', patch);
    rememberSite(settings.site);
    set({ settings, locale: await switchLocale(settings.locale) });
    return settings;
  },

  async setToken(token) {
    const settings = await call('settings.setToken', { token });
    set({ settings });
    // A token can switch demo to live: the info (backend, terminal screen) follows.
    set({ info: await call('app.getInfo') });
    return settings;
  },
}));

export const selectSite = (s: AppState) => s.settings?.site ?? 'MLA';

/**
 * i18next with every language shipped in the app but only the cashier's one loaded: each locale is
 * its own chunk (the CSP forbids fetching from elsewhere, and a till must work offline, so they are
 * files of the app, not a backend). The first screen waits for its language's chunk (`localeReady`,
 * fetched by boot.ts while React is still arriving; see locale-files.ts for which language that is);
 * a switch loads the next language before switching, so no key is ever shown. The language follows
 * the system until the cashier picks one in Settings.
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale } from '../../shared/contract';
import { firstMessages } from '../boot';
import { firstLocale, localeFiles, LOCALES, rememberLocale, systemLocale } from './locale-files';
import type { en, Messages } from './locales/en';

export { LOCALES, systemLocale };

export const LOCALE_NAMES: Record<Locale, string> = {
  'es-AR': 'Español (Argentina)',
  'es-MX': 'Español (México)',
  'pt-BR': 'Português (Brasil)',
  en: 'English',
};

declare module 'i18next' {
  interface CustomTypeOptions {
    resources: { translation: typeof en };
  }
}

const loading = new Map<Locale, Promise<void>>();

/** Adds a locale's messages to i18next once (fetching them unless boot.ts already has); resolves when they can be shown. */
function addLocale(locale: Locale, messages: Promise<Messages>): Promise<void> {
  let pending = loading.get(locale);
  if (!pending) {
    pending = messages.then((m) => {
      i18n.addResourceBundle(locale, 'translation', m, true, true);
    });
    // A failed fetch may be retried by the next switch.
    pending.catch(() => loading.delete(locale));
    loading.set(locale, pending);
  }
  return pending;
}

export const loadLocale = (locale: Locale): Promise<void> => addLocale(locale, localeFiles[locale]());

void i18n.use(initReactI18next).init({
  resources: {},
  partialBundledLanguages: true,
  lng: firstLocale,
  fallbackLng: false,
  supportedLngs: [...LOCALES],
  load: 'currentOnly',
  initAsync: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** Resolves once the first language's messages are in: app-entry.tsx renders nothing before it. */
export const localeReady: Promise<void> = addLocale(firstLocale, firstMessages);

/**
 * Applies a locale whose messages are already loaded (null = follow the system) and keeps
 * <html lang> truthful for screen readers. Use `switchLocale` for one that may not be loaded.
 */
export function applyLocale(choice: Locale | null): Locale {
  const locale = choice ?? systemLocale();
  if (i18n.language !== locale) void i18n.changeLanguage(locale);
  document.documentElement.lang = locale;
  return locale;
}

/**
 * Loads main's chosen language (null = follow the system) first, then switches: the screen goes from
 * one language to the other. The choice is remembered for the next start's first screen.
 */
export async function switchLocale(choice: Locale | null): Promise<Locale> {
  rememberLocale(choice);
  await loadLocale(choice ?? systemLocale());
  return applyLocale(choice);
}

export { firstLocale };

export { i18n };

/**
 * i18next with every language shipped in the app but only the cashier's one loaded: each locale is
 * its own chunk (the CSP forbids fetching from elsewhere, and a till must work offline, so they are
 * files of the app, not a backend). The first screen waits for the system language's chunk
 * (`localeReady`, fetched while React is evaluated); a switch loads the next language before
 * switching, so no key is ever shown. The language follows the system until the cashier picks one
 * in Settings.
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale } from '../../shared/contract';
import type { en, Messages } from './locales/en';

export const LOCALES: readonly Locale[] = ['es-AR', 'es-MX', 'pt-BR', 'en'];

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

// Every locale is typed as the full `Messages`, so no fallback language has to be loaded beside it.
const loaders: Record<Locale, () => Promise<Messages>> = {
  'es-AR': () => import('./locales/es-AR').then((m) => m.esAR),
  'es-MX': () => import('./locales/es-MX').then((m) => m.esMX),
  'pt-BR': () => import('./locales/pt-BR').then((m) => m.ptBR),
  en: () => import('./locales/en').then((m) => m.en),
};

const loading = new Map<Locale, Promise<void>>();

/** Fetches a locale's messages once and adds them to i18next; resolves when they can be shown. */
export function loadLocale(locale: Locale): Promise<void> {
  let pending = loading.get(locale);
  if (!pending) {
    pending = loaders[locale]().then((messages) => {
      i18n.addResourceBundle(locale, 'translation', messages, true, true);
    });
    // A failed fetch may be retried by the next switch.
    pending.catch(() => loading.delete(locale));
    loading.set(locale, pending);
  }
  return pending;
}

/** The closest shipped locale to what the system asks for (es-CL → es-AR, pt-PT → pt-BR). */
export function systemLocale(languages: readonly string[] = navigator.languages ?? [navigator.language]): Locale {
  for (const raw of languages) {
    const tag = raw.toLowerCase();
    const exact = LOCALES.find((l) => l.toLowerCase() === tag);
    if (exact) return exact;
    if (tag.startsWith('es-mx')) return 'es-MX';
    if (tag.startsWith('es')) return 'es-AR';
    if (tag.startsWith('pt')) return 'pt-BR';
    if (tag.startsWith('en')) return 'en';
  }
  return 'es-AR';
}

const firstLocale = systemLocale();

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

/** Resolves once the system language's messages are in: main.tsx renders nothing before it. */
export const localeReady: Promise<void> = loadLocale(firstLocale);

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

/** Loads the chosen language first, then switches: the screen goes from one language to the other. */
export async function switchLocale(choice: Locale | null): Promise<Locale> {
  await loadLocale(choice ?? systemLocale());
  return applyLocale(choice);
}

export { i18n };

/**
 * i18next with every language bundled: the CSP forbids fetching resources, and a till must work
 * offline. The language follows the system until the cashier picks one in Settings.
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale } from '../../shared/contract';
import { en } from './locales/en';
import { esAR } from './locales/es-AR';
import { esMX } from './locales/es-MX';
import { ptBR } from './locales/pt-BR';

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

/** The closest bundled locale to what the system asks for (es-CL → es-AR, pt-PT → pt-BR). */
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

void i18n.use(initReactI18next).init({
  resources: {
    'es-AR': { translation: esAR },
    'es-MX': { translation: esMX },
    'pt-BR': { translation: ptBR },
    en: { translation: en },
  },
  lng: systemLocale(),
  fallbackLng: 'en',
  supportedLngs: [...LOCALES],
  load: 'currentOnly',
  initAsync: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** Applies the settings' choice (null = follow the system) and keeps <html lang> truthful for screen readers. */
export function applyLocale(choice: Locale | null): Locale {
  const locale = choice ?? systemLocale();
  if (i18n.language !== locale) void i18n.changeLanguage(locale);
  document.documentElement.lang = locale;
  return locale;
}

export { i18n };

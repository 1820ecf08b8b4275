/**
 * Which language the first screen speaks and where its messages are: no i18next here, so the page's
 * first script (boot.ts) can start fetching the messages while React and i18next are still on the
 * wire. i18n/index.ts adds them to i18next once both have arrived.
 */
import type { Locale } from '../../shared/contract';
import type { Messages } from './locales/en';

export const LOCALES: readonly Locale[] = ['es-AR', 'es-MX', 'pt-BR', 'en'];

// Every locale is typed as the full `Messages`, so no fallback language has to be loaded beside it.
export const localeFiles: Record<Locale, () => Promise<Messages>> = {
  'es-AR': () => import('./locales/es-AR').then((m) => m.esAR),
  'es-MX': () => import('./locales/es-MX').then((m) => m.esMX),
  'pt-BR': () => import('./locales/pt-BR').then((m) => m.ptBR),
  en: () => import('./locales/en').then((m) => m.en),
};

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

/**
 * The language the cashier picked, as last seen in main's settings (kept in this page's storage by
 * rememberLocale): the first screen opens in it instead of opening in the system's language and
 * switching once settings arrive. Main's settings stay the truth; this is only the first guess.
 */
const CHOSEN_KEY = 'caja.locale';

function stored(): Locale | null {
  try {
    const value = localStorage.getItem(CHOSEN_KEY);
    return LOCALES.find((l) => l === value) ?? null;
  } catch {
    return null; // storage refused (private mode, a locked profile): the system language it is
  }
}

export function rememberLocale(choice: Locale | null): void {
  try {
    if (choice) localStorage.setItem(CHOSEN_KEY, choice);
    else localStorage.removeItem(CHOSEN_KEY);
  } catch {
    // the next start opens in the system language and switches, as before
  }
}

export const firstLocale: Locale = stored() ?? systemLocale();

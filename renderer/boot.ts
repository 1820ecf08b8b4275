/**
 * What the first screen waits for that needs neither React nor i18next, started by the page's first
 * script while those (most of the app's bytes) are still arriving: scripts/vite-first-load.ts preloads
 * the app's chunk beside this small one, so the network time is spent here instead of in front of it.
 *
 * - shortcut keys pressed meanwhile are held for the app (early-keys.ts);
 * - the quick keys are asked of main (quick-keys.ts opens the socket);
 * - the first language's messages are fetched (locale-files.ts says which);
 * - the price formatter is built: a fresh page's first Intl.NumberFormat loads ICU's data, 60–140 ms
 *   here, of work that would otherwise sit inside React's first render, under the first price on screen.
 */
import { formatMoney, SITES, type SiteId } from '../shared/money';
import './early-keys';
import './quick-keys';
import { firstLocale, localeFiles } from './i18n/locale-files';

export const firstMessages = localeFiles[firstLocale]();
// Awaited by i18n/index.ts once the app's chunk has run; until then a failure must not count as unhandled.
firstMessages.catch(() => undefined);

/** The register's site as last seen in main's settings: which currency to build the formatter for. */
const SITE_KEY = 'caja.site';

export function rememberSite(site: SiteId): void {
  try {
    localStorage.setItem(SITE_KEY, site);
  } catch {
    // the next start builds the formatter for the default site; the right one is built on first use
  }
}

function storedSite(): SiteId {
  try {
    const value = localStorage.getItem(SITE_KEY);
    return value !== null && Object.hasOwn(SITES, value) ? (value as SiteId) : 'MLA';
  } catch {
    return 'MLA';
  }
}

// In a task of its own: the messages' import() above is only sent when this task ends, and must not
// wait for ICU.
setTimeout(() => formatMoney(0, storedSite(), firstLocale), 0);

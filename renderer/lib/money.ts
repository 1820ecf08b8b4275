import { useCallback } from 'react';
import { decimalToMinor, formatMoney, type SiteId } from '../../shared/money';
import { selectSite, useAppStore } from '../stores/app-store';

/** Formats minor units in the site's currency with the cashier's language. */
export function useMoney(): (minor: number) => string {
  const site = useAppStore(selectSite);
  const locale = useAppStore((s) => s.locale);
  return useCallback((minor: number) => formatMoney(minor, site, locale), [site, locale]);
}

/**
 * Reads what a cashier types as an amount: "1500", "1500,50", "1.500,50", "1,500.50".
 * A separator followed by exactly three digits at the end is a thousands separator.
 */
export function parseAmount(text: string, site: SiteId): number | null {
  let t = text.trim().replace(/\s|\$/g, '');
  if (!t) return null;
  const lastSep = Math.max(t.lastIndexOf(','), t.lastIndexOf('.'));
  if (lastSep >= 0) {
    const decimals = t.length - lastSep - 1;
    const whole = t.slice(0, lastSep).replace(/[.,]/g, '');
    const frac = t.slice(lastSep + 1);
    t = decimals === 3 && /^\d+$/.test(whole) ? whole + frac : `${whole}.${frac}`;
  }
  const minor = decimalToMinor(t, site);
  return minor !== null && minor >= 0 ? minor : null;
}

/** A discount typed as an amount or as "10%" of `base`. */
export function parseDiscount(text: string, base: number, site: SiteId): number | null {
  const pct = /^\s*(\d+(?:[.,]\d+)?)\s*%\s*$/.exec(text);
  if (pct) {
    const p = Number(pct[1]!.replace(',', '.'));
    if (!(p >= 0 && p <= 100)) return null;
    return Math.round((base * p) / 100);
  }
  return parseAmount(text, site);
}

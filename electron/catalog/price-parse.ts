/**
 * Prices as shop owners type them in spreadsheets: "1500", "1500.50", "1.500,50", "1,500.50", "$ 1.500".
 *
 * The only truly ambiguous shape is one separator followed by exactly three digits ("1.500"): that is
 * read with the site's own convention (thousands in Argentina, decimals in Mexico), and always as
 * thousands for currencies without cents (CLP, COP), where nobody writes three decimals.
 */
import type { ImportProblem } from '../../shared/contract';
import { SITES, decimalToMinor, decimalsOf, type SiteId } from '../../shared/money';

/** A price read, or why not as a code (the renderer words it; the cell goes along as `value`). */
export type PriceResult = { ok: true; minor: number } | { ok: false; error: ImportProblem };

/** A cell shown back in a problem: long enough to recognise, never the whole of a runaway cell. */
export const shownCell = (text: string) => (text.length > 60 ? `${text.slice(0, 59)}…` : text);

const decimalSeparators = new Map<SiteId, string>();

function siteDecimalSeparator(site: SiteId): string {
  let sep = decimalSeparators.get(site);
  if (sep === undefined) {
    const part = new Intl.NumberFormat(SITES[site].locale).formatToParts(1.5).find((p) => p.type === 'decimal');
    sep = part?.value ?? '.';
    decimalSeparators.set(site, sep);
  }
  return sep;
}

export function parsePrice(raw: string, site: SiteId): PriceResult {
  const shown = raw.trim();
  const { currency } = SITES[site];
  // Currency signs and codes are noise here; the site fixes the currency.
  const text = shown.replace(/R\$|S\/|\$|\b(?:ARS|BRL|MXN|CLP|COP|PEN|UYU)\b/gi, '').replace(/[\s\u00a0']/g, '');
  const value = shownCell(shown);
  if (text === '') return { ok: false, error: { code: 'price_missing' } };
  if (text.startsWith('-')) return { ok: false, error: { code: 'price_negative', value } };
  if (!/^\d[\d.,]*$/.test(text)) return { ok: false, error: { code: 'price_not_number', value } };

  const canonical = canonicalDecimal(text, site);
  if (canonical === null) return { ok: false, error: { code: 'price_unreadable', value } };
  const minor = decimalToMinor(canonical, site);
  if (minor === null) {
    return decimalsOf(site) === 0
      ? { ok: false, error: { code: 'price_whole_only', value, currency } }
      : { ok: false, error: { code: 'price_decimals', value, max: decimalsOf(site) } };
  }
  return { ok: true, minor };
}

/** "1.500,50" → "1500.50", or null when the separators do not form a number. */
function canonicalDecimal(text: string, site: SiteId): string | null {
  const dots = count(text, '.');
  const commas = count(text, ',');
  let decimal: string | null = null;
  if (dots > 0 && commas > 0) {
    decimal = text.lastIndexOf('.') > text.lastIndexOf(',') ? '.' : ',';
    if (count(text, decimal) > 1) return null;
  } else if (dots + commas === 1) {
    const sep = dots ? '.' : ',';
    const after = text.length - text.indexOf(sep) - 1;
    const thousands = after === 3 && (decimalsOf(site) === 0 || siteDecimalSeparator(site) !== sep);
    decimal = thousands ? null : sep;
  }
  // Several of one separator and none of the other: thousands ("1.500.000").
  const [whole = '', frac] = decimal === null ? [text] : text.split(decimal);
  const groupSep = decimal === ',' ? '.' : decimal === '.' ? ',' : dots ? '.' : ',';
  if (whole.includes(groupSep) && !new RegExp(`^\\d{1,3}(\\${groupSep}\\d{3})+$`).test(whole)) return null;
  const digits = whole.split(groupSep).join('');
  if (!/^\d+$/.test(digits) || (frac !== undefined && !/^\d+$/.test(frac))) return null;
  return frac === undefined ? digits : `${digits}.${frac}`;
}

function count(text: string, ch: string): number {
  let n = 0;
  for (const c of text) if (c === ch) n++;
  return n;
}

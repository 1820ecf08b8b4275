/**
 * Money inside Caja is always an integer of minor units of the site's currency.
 * Conversions to the APIs' wire formats live in the clients; the per-currency facts live here.
 */
export const SITES = {
  MLA: { currency: 'ARS', decimals: 2, country: 'Argentina', locale: 'es-AR' },
  MLB: { currency: 'BRL', decimals: 2, country: 'Brasil', locale: 'pt-BR' },
  MLM: { currency: 'MXN', decimals: 2, country: 'México', locale: 'es-MX' },
  MLC: { currency: 'CLP', decimals: 0, country: 'Chile', locale: 'es-CL' },
  MCO: { currency: 'COP', decimals: 0, country: 'Colombia', locale: 'es-CO' },
  MPE: { currency: 'PEN', decimals: 2, country: 'Perú', locale: 'es-PE' },
  MLU: { currency: 'UYU', decimals: 2, country: 'Uruguay', locale: 'es-UY' },
} as const;

export type SiteId = keyof typeof SITES;
export const SITE_IDS = Object.keys(SITES) as SiteId[];
export type CurrencyId = (typeof SITES)[SiteId]['currency'];

/**
 * Point charge limits per site, in hundredths of the currency (as `point-api.md` states them).
 * Sites the reference gives no limit for fall back to the widest known range.
 */
export const SITE_AMOUNT_LIMITS_HUNDREDTHS: Record<SiteId, { min: number; max: number }> = {
  MLA: { min: 500, max: 400_000_000 },
  MLB: { min: 100, max: 7_000_000 },
  MLM: { min: 500, max: 35_000_000 },
  MLC: { min: 100, max: 400_000_000 },
  MCO: { min: 100, max: 400_000_000 },
  MPE: { min: 100, max: 400_000_000 },
  MLU: { min: 100, max: 400_000_000 },
};

export function currencyOf(site: SiteId): CurrencyId {
  return SITES[site].currency;
}

export function decimalsOf(site: SiteId): number {
  return SITES[site].decimals;
}

/** Minor units → hundredths (the Integrations API's integer format). CLP/COP minor units are whole pesos. */
export function minorToHundredths(minor: number, site: SiteId): number {
  return minor * 10 ** (2 - decimalsOf(site));
}

export function hundredthsToMinor(hundredths: number, site: SiteId): number {
  return Math.round(hundredths / 10 ** (2 - decimalsOf(site)));
}

/** Minor units → decimal string with the currency's decimals ("15.00"), built from integers, never floats. */
export function minorToDecimalString(minor: number, site: SiteId): string {
  const decimals = decimalsOf(site);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  if (decimals === 0) return `${sign}${abs}`;
  const unit = 10 ** decimals;
  const whole = Math.floor(abs / unit);
  const frac = String(abs % unit).padStart(decimals, '0');
  return `${sign}${whole}.${frac}`;
}

/** Decimal string or number ("15.5", 15.5, "15,50") → minor units, or null when it is not a clean amount. */
export function decimalToMinor(value: string | number, site: SiteId): number | null {
  const decimals = decimalsOf(site);
  const text = (typeof value === 'number' ? value.toFixed(Math.max(decimals, 2)) : value).trim().replace(',', '.');
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return null;
  const [, sign, whole, fracRaw = ''] = match;
  const frac = fracRaw.replace(/0+$/, '');
  if (frac.length > decimals) return null;
  const minor = Number(whole) * 10 ** decimals + Number(frac.padEnd(decimals, '0') || '0');
  if (!Number.isSafeInteger(minor)) return null;
  return sign === '-' ? -minor : minor;
}

export function isWithinSiteLimits(minor: number, site: SiteId): boolean {
  const limits = SITE_AMOUNT_LIMITS_HUNDREDTHS[site];
  const h = minorToHundredths(minor, site);
  return Number.isSafeInteger(minor) && h >= limits.min && h <= limits.max;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** Formats minor units for people with Intl; formatters are cached because the cart re-renders often. */
export function formatMoney(minor: number, site: SiteId, locale: string): string {
  const { currency, decimals } = SITES[site];
  const key = `${locale}|${currency}`;
  let fmt = formatters.get(key);
  if (!fmt) {
    fmt = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    });
    formatters.set(key, fmt);
  }
  return fmt.format(minor / 10 ** decimals);
}

/**
 * The simulator's own truth about sites, currencies and Point amount limits. It is deliberately NOT
 * imported from the client (`shared/money.ts`): the simulator plays Mercado Pago, so its numbers come
 * from Mercado Pago's documentation, and a test (`limits-agreement.test.ts`) checks the client's table
 * against this one over HTTP, so a client limit that drifts turns red instead of agreeing with itself.
 *
 * Sources:
 * - [PI] Mercado Pago developers, "Point › Integrations API › Payment processing" (create payment
 *   intent, field `amount`), per site: MLA "minimum 500, maximum 400000000", MLB "minimum 100, maximum
 *   7000000", MLM "minimum 500, maximum 35000000", all in hundredths of the currency. Repeated in
 *   `shared/point-api.md` §1 "Facts that shape the client".
 * - [SITES] `shared/point-api.md` "Test users, sites, currencies": MLA ARS, MLB BRL, MLM MXN, MLC CLP
 *   (no decimals), MCO COP, MPE PEN, MLU UYU.
 * - [COP] Mercado Pago answers "Prices in COP currency must be expressed with integer values" to a
 *   COP amount with decimals (quoted in odoo/odoo PR #191214, payment_mercado_pago); so COP is taken
 *   as having no decimals on Mercado Pago even though ISO 4217 gives it two.
 * - [NONE] Mercado Pago documents no Point amount limits for MLC, MCO, MPE and MLU (the payment-intent
 *   page has tabs for MLA, MLB and MLM only). The simulator assumes one whole unit of the currency as
 *   the minimum and the largest documented Point maximum (MLA's 4,000,000.00) as the maximum, and says
 *   so here; change these only with a source.
 *
 * The same limits apply to every family (intents, Orders API, mobile): Mercado Pago documents them for
 * the payment intent only, and the simulator does not invent a second set.
 */
export type SiteId = 'MLA' | 'MLB' | 'MLM' | 'MLC' | 'MCO' | 'MPE' | 'MLU';

export interface SiteRules {
  currency: string;
  /** Decimals of the currency on Mercado Pago's wire formats. */
  decimals: number;
  countryCode: string;
  /** Smallest and largest chargeable amount, in hundredths of the currency (the intents API's unit). */
  minHundredths: number;
  maxHundredths: number;
  /** Where the limits come from (a key of the comment above). */
  limitsSource: 'PI' | 'NONE';
  /** Locale for the terminal page's money format. */
  locale: string;
}

export const SIM_SITES: Readonly<Record<SiteId, SiteRules>> = {
  MLA: { currency: 'ARS', decimals: 2, countryCode: 'AR', minHundredths: 500, maxHundredths: 400_000_000, limitsSource: 'PI', locale: 'es-AR' },
  MLB: { currency: 'BRL', decimals: 2, countryCode: 'BR', minHundredths: 100, maxHundredths: 7_000_000, limitsSource: 'PI', locale: 'pt-BR' },
  MLM: { currency: 'MXN', decimals: 2, countryCode: 'MX', minHundredths: 500, maxHundredths: 35_000_000, limitsSource: 'PI', locale: 'es-MX' },
  MLC: { currency: 'CLP', decimals: 0, countryCode: 'CL', minHundredths: 100, maxHundredths: 400_000_000, limitsSource: 'NONE', locale: 'es-CL' },
  MCO: { currency: 'COP', decimals: 0, countryCode: 'CO', minHundredths: 100, maxHundredths: 400_000_000, limitsSource: 'NONE', locale: 'es-CO' },
  MPE: { currency: 'PEN', decimals: 2, countryCode: 'PE', minHundredths: 100, maxHundredths: 400_000_000, limitsSource: 'NONE', locale: 'es-PE' },
  MLU: { currency: 'UYU', decimals: 2, countryCode: 'UY', minHundredths: 100, maxHundredths: 400_000_000, limitsSource: 'NONE', locale: 'es-UY' },
};

export const SIM_SITE_IDS = Object.keys(SIM_SITES) as SiteId[];

export const decimalsOf = (site: SiteId): number => SIM_SITES[site].decimals;
export const currencyOf = (site: SiteId): string => SIM_SITES[site].currency;

/** Minor units → hundredths. CLP/COP minor units are whole pesos, i.e. 100 hundredths. */
export const minorToHundredths = (minor: number, site: SiteId): number => minor * 10 ** (2 - decimalsOf(site));

/** Hundredths → minor units, or null when the hundredths are not a whole number of minor units. */
export function hundredthsToMinor(hundredths: number, site: SiteId): number | null {
  const unit = 10 ** (2 - decimalsOf(site));
  return hundredths % unit === 0 ? hundredths / unit : null;
}

/** The site's limits in minor units (whole pesos for CLP/COP). */
export function limitsMinor(site: SiteId): { min: number; max: number } {
  const unit = 10 ** (2 - decimalsOf(site));
  return { min: Math.ceil(SIM_SITES[site].minHundredths / unit), max: Math.floor(SIM_SITES[site].maxHundredths / unit) };
}

export function withinLimits(minor: number, site: SiteId): boolean {
  const { min, max } = limitsMinor(site);
  return Number.isSafeInteger(minor) && minor >= min && minor <= max;
}

/** Minor units → decimal string with exactly the currency's decimals ("15.00", CLP "1500"). */
export function minorToDecimalString(minor: number, site: SiteId): string {
  const decimals = decimalsOf(site);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  if (decimals === 0) return `${sign}${abs}`;
  const unit = 10 ** decimals;
  return `${sign}${Math.floor(abs / unit)}.${String(abs % unit).padStart(decimals, '0')}`;
}

/** "between 5.00 and 4000000.00 ARS" — for the 400s, in the currency a person reads. */
export function limitsText(site: SiteId): string {
  const { min, max } = limitsMinor(site);
  return `between ${minorToDecimalString(min, site)} and ${minorToDecimalString(max, site)} ${currencyOf(site)} for site ${site}`;
}

/** Tolerant-reader building blocks shared by the clients' zod schemas, and the amount guard. */
import { z } from 'zod';
import { isWithinSiteLimits, type SiteId } from '../../shared/money';
import { PointError } from './point-error';

/** Refuses, before any request, an amount no Point terminal of this site would take. */
export function assertChargeable(amountMinor: number, site: SiteId): void {
  if (!Number.isSafeInteger(amountMinor) || !isWithinSiteLimits(amountMinor, site)) {
    throw new PointError('INVALID_AMOUNT', 'That amount is outside what a Point terminal can charge in this country.');
  }
}

/** Ids arrive as numbers or strings depending on the family and SDK: inside Caja they are strings. */
export const idLike = z.union([z.string().min(1), z.number()]).transform((v) => String(v));
export const optionalId = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v) => (v === null || v === undefined || v === '' ? null : String(v)));
export const optionalString = z
  .union([z.string(), z.null()])
  .optional()
  .transform((v) => v ?? null);
export const operatingMode = z
  .string()
  .transform((v) => v.toUpperCase())
  .pipe(z.enum(['PDV', 'STANDALONE']));

/** Cuts text to a limit by code points, so an emoji or accent is never split into garbage. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text.trim());
  return chars.length <= max ? chars.join('') : chars.slice(0, max).join('');
}

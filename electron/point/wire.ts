/** Tolerant-reader building blocks shared by the clients' zod schemas, and the amount guard. */
import { z } from 'zod';
import { isWithinSiteLimits, type SiteId } from '../../shared/money';
import { mapper, type ErrorMapper } from './http';
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

/**
 * A Point device as both device lists describe it (Integrations API devices, Orders API terminals).
 * `status`/`online` are not in the reference; newer answers and simulators may say whether it is reachable.
 */
export const pointDevice = z.object({
  id: idLike,
  pos_id: optionalId,
  store_id: optionalId,
  external_pos_id: optionalString,
  operating_mode: operatingMode.optional().nullable(),
  status: z.string().optional().nullable(),
  online: z.boolean().optional().nullable(),
});

/** Errors a charge create can meet, worded for the kind of device (a Point terminal or a phone). */
export function chargeCreateErrors(device: 'terminal' | 'phone', notFoundHint: string): ErrorMapper {
  return mapper((f) => {
    if (f.status === 409 && f.apiCode === 'terminal_offline')
      return ['TERMINAL_OFFLINE', 'The terminal is offline. Check that it is on and connected.'];
    if (f.status === 404) return ['TERMINAL_NOT_FOUND', `Mercado Pago does not know that ${device}. ${notFoundHint}`];
    if (f.status === 409) return ['TERMINAL_BUSY', `That ${device} already has a charge waiting. Finish or cancel it first.`];
    return null;
  });
}

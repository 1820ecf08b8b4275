/**
 * Checks a charge request before anything is written or sent: shape, money as safe non-negative
 * integers of minor units, a non-empty cart, and a positive total. Totals are integer sums, never floats.
 */
import type { z } from 'zod';
import { ChargeInputSchema, type Cart, type ChargeInput } from '../../shared/contract';
import { CajaError } from '../../shared/errors';

const MONEY_FIELDS = new Set(['unitPrice', 'discount', 'cartDiscount']);

export function parseChargeInput(input: unknown): ChargeInput {
  const parsed = ChargeInputSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw inputError(parsed.error);
}

function inputError(error: z.ZodError): CajaError {
  const money = error.issues.find((i) => MONEY_FIELDS.has(String(i.path[i.path.length - 1])));
  if (money)
    return new CajaError('INVALID_AMOUNT', 'Prices and discounts must be whole amounts of cents (or pesos), not negative.');
  const first = error.issues[0];
  const where = first?.path.length ? `${first.path.join('.')}: ` : '';
  return new CajaError('INVALID_INPUT', `The sale could not be read (${where}${first?.message ?? 'invalid'}).`);
}

/** The amount to charge, in minor units. Throws EMPTY_CART / INVALID_AMOUNT. */
export function cartTotal(cart: Cart): number {
  if (cart.lines.length === 0) throw new CajaError('EMPTY_CART', 'The cart is empty: add at least one item.');
  let total = 0;
  for (const line of cart.lines) {
    const gross = line.unitPrice * line.quantity;
    if (line.discount > gross) throw new CajaError('INVALID_AMOUNT', `The discount on "${line.name}" is larger than the line.`);
    total += gross - line.discount;
  }
  if (cart.cartDiscount > total) throw new CajaError('INVALID_AMOUNT', 'The discount is larger than the sale.');
  total -= cart.cartDiscount;
  if (!Number.isSafeInteger(total)) throw new CajaError('INVALID_AMOUNT', 'That total is too large.');
  if (total <= 0) throw new CajaError('INVALID_AMOUNT', 'There is nothing to charge: the total is zero.');
  return total;
}

/** What the terminal shows: the single item, or the first one and a count. */
export function chargeDescription(cart: Cart): string {
  const first = cart.lines[0]?.name ?? 'Sale';
  const items = cart.lines.reduce((n, l) => n + l.quantity, 0);
  return cart.lines.length === 1 && items === 1 ? first : `${first} +${items - 1}`;
}

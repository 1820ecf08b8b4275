/** Identifier formats as Mercado Pago prints them. */
import { randomBytes, randomUUID } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID-looking tail, as Orders API ids carry (`ORD01J…`, `PAY01J…`). */
function ulidTail(): string {
  const bytes = randomBytes(24);
  let out = '01';
  for (let i = 0; i < 24; i++) out += CROCKFORD[bytes[i]! % 32];
  return out;
}

export const newIntentId = (): string => randomUUID();
export const newOrderId = (): string => `ORD${ulidTail()}`;
export const newOrderPaymentId = (): string => `PAY${ulidTail()}`;
export const newOrderRefundId = (): string => `REF${ulidTail()}`;
export const newPassword = (): string => randomBytes(6).toString('base64url');

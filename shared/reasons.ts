/**
 * Why a sale is where it is, and what each line of its timeline says — as codes with parameters.
 *
 * Main never sends a sentence for the cashier to read: it sends a `Reason` and the renderer owns every
 * word (so a Spanish screen never shows main's English, and no screen matches English text). The
 * journal keeps the code and its parameters too, so an old sale reads in whatever language the screen
 * speaks today. Adding a code is a compile error in every locale until it has its words there.
 *
 * Parameters are plain values: money as integer minor units (`amount`) beside its `currency`, error
 * codes from `shared/errors.ts`, terminal labels, ids. The renderer formats them.
 */
import { z } from 'zod';

export const REASON_CODES = [
  // ----- a live charge -----
  'queued', // sent; the terminal has not taken it yet
  'atTerminal', // the terminal shows it; waiting for the card
  'processing', // a card is being read / authorised
  'notTaken', // {terminal, seconds}: the terminal has not taken the charge after a short while
  'tryAnotherCard', // {detail}: a card was declined; the terminal lets the customer try another one
  'reviewing', // the issuer is reviewing an in_process payment
  'checking', // asking Mercado Pago for the payment
  'cancelling', // a cancel was asked for; waiting for Mercado Pago / the terminal to confirm
  // ----- outcome not known yet (the sale is `unknown`) -----
  'lostAnswer', // the create's answer was lost: finding out whether the charge exists
  'offline', // Mercado Pago can't be reached; still checking
  'authFailed', // Mercado Pago refused the token while checking
  'chargeGone', // the charge can no longer be read; still looking for a payment
  'paymentMismatch', // {paymentId, what}: a payment was found that does not match this sale
  'unknownChargeState', // {raw}
  'unknownPaymentStatus', // {raw}
  // ----- settled -----
  'approved',
  'approvedOtherTerminal', // {terminal}: paid, on another terminal than the one it was sent to
  'approvedThenReversed', // {status}: refunded / charged back in Mercado Pago afterwards
  'insufficientFunds',
  'badDetails',
  'callForAuthorize',
  'cardDisabled',
  'highRisk',
  'maxAttempts',
  'declined',
  'cancelled', // cancelled, Mercado Pago shows no payment: nothing was charged
  'abandoned', // the customer left it on the terminal; no payment
  'expired', // nobody paid in time; Mercado Pago shows it expired with no payment
  'closedWithoutPayment', // mobile: closed on the phone, and no payment carries the reference
  'terminalError', // the terminal reported an error and no payment exists
  'createRefused', // {code}: Mercado Pago refused the create outright (nothing was created)
  'resolvedManually', // {by, note}: a person closed it without evidence; it stays in reconciliation
  // ----- timeline lines -----
  'saleCreated', // {amount, currency, register}
  'attemptCreated', // {seq, amount, currency, terminal, family, reference}
  'chargeCreated', // {family, chargeId}
  'chargeFound', // {family, chargeId}
  'paymentFound', // {paymentId}
  'recoveryLive', // {chargeId}: the app restarted while this charge was live
  'recoveryLost', // the app restarted before it knew whether the charge reached Mercado Pago
  'cancelRequested', // {by}: 'cashier' | 'timeout' | 'manager'
  'cancelAccepted',
  'cancelRefused', // {code}
  'cancelNotPossible', // {why}: 'processing' | 'onTerminal' | 'unknown'
  'autoCancel',
  'autoCancelFailed', // {code, attempt}
  'terminalMismatch', // {expected, actual}: evidence logged, not a veto
  'refundRequested', // {amount, currency}
  'refundApproved', // {amount, currency}
  'refundFailed', // {code}
  'refundUnconfirmed', // {amount, currency}: the refund's answer was lost; Caja confirms it with Mercado Pago
  'refundFoundElsewhere', // {amount, currency}: a refund made outside Caja
  'reconcileFlag', // {kind}: reconciliation put this sale in front of the cashier
  'claimReleased', // {terminal, till, from, register}: a manager on till `from` (its register) released `till`'s claim on the terminal
] as const;

export type ReasonCode = (typeof REASON_CODES)[number];

export const ReasonParamsSchema = z.record(z.string().max(40), z.union([z.string().max(400), z.number(), z.null()]));
export type ReasonParams = z.infer<typeof ReasonParamsSchema>;

export const ReasonSchema = z.object({
  code: z.enum(REASON_CODES),
  params: ReasonParamsSchema,
});
export type Reason = z.infer<typeof ReasonSchema>;

export function reason(code: ReasonCode, params: ReasonParams = {}): Reason {
  return { code, params };
}

export function isReasonCode(value: unknown): value is ReasonCode {
  return typeof value === 'string' && (REASON_CODES as readonly string[]).includes(value);
}

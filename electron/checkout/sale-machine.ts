/**
 * The sale state machine and the rules that turn what Mercado Pago says into a sale state.
 * Pure functions: no I/O, so every rule is testable on its own.
 *
 * The one rule that matters most: a sale is `approved` only from a /v1/payments record whose status
 * is approved AND whose amount, reference and terminal match what this attempt sent. An intent that
 * says FINISHED or an order that says processed is never enough on its own.
 */
import type { ErrorCode } from '../../shared/errors';
import type { SaleState, TerminalFamily } from '../../shared/contract';
import type { ChargePhase, ChargeSnapshot } from '../point/terminal-directory';
import type { Payment } from '../point/payments';

export const FINAL: ReadonlySet<SaleState> = new Set(['approved', 'rejected', 'cancelled', 'expired', 'failed']);

const NEXT: Record<SaleState, readonly SaleState[]> = {
  draft: ['sending', 'failed', 'cancelled'],
  sending: ['sending', 'at_terminal', 'processing', 'approved', 'rejected', 'cancelled', 'expired', 'failed', 'unknown'],
  at_terminal: ['at_terminal', 'processing', 'approved', 'rejected', 'cancelled', 'expired', 'failed', 'unknown'],
  processing: ['processing', 'at_terminal', 'approved', 'rejected', 'cancelled', 'expired', 'failed', 'unknown'],
  unknown: ['unknown', 'sending', 'at_terminal', 'processing', 'approved', 'rejected', 'cancelled', 'expired', 'failed'],
  // A finished sale that was not paid may be charged again (a new attempt of the same sale).
  rejected: ['sending'],
  cancelled: ['sending'],
  expired: ['sending'],
  failed: ['sending'],
  // Approved is the end: refunds are recorded beside it, never as a state change.
  approved: [],
};

export function canTransition(from: SaleState, to: SaleState): boolean {
  return NEXT[from].includes(to);
}

export interface Expected {
  amount: number;
  terminalId: string;
  externalReference: string;
}

/** What one look at Mercado Pago concluded about an attempt. */
export interface Verdict {
  state: SaleState;
  /** The attempt is over: stop polling, release the terminal. */
  settled: boolean;
  message: string | null;
  errorCode: ErrorCode | null;
  paymentId?: string | null;
  cardBrand?: string | null;
  cardLast4?: string | null;
  /** Ask /v1/payments (by id, or by reference when null) before concluding. */
  lookupPayment?: boolean;
}

/** Messages a cashier reads on the sale screen. The UI translates by state/code, these are the English. */
export const MESSAGES = {
  queued: 'Sending the charge to the terminal…',
  atTerminal: 'Waiting for the customer to present the card…',
  processing: 'The customer is paying…',
  checking: 'Checking the result with Mercado Pago…',
  approved: 'Payment approved.',
  abandoned: 'The customer left the payment on the terminal. Nothing was charged.',
  cancelled: 'The charge was cancelled. Nothing was charged.',
  expired: 'The terminal stopped waiting for the card. Nothing was charged.',
  terminalError: 'The terminal reported an error. Nothing was charged; try again.',
  lostAnswer: "Mercado Pago's answer was lost. Caja is finding out whether the charge exists…",
  offline: "Can't reach Mercado Pago. Caja keeps checking; do not charge again yet.",
  neverSent: 'The charge never reached Mercado Pago. Nothing was charged.',
  // The mobile API closes an order the same way whether the customer left or the reader failed.
  closedWithoutPayment: 'The charge was closed on the phone without a payment. Nothing was charged.',
} as const;

export function rejectionMessage(detail: string | null): string {
  switch (detail) {
    case 'cc_rejected_insufficient_amount':
      return 'Card rejected: insufficient funds.';
    case 'cc_rejected_bad_filled_security_code':
    case 'cc_rejected_bad_filled_date':
    case 'cc_rejected_bad_filled_other':
      return 'Card rejected: the card details were wrong.';
    case 'cc_rejected_call_for_authorize':
      return 'Card rejected: the customer must authorize the payment with their bank.';
    case 'cc_rejected_card_disabled':
      return 'Card rejected: the card is disabled.';
    case 'cc_rejected_high_risk':
      return 'Card rejected for security reasons.';
    case 'cc_rejected_max_attempts':
      return 'Card rejected: too many attempts.';
    default:
      return 'Card declined.';
  }
}

/** The sale state while the charge is still live on the terminal (before any payment decides). */
export function liveState(phase: ChargePhase): { state: SaleState; message: string } | null {
  if (phase === 'queued') return { state: 'sending', message: MESSAGES.queued };
  if (phase === 'at_terminal') return { state: 'at_terminal', message: MESSAGES.atTerminal };
  if (phase === 'processing') return { state: 'processing', message: MESSAGES.processing };
  return null;
}

/** Whether the cashier's Cancel can still work in this phase, per family. */
export function isCancellable(family: TerminalFamily, phase: ChargePhase | 'sending'): boolean {
  if (phase === 'sending') return true;
  if (family === 'intents') return phase === 'queued';
  if (family === 'orders') return phase === 'queued' || phase === 'at_terminal';
  return phase === 'at_terminal' || phase === 'queued';
}

/** Why Cancel was refused, in words for the cashier. */
export function notCancellableMessage(family: TerminalFamily, phase: ChargePhase | null): string {
  if (phase === 'processing')
    return 'The customer is already paying: the charge can no longer be cancelled. Wait for the result.';
  if (family === 'intents' && phase === 'at_terminal')
    return 'The charge is already on the terminal: cancel it on the terminal itself, or wait for the customer.';
  return 'The customer is already paying: the charge can no longer be cancelled. Wait for the result.';
}

/** Judges a charge snapshot. Phases that need the payment record ask for it. */
export function judgeCharge(snapshot: ChargeSnapshot): Verdict {
  const live = liveState(snapshot.phase);
  if (live) return { ...live, settled: false, errorCode: null };
  switch (snapshot.phase) {
    case 'finished':
    case 'needs_lookup':
      return { state: 'processing', settled: false, message: MESSAGES.checking, errorCode: null, lookupPayment: true };
    case 'cancelled':
      // A payment id on a cancelled charge is odd enough to look at before saying "nothing was charged".
      if (snapshot.paymentId)
        return { state: 'processing', settled: false, message: MESSAGES.checking, errorCode: null, lookupPayment: true };
      return { state: 'cancelled', settled: true, message: MESSAGES.cancelled, errorCode: null };
    case 'abandoned':
      if (snapshot.paymentId)
        return { state: 'processing', settled: false, message: MESSAGES.checking, errorCode: null, lookupPayment: true };
      return {
        state: 'cancelled',
        settled: true,
        message: snapshot.family === 'mobile' ? MESSAGES.closedWithoutPayment : MESSAGES.abandoned,
        errorCode: null,
      };
    case 'expired':
      if (snapshot.paymentId)
        return { state: 'processing', settled: false, message: MESSAGES.checking, errorCode: null, lookupPayment: true };
      return { state: 'expired', settled: true, message: MESSAGES.expired, errorCode: null };
    case 'error':
      if (snapshot.paymentId)
        return { state: 'processing', settled: false, message: MESSAGES.checking, errorCode: null, lookupPayment: true };
      return { state: 'failed', settled: true, message: MESSAGES.terminalError, errorCode: null };
    default:
      return {
        state: 'unknown',
        settled: false,
        message: `Mercado Pago reported "${snapshot.rawState}", which Caja does not know. Still checking…`,
        errorCode: 'UNEXPECTED_RESPONSE',
        lookupPayment: true,
      };
  }
}

/**
 * Judges the payment record against what the attempt sent. A mismatch is never approved: the sale
 * goes to `unknown` so a person looks at it (reconcile lists it too).
 */
export function judgePayment(payment: Payment, expected: Expected, snapshot: ChargeSnapshot | null): Verdict {
  const base = { paymentId: payment.id, cardBrand: payment.cardBrand, cardLast4: payment.cardLast4 };
  const mismatch = paymentMismatch(payment, expected, snapshot);
  if (mismatch && payment.status !== 'rejected') {
    return {
      ...base,
      state: 'unknown',
      settled: false,
      errorCode: 'UNEXPECTED_RESPONSE',
      message: `Mercado Pago reported payment ${payment.id} that does not match this sale (${mismatch}). Check it before handing over the goods.`,
    };
  }
  switch (payment.status) {
    case 'approved':
      return { ...base, state: 'approved', settled: true, message: MESSAGES.approved, errorCode: null };
    case 'refunded':
    case 'charged_back':
      // The money moved, then went back: the sale was paid; the refund shows beside it.
      return {
        ...base,
        state: 'approved',
        settled: true,
        message: `Payment approved, then ${payment.status} in Mercado Pago.`,
        errorCode: null,
      };
    case 'rejected':
      return { ...base, state: 'rejected', settled: true, message: rejectionMessage(payment.statusDetail), errorCode: null };
    case 'cancelled':
      return { ...base, state: 'cancelled', settled: true, message: MESSAGES.cancelled, errorCode: null };
    case 'in_process':
    case 'pending':
    case 'authorized':
      return {
        ...base,
        state: 'processing',
        settled: false,
        message: 'The card issuer is reviewing the payment…',
        errorCode: null,
      };
    default:
      return {
        ...base,
        state: 'unknown',
        settled: false,
        message: `Mercado Pago reported the payment as "${payment.rawStatus}". Still checking…`,
        errorCode: 'UNEXPECTED_RESPONSE',
      };
  }
}

export function paymentMismatch(payment: Payment, expected: Expected, snapshot: ChargeSnapshot | null): string | null {
  if (payment.amountMinor === null || payment.amountMinor !== expected.amount) return 'different amount';
  if (payment.externalReference !== null && payment.externalReference !== expected.externalReference)
    return 'different reference';
  // Without a reference the only link is the charge itself: it must have named this payment.
  if (payment.externalReference === null && snapshot?.paymentId !== payment.id) return 'no reference';
  if (snapshot?.terminalId && snapshot.terminalId !== expected.terminalId) return 'different terminal';
  if (payment.terminalId && payment.terminalId !== expected.terminalId) return 'different terminal';
  return null;
}

/**
 * Of the payments found by reference, the one that decides: approved beats in-process beats the
 * rest, so a declined first try followed by an approved second one on the same charge reads approved.
 */
export function pickPayment(payments: Payment[]): Payment | null {
  const rank = (p: Payment) =>
    p.status === 'approved' || p.status === 'refunded' || p.status === 'charged_back'
      ? 0
      : p.status === 'in_process' || p.status === 'pending' || p.status === 'authorized'
        ? 1
        : 2;
  return [...payments].sort((a, b) => rank(a) - rank(b))[0] ?? null;
}

/** For an Orders API charge with no /v1/payments record: the order's own payment words. */
export function judgeOrderPaymentWithoutRecord(snapshot: ChargeSnapshot): Verdict | null {
  const p = snapshot.orderPayment;
  const status = (p?.status ?? '').toLowerCase();
  const detail = p?.statusDetail ?? snapshot.statusDetail;
  if (status === 'rejected' || (status === 'failed' && /rejected/.test(detail ?? ''))) {
    return { state: 'rejected', settled: true, message: rejectionMessage(detail), errorCode: null };
  }
  if (snapshot.rawState.startsWith('failed')) {
    if (/rejected/.test(detail ?? ''))
      return { state: 'rejected', settled: true, message: rejectionMessage(detail), errorCode: null };
    return { state: 'failed', settled: true, message: MESSAGES.terminalError, errorCode: null };
  }
  return null;
}

/**
 * The sale state machine and the rules that turn what Mercado Pago says into a sale state.
 * Pure functions: no I/O, no clock, so every rule is testable on its own (sale-machine.test.ts).
 *
 *   draft ─▶ sending ─▶ at_terminal ─▶ processing ─▶ approved
 *              │             │              │    └──▶ rejected | cancelled | expired | failed   (retryable)
 *              └─────────────┴──────────────┴──▶ unknown ─▶ (evidence) any of the above
 *                                                   └──▶ resolved (a person, no evidence) ─▶ (evidence) settled
 *
 * The rules that matter most:
 * - `approved` only from a /v1/payments record whose status is approved AND whose amount and
 *   reference match what the attempt sent. The terminal it names is evidence, logged, never a veto.
 * - "Nothing was charged" (cancelled / expired / failed) only on positive evidence: the charge read
 *   back as over without a payment, AND a payment search made after the search's delay finding
 *   none. Never on a timer. Until then the sale is `unknown` and may not be charged again.
 */
import { FINAL_STATES, type SaleState, type TerminalFamily } from '../../shared/contract';
import type { ErrorCode } from '../../shared/errors';
import { reason, type Reason, type ReasonCode } from '../../shared/reasons';
import { sameTerminal, type ChargePhase, type ChargeSnapshot } from '../point/charge';
import type { Payment } from '../point/payments';
import type { AttemptRow, NewEvent, SaleRow } from './journal';

const NEXT: Record<SaleState, readonly SaleState[]> = {
  draft: ['sending', 'failed', 'cancelled'],
  sending: ['sending', 'at_terminal', 'processing', 'approved', 'rejected', 'cancelled', 'expired', 'failed', 'unknown', 'resolved'],
  at_terminal: ['at_terminal', 'sending', 'processing', 'approved', 'rejected', 'cancelled', 'expired', 'failed', 'unknown', 'resolved'],
  processing: ['processing', 'at_terminal', 'approved', 'rejected', 'cancelled', 'expired', 'failed', 'unknown', 'resolved'],
  unknown: ['unknown', 'sending', 'at_terminal', 'processing', 'approved', 'rejected', 'cancelled', 'expired', 'failed', 'resolved'],
  // A finished sale that was not paid may be charged again (a new attempt of the same sale).
  rejected: ['sending'],
  cancelled: ['sending'],
  expired: ['sending'],
  failed: ['sending'],
  // Closed by a person: only Mercado Pago's evidence moves it on.
  resolved: ['approved', 'rejected', 'cancelled', 'expired', 'failed'],
  // Approved is the end: refunds are recorded beside it, never as a state change.
  approved: [],
};

export function canTransition(from: SaleState, to: SaleState): boolean {
  return NEXT[from].includes(to);
}

export function isFinal(state: SaleState): boolean {
  return FINAL_STATES.includes(state);
}

export interface Expected {
  amount: number;
  terminalId: string;
  family: TerminalFamily;
  externalReference: string;
}

/** What one look at Mercado Pago concluded about an attempt. */
export interface Verdict {
  state: SaleState;
  /** The attempt is over: stop polling, release the terminal. */
  settled: boolean;
  reason: Reason;
  errorCode: ErrorCode | null;
  paymentId?: string | null;
  cardBrand?: string | null;
  cardLast4?: string | null;
  /** Ask /v1/payments (by id, or by reference) before concluding. */
  lookupPayment?: boolean;
  /** The payment names another terminal than the attempt's: journaled, shown, not a veto. */
  terminalMismatch?: { expected: string; actual: string };
}

export function rejectionCode(detail: string | null): ReasonCode {
  switch (detail) {
    case 'cc_rejected_insufficient_amount':
      return 'insufficientFunds';
    case 'cc_rejected_bad_filled_security_code':
    case 'cc_rejected_bad_filled_date':
    case 'cc_rejected_bad_filled_other':
      return 'badDetails';
    case 'cc_rejected_call_for_authorize':
      return 'callForAuthorize';
    case 'cc_rejected_card_disabled':
      return 'cardDisabled';
    case 'cc_rejected_high_risk':
      return 'highRisk';
    case 'cc_rejected_max_attempts':
      return 'maxAttempts';
    default:
      return 'declined';
  }
}

/** Whether the cashier's Cancel can still work in this phase, per family. */
export function isCancellable(family: TerminalFamily, phase: ChargePhase | 'sending'): boolean {
  if (phase === 'sending') return true;
  if (family === 'intents') return phase === 'queued';
  return phase === 'queued' || phase === 'at_terminal';
}

/** Why Cancel was refused, as the `why` of `cancelNotPossible`. */
export function notCancellableWhy(family: TerminalFamily, phase: ChargePhase | null): 'processing' | 'onTerminal' | 'unknown' {
  if (phase === null) return 'unknown';
  if (family === 'intents' && phase === 'at_terminal') return 'onTerminal';
  return 'processing';
}

/** What a charge that ended without naming a payment would mean, once a search proves no payment. */
export function endedWithoutPayment(snapshot: Pick<ChargeSnapshot, 'phase'>): Verdict | null {
  const settled = (state: SaleState, code: ReasonCode): Verdict => ({ state, settled: true, reason: reason(code), errorCode: null });
  switch (snapshot.phase) {
    case 'cancelled':
      return settled('cancelled', 'cancelled');
    case 'abandoned':
      return settled('cancelled', 'abandoned');
    case 'closed':
      return settled('cancelled', 'closedWithoutPayment');
    case 'expired':
      return settled('expired', 'expired');
    case 'error':
      return settled('failed', 'terminalError');
    default:
      return null;
  }
}

/** The charge is over at the terminal (whatever the payment says). */
export function chargeIsOver(phase: ChargePhase): boolean {
  return phase === 'finished' || phase === 'needs_lookup' || endedWithoutPayment({ phase }) !== null;
}

export interface LiveContext {
  /** Set once the terminal has not taken a queued charge for a while. */
  notTaken?: { terminal: string; seconds: number } | null;
}

/**
 * Judges a charge snapshot. Live phases say where the charge is; every other phase asks for the
 * payment record (by id or reference) before anything is concluded.
 */
export function judgeCharge(snapshot: ChargeSnapshot, live: LiveContext = {}): Verdict {
  const open = (state: SaleState, r: Reason): Verdict => ({ state, settled: false, reason: r, errorCode: null });
  switch (snapshot.phase) {
    case 'queued':
      return open('sending', live.notTaken ? reason('notTaken', live.notTaken) : reason('queued'));
    case 'at_terminal':
      return open('at_terminal', live.notTaken ? reason('notTaken', live.notTaken) : reason('atTerminal'));
    case 'processing':
      return open('processing', reason('processing'));
    case 'unrecognized':
      return {
        state: 'unknown',
        settled: false,
        reason: reason('unknownChargeState', { raw: snapshot.rawState.slice(0, 60) }),
        errorCode: 'UNEXPECTED_RESPONSE',
        lookupPayment: true,
      };
    default:
      return { ...open('processing', reason('checking')), lookupPayment: true };
  }
}

/** What does not match between a payment and the attempt, for amount and reference (the deciders). */
export function paymentMismatch(payment: Payment, expected: Expected, snapshot: ChargeSnapshot | null): string | null {
  if (payment.amountMinor === null || payment.amountMinor !== expected.amount) return 'amount';
  if (payment.externalReference !== null && payment.externalReference !== expected.externalReference) return 'reference';
  // Without a reference the only link is the charge itself: it must have named this payment.
  if (payment.externalReference === null && snapshot?.paymentId !== payment.id) return 'reference';
  return null;
}

/** The terminal the payment (or its charge) names, when it is not the one the attempt was sent to. */
export function otherTerminal(payment: Payment, expected: Expected, snapshot: ChargeSnapshot | null): string | null {
  // A phone is addressed by the name its seller gave it; the payment names the card reader's serial.
  // Nothing ties the two, so there is nothing to compare.
  if (expected.family === 'mobile') return null;
  for (const named of [payment.terminalId, snapshot?.terminalId ?? null]) {
    if (named && !sameTerminal(named, expected.terminalId)) return named;
  }
  return null;
}

/**
 * Judges the payment record against what the attempt sent. `chargeOver`: the charge itself is
 * over, so a rejection is the end; while it is live (or unread) the customer may try another card
 * on it, so a rejected payment settles nothing.
 */
export function judgePayment(payment: Payment, expected: Expected, snapshot: ChargeSnapshot | null, chargeOver: boolean): Verdict {
  const base = { paymentId: payment.id, cardBrand: payment.cardBrand, cardLast4: payment.cardLast4 };
  const mismatch = paymentMismatch(payment, expected, snapshot);
  if (mismatch && payment.status !== 'rejected') {
    return {
      ...base,
      state: 'unknown',
      settled: false,
      errorCode: 'UNEXPECTED_RESPONSE',
      reason: reason('paymentMismatch', { paymentId: payment.id, what: mismatch }),
    };
  }
  const other = otherTerminal(payment, expected, snapshot);
  switch (payment.status) {
    case 'approved':
      return {
        ...base,
        state: 'approved',
        settled: true,
        reason: other ? reason('approvedOtherTerminal', { terminal: other }) : reason('approved'),
        errorCode: null,
        ...(other ? { terminalMismatch: { expected: expected.terminalId, actual: other } } : {}),
      };
    case 'refunded':
    case 'charged_back':
      // The money moved, then went back: the sale was paid; the refund shows beside it.
      return { ...base, state: 'approved', settled: true, reason: reason('approvedThenReversed', { status: payment.status }), errorCode: null };
    case 'rejected':
      if (!chargeOver) {
        return {
          ...base,
          state: 'processing',
          settled: false,
          reason: reason('tryAnotherCard', { detail: payment.statusDetail ?? 'declined' }),
          errorCode: null,
        };
      }
      return { ...base, state: 'rejected', settled: true, reason: reason(rejectionCode(payment.statusDetail)), errorCode: null };
    case 'cancelled':
      return { ...base, state: 'cancelled', settled: true, reason: reason('cancelled'), errorCode: null };
    case 'in_process':
    case 'pending':
    case 'authorized':
      return { ...base, state: 'processing', settled: false, reason: reason('reviewing'), errorCode: null };
    default:
      return {
        ...base,
        state: 'unknown',
        settled: false,
        reason: reason('unknownPaymentStatus', { raw: payment.rawStatus.slice(0, 60) }),
        errorCode: 'UNEXPECTED_RESPONSE',
      };
  }
}

/**
 * Of the payments found by reference, the one that decides: approved beats in-process beats the
 * rest, so a declined first card followed by an approved second one on the same charge reads approved.
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
  if (status === 'rejected' || (snapshot.rawState.startsWith('failed') && /rejected/.test(detail ?? ''))) {
    return { state: 'rejected', settled: true, reason: reason(rejectionCode(detail)), errorCode: null };
  }
  if (snapshot.rawState.startsWith('failed')) return { state: 'failed', settled: true, reason: reason('terminalError'), errorCode: null };
  return null;
}

// ---------- the one projection ----------

const REPEATING_KINDS = new Set(['check_failed', 'still_looking']);

export interface ProjectionInput {
  attempt: AttemptRow;
  sale: SaleRow;
  verdict: Verdict;
  /** The charge's last known phase (null before it was ever read). */
  phase: ChargePhase | null;
  snapshot: Pick<ChargeSnapshot, 'rawState' | 'orderPayment'> | null;
  /** What caused this write, for the journal's event kind ('state', 'create_refused', ...). */
  kind: string;
  now: number;
}

export interface Projection {
  /** Null: the verdict changes nothing (already settled, or an impossible transition). */
  attemptPatch: Partial<AttemptRow> | null;
  salePatch: Partial<SaleRow> | null;
  events: NewEvent[];
  settled: boolean;
  /** Why nothing was written, for the log. */
  ignored?: string;
}

/**
 * (attempt, sale, verdict, phase) → the attempt and sale patches and the events that explain them.
 * The only place that decides what a verdict does to the journal; `verdicts.ts` just writes it.
 */
export function project(input: ProjectionInput): Projection {
  const { attempt: a, sale, now, kind, snapshot } = input;
  let { state, reason: why } = input.verdict;
  const verdict = input.verdict;
  const none = (ignored: string): Projection => ({ attemptPatch: null, salePatch: null, events: [], settled: false, ignored });
  // A resolved attempt is settled for the terminal, but Mercado Pago's evidence still decides it.
  if (a.settled && !(a.state === 'resolved' && verdict.settled && state !== 'resolved')) return none('already settled');
  if (a.state === 'resolved' && !verdict.settled) return none('resolved: only evidence moves it');

  if (state === 'cancelled' && a.cancel_reason === 'timeout') {
    state = 'expired';
    why = reason('expired');
  } else if (state === 'cancelled' && a.cancel_reason === 'cashier' && why.code !== 'cancelled') {
    why = reason('cancelled');
  }
  if (a.state !== state && !canTransition(a.state, state)) return none(`impossible transition ${a.state} → ${state}`);

  const cancelInFlight = a.cancel_requested_at !== null;
  const cancellable =
    !verdict.settled &&
    !cancelInFlight &&
    (state === 'unknown' || (a.charge_id === null ? state === 'sending' : input.phase !== null && isCancellable(a.family, input.phase)));
  // While a cancel is on its way the cashier reads "cancelling", not the charge's own live words.
  if (cancelInFlight && !verdict.settled && (state === 'sending' || state === 'at_terminal' || state === 'unknown')) {
    why = reason('cancelling');
  }
  const paymentId = verdict.paymentId ?? a.payment_id;
  const attemptPatch: Partial<AttemptRow> = {
    state,
    charge_state: snapshot?.rawState ?? a.charge_state,
    payment_id: paymentId,
    order_payment_id: snapshot?.orderPayment?.orderPaymentId ?? a.order_payment_id,
    settled: verdict.settled ? 1 : 0,
    settled_at: verdict.settled ? now : null,
  };

  const current = sale.current_attempt_id === a.id;
  let salePatch: Partial<SaleRow> | null = null;
  const params = JSON.stringify(why.params);
  if (current) {
    const patch: Partial<SaleRow> = {
      state,
      reason_code: why.code,
      reason_params: params,
      error_code: verdict.errorCode,
      cancellable: cancellable ? 1 : 0,
      payment_id: paymentId,
      card_brand: verdict.cardBrand ?? sale.card_brand,
      card_last4: verdict.cardLast4 ?? sale.card_last4,
    };
    const differs = (Object.keys(patch) as (keyof SaleRow)[]).some((k) => patch[k] !== sale[k]);
    if (differs || verdict.settled) salePatch = { ...patch, updated_at: now };
  }

  const noteworthy =
    a.state !== state ||
    verdict.settled ||
    paymentId !== a.payment_id ||
    (current && (why.code !== sale.reason_code || params !== sale.reason_params)) ||
    // One-off happenings are always journaled; a look that merely repeats itself (still looking,
    // still unreachable) is journaled only when it changed something, or an unknown sale watched
    // for days would fill its timeline with the same line.
    (kind !== 'state' && !REPEATING_KINDS.has(kind));
  const events: NewEvent[] = [];
  if (noteworthy) {
    events.push({
      at: now,
      saleId: a.sale_id,
      attemptId: a.id,
      kind: verdict.settled ? 'settled' : kind,
      state,
      reason: why,
      data: {
        chargeState: snapshot?.rawState ?? a.charge_state,
        paymentId,
        ...(verdict.errorCode ? { errorCode: verdict.errorCode } : {}),
      },
    });
  }
  if (verdict.terminalMismatch) {
    events.push({
      at: now,
      saleId: a.sale_id,
      attemptId: a.id,
      kind: 'terminal_mismatch',
      state,
      reason: reason('terminalMismatch', verdict.terminalMismatch),
    });
  }
  return { attemptPatch, salePatch, events, settled: verdict.settled };
}

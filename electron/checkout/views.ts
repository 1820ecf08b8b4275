/** Journal rows → the contract's SaleView / SaleDetail. */
import {
  RETRYABLE_STATES,
  SaleStateSchema,
  type CartLine,
  type SaleDetail,
  type SaleState,
  type SaleView,
} from '../../shared/contract';
import { isErrorCode } from '../../shared/errors';
import type { SiteId } from '../../shared/money';
import { isReasonCode, ReasonParamsSchema, type Reason } from '../../shared/reasons';
import type { EventRow, Journal, RefundRow, SaleRow } from './journal';

const iso = (ms: number) => new Date(ms).toISOString();

/** A journaled code and its parameters as a Reason; anything unreadable becomes a neutral code. */
export function readReason(code: string | null, params: string | null, fallback: Reason['code'] = 'checking'): Reason {
  let parsed: Reason['params'] = {};
  if (params) {
    try {
      const p = ReasonParamsSchema.safeParse(JSON.parse(params));
      if (p.success) parsed = p.data;
    } catch {
      // A damaged parameter list must not hide the sale: the code alone still says why.
    }
  }
  return { code: isReasonCode(code) ? code : fallback, params: parsed };
}

/** States a manager may close by hand: nothing but a person can end them when evidence never comes. */
export function isResolvable(state: SaleState): boolean {
  return state === 'unknown' || state === 'processing';
}

export function saleView(row: SaleRow, lines: CartLine[]): SaleView {
  return {
    id: row.id,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    state: row.state,
    total: row.total,
    site: row.site as SiteId,
    currency: row.currency,
    lines,
    cartDiscount: row.cart_discount,
    register: row.register,
    terminalId: row.terminal_id,
    family: row.family,
    externalReference: row.external_reference,
    paymentId: row.payment_id,
    cardBrand: row.card_brand,
    cardLast4: row.card_last4,
    refundedAmount: row.refunded_amount,
    expiresAt: row.expires_at === null ? null : iso(row.expires_at),
    cancellable: row.cancellable === 1,
    retryable: RETRYABLE_STATES.includes(row.state),
    resolvable: isResolvable(row.state),
    reason: row.reason_code === null ? null : readReason(row.reason_code, row.reason_params),
    errorCode: isErrorCode(row.error_code) ? row.error_code : null,
  };
}

export function loadView(journal: Journal, row: SaleRow): SaleView {
  return saleView(row, journal.lines(row.id));
}

export function refundView(r: RefundRow): SaleDetail['refunds'][number] {
  return { id: r.id, at: iso(r.created_at), amount: r.amount, state: r.state };
}

/**
 * What a timeline entry needs of a journal event: a row of this till's journal, or the same event as
 * the outbox pushed it to the shop (shop-history.ts reads another till's sale there). One mapping for
 * both, so a sale's timeline reads alike on the till that made it and in the whole-shop history.
 */
export type TimelineEvent = Pick<EventRow, 'at' | 'kind' | 'reason_code' | 'reason_params'> & { state: string | null };

export function timelineEntry(e: TimelineEvent): SaleDetail['timeline'][number] {
  return {
    at: iso(e.at),
    // A state this build does not know (another till, newer) must not make the whole detail fail the contract.
    state: SaleStateSchema.safeParse(e.state).success ? (e.state as SaleState) : null,
    kind: e.kind,
    reason: readReason(e.reason_code, e.reason_params),
  };
}

export function saleDetail(journal: Journal, row: SaleRow): SaleDetail {
  return {
    ...loadView(journal, row),
    timeline: journal.eventsOfSale(row.id).map(timelineEntry),
    refunds: journal.refundsOfSale(row.id).map(refundView),
  };
}

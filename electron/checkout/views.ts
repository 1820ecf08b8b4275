/** Journal rows → the contract's SaleView / SaleDetail. */
import type { CartLine, SaleDetail, SaleState, SaleView } from '../../shared/contract';
import { isErrorCode } from '../../shared/errors';
import type { SiteId } from '../../shared/money';
import type { EventRow, Journal, RefundRow, SaleRow } from './journal';

const iso = (ms: number) => new Date(ms).toISOString();

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
    message: row.message,
    errorCode: isErrorCode(row.error_code) ? row.error_code : null,
  };
}

export function loadView(journal: Journal, row: SaleRow): SaleView {
  return saleView(row, journal.lines(row.id));
}

export function refundView(r: RefundRow): SaleDetail['refunds'][number] {
  return { id: r.id, at: iso(r.created_at), amount: r.amount, state: r.state };
}

export function timelineEntry(e: EventRow): SaleDetail['timeline'][number] {
  return { at: iso(e.at), state: (e.state as SaleState | null) ?? null, kind: e.kind, detail: e.detail };
}

export function saleDetail(journal: Journal, row: SaleRow): SaleDetail {
  return {
    ...loadView(journal, row),
    timeline: journal.eventsOfSale(row.id).map(timelineEntry),
    refunds: journal.refundsOfSale(row.id).map(refundView),
  };
}

/**
 * A sale made on another till of the shop, copied into this till's journal so this till can refund it.
 *
 * The refund belongs to the till that makes it: its row, its idempotency key and its events are in
 * this journal (and reach the shop through this till's outbox), like any refund here. RefundDesk needs
 * the sale and its paid attempt locally (the charge's family, ids and payment), so they are written
 * here first, from the shop's snapshot of the sale, with the other till's register name on the sale:
 * the copy says whose sale it is. It is inserted once and never changed by this till except through
 * what RefundDesk does with any sale (its refunded amount, its refund events).
 */
import type { CartLine, TerminalFamily } from '../../shared/contract';
import { reason } from '../../shared/reasons';
import type { Journal } from '../checkout/journal';

export interface SaleCopy {
  id: string;
  createdAt: number;
  day: string;
  total: number;
  site: string;
  currency: string;
  cartDiscount: number;
  /** The register (till) that made the sale. */
  register: string;
  terminalId: string;
  family: TerminalFamily;
  paymentId: string;
  cardBrand: string | null;
  cardLast4: string | null;
  refundedAmount: number;
  lines: CartLine[];
  attempt: {
    id: string;
    seq: number;
    amount: number;
    idempotencyKey: string;
    externalReference: string;
    chargeId: string | null;
    orderPaymentId: string | null;
  };
}

/** Writes the copy unless the sale is already in this journal; true when it wrote it. */
export function adoptSale(journal: Journal, copy: SaleCopy, now: number): boolean {
  return journal.tx(() => {
    if (journal.getSale(copy.id)) return false;
    journal.insertSale({
      id: copy.id,
      created_at: copy.createdAt,
      updated_at: now,
      day: copy.day,
      state: 'approved',
      total: copy.total,
      site: copy.site,
      currency: copy.currency,
      cart_discount: copy.cartDiscount,
      register: copy.register,
      terminal_id: copy.terminalId,
      family: copy.family,
      current_attempt_id: copy.attempt.id,
      external_reference: copy.attempt.externalReference,
      payment_id: copy.paymentId,
      card_brand: copy.cardBrand,
      card_last4: copy.cardLast4,
      refunded_amount: copy.refundedAmount,
      expires_at: null,
      cancellable: 0,
      message: null,
      reason_code: 'approved',
      reason_params: '{}',
      error_code: null,
      search_text: [...copy.lines.map((l) => l.name), copy.attempt.externalReference, copy.paymentId, copy.register]
        .join(' ')
        .toLowerCase(),
    });
    journal.replaceLines(copy.id, copy.lines);
    journal.insertAttempt({
      id: copy.attempt.id,
      sale_id: copy.id,
      seq: copy.attempt.seq,
      terminal_id: copy.terminalId,
      family: copy.family,
      amount: copy.attempt.amount,
      description: '',
      idempotency_key: copy.attempt.idempotencyKey,
      external_reference: copy.attempt.externalReference,
      charge_id: copy.attempt.chargeId,
      charge_state: null,
      payment_id: copy.paymentId,
      order_payment_id: copy.attempt.orderPaymentId,
      state: 'approved',
      settled: 1,
      created_at: copy.createdAt,
      sent_at: copy.createdAt,
      expires_at: null,
      settled_at: copy.createdAt,
      cancel_requested_at: null,
      cancel_reason: null,
      create_body: null,
      cancel_key: null,
    });
    journal.appendEvent({
      at: now,
      saleId: copy.id,
      attemptId: copy.attempt.id,
      kind: 'sale_adopted',
      state: 'approved',
      // Read as "sale of {amount} on {register}": whose sale this is, in the cashier's language.
      reason: reason('saleCreated', { amount: copy.total, currency: copy.currency, register: copy.register }),
      data: { from: copy.register },
    });
    return true;
  });
}

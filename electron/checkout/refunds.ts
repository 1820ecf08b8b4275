/**
 * Refunds of approved sales, full or partial, journaled like charges: the refund row and its
 * idempotency key are written before the request leaves; an unanswered refund stays `unknown` and is
 * settled later by reading the payment's refunded amount (or replaying the same key). Refunds made
 * outside Caja (in Mercado Pago's panel) are folded into what is left to refund before each refund.
 */
import { randomUUID } from 'node:crypto';
import { CajaError } from '../../shared/errors';
import { currencyOf, minorToDecimalString } from '../../shared/money';
import { reason, type Reason } from '../../shared/reasons';
import { isOutcomeUnknown } from '../point/point-error';
import type { CheckoutDeps } from './deps';
import type { RefundRow, SaleRow } from './journal';

export type RefundDeps = Pick<CheckoutDeps, 'journal' | 'directory' | 'clock' | 'log' | 'site' | 'isClosed' | 'pushSale'>;

export class RefundDesk {
  private readonly busy = new Set<string>();
  private readonly timers = new Map<string, unknown>();
  private stopped = false;

  constructor(private readonly d: RefundDeps) {}

  async refund(saleRow: SaleRow, amount: number | undefined): Promise<void> {
    const { journal, site } = this.d;
    if (saleRow.state !== 'approved' || !saleRow.payment_id || !saleRow.current_attempt_id) {
      throw new CajaError('NOT_REFUNDABLE', 'Only approved sales can be refunded.');
    }
    if (this.busy.has(saleRow.id)) throw new CajaError('CONFLICT', 'A refund of this sale is already being sent.');
    await this.foldOutsideRefunds(saleRow.id);
    const sale = journal.getSale(saleRow.id)!;
    const open = journal.refundsOfSale(sale.id).filter((r) => r.state === 'pending' || r.state === 'unknown');
    if (open.length > 0) {
      throw new CajaError(
        'CONFLICT',
        'An earlier refund of this sale is still being confirmed with Mercado Pago. Check it again in a moment.',
      );
    }
    const remaining = sale.total - sale.refunded_amount;
    if (amount !== undefined && (!Number.isSafeInteger(amount) || amount <= 0)) {
      throw new CajaError('INVALID_AMOUNT', 'The refund must be a positive whole amount.');
    }
    if (remaining <= 0) throw new CajaError('NOT_REFUNDABLE', 'This sale was already refunded in full.');
    const value = amount ?? remaining;
    if (value > remaining) {
      throw new CajaError(
        'NOT_REFUNDABLE',
        `At most ${minorToDecimalString(remaining, site)} of this sale can still be refunded.`,
      );
    }
    const attempt = journal.getAttempt(saleRow.current_attempt_id)!;
    const now = this.d.clock.now();
    const row: RefundRow = {
      id: randomUUID(),
      sale_id: sale.id,
      attempt_id: attempt.id,
      payment_id: saleRow.payment_id,
      amount: value,
      // Only "everything, nothing refunded before" goes without an amount: the API's full refund.
      full: value === sale.total && sale.refunded_amount === 0 ? 1 : 0,
      idempotency_key: randomUUID(),
      state: 'pending',
      created_at: now,
      updated_at: now,
    };
    journal.tx(() => {
      journal.insertRefund(row);
      journal.appendEvent({
        at: now,
        saleId: sale.id,
        refundId: row.id,
        kind: 'refund_requested',
        state: sale.state,
        reason: reason('refundRequested', { amount: value, currency: currencyOf(site) }),
        data: { idempotencyKey: row.idempotency_key, amount: value },
      });
    });
    this.busy.add(sale.id);
    try {
      await this.send(row);
    } finally {
      this.busy.delete(sale.id);
    }
  }

  private async send(row: RefundRow): Promise<void> {
    const { journal, directory } = this.d;
    const attempt = journal.getAttempt(row.attempt_id)!;
    try {
      await directory.refund(
        attempt.family,
        { chargeId: attempt.charge_id ?? '', paymentId: row.payment_id, orderPaymentId: attempt.order_payment_id },
        row.idempotency_key,
        row.full ? undefined : row.amount,
      );
    } catch (e) {
      if (this.d.isClosed()) return;
      if (isOutcomeUnknown(e) || !(e instanceof CajaError) || e.code === 'UNEXPECTED_RESPONSE') {
        this.mark(row, 'unknown', reason('refundUnconfirmed', { amount: row.amount, currency: currencyOf(this.d.site) }));
        this.schedule(row.id, 2000, 1);
        return;
      }
      this.mark(row, 'failed', reason('refundFailed', { code: e.code }));
      throw e;
    }
    if (this.d.isClosed()) return;
    this.mark(row, 'approved', reason('refundApproved', { amount: row.amount, currency: currencyOf(this.d.site) }));
  }

  /**
   * A refund made in Mercado Pago's panel (or by another app) never passed through Caja: the
   * payment's refunded amount beyond what the journal knows is recorded, so "what is left" is true.
   */
  async foldOutsideRefunds(saleId: string): Promise<void> {
    const { journal, directory, clock, site } = this.d;
    const sale = journal.getSale(saleId);
    if (!sale?.payment_id || sale.state !== 'approved') return;
    let refundedThere: number;
    try {
      refundedThere = (await directory.getPayment(sale.payment_id)).refundedMinor;
    } catch {
      // Unreadable now: Mercado Pago itself still refuses a refund beyond what is left.
      return;
    }
    if (this.d.isClosed()) return;
    let changed = false;
    journal.tx(() => {
      const fresh = journal.getSale(saleId)!;
      const pending = journal.refundsOfSale(saleId).some((r) => r.state === 'pending' || r.state === 'unknown');
      const elsewhere = refundedThere - fresh.refunded_amount;
      if (pending || elsewhere <= 0) return;
      const now = clock.now();
      journal.updateSale(saleId, { refunded_amount: fresh.refunded_amount + elsewhere, updated_at: now });
      journal.appendEvent({
        at: now,
        saleId,
        kind: 'refund_elsewhere',
        state: fresh.state,
        reason: reason('refundFoundElsewhere', { amount: elsewhere, currency: currencyOf(site) }),
      });
      changed = true;
    });
    if (changed) this.d.pushSale(saleId);
  }

  private mark(row: RefundRow, state: RefundRow['state'], why: Reason): void {
    const { journal, clock } = this.d;
    if (this.d.isClosed()) return;
    const now = clock.now();
    journal.tx(() => {
      const current = journal.get<RefundRow>('SELECT * FROM refunds WHERE id = ?', row.id);
      if (!current || current.state === 'approved' || current.state === 'failed') return;
      journal.updateRefund(row.id, { state, updated_at: now });
      if (state === 'approved') {
        const sale = journal.getSale(row.sale_id)!;
        journal.updateSale(row.sale_id, { refunded_amount: sale.refunded_amount + row.amount, updated_at: now });
      }
      journal.appendEvent({ at: now, saleId: row.sale_id, refundId: row.id, kind: `refund_${state}`, state: null, reason: why });
    });
    this.d.pushSale(row.sale_id);
  }

  /** Settles an unanswered refund: the payment's refunded amount says whether it happened. */
  async settle(row: RefundRow): Promise<void> {
    const { journal, directory } = this.d;
    const payment = await directory.getPayment(row.payment_id);
    // Everything refunded before this one, in Caja or (folded in earlier) elsewhere.
    const approvedBefore = journal.getSale(row.sale_id)!.refunded_amount;
    if (payment.refundedMinor >= approvedBefore + row.amount) {
      this.mark(row, 'approved', reason('refundApproved', { amount: row.amount, currency: currencyOf(this.d.site) }));
      return;
    }
    // Not there: replay the same key. A refund API that honours it cannot refund twice.
    await this.send(row);
  }

  private schedule(refundId: string, delayMs: number, tries: number): void {
    if (this.stopped || tries > 8) return;
    const t = this.d.clock.setTimeout(() => {
      this.timers.delete(refundId);
      const row = this.d.journal.get<RefundRow>('SELECT * FROM refunds WHERE id = ?', refundId);
      if (!row || (row.state !== 'pending' && row.state !== 'unknown') || this.stopped) return;
      this.settle(row).catch(() => this.schedule(refundId, Math.min(delayMs * 2, 60_000), tries + 1));
    }, delayMs);
    this.timers.set(refundId, t);
  }

  recoverOpen(): void {
    for (const r of this.d.journal.openRefunds()) this.schedule(r.id, 0, 1);
  }

  async recheckSale(saleId: string): Promise<void> {
    for (const r of this.d.journal.refundsOfSale(saleId)) {
      if (r.state === 'pending' || r.state === 'unknown') await this.settle(r).catch(() => undefined);
    }
    await this.foldOutsideRefunds(saleId);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) this.d.clock.clearTimeout(t);
    this.timers.clear();
  }
}

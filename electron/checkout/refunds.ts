/**
 * Refunds of approved sales, full or partial, journaled like charges: the refund row and its
 * idempotency key are written before the request leaves; an unanswered refund stays `unknown` and is
 * settled later by reading the payment's refunded amount (or replaying the same key).
 */
import { randomUUID } from 'node:crypto';
import { CajaError } from '../../shared/errors';
import { minorToDecimalString, type SiteId } from '../../shared/money';
import { isOutcomeUnknown } from '../point/point-error';
import type { TerminalDirectory } from '../point/terminal-directory';
import type { Clock, Logger } from './engine-api';
import type { Journal, RefundRow, SaleRow } from './journal';

export interface RefundDeps {
  journal: Journal;
  directory: TerminalDirectory;
  clock: Clock;
  log: Logger;
  site: SiteId;
  isClosed: () => boolean;
  pushSale: (saleId: string) => void;
}

export class RefundDesk {
  private readonly busy = new Set<string>();
  private readonly timers = new Map<string, unknown>();
  private stopped = false;

  constructor(private readonly d: RefundDeps) {}

  async refund(sale: SaleRow, amount: number | undefined): Promise<void> {
    const { journal, site } = this.d;
    if (sale.state !== 'approved' || !sale.payment_id || !sale.current_attempt_id) {
      throw new CajaError('NOT_REFUNDABLE', 'Only approved sales can be refunded.');
    }
    if (this.busy.has(sale.id)) throw new CajaError('CONFLICT', 'A refund of this sale is already being sent.');
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
    const attempt = journal.getAttempt(sale.current_attempt_id)!;
    const now = this.d.clock.now();
    const row: RefundRow = {
      id: randomUUID(),
      sale_id: sale.id,
      attempt_id: attempt.id,
      payment_id: sale.payment_id,
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
        detail: `Refund of ${minorToDecimalString(value, site)} requested.`,
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
        this.mark(row, 'unknown', "Mercado Pago's answer to the refund was lost. Caja will confirm it.");
        this.schedule(row.id, 2000, 1);
        return;
      }
      this.mark(row, 'failed', e.message);
      throw e;
    }
    if (this.d.isClosed()) return;
    this.mark(row, 'approved', `Refund of ${minorToDecimalString(row.amount, this.d.site)} approved.`);
  }

  private mark(row: RefundRow, state: RefundRow['state'], detail: string): void {
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
      journal.appendEvent({ at: now, saleId: row.sale_id, refundId: row.id, kind: `refund_${state}`, state: null, detail });
    });
    this.d.pushSale(row.sale_id);
  }

  /** Settles an unanswered refund: the payment's refunded amount says whether it happened. */
  async settle(row: RefundRow): Promise<void> {
    const { journal, directory } = this.d;
    const payment = await directory.getPayment(row.payment_id);
    const approvedBefore = journal
      .refundsOfSale(row.sale_id)
      .filter((r) => r.state === 'approved' && r.id !== row.id)
      .reduce((s, r) => s + r.amount, 0);
    if (payment.refundedMinor >= approvedBefore + row.amount) {
      this.mark(row, 'approved', `Refund of ${minorToDecimalString(row.amount, this.d.site)} confirmed by Mercado Pago.`);
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
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) this.d.clock.clearTimeout(t);
    this.timers.clear();
  }
}

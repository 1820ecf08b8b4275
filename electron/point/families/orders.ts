/** Orders API (`type: "point"`) behind the one `PointFamily` interface. */
import type { OperatingMode } from '../../../shared/contract';
import { CajaError } from '../../../shared/errors';
import type { ChargePhase, ChargeSnapshot, DirectoryTerminal, PointFamily, RefundTarget, StartChargeInput } from '../charge';
import { reachability } from '../charge';
import type { Order, OrdersClient } from '../orders-api';
import type { PaymentsClient } from '../payments';
import { isOutcomeUnknown } from '../point-error';

export class OrdersFamily implements PointFamily {
  readonly name = 'orders' as const;
  // A replayed key returns the first order: a lost create is found again by sending it once more.
  readonly createReplaySafe = true;

  constructor(
    private readonly orders: OrdersClient,
    private readonly payments: PaymentsClient,
  ) {}

  checkAmount(amountMinor: number): void {
    this.orders.toWireAmount(amountMinor);
  }

  async listTerminals(): Promise<DirectoryTerminal[]> {
    return (await this.orders.listTerminals()).map((t) => ({
      id: t.id,
      family: this.name,
      label: t.external_pos_id ?? t.id,
      mode: t.operating_mode ?? null,
      status: reachability(t.status, t.online),
      storeId: t.store_id,
      posId: t.pos_id,
      pendingChargeId: null,
    }));
  }

  setMode(terminalId: string, mode: OperatingMode, idempotencyKey: string): Promise<OperatingMode> {
    return this.orders.setMode(terminalId, mode, idempotencyKey);
  }

  createBody(input: StartChargeInput): string {
    return JSON.stringify(this.orders.createBody(input));
  }

  async create(terminalId: string, body: string, idempotencyKey: string): Promise<ChargeSnapshot> {
    return this.snapshot(await this.orders.createFromBody(body, idempotencyKey), terminalId);
  }

  async read(chargeId: string, terminalId: string): Promise<ChargeSnapshot> {
    return this.snapshot(await this.orders.read(chargeId), terminalId);
  }

  async cancel(_terminalId: string, chargeId: string, idempotencyKey: string): Promise<void> {
    await this.orders.cancel(chargeId, idempotencyKey);
  }

  /** The order is found by replaying its create (the engine does that with the journaled body). */
  cancelOnTerminal(): Promise<boolean> {
    return Promise.resolve(false);
  }

  /** Nothing to list: the engine replays the journaled create, which answers the first order. */
  findLost(): Promise<ChargeSnapshot | null> {
    return Promise.resolve(null);
  }

  /**
   * `/v1/orders/{id}/refund` first; an order that went through `action_required` may refuse it
   * although its payment is approved, so the payment's own refund is the fallback.
   */
  async refund(target: RefundTarget, idempotencyKey: string, amountMinor: number | undefined): Promise<void> {
    try {
      await this.orders.refund(
        target.chargeId,
        idempotencyKey,
        amountMinor === undefined ? undefined : { orderPaymentId: target.orderPaymentId ?? target.paymentId, amountMinor },
      );
    } catch (e) {
      // Only a definite refusal: after a try whose outcome is unknown the order's refund may have
      // happened, and a second refund through the payment would give the money back twice.
      if (!(e instanceof CajaError) || e.code !== 'NOT_REFUNDABLE' || isOutcomeUnknown(e) || !/^\d+$/.test(target.paymentId)) throw e;
      await this.payments.refund(target.paymentId, `${idempotencyKey}:payment`, amountMinor);
    }
  }

  private snapshot(order: Order, terminalId: string): ChargeSnapshot {
    const phase: ChargePhase = (
      {
        created: 'queued',
        at_terminal: 'at_terminal',
        // A payment in process is the issuer's to decide, maybe minutes later: ask the payment, with back-off.
        processing: /in_process|pending/.test(order.statusDetail ?? '') ? 'needs_lookup' : 'processing',
        processed: 'finished',
        failed: 'finished',
        refunded: 'finished',
        action_required: 'needs_lookup',
        canceled: /terminal|abandon/i.test(order.statusDetail ?? '') ? 'abandoned' : 'cancelled',
        expired: 'expired',
        other: 'unrecognized',
      } as const
    )[order.status];
    return {
      family: this.name,
      chargeId: order.id,
      phase,
      rawState:
        order.statusDetail && order.statusDetail !== order.rawStatus
          ? `${order.rawStatus}/${order.statusDetail}`
          : (order.rawStatus ?? 'unknown'),
      paymentId: order.payment?.paymentId ?? null,
      amountMinor: order.payment?.amountMinor ?? null,
      terminalId: order.terminalId ?? terminalId,
      externalReference: order.externalReference,
      orderPayment: order.payment,
      statusDetail: order.statusDetail,
    };
  }
}

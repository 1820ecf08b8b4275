/** Mobile "Integration via API" (the Mercado Pago app on a phone) behind the one `PointFamily` interface. */
import { CajaError } from '../../../shared/errors';
import type { ChargePhase, ChargeSnapshot, DirectoryTerminal, PointFamily, RefundTarget, StartChargeInput } from '../charge';
import type { MobileClient, MobileOrder } from '../mobile-api';
import type { PaymentsClient } from '../payments';

export class MobileFamily implements PointFamily {
  readonly name = 'mobile' as const;
  readonly createReplaySafe = false;
  /** The shop server's webhook URL, named on each create: phones have no panel topic of their own. */
  notificationUrl: string | null = null;

  constructor(
    private readonly mobile: MobileClient,
    private readonly payments: PaymentsClient,
  ) {}

  checkAmount(amountMinor: number): void {
    this.mobile.toWireAmount(amountMinor);
  }

  async listTerminals(): Promise<DirectoryTerminal[]> {
    return (await this.mobile.listDevices()).map((d) => ({
      id: d.name,
      family: this.name,
      label: d.name,
      mode: null,
      // A phone whose app is closed lists as BUSY with no payment attempt: it cannot take a charge.
      status: d.status === 'OFFLINE' || (d.status === 'BUSY' && d.paymentAttempt === null) ? 'offline' : d.status === 'BUSY' ? 'busy' : 'free',
      storeId: null,
      posId: null,
      pendingChargeId: d.paymentAttempt,
    }));
  }

  setMode(): Promise<never> {
    return Promise.reject(new CajaError('INVALID_INPUT', 'Phones running the Mercado Pago app have no operating mode to set.'));
  }

  createBody(input: StartChargeInput): string {
    return JSON.stringify(
      this.mobile.createBody({ ...input, deviceName: input.terminalId, notificationUrl: this.notificationUrl }),
    );
  }

  async create(terminalId: string, body: string, idempotencyKey: string): Promise<ChargeSnapshot> {
    const order = await this.mobile.createFromBody(body, idempotencyKey);
    return this.snapshot(order, order.id ?? '', terminalId);
  }

  async read(chargeId: string, terminalId: string): Promise<ChargeSnapshot> {
    return this.snapshot(await this.mobile.read(chargeId), chargeId, terminalId);
  }

  cancel(_terminalId: string, chargeId: string, idempotencyKey: string): Promise<void> {
    return this.mobile.cancel(chargeId, idempotencyKey);
  }

  /** The phone's own cancel takes off whatever is waiting on it, whatever its id. */
  async cancelOnTerminal(terminalId: string, idempotencyKey: string): Promise<boolean> {
    await this.mobile.cancelByDevice(terminalId, idempotencyKey);
    return true;
  }

  /** The phone names the order it holds; only a CLOSED one shows its reference, so only that one is provably ours. */
  async findLost(terminalId: string, externalReference: string): Promise<ChargeSnapshot | null> {
    const device = (await this.mobile.listDevices()).find((d) => d.name === terminalId);
    if (!device?.paymentAttempt) return null;
    const order = await this.mobile.read(device.paymentAttempt);
    if (order.externalReference === externalReference) return this.snapshot(order, device.paymentAttempt, terminalId);
    return null;
  }

  async refund(target: RefundTarget, idempotencyKey: string, amountMinor: number | undefined): Promise<void> {
    await this.payments.refund(target.paymentId, idempotencyKey, amountMinor);
  }

  private snapshot(order: MobileOrder, chargeId: string, terminalId: string): ChargeSnapshot {
    let phase: ChargePhase;
    if (order.status === 'OPEN') phase = 'at_terminal';
    else if (order.status === 'CANCELED') phase = 'cancelled';
    else if (order.status === 'CLOSED') phase = order.paymentId ? 'finished' : 'closed';
    else phase = 'unrecognized';
    return {
      family: this.name,
      chargeId: order.id ?? chargeId,
      phase,
      rawState: order.paymentStatus ? `${order.rawStatus}/${order.paymentStatus}` : order.rawStatus,
      paymentId: order.paymentId,
      amountMinor: null,
      terminalId,
      externalReference: order.externalReference,
      orderPayment: null,
      statusDetail: order.paymentStatus,
    };
  }
}

/**
 * One interface over the three Point families: lists every terminal of the account with a normalized
 * status, and routes each operation to the family's client. The engine speaks only this.
 */
import type { TerminalFamily } from '../../shared/contract';
import type { SiteId } from '../../shared/money';
import type { Clock, Logger } from '../checkout/engine-api';
import { PointHttp, silentLogger, type PointHttpOptions } from './http';
import { MobileClient } from './mobile-api';
import { OrdersClient, type Order } from './orders-api';
import { PaymentIntentsClient, type Intent } from './payment-intents';
import { PaymentsClient, type Payment } from './payments';
import { PointError } from './point-error';
import type { MobileOrder } from './mobile-api';

export interface DirectoryTerminal {
  id: string;
  family: TerminalFamily;
  label: string;
  mode: 'PDV' | 'STANDALONE' | null;
  status: 'free' | 'busy' | 'offline';
  storeId: string | null;
  posId: string | null;
  /** The charge the API says is on it (mobile only reports this). */
  pendingChargeId: string | null;
}

/**
 * Where a charge is, in one vocabulary for the three families. `finished` and `needs_lookup` mean
 * "ask /v1/payments": neither says whether the card was approved.
 */
export type ChargePhase =
  | 'queued'
  | 'at_terminal'
  | 'processing'
  | 'finished'
  | 'needs_lookup'
  | 'cancelled'
  | 'abandoned'
  | 'expired'
  | 'error'
  | 'unrecognized';

export interface ChargeSnapshot {
  family: TerminalFamily;
  chargeId: string;
  phase: ChargePhase;
  /** The family's own word, for the journal and the people reading it. */
  rawState: string;
  paymentId: string | null;
  amountMinor: number | null;
  terminalId: string | null;
  externalReference: string | null;
  /** The Orders API's view of its payment, used only when no /v1/payments record exists. */
  orderPayment: Order['payment'];
  statusDetail: string | null;
}

export interface StartChargeInput {
  terminalId: string;
  family: TerminalFamily;
  amountMinor: number;
  description: string;
  externalReference: string;
  idempotencyKey: string;
  /** How long the terminal should wait for the card (orders honour it; others are cancelled by Caja). */
  expirationSeconds: number;
}

export interface TerminalDirectoryOptions extends Omit<PointHttpOptions, 'log' | 'clock'> {
  site: SiteId;
  log?: Logger;
  clock?: Clock;
}

/** Families whose create may be repeated with the same key: the API answers the first charge again. */
export const CREATE_REPLAY_SAFE: Record<TerminalFamily, boolean> = { orders: true, intents: false, mobile: false };

export class TerminalDirectory {
  readonly http: PointHttp;
  readonly intents: PaymentIntentsClient;
  readonly orders: OrdersClient;
  readonly mobile: MobileClient;
  readonly payments: PaymentsClient;
  private readonly log: Logger;

  constructor(options: TerminalDirectoryOptions) {
    this.log = options.log ?? silentLogger;
    this.http = new PointHttp(options);
    this.intents = new PaymentIntentsClient(this.http, options.site);
    this.orders = new OrdersClient(this.http, options.site);
    this.mobile = new MobileClient(this.http, options.site);
    this.payments = new PaymentsClient(this.http, options.site);
  }

  /** Converts and checks the amount for the family without sending anything (INVALID_AMOUNT). */
  checkAmount(family: TerminalFamily, amountMinor: number): void {
    if (family === 'intents') this.intents.toWireAmount(amountMinor);
    else if (family === 'orders') this.orders.toWireAmount(amountMinor);
    else this.mobile.toWireAmount(amountMinor);
  }

  /**
   * Every terminal of the account. A family the account does not use (or that fails) is left out
   * and logged, unless all fail: then the first error is the answer (usually AUTH or NETWORK).
   */
  async listTerminals(): Promise<DirectoryTerminal[]> {
    const results = await Promise.allSettled([this.listIntentDevices(), this.listOrderTerminals(), this.listMobileDevices()]);
    const out: DirectoryTerminal[] = [];
    const errors: unknown[] = [];
    for (const r of results) {
      if (r.status === 'fulfilled') out.push(...r.value);
      else errors.push(r.reason);
    }
    if (errors.length === results.length) throw toPointError(errors[0]);
    const auth = errors.find((e) => e instanceof PointError && e.code === 'AUTH');
    if (auth) throw auth;
    for (const e of errors) this.log.warn('terminal family unavailable', { code: e instanceof PointError ? e.code : 'INTERNAL' });
    return out;
  }

  private async listIntentDevices(): Promise<DirectoryTerminal[]> {
    const devices = await this.intents.listDevices();
    return devices.map((d) => ({
      id: d.id,
      family: 'intents' as const,
      label: d.external_pos_id ?? d.id,
      mode: d.operating_mode ?? null,
      status: reachability(d.status, d.online),
      storeId: d.store_id,
      posId: d.pos_id,
      pendingChargeId: null,
    }));
  }

  private async listOrderTerminals(): Promise<DirectoryTerminal[]> {
    const terminals = await this.orders.listTerminals();
    return terminals.map((t) => ({
      id: t.id,
      family: 'orders' as const,
      label: t.external_pos_id ?? t.id,
      mode: t.operating_mode ?? null,
      status: reachability(t.status, t.online),
      storeId: t.store_id,
      posId: t.pos_id,
      pendingChargeId: null,
    }));
  }

  private async listMobileDevices(): Promise<DirectoryTerminal[]> {
    const devices = await this.mobile.listDevices();
    return devices.map((d) => ({
      id: d.name,
      family: 'mobile' as const,
      label: d.name,
      mode: null,
      status: d.status === 'OFFLINE' ? 'offline' : d.status === 'BUSY' ? 'busy' : 'free',
      storeId: null,
      posId: null,
      pendingChargeId: d.paymentAttempt,
    }));
  }

  async setMode(
    terminalId: string,
    family: TerminalFamily,
    mode: 'PDV' | 'STANDALONE',
    idempotencyKey: string,
  ): Promise<'PDV' | 'STANDALONE'> {
    if (family === 'intents') return this.intents.setMode(terminalId, mode, idempotencyKey);
    if (family === 'orders') return this.orders.setMode(terminalId, mode, idempotencyKey);
    throw new PointError('INVALID_INPUT', 'Phones running the Mercado Pago app have no operating mode to set.');
  }

  async startCharge(input: StartChargeInput): Promise<ChargeSnapshot> {
    if (input.family === 'intents') {
      const intent = await this.intents.create({
        deviceId: input.terminalId,
        amountMinor: input.amountMinor,
        description: input.description,
        externalReference: input.externalReference,
        idempotencyKey: input.idempotencyKey,
      });
      // A create answer may omit the state: it is queued until read otherwise.
      return this.fromIntent(
        { ...intent, state: intent.rawState ? intent.state : 'OPEN', rawState: intent.rawState ?? 'OPEN' },
        input,
      );
    }
    if (input.family === 'orders') {
      const order = await this.orders.create({
        terminalId: input.terminalId,
        amountMinor: input.amountMinor,
        description: input.description,
        externalReference: input.externalReference,
        idempotencyKey: input.idempotencyKey,
        expirationSeconds: input.expirationSeconds,
      });
      return this.fromOrder(order, input.terminalId);
    }
    const order = await this.mobile.create({
      deviceName: input.terminalId,
      amountMinor: input.amountMinor,
      description: input.description,
      externalReference: input.externalReference,
      idempotencyKey: input.idempotencyKey,
    });
    return this.fromMobile(order, order.id ?? '', input.terminalId, input.externalReference);
  }

  async readCharge(family: TerminalFamily, chargeId: string, terminalId: string): Promise<ChargeSnapshot> {
    if (family === 'intents') return this.fromIntent(await this.intents.read(chargeId), { terminalId });
    if (family === 'orders') return this.fromOrder(await this.orders.read(chargeId), terminalId);
    return this.fromMobile(await this.mobile.read(chargeId), chargeId, terminalId, null);
  }

  async cancelCharge(family: TerminalFamily, terminalId: string, chargeId: string, idempotencyKey: string): Promise<void> {
    if (family === 'intents') return this.intents.cancel(terminalId, chargeId, idempotencyKey);
    if (family === 'orders') {
      await this.orders.cancel(chargeId, idempotencyKey);
      return;
    }
    return this.mobile.cancel(chargeId, idempotencyKey);
  }

  getPayment(paymentId: string): Promise<Payment> {
    return this.payments.get(paymentId);
  }

  findPaymentsByReference(externalReference: string): Promise<Payment[]> {
    return this.payments.searchByExternalReference(externalReference);
  }

  /**
   * Finds a charge whose create answer was lost, by the reference we gave it. Returns null when the
   * family offers no way to find it yet (it may still show up later as a payment).
   */
  async findCharge(
    family: TerminalFamily,
    terminalId: string,
    externalReference: string,
    days: string[],
  ): Promise<ChargeSnapshot | null> {
    if (family === 'intents') {
      const start = days[0]!;
      const end = days[days.length - 1]!;
      const events = await this.intents.finishedEvents(start, end);
      const seen = new Set<string>();
      for (const e of events.reverse()) {
        if (seen.has(e.intentId)) continue;
        seen.add(e.intentId);
        const intent = await this.intents.read(e.intentId);
        if (intent.externalReference === externalReference && (!intent.deviceId || intent.deviceId === terminalId)) {
          return this.fromIntent(intent, { terminalId });
        }
      }
      return null;
    }
    if (family === 'mobile') {
      const device = (await this.mobile.listDevices()).find((d) => d.name === terminalId);
      if (!device?.paymentAttempt) return null;
      const order = await this.mobile.read(device.paymentAttempt);
      // An OPEN order does not show its reference: only a matching CLOSED one is provably ours.
      if (order.externalReference === externalReference)
        return this.fromMobile(order, device.paymentAttempt, terminalId, externalReference);
      return null;
    }
    return null;
  }

  async refund(
    family: TerminalFamily,
    target: { chargeId: string; paymentId: string; orderPaymentId: string | null },
    idempotencyKey: string,
    amountMinor: number | undefined,
  ): Promise<void> {
    if (family === 'orders') {
      await this.orders.refund(
        target.chargeId,
        idempotencyKey,
        amountMinor === undefined ? undefined : { orderPaymentId: target.orderPaymentId ?? target.paymentId, amountMinor },
      );
      return;
    }
    await this.payments.refund(target.paymentId, idempotencyKey, amountMinor);
  }

  private fromIntent(
    intent: Intent,
    ctx: { terminalId: string; amountMinor?: number; externalReference?: string },
  ): ChargeSnapshot {
    const phase: ChargePhase = (
      {
        OPEN: 'queued',
        ON_TERMINAL: 'at_terminal',
        PROCESSING: 'processing',
        PROCESSED: 'processing',
        FINISHED: 'finished',
        CONFIRMATION_REQUIRED: 'needs_lookup',
        CANCELED: 'cancelled',
        ABANDONED: 'abandoned',
        ERROR: 'error',
        EXPIRED: 'expired',
        OTHER: 'unrecognized',
      } as const
    )[intent.state];
    return {
      family: 'intents',
      chargeId: intent.id,
      phase,
      rawState: intent.rawState ?? intent.state,
      paymentId: intent.paymentId,
      amountMinor: null,
      terminalId: intent.deviceId ?? ctx.terminalId,
      externalReference: intent.externalReference ?? ctx.externalReference ?? null,
      orderPayment: null,
      statusDetail: null,
    };
  }

  private fromOrder(order: Order, terminalId: string): ChargeSnapshot {
    const phase: ChargePhase = (
      {
        created: 'queued',
        at_terminal: 'at_terminal',
        processing: 'processing',
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
      family: 'orders',
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

  private fromMobile(order: MobileOrder, chargeId: string, terminalId: string, externalReference: string | null): ChargeSnapshot {
    let phase: ChargePhase;
    if (order.status === 'OPEN') phase = 'at_terminal';
    else if (order.status === 'CANCELED') phase = 'cancelled';
    else if (order.status === 'CLOSED') phase = order.paymentId ? 'finished' : 'abandoned';
    else phase = 'unrecognized';
    return {
      family: 'mobile',
      chargeId: order.id ?? chargeId,
      phase,
      rawState: order.paymentStatus ? `${order.rawStatus}/${order.paymentStatus}` : order.rawStatus,
      paymentId: order.paymentId,
      amountMinor: null,
      terminalId,
      externalReference: order.externalReference ?? externalReference,
      orderPayment: null,
      statusDetail: order.paymentStatus,
    };
  }
}

function reachability(status: string | null | undefined, online: boolean | null | undefined): DirectoryTerminal['status'] {
  if (online === false) return 'offline';
  const s = (status ?? '').toUpperCase();
  if (s === 'OFFLINE' || s === 'DISCONNECTED') return 'offline';
  if (s === 'BUSY') return 'busy';
  return 'free';
}

function toPointError(e: unknown): PointError {
  if (e instanceof PointError) return e;
  return new PointError('INTERNAL', 'Something went wrong while listing terminals.');
}

/**
 * One door to the three Point families: lists every terminal of the account with a normalized
 * status, and routes each operation to the family's own `PointFamily` (one file each, under
 * `families/`). The engine speaks only this; no `if (family === …)` lives here or above.
 */
import type { OperatingMode, TerminalFamily } from '../../shared/contract';
import type { SiteId } from '../../shared/money';
import type { Clock } from '../ground/clock';
import { silentLogger, type Logger } from '../ground/logger';
import type { ChargeSnapshot, DirectoryTerminal, LostCursor, PointFamily, RefundTarget, StartChargeInput } from './charge';
import { IntentsFamily } from './families/intents';
import { MobileFamily } from './families/mobile';
import { OrdersFamily } from './families/orders';
import { PointHttp, type PointHttpOptions } from './http';
import { MobileClient } from './mobile-api';
import { OrdersClient } from './orders-api';
import { PaymentIntentsClient } from './payment-intents';
import { PaymentsClient, type Payment } from './payments';
import { PointError } from './point-error';

export type { ChargePhase, ChargeSnapshot, DirectoryTerminal, StartChargeInput } from './charge';

export interface TerminalDirectoryOptions extends Omit<PointHttpOptions, 'log' | 'clock'> {
  site: SiteId;
  log?: Logger;
  clock?: Clock;
}

export class TerminalDirectory {
  readonly http: PointHttp;
  readonly intents: PaymentIntentsClient;
  readonly orders: OrdersClient;
  readonly mobile: MobileClient;
  readonly payments: PaymentsClient;
  private readonly families: Record<TerminalFamily, PointFamily>;
  private readonly mobileFamily: MobileFamily;
  private readonly log: Logger;

  constructor(options: TerminalDirectoryOptions) {
    this.log = options.log ?? silentLogger;
    this.http = new PointHttp(options);
    this.intents = new PaymentIntentsClient(this.http, options.site);
    this.orders = new OrdersClient(this.http, options.site);
    this.mobile = new MobileClient(this.http, options.site);
    this.payments = new PaymentsClient(this.http, options.site);
    this.families = {
      intents: new IntentsFamily(this.intents, this.payments),
      orders: new OrdersFamily(this.orders, this.payments),
      mobile: (this.mobileFamily = new MobileFamily(this.mobile, this.payments)),
    };
  }

  /** The shop server's public webhook URL, for the phones' creates to name (null: none). */
  setNotificationUrl(url: string | null): void {
    this.mobileFamily.notificationUrl = url;
  }

  family(name: TerminalFamily): PointFamily {
    return this.families[name];
  }

  /** Converts and checks the amount for the family without sending anything (INVALID_AMOUNT). */
  checkAmount(family: TerminalFamily, amountMinor: number): void {
    this.families[family].checkAmount(amountMinor);
  }

  /**
   * Every terminal of the account. A family the account does not use (or that fails) is left out
   * and logged, unless all fail: then the first error is the answer (usually AUTH or NETWORK).
   */
  async listTerminals(): Promise<DirectoryTerminal[]> {
    const all = Object.values(this.families);
    const results = await Promise.allSettled(all.map((f) => f.listTerminals()));
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

  setMode(terminalId: string, family: TerminalFamily, mode: OperatingMode, idempotencyKey: string): Promise<OperatingMode> {
    return this.families[family].setMode(terminalId, mode, idempotencyKey);
  }

  createBody(input: StartChargeInput): string {
    return this.families[input.family].createBody(input);
  }

  /** Builds the body and sends it at once (the engine journals the body between the two). */
  async startCharge(input: StartChargeInput & { idempotencyKey: string }): Promise<ChargeSnapshot> {
    return this.sendCreate(input.family, input.terminalId, this.createBody(input), input.idempotencyKey);
  }

  /** Sends (or replays) a journaled create body with its key. */
  sendCreate(family: TerminalFamily, terminalId: string, body: string, idempotencyKey: string): Promise<ChargeSnapshot> {
    return this.families[family].create(terminalId, body, idempotencyKey);
  }

  readCharge(family: TerminalFamily, chargeId: string, terminalId: string): Promise<ChargeSnapshot> {
    return this.families[family].read(chargeId, terminalId);
  }

  cancelCharge(family: TerminalFamily, terminalId: string, chargeId: string, idempotencyKey: string): Promise<void> {
    return this.families[family].cancel(terminalId, chargeId, idempotencyKey);
  }

  cancelOnTerminal(family: TerminalFamily, terminalId: string, idempotencyKey: string): Promise<boolean> {
    return this.families[family].cancelOnTerminal(terminalId, idempotencyKey);
  }

  findCharge(
    family: TerminalFamily,
    terminalId: string,
    externalReference: string,
    days: string[],
    cursor: LostCursor,
  ): Promise<ChargeSnapshot | null> {
    return this.families[family].findLost(terminalId, externalReference, days, cursor);
  }

  getPayment(paymentId: string): Promise<Payment> {
    return this.payments.get(paymentId);
  }

  findPaymentsByReference(externalReference: string): Promise<Payment[]> {
    return this.payments.searchByExternalReference(externalReference);
  }

  refund(family: TerminalFamily, target: RefundTarget, idempotencyKey: string, amountMinor: number | undefined): Promise<void> {
    return this.families[family].refund(target, idempotencyKey, amountMinor);
  }
}

function toPointError(e: unknown): PointError {
  if (e instanceof PointError) return e;
  return new PointError('INTERNAL', 'Something went wrong while listing terminals.');
}

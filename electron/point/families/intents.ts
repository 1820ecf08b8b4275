/** Point Integrations API ("payment intents") behind the one `PointFamily` interface. */
import type { OperatingMode } from '../../../shared/contract';
import type { ChargePhase, ChargeSnapshot, DirectoryTerminal, LostCursor, PointFamily, RefundTarget, StartChargeInput } from '../charge';
import { reachability, sameTerminal } from '../charge';
import type { PaymentIntentsClient, Intent } from '../payment-intents';
import type { PaymentsClient } from '../payments';

const PHASE: Record<Intent['state'], ChargePhase> = {
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
};

export class IntentsFamily implements PointFamily {
  readonly name = 'intents' as const;
  // The reference documents no replay of intents by key: a repeated create could queue a second one.
  readonly createReplaySafe = false;

  constructor(
    private readonly intents: PaymentIntentsClient,
    private readonly payments: PaymentsClient,
  ) {}

  checkAmount(amountMinor: number): void {
    this.intents.toWireAmount(amountMinor);
  }

  async listTerminals(): Promise<DirectoryTerminal[]> {
    return (await this.intents.listDevices()).map((d) => ({
      id: d.id,
      family: this.name,
      label: d.external_pos_id ?? d.id,
      mode: d.operating_mode ?? null,
      status: reachability(d.status, d.online),
      storeId: d.store_id,
      posId: d.pos_id,
      pendingChargeId: null,
    }));
  }

  setMode(terminalId: string, mode: OperatingMode, idempotencyKey: string): Promise<OperatingMode> {
    return this.intents.setMode(terminalId, mode, idempotencyKey);
  }

  createBody(input: StartChargeInput): string {
    return JSON.stringify(this.intents.createBody(input));
  }

  async create(terminalId: string, body: string, idempotencyKey: string): Promise<ChargeSnapshot> {
    const intent = await this.intents.createFromBody(terminalId, body, idempotencyKey);
    // A create answer may omit the state: it is queued until read otherwise.
    return this.snapshot({ ...intent, state: intent.rawState ? intent.state : 'OPEN', rawState: intent.rawState ?? 'OPEN' }, terminalId);
  }

  async read(chargeId: string, terminalId: string): Promise<ChargeSnapshot> {
    return this.snapshot(await this.intents.read(chargeId), terminalId);
  }

  cancel(terminalId: string, chargeId: string, idempotencyKey: string): Promise<void> {
    return this.intents.cancel(terminalId, chargeId, idempotencyKey);
  }

  /** No call cancels "whatever is on the device": the intent must be found first. */
  cancelOnTerminal(): Promise<boolean> {
    return Promise.resolve(false);
  }

  /**
   * The events listing names finished intents of the day; each is read once (the cursor remembers
   * which were read), and ours is the one carrying our reference. A live intent is not listed
   * until it ends, so a lost intent still on the terminal is found when it finishes.
   */
  async findLost(terminalId: string, externalReference: string, days: string[], cursor: LostCursor): Promise<ChargeSnapshot | null> {
    const events = await this.intents.finishedEvents(days[0]!, days[days.length - 1]!);
    for (const e of events.reverse()) {
      if (cursor.seen.has(e.intentId)) continue;
      const intent = await this.intents.read(e.intentId);
      cursor.seen.add(e.intentId);
      if (intent.externalReference === externalReference && (!intent.deviceId || sameTerminal(intent.deviceId, terminalId))) {
        return this.snapshot(intent, terminalId);
      }
    }
    return null;
  }

  async refund(target: RefundTarget, idempotencyKey: string, amountMinor: number | undefined): Promise<void> {
    await this.payments.refund(target.paymentId, idempotencyKey, amountMinor);
  }

  private snapshot(intent: Intent, terminalId: string): ChargeSnapshot {
    return {
      family: this.name,
      chargeId: intent.id,
      phase: PHASE[intent.state],
      rawState: intent.rawState ?? intent.state,
      paymentId: intent.paymentId,
      amountMinor: null,
      terminalId: intent.deviceId ?? terminalId,
      externalReference: intent.externalReference,
      orderPayment: null,
      statusDetail: null,
    };
  }
}

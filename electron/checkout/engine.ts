/**
 * The checkout engine: one state machine per sale, driven by what Mercado Pago says, journaled before
 * every request and after every answer. See docs/payments.md for the states and guarantees.
 */
import { randomUUID } from 'node:crypto';
import type {
  ChargeInput,
  HistoryFilter,
  OperatingMode,
  ReconcileReport,
  SaleDetail,
  SaleView,
  TerminalView,
} from '../../shared/contract';
import { CajaError } from '../../shared/errors';
import {
  currencyOf,
  isWithinSiteLimits,
  minorToDecimalString,
  SITE_AMOUNT_LIMITS_HUNDREDTHS,
  type SiteId,
} from '../../shared/money';
import { realClock, silentLogger } from '../point/http';
import { isOutcomeUnknown } from '../point/point-error';
import { CREATE_REPLAY_SAFE, TerminalDirectory, type ChargePhase, type ChargeSnapshot } from '../point/terminal-directory';
import { cartTotal, chargeDescription, parseChargeInput } from './cart';
import type {
  CheckoutEngine,
  CheckoutEngineOptions,
  Clock,
  EngineAttemptInfo,
  EngineHooks,
  EngineTiming,
  Logger,
} from './engine-api';
import { exportCsv, history, localDay } from './history';
import { Journal, type AttemptRow, type SaleRow } from './journal';
import { Poller } from './poller';
import { reconcileDay } from './reconcile';
import { RefundDesk } from './refunds';
import {
  canTransition,
  isCancellable,
  judgeCharge,
  judgeOrderPaymentWithoutRecord,
  judgePayment,
  MESSAGES,
  notCancellableMessage,
  pickPayment,
  type Verdict,
} from './sale-machine';
import { TerminalRegistry } from './terminals';
import { loadView, saleDetail } from './views';

export const DEFAULT_TIMING: EngineTiming = {
  pollFastMs: 1100,
  pollSlowMs: 3000,
  slowAfterMs: 15_000,
  chargeTimeoutMs: 300_000,
  lostGiveUpMs: 420_000,
  resendWindowMs: 60_000,
  maxBackoffMs: 30_000,
  terminalCacheMs: 10_000,
  requestTimeoutMs: 10_000,
  minReadIntervalMs: 1100,
};

/** A sale in these states may be charged again (a new attempt of the same sale). */
const RETRYABLE = new Set(['rejected', 'cancelled', 'expired', 'failed']);

/** In-memory facts about a live attempt that need not survive a restart. */
interface AttemptContext {
  phase: ChargePhase | null;
  phaseSince: number;
  failures: number;
  lostChecks: number;
}

export interface TestableCheckoutEngine extends CheckoutEngine {
  /**
   * Tests only: behave as if the process died right now. Timers stop and the journal closes
   * without any further write; whatever was in flight is left exactly as a crash would leave it.
   */
  simulateCrash(): void;
}

export function createCheckoutEngine(options: CheckoutEngineOptions): TestableCheckoutEngine {
  return new Engine(options);
}

class Engine implements TestableCheckoutEngine {
  readonly ready: Promise<void>;
  private readonly journal: Journal;
  private readonly directory: TerminalDirectory;
  private readonly terminals: TerminalRegistry;
  private readonly poller: Poller;
  private readonly refunds: RefundDesk;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly timing: EngineTiming;
  private readonly hooks: EngineHooks;
  private readonly site: SiteId;
  private readonly register: string;
  private readonly saleListeners = new Set<(sale: SaleView) => void>();
  private readonly terminalListeners = new Set<(terminals: TerminalView[]) => void>();
  /** Last view pushed per sale, so listeners hear changes, not every poll. */
  private readonly lastPushed = new Map<string, string>();
  /** Create requests in flight, by attempt id. */
  private readonly creating = new Map<string, Promise<void>>();
  private readonly contexts = new Map<string, AttemptContext>();
  private closed = false;

  constructor(options: CheckoutEngineOptions) {
    this.clock = options.clock ?? realClock;
    this.log = options.log ?? silentLogger;
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this.hooks = options.hooks ?? {};
    this.site = options.site;
    this.register = options.register;
    this.journal = new Journal(options.journalPath);
    this.directory = new TerminalDirectory({
      baseUrl: options.baseUrl,
      getToken: options.getToken,
      site: options.site,
      log: this.log,
      clock: this.clock,
      timeoutMs: this.timing.requestTimeoutMs,
      minReadIntervalMs: this.timing.minReadIntervalMs,
    });
    this.terminals = new TerminalRegistry(this.directory, this.journal, this.clock, this.timing.terminalCacheMs);
    this.poller = new Poller(
      this.clock,
      (id) => this.step(id),
      (id, e) => this.log.error('attempt check failed', { attemptId: id, error: e instanceof Error ? e.message : String(e) }),
    );
    this.refunds = new RefundDesk({
      journal: this.journal,
      directory: this.directory,
      clock: this.clock,
      log: this.log,
      site: this.site,
      isClosed: () => this.closed,
      pushSale: (saleId) => this.push(saleId),
    });
    this.ready = this.recover();
    // A failed start is reported through `ready`; nobody awaiting it must not crash the process.
    this.ready.catch(() => undefined);
  }

  // ---------- start-up recovery ----------

  /** Reads unfinished attempts and refunds, and starts asking Mercado Pago what became of them. */
  private async recover(): Promise<void> {
    const open = this.journal.unsettledAttempts();
    const now = this.clock.now();
    for (const a of open) {
      this.journal.tx(() => {
        this.journal.appendEvent({
          at: now,
          saleId: a.sale_id,
          attemptId: a.id,
          kind: 'recovery',
          state: a.state,
          detail: a.charge_id
            ? `Caja restarted while charge ${a.charge_id} was live; checking it with Mercado Pago.`
            : 'Caja restarted before it knew whether the charge reached Mercado Pago; looking for it by its reference.',
        });
        this.journal.updateSale(a.sale_id, { message: MESSAGES.checking, cancellable: 0, updated_at: now });
      });
      this.push(a.sale_id);
      this.poller.track(a.id, 0);
      // A cancel asked for before the crash may never have left: send it again with its same key.
      if (a.cancel_requested_at !== null && a.charge_id !== null) {
        const chargeId = a.charge_id;
        void this.directory.cancelCharge(a.family, a.terminal_id, chargeId, `${a.idempotency_key}:cancel`).catch((e: unknown) => {
          if (this.closed) return;
          const code = e instanceof CajaError ? e.code : 'INTERNAL';
          this.journal.tx(() =>
            this.journal.appendEvent({
              at: this.clock.now(),
              saleId: a.sale_id,
              attemptId: a.id,
              kind: 'cancel_refused',
              state: a.state,
              detail: `The cancel asked for before the restart was refused (${code}).`,
            }),
          );
        });
      }
    }
    if (open.length) this.log.info('recovering unfinished charges', { count: open.length });
    this.refunds.recoverOpen();
  }

  // ---------- charge ----------

  async charge(input: ChargeInput): Promise<SaleView> {
    this.assertOpen();
    const parsed = parseChargeInput(input);
    const total = cartTotal(parsed.cart);
    if (!isWithinSiteLimits(total, this.site)) {
      const l = SITE_AMOUNT_LIMITS_HUNDREDTHS[this.site];
      throw new CajaError(
        'INVALID_AMOUNT',
        `Point terminals here charge between ${(l.min / 100).toFixed(2)} and ${(l.max / 100).toFixed(2)} ${currencyOf(this.site)}; this sale is ${minorToDecimalString(total, this.site)}.`,
      );
    }
    if (parsed.saleId) this.retryableSale(parsed.saleId);
    await this.ready;

    const terminal = await this.terminals.resolve(parsed.terminalId);
    if (terminal.mode === 'STANDALONE') {
      throw new CajaError(
        'TERMINAL_STANDALONE',
        `Terminal ${terminal.label} is in standalone mode and would ignore the charge. Switch it to integrated (PDV) mode first.`,
      );
    }
    if (terminal.status === 'offline')
      throw new CajaError('TERMINAL_OFFLINE', `Terminal ${terminal.label} is offline. Check that it is on and connected.`);
    const owner = this.journal.owners().get(terminal.id);
    if (owner && owner !== this.register) {
      throw new CajaError(
        'FORBIDDEN',
        `Terminal ${terminal.label} belongs to register ${owner}. Choose another terminal or reassign it.`,
      );
    }
    this.directory.checkAmount(terminal.family, total);

    // From here to the journal write nothing awaits: the local one-charge-per-terminal check and the
    // write that claims the terminal are one step, so two quick charges can never both pass.
    this.assertOpen();
    const busy = this.journal.unsettledOnTerminal(terminal.id);
    if (busy) {
      throw new CajaError(
        'TERMINAL_BUSY',
        `Terminal ${terminal.label} is still busy with another sale. Finish or cancel it first.`,
      );
    }
    const existing = parsed.saleId ? this.retryableSale(parsed.saleId) : undefined;
    const now = this.clock.now();
    const saleId = existing?.id ?? randomUUID();
    const seq = existing ? this.journal.attemptsOfSale(saleId).length + 1 : 1;
    const attempt: AttemptRow = {
      id: randomUUID(),
      sale_id: saleId,
      seq,
      terminal_id: terminal.id,
      family: terminal.family,
      amount: total,
      description: chargeDescription(parsed.cart),
      idempotency_key: randomUUID(),
      external_reference: `CAJA-${saleId.replace(/-/g, '')}-${seq}`,
      charge_id: null,
      charge_state: null,
      payment_id: null,
      order_payment_id: null,
      state: 'sending',
      settled: 0,
      created_at: now,
      sent_at: null,
      expires_at: now + this.timing.chargeTimeoutMs,
      settled_at: null,
      cancel_requested_at: null,
      cancel_reason: null,
    };
    this.journal.tx(() => {
      if (existing) {
        this.journal.updateSale(saleId, {
          state: 'sending',
          updated_at: now,
          total,
          cart_discount: parsed.cart.cartDiscount,
          terminal_id: terminal.id,
          family: terminal.family,
          current_attempt_id: attempt.id,
          external_reference: attempt.external_reference,
          payment_id: null,
          card_brand: null,
          card_last4: null,
          expires_at: attempt.expires_at,
          cancellable: 1,
          message: MESSAGES.queued,
          error_code: null,
        });
      } else {
        const row: SaleRow = {
          id: saleId,
          created_at: now,
          updated_at: now,
          day: localDay(now),
          state: 'sending',
          total,
          site: this.site,
          currency: currencyOf(this.site),
          cart_discount: parsed.cart.cartDiscount,
          register: this.register,
          terminal_id: terminal.id,
          family: terminal.family,
          current_attempt_id: attempt.id,
          external_reference: attempt.external_reference,
          payment_id: null,
          card_brand: null,
          card_last4: null,
          refunded_amount: 0,
          expires_at: attempt.expires_at,
          cancellable: 1,
          message: MESSAGES.queued,
          error_code: null,
          search_text: '',
        };
        this.journal.insertSale(row);
        this.journal.appendEvent({
          at: now,
          saleId,
          kind: 'sale_created',
          state: 'draft',
          detail: `Sale of ${minorToDecimalString(total, this.site)} ${currencyOf(this.site)} at register ${this.register}.`,
        });
      }
      this.journal.replaceLines(saleId, parsed.cart.lines);
      // The key and reference are durable before the request exists: any retry, or recovery after a
      // crash, asks about exactly this charge.
      this.journal.insertAttempt(attempt);
      this.journal.updateSale(saleId, { search_text: this.searchText(saleId) });
      this.journal.appendEvent({
        at: now,
        saleId,
        attemptId: attempt.id,
        kind: 'attempt_created',
        state: 'sending',
        detail: `Charge ${seq} of ${minorToDecimalString(total, this.site)} on ${terminal.label} (${terminal.family}), reference ${attempt.external_reference}.`,
        data: { idempotencyKey: attempt.idempotency_key, externalReference: attempt.external_reference, terminalId: terminal.id },
      });
    });
    this.contexts.set(attempt.id, { phase: null, phaseSince: now, failures: 0, lostChecks: 0 });
    this.push(saleId);
    this.pushTerminals();

    const sending = this.send(attempt);
    this.creating.set(
      attempt.id,
      sending.catch(() => undefined),
    );
    try {
      await sending;
    } finally {
      this.creating.delete(attempt.id);
    }
    return this.get(saleId);
  }

  private retryableSale(saleId: string): SaleRow {
    const sale = this.journal.getSale(saleId);
    if (!sale) throw new CajaError('NOT_FOUND', 'That sale does not exist.');
    if (!RETRYABLE.has(sale.state)) {
      throw new CajaError(
        'CONFLICT',
        sale.state === 'approved'
          ? 'That sale is already paid.'
          : 'That sale is still being charged; wait for its result before charging it again.',
      );
    }
    return sale;
  }

  private info(a: AttemptRow): EngineAttemptInfo {
    return {
      saleId: a.sale_id,
      attemptId: a.id,
      terminalId: a.terminal_id,
      idempotencyKey: a.idempotency_key,
      externalReference: a.external_reference,
    };
  }

  private async send(a: AttemptRow): Promise<void> {
    await this.hooks.beforeCreate?.(this.info(a));
    if (this.closed) return;
    let snapshot: ChargeSnapshot;
    try {
      snapshot = await this.startCharge(a);
    } catch (e) {
      if (this.closed) return;
      if (isOutcomeUnknown(e) || !(e instanceof CajaError) || e.code === 'UNEXPECTED_RESPONSE') {
        // The charge may exist: never "failed" here. Keep the key, find out.
        this.apply(
          a.id,
          { state: 'unknown', settled: false, message: MESSAGES.lostAnswer, errorCode: e instanceof CajaError ? e.code : null },
          null,
          'create_unanswered',
        );
        this.poller.track(a.id, this.timing.pollFastMs);
        return;
      }
      // A definite refusal: Mercado Pago created nothing.
      this.apply(a.id, { state: 'failed', settled: true, message: e.message, errorCode: e.code }, null, 'create_refused');
      throw e;
    }
    await this.hooks.afterCreate?.(this.info(a));
    if (this.closed) return;
    this.recordCharge(a.id, snapshot, 'charge_created');
    this.poller.track(a.id, this.timing.pollFastMs);
  }

  private startCharge(a: AttemptRow): Promise<ChargeSnapshot> {
    return this.directory.startCharge({
      terminalId: a.terminal_id,
      family: a.family,
      amountMinor: a.amount,
      description: a.description,
      externalReference: a.external_reference,
      idempotencyKey: a.idempotency_key,
      // Fixed per attempt so a replay with the same key carries the same body.
      expirationSeconds: Math.round(this.timing.chargeTimeoutMs / 1000),
    });
  }

  /** Stores the charge id Mercado Pago gave (or that we found again) and judges its first state. */
  private recordCharge(attemptId: string, snapshot: ChargeSnapshot, kind: string): void {
    const now = this.clock.now();
    this.journal.tx(() => {
      const a = this.journal.getAttempt(attemptId)!;
      const expires = a.sent_at === null ? now + this.timing.chargeTimeoutMs : (a.expires_at ?? now);
      this.journal.updateAttempt(attemptId, {
        charge_id: snapshot.chargeId,
        sent_at: a.sent_at ?? now,
        expires_at: expires,
        order_payment_id: snapshot.orderPayment?.orderPaymentId ?? a.order_payment_id,
      });
      this.journal.updateSale(a.sale_id, { expires_at: expires });
      this.journal.appendEvent({
        at: now,
        saleId: a.sale_id,
        attemptId,
        kind,
        state: a.state,
        detail:
          kind === 'charge_created'
            ? `Mercado Pago accepted the charge (${snapshot.family} ${snapshot.chargeId}).`
            : `Found the charge again at Mercado Pago (${snapshot.family} ${snapshot.chargeId}).`,
        data: { chargeId: snapshot.chargeId, chargeState: snapshot.rawState },
      });
    });
    this.observePhase(attemptId, snapshot.phase);
    const verdict = judgeCharge(snapshot);
    this.apply(attemptId, verdict.lookupPayment ? { ...verdict, lookupPayment: false } : verdict, snapshot);
  }

  // ---------- polling ----------

  private context(attemptId: string): AttemptContext {
    let c = this.contexts.get(attemptId);
    if (!c) {
      c = { phase: null, phaseSince: this.clock.now(), failures: 0, lostChecks: 0 };
      this.contexts.set(attemptId, c);
    }
    return c;
  }

  private observePhase(attemptId: string, phase: ChargePhase): void {
    const c = this.context(attemptId);
    if (c.phase !== phase) {
      c.phase = phase;
      c.phaseSince = this.clock.now();
    }
  }

  /** One look at Mercado Pago for one attempt. Returns when to look next, or null when settled. */
  private async step(attemptId: string): Promise<number | null> {
    if (this.closed) return null;
    let a = this.journal.getAttempt(attemptId);
    if (!a || a.settled) return null;
    if (a.charge_id === null && this.creating.has(attemptId)) return this.timing.pollFastMs;
    const c = this.context(attemptId);
    try {
      if (a.charge_id === null) return await this.resolveLost(a, c);
      let snapshot: ChargeSnapshot;
      try {
        snapshot = await this.directory.readCharge(a.family, a.charge_id, a.terminal_id);
      } catch (e) {
        // Right after a create the charge may not be readable yet (eventual consistency).
        if (e instanceof CajaError && e.code === 'NOT_FOUND') return this.chargeNotFound(a, c);
        throw e;
      }
      if (this.closed) return null;
      c.failures = 0;
      this.observePhase(attemptId, snapshot.phase);
      let verdict = judgeCharge(snapshot);
      if (verdict.lookupPayment) verdict = await this.lookupPayment(a, snapshot);
      if (this.closed) return null;
      this.apply(attemptId, verdict, snapshot);
      if (verdict.settled) return null;
      a = this.journal.getAttempt(attemptId)!;
      await this.enforceBoundedWait(a, snapshot.phase);
      return this.nextDelay(c, verdict);
    } catch (e) {
      if (this.closed) return null;
      return this.checkFailed(attemptId, c, e);
    }
  }

  private nextDelay(c: AttemptContext, verdict: Verdict): number {
    if (verdict.state === 'unknown')
      return Math.min(this.timing.pollSlowMs * 2 ** Math.min(c.failures, 4), this.timing.maxBackoffMs);
    if (c.phase === 'at_terminal' && this.clock.now() - c.phaseSince > this.timing.slowAfterMs) return this.timing.pollSlowMs;
    return this.timing.pollFastMs;
  }

  private checkFailed(attemptId: string, c: AttemptContext, e: unknown): number {
    c.failures++;
    const code = e instanceof CajaError ? e.code : 'INTERNAL';
    this.log.warn('charge check failed', { attemptId, code, failures: c.failures });
    const a = this.journal.getAttempt(attemptId);
    if (a && !a.settled) {
      if (code === 'NETWORK' || code === 'UNEXPECTED_RESPONSE' || code === 'INTERNAL') {
        this.apply(
          attemptId,
          { state: 'unknown', settled: false, message: MESSAGES.offline, errorCode: code === 'INTERNAL' ? null : code },
          null,
          'check_failed',
        );
      } else if (code === 'AUTH') {
        this.apply(
          attemptId,
          { state: 'unknown', settled: false, message: (e as CajaError).message, errorCode: 'AUTH' },
          null,
          'check_failed',
        );
      }
    }
    return Math.min(this.timing.pollFastMs * 2 ** c.failures, this.timing.maxBackoffMs);
  }

  private async chargeNotFound(a: AttemptRow, c: AttemptContext): Promise<number | null> {
    const since = a.sent_at ?? a.created_at;
    if (this.clock.now() - since < 60_000) return this.timing.pollFastMs;
    // Gone for good: only a payment with our reference can still say what happened.
    const payment = pickPayment(await this.directory.findPaymentsByReference(a.external_reference));
    if (payment) {
      const v = judgePayment(payment, this.expected(a), null);
      this.apply(a.id, v, null, 'payment_found');
      return v.settled ? null : this.timing.pollSlowMs;
    }
    c.failures++;
    this.apply(
      a.id,
      {
        state: 'unknown',
        settled: false,
        message: 'Mercado Pago no longer finds this charge. Caja keeps checking for a payment.',
        errorCode: 'NOT_FOUND',
      },
      null,
      'check_failed',
    );
    return Math.min(this.timing.pollSlowMs * 2 ** c.failures, this.timing.maxBackoffMs);
  }

  private expected(a: AttemptRow) {
    return { amount: a.amount, terminalId: a.terminal_id, externalReference: a.external_reference };
  }

  /** The charge says "look at the payment": by the id it names, else by our reference. */
  private async lookupPayment(a: AttemptRow, snapshot: ChargeSnapshot): Promise<Verdict> {
    let payment = null;
    if (snapshot.paymentId) {
      try {
        payment = await this.directory.getPayment(snapshot.paymentId);
      } catch (e) {
        if (!(e instanceof CajaError && e.code === 'NOT_FOUND')) throw e;
      }
    }
    if (!payment) payment = pickPayment(await this.directory.findPaymentsByReference(a.external_reference));
    if (payment) return judgePayment(payment, this.expected(a), snapshot);
    if (a.family === 'orders') {
      const v = judgeOrderPaymentWithoutRecord(snapshot);
      if (v) return v;
    }
    if (
      snapshot.phase === 'cancelled' ||
      snapshot.phase === 'abandoned' ||
      snapshot.phase === 'expired' ||
      snapshot.phase === 'error'
    ) {
      return judgeCharge({ ...snapshot, paymentId: null });
    }
    return { state: 'processing', settled: false, message: MESSAGES.checking, errorCode: null };
  }

  /** After the bounded wait, a charge nobody is paying is cancelled; it then settles as expired. */
  private async enforceBoundedWait(a: AttemptRow, phase: ChargePhase): Promise<void> {
    if (a.expires_at === null || this.clock.now() < a.expires_at || a.cancel_requested_at !== null) return;
    if (!a.charge_id || !isCancellable(a.family, phase)) return;
    const now = this.clock.now();
    this.journal.tx(() => {
      this.journal.updateAttempt(a.id, { cancel_requested_at: now, cancel_reason: 'timeout' });
      this.journal.appendEvent({
        at: now,
        saleId: a.sale_id,
        attemptId: a.id,
        kind: 'auto_cancel',
        state: a.state,
        detail: 'Nobody paid within the waiting time: Caja is cancelling the charge.',
      });
    });
    try {
      await this.directory.cancelCharge(a.family, a.terminal_id, a.charge_id, `${a.idempotency_key}:cancel`);
    } catch (e) {
      const code = e instanceof CajaError ? e.code : 'INTERNAL';
      this.journal.tx(() =>
        this.journal.appendEvent({
          at: this.clock.now(),
          saleId: a.sale_id,
          attemptId: a.id,
          kind: 'auto_cancel_failed',
          state: a.state,
          detail: `The automatic cancel was refused (${code}).`,
        }),
      );
    }
  }

  /**
   * The create's answer never arrived. Find the charge: a payment with our reference, a replay of
   * the create with the same key (families that replay), or the family's own listings. Until one
   * of them answers, the sale stays `unknown` and the terminal stays claimed.
   */
  private async resolveLost(a: AttemptRow, c: AttemptContext): Promise<number | null> {
    const now = this.clock.now();
    const age = now - a.created_at;
    const payment = pickPayment(await this.directory.findPaymentsByReference(a.external_reference));
    if (this.closed) return null;
    if (payment) {
      const v = judgePayment(payment, this.expected(a), null);
      this.apply(a.id, v, null, 'payment_found');
      return v.settled ? null : this.timing.pollFastMs;
    }
    if (CREATE_REPLAY_SAFE[a.family] && age <= this.timing.resendWindowMs) {
      try {
        const snapshot = await this.startCharge(a);
        if (this.closed) return null;
        this.recordCharge(a.id, snapshot, 'charge_found');
        return this.timing.pollFastMs;
      } catch (e) {
        if (this.closed) return null;
        if (e instanceof CajaError && !isOutcomeUnknown(e) && e.code !== 'UNEXPECTED_RESPONSE' && e.code !== 'RATE_LIMITED') {
          this.apply(a.id, { state: 'failed', settled: true, message: e.message, errorCode: e.code }, null, 'create_refused');
          return null;
        }
        throw e;
      }
    }
    const found = await this.directory.findCharge(a.family, a.terminal_id, a.external_reference, utcDays(a.created_at, now));
    if (this.closed) return null;
    if (found) {
      this.recordCharge(a.id, found, 'charge_found');
      return 0;
    }
    if (age > this.timing.lostGiveUpMs) {
      this.apply(a.id, { state: 'failed', settled: true, message: MESSAGES.neverSent, errorCode: null }, null, 'given_up');
      return null;
    }
    c.lostChecks++;
    this.apply(a.id, { state: 'unknown', settled: false, message: MESSAGES.lostAnswer, errorCode: null }, null, 'still_looking');
    return Math.min(this.timing.pollFastMs * 2 ** Math.min(c.lostChecks - 1, 5), this.timing.maxBackoffMs);
  }

  /**
   * Writes a verdict: the attempt and sale projections and (when something a person would notice
   * changed) an event, in one transaction; then tells the listeners.
   */
  private apply(attemptId: string, verdict: Verdict, snapshot: ChargeSnapshot | null, kind = 'state'): void {
    if (this.closed) return;
    const now = this.clock.now();
    let changed = false;
    let settledNow = false;
    let a = this.journal.getAttempt(attemptId);
    if (!a) return;
    this.journal.tx(() => {
      a = this.journal.getAttempt(attemptId)!;
      if (a.settled) return;
      let { state, message } = verdict;
      if (state === 'cancelled' && a.cancel_reason === 'timeout') {
        state = 'expired';
        message = MESSAGES.expired;
      } else if (state === 'cancelled' && a.cancel_reason === 'cashier') {
        message = MESSAGES.cancelled;
      }
      if (a.state !== state && !canTransition(a.state, state)) {
        this.log.warn('ignored impossible transition', { attemptId, from: a.state, to: state });
        return;
      }
      const sale = this.journal.getSale(a.sale_id)!;
      const phase = this.contexts.get(attemptId)?.phase ?? null;
      const cancellable =
        !verdict.settled &&
        a.cancel_requested_at === null &&
        state !== 'unknown' &&
        (a.charge_id === null ? state === 'sending' : phase !== null && isCancellable(a.family, phase));
      const paymentId = verdict.paymentId ?? a.payment_id;
      this.journal.updateAttempt(attemptId, {
        state,
        charge_state: snapshot?.rawState ?? a.charge_state,
        payment_id: paymentId,
        order_payment_id: snapshot?.orderPayment?.orderPaymentId ?? a.order_payment_id,
        settled: verdict.settled ? 1 : 0,
        settled_at: verdict.settled ? now : null,
      });
      const current = sale.current_attempt_id === attemptId;
      if (current) {
        const patch: Partial<SaleRow> = {
          state,
          message,
          error_code: verdict.errorCode,
          cancellable: cancellable ? 1 : 0,
          payment_id: paymentId,
          card_brand: verdict.cardBrand ?? sale.card_brand,
          card_last4: verdict.cardLast4 ?? sale.card_last4,
        };
        const differs = (Object.keys(patch) as (keyof SaleRow)[]).some((k) => patch[k] !== sale[k]);
        if (differs || verdict.settled) {
          this.journal.updateSale(a.sale_id, { ...patch, updated_at: now });
          if (paymentId !== sale.payment_id) this.journal.updateSale(a.sale_id, { search_text: this.searchText(a.sale_id) });
          changed = true;
        }
      }
      const noteworthy =
        a.state !== state ||
        verdict.settled ||
        paymentId !== a.payment_id ||
        (current && message !== sale.message) ||
        kind !== 'state';
      if (noteworthy) {
        this.journal.appendEvent({
          at: now,
          saleId: a.sale_id,
          attemptId,
          kind: verdict.settled ? 'settled' : kind,
          state,
          detail: message ?? state,
          data: {
            chargeState: snapshot?.rawState ?? a.charge_state,
            paymentId,
            ...(verdict.errorCode ? { errorCode: verdict.errorCode } : {}),
          },
        });
      }
      settledNow = verdict.settled;
    });
    if (changed) this.push(a.sale_id);
    if (settledNow) {
      this.contexts.delete(attemptId);
      this.terminals.released(a.terminal_id, a.charge_id);
      this.pushTerminals();
    }
  }

  private searchText(saleId: string): string {
    const names = this.journal.lines(saleId).map((l) => l.name);
    const refs = this.journal
      .attemptsOfSale(saleId)
      .flatMap((x) => [x.external_reference, x.payment_id ?? '', x.charge_id ?? '']);
    return [...names, ...refs, saleId].join(' ').toLowerCase();
  }

  // ---------- cancel ----------

  async cancel(saleId: string): Promise<SaleView> {
    this.assertOpen();
    const sale = this.requireSale(saleId);
    let a = sale.current_attempt_id ? this.journal.getAttempt(sale.current_attempt_id) : undefined;
    if (!a || a.settled) {
      if (sale.state === 'cancelled' || sale.state === 'expired') return this.get(saleId);
      throw new CajaError(
        'NOT_CANCELLABLE',
        sale.state === 'approved'
          ? 'This sale is already paid: refund it instead.'
          : 'This sale is already finished: there is nothing to cancel.',
      );
    }
    if (a.cancel_requested_at !== null && a.cancel_reason === 'cashier') {
      await this.poller.now(a.id);
      return this.get(saleId);
    }
    const now = this.clock.now();
    this.journal.tx(() => {
      this.journal.updateAttempt(a!.id, { cancel_requested_at: now, cancel_reason: 'cashier' });
      this.journal.updateSale(saleId, { cancellable: 0, message: 'Cancelling…', updated_at: now });
      this.journal.appendEvent({
        at: now,
        saleId,
        attemptId: a!.id,
        kind: 'cancel_requested',
        state: a!.state,
        detail: 'The cashier asked to cancel the charge.',
      });
    });
    this.push(saleId);
    const creating = this.creating.get(a.id);
    if (creating) await creating;
    a = this.journal.getAttempt(a.id)!;
    if (a.settled) return this.get(saleId);
    if (a.charge_id === null) {
      this.cancelRefused(
        a,
        'Caja is still finding out whether this charge reached the terminal; it cannot be cancelled until then.',
      );
      throw new CajaError(
        'NOT_CANCELLABLE',
        'Caja is still finding out whether this charge reached the terminal; it cannot be cancelled until then.',
      );
    }
    try {
      await this.directory.cancelCharge(a.family, a.terminal_id, a.charge_id, `${a.idempotency_key}:cancel`);
    } catch (e) {
      if (this.closed) throw e;
      if (e instanceof CajaError && (e.code === 'NOT_CANCELLABLE' || e.code === 'NOT_FOUND' || e.code === 'CONFLICT')) {
        const message = notCancellableMessage(a.family, this.contexts.get(a.id)?.phase ?? null);
        this.cancelRefused(a, message);
        await this.poller.now(a.id);
        throw new CajaError('NOT_CANCELLABLE', message);
      }
      if (isOutcomeUnknown(e)) {
        // The cancel may have worked; the next look at the charge will tell.
        await this.poller.now(a.id).catch(() => undefined);
        return this.get(saleId);
      }
      this.cancelRefused(a, e instanceof CajaError ? e.message : 'The cancel failed.');
      throw e;
    }
    this.journal.tx(() =>
      this.journal.appendEvent({
        at: this.clock.now(),
        saleId,
        attemptId: a!.id,
        kind: 'cancel_accepted',
        state: a!.state,
        detail: 'Mercado Pago accepted the cancel.',
      }),
    );
    await this.poller.now(a.id);
    return this.get(saleId);
  }

  private cancelRefused(a: AttemptRow, message: string): void {
    const now = this.clock.now();
    this.journal.tx(() => {
      this.journal.updateAttempt(a.id, { cancel_requested_at: null, cancel_reason: null });
      this.journal.updateSale(a.sale_id, {
        message: this.journal.getSale(a.sale_id)?.state === 'unknown' ? MESSAGES.lostAnswer : null,
        updated_at: now,
      });
      this.journal.appendEvent({
        at: now,
        saleId: a.sale_id,
        attemptId: a.id,
        kind: 'cancel_refused',
        state: a.state,
        detail: message,
      });
    });
    this.push(a.sale_id);
  }

  // ---------- reads ----------

  get(saleId: string): SaleView {
    this.assertOpen();
    return loadView(this.journal, this.requireSale(saleId));
  }

  unfinished(): SaleView[] {
    this.assertOpen();
    const rows = this.journal.all<SaleRow>(
      `SELECT s.* FROM sales s WHERE s.state = 'unknown' OR s.id IN (SELECT sale_id FROM attempts WHERE settled = 0) ORDER BY s.created_at`,
    );
    return rows.map((r) => loadView(this.journal, r));
  }

  async recheck(saleId: string): Promise<SaleView> {
    this.assertOpen();
    const sale = this.requireSale(saleId);
    const a = sale.current_attempt_id ? this.journal.getAttempt(sale.current_attempt_id) : undefined;
    if (a && !a.settled) {
      const c = this.context(a.id);
      c.failures = 0;
      c.lostChecks = 0;
      await this.poller.now(a.id);
    }
    await this.refunds.recheckSale(saleId);
    return this.get(saleId);
  }

  history(filter: HistoryFilter): { items: SaleView[]; total: number } {
    this.assertOpen();
    return history(this.journal, filter);
  }

  detail(saleId: string): SaleDetail {
    this.assertOpen();
    return saleDetail(this.journal, this.requireSale(saleId));
  }

  async refund(saleId: string, amount?: number): Promise<SaleDetail> {
    this.assertOpen();
    await this.ready;
    await this.refunds.refund(this.requireSale(saleId), amount);
    return this.detail(saleId);
  }

  exportCsv(filter: HistoryFilter): { filename: string; csv: string } {
    this.assertOpen();
    return exportCsv(this.journal, filter);
  }

  async reconcile(day: string): Promise<ReconcileReport> {
    this.assertOpen();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new CajaError('INVALID_INPUT', 'Expected a date as YYYY-MM-DD.');
    return reconcileDay({ journal: this.journal, directory: this.directory, clock: this.clock, site: this.site }, day);
  }

  // ---------- terminals ----------

  async listTerminals(): Promise<TerminalView[]> {
    this.assertOpen();
    await this.terminals.refresh();
    const views = this.terminals.views();
    this.emitTerminals(views);
    return views;
  }

  async setTerminalMode(terminalId: string, mode: OperatingMode): Promise<TerminalView> {
    this.assertOpen();
    const t = await this.terminals.resolve(terminalId);
    if (t.family === 'mobile')
      throw new CajaError('INVALID_INPUT', 'Phones running the Mercado Pago app have no operating mode to set.');
    if (mode === 'STANDALONE' && this.journal.unsettledOnTerminal(t.id)) {
      throw new CajaError('TERMINAL_BUSY', 'That terminal has a charge in progress; switch its mode when it is done.');
    }
    const key = randomUUID();
    this.journal.tx(() =>
      this.journal.appendEvent({
        at: this.clock.now(),
        saleId: null,
        kind: 'terminal_mode_requested',
        detail: `Setting terminal ${t.label} to ${mode}.`,
        data: { terminalId: t.id, mode, idempotencyKey: key },
      }),
    );
    const applied = await this.directory.setMode(t.id, t.family, mode, key);
    this.terminals.patch(t.id, { mode: applied });
    this.journal.tx(() =>
      this.journal.appendEvent({
        at: this.clock.now(),
        saleId: null,
        kind: 'terminal_mode',
        detail: `Terminal ${t.label} set to ${applied}.`,
        data: { terminalId: t.id, mode: applied },
      }),
    );
    this.pushTerminals();
    return this.terminals.view(t);
  }

  async assignTerminal(terminalId: string, register: string | null): Promise<TerminalView> {
    this.assertOpen();
    const t = await this.terminals.resolve(terminalId);
    const now = this.clock.now();
    this.journal.tx(() => {
      this.journal.setOwner(t.id, register, now);
      this.journal.appendEvent({
        at: now,
        saleId: null,
        kind: 'terminal_owner',
        detail: register
          ? `Terminal ${t.label} assigned to register ${register}.`
          : `Terminal ${t.label} released for every register.`,
        data: { terminalId: t.id, register },
      });
    });
    this.pushTerminals();
    return this.terminals.view(t);
  }

  // ---------- events ----------

  onSaleChanged(listener: (sale: SaleView) => void): () => void {
    this.saleListeners.add(listener);
    return () => this.saleListeners.delete(listener);
  }

  onTerminalsChanged(listener: (terminals: TerminalView[]) => void): () => void {
    this.terminalListeners.add(listener);
    return () => this.terminalListeners.delete(listener);
  }

  private push(saleId: string): void {
    if (this.closed || this.saleListeners.size === 0) return;
    const row = this.journal.getSale(saleId);
    if (!row) return;
    const view = loadView(this.journal, row);
    const { updatedAt: _u, ...comparable } = view;
    const key = JSON.stringify(comparable);
    if (this.lastPushed.get(saleId) === key) return;
    this.lastPushed.set(saleId, key);
    if (this.lastPushed.size > 2000) this.lastPushed.delete(this.lastPushed.keys().next().value!);
    for (const l of this.saleListeners) {
      try {
        l(view);
      } catch (e) {
        this.log.error('sale listener failed', { error: e instanceof Error ? e.message : String(e) });
      }
    }
  }

  private pushTerminals(): void {
    if (this.closed || this.terminalListeners.size === 0 || this.terminals.cached().length === 0) return;
    this.emitTerminals(this.terminals.views());
  }

  private emitTerminals(views: TerminalView[]): void {
    for (const l of this.terminalListeners) {
      try {
        l(views);
      } catch (e) {
        this.log.error('terminal listener failed', { error: e instanceof Error ? e.message : String(e) });
      }
    }
  }

  // ---------- lifecycle ----------

  private requireSale(saleId: string): SaleRow {
    const sale = this.journal.getSale(saleId);
    if (!sale) throw new CajaError('NOT_FOUND', 'That sale does not exist.');
    return sale;
  }

  private assertOpen(): void {
    if (this.closed) throw new CajaError('INTERNAL', 'The checkout is shutting down. Try again in a moment.');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.refunds.stop();
    await this.poller.stop();
    // A create still in flight is not awaited (it may take a time-out or two): it is journaled with its
    // key, its answer is dropped, and the next start finds the charge by reference like after a crash.
    this.saleListeners.clear();
    this.terminalListeners.clear();
    this.journal.close();
  }

  simulateCrash(): void {
    this.closed = true;
    this.refunds.stop();
    void this.poller.stop();
    this.saleListeners.clear();
    this.terminalListeners.clear();
    this.journal.close();
  }
}

/** The UTC days an attempt may have finished on (the intents events listing is by UTC date). */
function utcDays(fromMs: number, toMs: number): string[] {
  const from = new Date(fromMs).toISOString().slice(0, 10);
  const to = new Date(toMs).toISOString().slice(0, 10);
  return from === to ? [from] : [from, to];
}

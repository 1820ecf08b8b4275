/**
 * Watching an attempt: one look at Mercado Pago per step, scheduled by the poller, until the
 * attempt is settled by evidence. Where a look concludes something, the verdict desk writes it.
 *
 * Pace: fast while the card is read, slower while the customer takes their time, and with back-off
 * while the answer can only come later (an `in_process` payment, an `unknown` sale): never 1/s forever.
 */
import { CajaError } from '../../shared/errors';
import { reason } from '../../shared/reasons';
import type { ChargePhase, ChargeSnapshot, LostCursor } from '../point/charge';
import { isOutcomeUnknown } from '../point/point-error';
import type { Payment } from '../point/payments';
import type { CheckoutDeps } from './deps';
import type { AttemptRow } from './journal';
import { Poller } from './poller';
import {
  chargeIsOver,
  endedWithoutPayment,
  judgeCharge,
  judgeOrderPaymentWithoutRecord,
  judgePayment,
  pickPayment,
  type Expected,
  type Verdict,
} from './sale-machine';
import type { VerdictDesk } from './verdicts';

/** In-memory facts about a live attempt that need not survive a restart (a restart is conservative). */
export interface AttemptContext {
  phase: ChargePhase | null;
  phaseSince: number;
  /** Failed looks in a row (network, 5xx): back-off. */
  failures: number;
  /** Looks in a row that learned nothing new while waiting on evidence: back-off. */
  quiet: number;
  /** When the charge was first seen over (or the phone's cancel accepted): the search delay counts from here. */
  overSince: number | null;
  /** Do not look before this (the search delay has not passed yet). */
  wakeAt: number | null;
  cursor: LostCursor;
  /** Mobile: whether the phone has taken the charge, and when that was last asked. */
  taken: { at: number; taken: boolean } | null;
}

export interface WatchHooks {
  /** A create for this attempt is still in flight (its answer will record the charge). */
  isCreating(attemptId: string): boolean;
  /** Called after each look at a live charge: the bounded wait's cancel lives in the cancel desk. */
  afterLook(a: AttemptRow, phase: ChargePhase): Promise<void>;
  /** The attempt settled: whatever a desk remembered about it in memory may go. */
  settled(attemptId: string): void;
}

export class AttemptWatcher {
  private readonly contexts = new Map<string, AttemptContext>();
  private readonly poller: Poller;

  constructor(
    private readonly d: CheckoutDeps,
    private readonly verdicts: VerdictDesk,
    private readonly hooks: WatchHooks,
  ) {
    this.poller = new Poller(
      d.clock,
      (id) => this.step(id),
      (id, e) => d.log.error('attempt check failed', { attemptId: id, error: e instanceof Error ? e.message : String(e) }),
    );
  }

  track(attemptId: string, delayMs = this.d.timing.pollFastMs): void {
    this.poller.track(attemptId, delayMs);
  }

  /** Looks now (or joins the look in progress) and resolves when it is done. */
  now(attemptId: string): Promise<void> {
    return this.poller.now(attemptId);
  }

  phaseOf(attemptId: string): ChargePhase | null {
    return this.contexts.get(attemptId)?.phase ?? null;
  }

  context(attemptId: string): AttemptContext {
    let c = this.contexts.get(attemptId);
    if (!c) {
      c = { phase: null, phaseSince: this.d.clock.now(), failures: 0, quiet: 0, overSince: null, wakeAt: null, cursor: { seen: new Set() }, taken: null };
      this.contexts.set(attemptId, c);
    }
    return c;
  }

  /**
   * A webhook says this attempt's charge or payment changed: look at once (the hint is never the
   * truth; the look is). The quiet back-off goes, news came; failures and the search delay stay.
   */
  hinted(attemptId: string): void {
    this.context(attemptId).quiet = 0;
    this.poller.soon(attemptId);
  }

  /** A person asked to look again: forget the back-off. */
  freshen(attemptId: string): void {
    const c = this.context(attemptId);
    c.failures = 0;
    c.quiet = 0;
    c.wakeAt = null;
  }

  stop(): Promise<void> {
    return this.poller.stop();
  }

  observePhase(attemptId: string, phase: ChargePhase): void {
    const c = this.context(attemptId);
    if (c.phase !== phase) {
      c.phase = phase;
      c.phaseSince = this.d.clock.now();
      c.quiet = 0;
    }
    if (chargeIsOver(phase) && c.overSince === null) c.overSince = this.d.clock.now();
  }

  /** Writes a verdict through the single writer and forgets the context of a settled attempt. */
  write(attemptId: string, verdict: Verdict, snapshot: ChargeSnapshot | null, kind = 'state'): boolean {
    const settled = this.verdicts.write(attemptId, verdict, snapshot, kind);
    if (settled) {
      this.contexts.delete(attemptId);
      this.hooks.settled(attemptId);
    }
    return settled;
  }

  /** Records a charge (created or found again) and judges its first state. */
  recordCharge(attemptId: string, snapshot: ChargeSnapshot, kind: 'charge_created' | 'charge_found'): void {
    this.verdicts.recordCharge(attemptId, snapshot, kind);
    this.observePhase(attemptId, snapshot.phase);
    const verdict = judgeCharge(snapshot);
    // The payment is looked up on the next step, never here: a create's answer must return quickly.
    if (!verdict.lookupPayment) this.write(attemptId, verdict, snapshot);
  }

  private expected(a: AttemptRow): Expected {
    return { amount: a.amount, terminalId: a.terminal_id, family: a.family, externalReference: a.external_reference };
  }

  /** One look at Mercado Pago for one attempt. Returns when to look next, or null when settled. */
  private async step(attemptId: string): Promise<number | null> {
    const { journal, timing, clock } = this.d;
    if (this.d.isClosed()) return null;
    let a = journal.getAttempt(attemptId);
    if (!a || (a.settled && a.state !== 'resolved')) return null;
    if (a.charge_id === null && this.hooks.isCreating(attemptId)) return timing.pollFastMs;
    const c = this.context(attemptId);
    if (c.wakeAt !== null && clock.now() < c.wakeAt) return c.wakeAt - clock.now();
    c.wakeAt = null;
    try {
      if (a.charge_id === null) return await this.findLost(a, c);
      let snapshot: ChargeSnapshot;
      try {
        snapshot = await this.d.directory.readCharge(a.family, a.charge_id, a.terminal_id);
      } catch (e) {
        // Right after a create the charge may not be readable yet (eventual consistency).
        if (e instanceof CajaError && e.code === 'NOT_FOUND') return await this.chargeNotFound(a, c);
        throw e;
      }
      if (this.d.isClosed()) return null;
      c.failures = 0;
      this.observePhase(attemptId, snapshot.phase);
      let verdict = judgeCharge(snapshot, { notTaken: await this.notTaken(a, c, snapshot) });
      if (verdict.lookupPayment) verdict = await this.lookupPayment(a, snapshot, c);
      if (this.d.isClosed()) return null;
      if (this.write(attemptId, verdict, snapshot)) return null;
      a = journal.getAttempt(attemptId)!;
      if (a.state === 'resolved') return timing.slowestPollMs;
      await this.hooks.afterLook(a, snapshot.phase);
      return this.nextDelay(c, verdict);
    } catch (e) {
      if (this.d.isClosed()) return null;
      return this.checkFailed(attemptId, c, e);
    }
  }

  private nextDelay(c: AttemptContext, verdict: Verdict): number {
    const { timing, clock } = this.d;
    if (c.wakeAt !== null) return Math.max(c.wakeAt - clock.now(), 0);
    const waitingOnEvidence =
      verdict.state === 'unknown' || verdict.reason.code === 'reviewing' || (c.phase !== null && chargeIsOver(c.phase));
    if (waitingOnEvidence) {
      c.quiet++;
      return Math.min(timing.pollSlowMs * 2 ** Math.min(c.quiet - 1, 8), timing.slowestPollMs);
    }
    if (c.phase === 'at_terminal' && clock.now() - c.phaseSince > timing.slowAfterMs) return timing.pollSlowMs;
    return timing.pollFastMs;
  }

  private checkFailed(attemptId: string, c: AttemptContext, e: unknown): number {
    const { timing, log } = this.d;
    c.failures++;
    const code = e instanceof CajaError ? e.code : 'INTERNAL';
    log.warn('charge check failed', { attemptId, code, failures: c.failures });
    if (code === 'NETWORK' || code === 'UNEXPECTED_RESPONSE' || code === 'INTERNAL') {
      this.write(
        attemptId,
        { state: 'unknown', settled: false, reason: reason('offline'), errorCode: code === 'INTERNAL' ? null : code },
        null,
        'check_failed',
      );
    } else if (code === 'AUTH') {
      this.write(attemptId, { state: 'unknown', settled: false, reason: reason('authFailed'), errorCode: 'AUTH' }, null, 'check_failed');
    }
    return Math.min(timing.pollFastMs * 2 ** c.failures, timing.maxBackoffMs);
  }

  /**
   * A charge still queued (or, on a phone, not taken by the app) a while after it was sent: the
   * terminal is off, asleep, in STANDALONE or the app is closed. Said early, so the cashier can
   * cancel or pick another terminal instead of watching "Sending…" until the bounded wait ends.
   */
  private async notTaken(a: AttemptRow, c: AttemptContext, s: ChargeSnapshot): Promise<{ terminal: string; seconds: number } | null> {
    const { timing, clock, terminals } = this.d;
    const since = a.sent_at ?? a.created_at;
    if (clock.now() - since < timing.notTakenMs) return null;
    const label = terminals.cached().find((t) => t.id === a.terminal_id)?.label ?? a.terminal_id;
    const said = { terminal: label, seconds: Math.round(timing.notTakenMs / 1000) };
    if (s.phase === 'queued') return said;
    if (s.family !== 'mobile' || s.phase !== 'at_terminal') return null;
    // A phone shows an OPEN order whether or not its app took it; the device list says which.
    if (c.taken === null || clock.now() - c.taken.at >= timing.pollSlowMs * 2) {
      const phone = (await this.d.directory.family('mobile').listTerminals()).find((t) => t.id === a.terminal_id);
      c.taken = { at: clock.now(), taken: !!phone && phone.status !== 'offline' && phone.pendingChargeId === s.chargeId };
    }
    return c.taken.taken ? null : said;
  }

  /**
   * The charge says "look at the payment", or says it is over without naming one. A payment by id
   * or reference decides; "no payment" counts only from a search made after the search's delay.
   */
  private async lookupPayment(a: AttemptRow, snapshot: ChargeSnapshot, c: AttemptContext): Promise<Verdict> {
    const { directory, clock, timing } = this.d;
    const over = chargeIsOver(snapshot.phase);
    let payment: Payment | null = null;
    if (snapshot.paymentId) {
      try {
        payment = await directory.getPayment(snapshot.paymentId);
      } catch (e) {
        if (!(e instanceof CajaError && e.code === 'NOT_FOUND')) throw e;
      }
    }
    const ended = endedWithoutPayment(snapshot);
    const searchCounts = over && c.overSince !== null && clock.now() >= c.overSince + timing.searchDelayMs;
    // An ended charge that named no payment: searching before the delay could only mislead.
    if (!payment && (!ended || searchCounts)) payment = pickPayment(await directory.findPaymentsByReference(a.external_reference));
    if (payment) return judgePayment(payment, this.expected(a), snapshot, over);
    const waiting: Verdict = {
      state: a.state === 'sending' || a.state === 'at_terminal' || a.state === 'unknown' ? a.state : 'processing',
      settled: false,
      reason: reason(a.cancel_requested_at !== null ? 'cancelling' : 'checking'),
      errorCode: null,
    };
    if (!searchCounts) {
      if (over && c.overSince !== null) c.wakeAt = c.overSince + timing.searchDelayMs;
      return waiting;
    }
    if (snapshot.family === 'orders') {
      const v = judgeOrderPaymentWithoutRecord(snapshot);
      if (v) return v;
    }
    if (ended) return ended;
    // Finished or "confirmation required" with no payment anywhere: nothing proves either outcome.
    return { state: 'unknown', settled: false, reason: reason('checking'), errorCode: null };
  }

  private async chargeNotFound(a: AttemptRow, c: AttemptContext): Promise<number | null> {
    const { timing, clock, directory } = this.d;
    const since = a.sent_at ?? a.created_at;
    if (clock.now() - since < 60_000) return timing.pollFastMs;
    // Gone from its own API: only a payment with our reference can still say what happened.
    const payment = pickPayment(await directory.findPaymentsByReference(a.external_reference));
    if (payment) {
      const v = judgePayment(payment, this.expected(a), null, false);
      if (this.write(a.id, v, null, 'payment_found')) return null;
    } else {
      this.write(a.id, { state: 'unknown', settled: false, reason: reason('chargeGone'), errorCode: 'NOT_FOUND' }, null, 'check_failed');
    }
    c.quiet++;
    return Math.min(timing.pollSlowMs * 2 ** Math.min(c.quiet, 8), timing.slowestPollMs);
  }

  /**
   * The create's answer never arrived. Find the charge: a payment with our reference, a replay of
   * the journaled create with the same key (families that replay), the family's own listings, or
   * the result of a cancel on the terminal. Until one of them answers, the sale stays `unknown`
   * and its terminal claimed: not finding it is not evidence that it does not exist.
   */
  private async findLost(a: AttemptRow, c: AttemptContext): Promise<number | null> {
    const { directory, clock, timing } = this.d;
    const now = clock.now();
    const payment = pickPayment(await directory.findPaymentsByReference(a.external_reference));
    if (this.d.isClosed()) return null;
    if (payment && payment.status !== 'rejected') {
      if (this.write(a.id, judgePayment(payment, this.expected(a), null, false), null, 'payment_found')) return null;
      return timing.pollSlowMs;
    }
    // The phone's own cancel took whatever it held: once the search's delay has passed with no
    // payment, nothing was charged.
    if (c.overSince !== null && a.cancel_requested_at !== null) {
      if (now < c.overSince + timing.searchDelayMs) return c.overSince + timing.searchDelayMs - now;
      this.write(a.id, { state: 'cancelled', settled: true, reason: reason('cancelled'), errorCode: null }, null, 'cancelled_on_terminal');
      return null;
    }
    if (directory.family(a.family).createReplaySafe && now - a.created_at <= timing.resendWindowMs) {
      const snapshot = await this.replay(a);
      if (snapshot === 'refused' || this.d.isClosed()) return null;
      if (snapshot) {
        this.recordCharge(a.id, snapshot, 'charge_found');
        return 0;
      }
    }
    const found = await directory.findCharge(a.family, a.terminal_id, a.external_reference, utcDays(a.created_at, now), c.cursor);
    if (this.d.isClosed()) return null;
    if (found) {
      this.recordCharge(a.id, found, 'charge_found');
      return 0;
    }
    const why = payment ? reason('tryAnotherCard', { detail: payment.statusDetail ?? 'declined' }) : reason('lostAnswer');
    this.write(a.id, { state: 'unknown', settled: false, reason: why, errorCode: null }, null, 'still_looking');
    c.quiet++;
    return Math.min(timing.pollFastMs * 2 ** Math.min(c.quiet - 1, 8), timing.slowestPollMs);
  }

  /**
   * Sends the journaled create again with its key (families whose API answers the first charge
   * for a repeated key). A definite refusal of the very same body proves nothing was created; a
   * `409` after an unknown first try proves nothing at all (it may be refusing our own charge).
   */
  async replay(a: AttemptRow): Promise<ChargeSnapshot | null | 'refused'> {
    if (a.create_body === null) return null;
    try {
      return await this.d.directory.sendCreate(a.family, a.terminal_id, a.create_body, a.idempotency_key);
    } catch (e) {
      if (this.d.isClosed()) return null;
      const definite =
        e instanceof CajaError &&
        !isOutcomeUnknown(e) &&
        !['UNEXPECTED_RESPONSE', 'RATE_LIMITED', 'CONFLICT', 'TERMINAL_BUSY', 'NETWORK', 'AUTH'].includes(e.code);
      if (!definite) return null;
      this.write(
        a.id,
        { state: 'failed', settled: true, reason: reason('createRefused', { code: e.code }), errorCode: e.code },
        null,
        'create_refused',
      );
      return 'refused';
    }
  }
}

/** The UTC days an attempt may have finished on (the intents events listing is by UTC date). */
function utcDays(fromMs: number, toMs: number): string[] {
  const from = new Date(fromMs).toISOString().slice(0, 10);
  const to = new Date(toMs).toISOString().slice(0, 10);
  return from === to ? [from] : [from, to];
}

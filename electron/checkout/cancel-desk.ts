/**
 * Cancelling: the cashier's Cancel (on a live charge, or on an `unknown` one: then it cancels
 * whatever the terminal holds for the sale), and the bounded wait's automatic cancel, retried with
 * back-off. Each cancel request has its own idempotency key, journaled before it leaves and reused
 * by its retries (and after a restart). A cancel never settles anything by itself: the charge read
 * back afterwards (and the payment search) is the evidence, so the watcher polls it to its end.
 */
import { randomUUID } from 'node:crypto';
import type { SaleView } from '../../shared/contract';
import { CajaError } from '../../shared/errors';
import { reason } from '../../shared/reasons';
import type { ChargePhase } from '../point/charge';
import { isOutcomeUnknown } from '../point/point-error';
import type { CheckoutDeps } from './deps';
import type { AttemptRow } from './journal';
import { isCancellable, notCancellableWhy } from './sale-machine';
import type { VerdictDesk } from './verdicts';
import type { AttemptWatcher } from './watch';

interface AutoCancel {
  tries: number;
  nextAt: number;
  /** The terminal refused it for good (the card is being read): the payment decides now. */
  over: boolean;
}

export class CancelDesk {
  private readonly auto = new Map<string, AutoCancel>();

  constructor(
    private readonly d: CheckoutDeps,
    private readonly verdicts: VerdictDesk,
    private readonly watcher: AttemptWatcher,
    private readonly creating: (attemptId: string) => Promise<void> | undefined,
    private readonly view: (saleId: string) => SaleView,
  ) {}

  async cancel(saleId: string): Promise<SaleView> {
    const { journal } = this.d;
    const sale = journal.getSale(saleId);
    if (!sale) throw new CajaError('NOT_FOUND', 'That sale does not exist.');
    let a = sale.current_attempt_id ? journal.getAttempt(sale.current_attempt_id) : undefined;
    if (!a || a.settled) {
      if (sale.state === 'cancelled' || sale.state === 'expired') return this.view(saleId);
      throw new CajaError(
        'NOT_CANCELLABLE',
        sale.state === 'approved'
          ? 'This sale is already paid: refund it instead.'
          : 'This sale is already finished: there is nothing to cancel.',
      );
    }
    if (a.cancel_requested_at !== null && a.cancel_reason === 'cashier') {
      await this.watcher.now(a.id);
      return this.view(saleId);
    }
    this.verdicts.cancelRequested(a, 'cashier', randomUUID());
    await this.creating(a.id);
    a = journal.getAttempt(a.id)!;
    if (a.settled) return this.view(saleId);
    if (a.charge_id === null) {
      const reached = await this.reachLostCharge(a);
      a = journal.getAttempt(a.id)!;
      if (a.settled) return this.view(saleId);
      if (reached === 'cancelled') {
        await this.watcher.now(a.id);
        return this.view(saleId);
      }
      if (a.charge_id === null) return this.refuse(a, null);
    }
    try {
      await this.d.directory.cancelCharge(a.family, a.terminal_id, a.charge_id!, a.cancel_key!);
    } catch (e) {
      if (this.d.isClosed()) throw e;
      if (e instanceof CajaError && (e.code === 'NOT_CANCELLABLE' || e.code === 'NOT_FOUND' || e.code === 'CONFLICT')) {
        return this.refuse(a, this.watcher.phaseOf(a.id));
      }
      if (isOutcomeUnknown(e)) {
        // The cancel may have worked; the next look at the charge will tell.
        await this.watcher.now(a.id).catch(() => undefined);
        return this.view(saleId);
      }
      this.verdicts.cancelRefused(a, reason('cancelRefused', { code: e instanceof CajaError ? e.code : 'INTERNAL' }));
      throw e;
    }
    this.verdicts.note(a, 'cancel_accepted', reason('cancelAccepted'));
    await this.watcher.now(a.id);
    return this.view(saleId);
  }

  private async refuse(a: AttemptRow, phase: ChargePhase | null): Promise<never> {
    const why = notCancellableWhy(a.family, phase);
    this.verdicts.cancelRefused(a, reason('cancelNotPossible', { why }));
    await this.watcher.now(a.id).catch(() => undefined);
    throw new CajaError(
      'NOT_CANCELLABLE',
      why === 'unknown'
        ? 'Caja cannot reach this charge to cancel it: cancel it on the terminal, or wait for Mercado Pago to show what happened.'
        : why === 'onTerminal'
          ? 'The charge is already on the terminal: cancel it on the terminal itself, or wait for the customer.'
          : 'The customer is already paying: the charge can no longer be cancelled. Wait for the result.',
    );
  }

  /**
   * A charge whose id was never learned: learn it (orders: replay the journaled create with its
   * key, which answers the first order; intents: the events listing), or, where the family can,
   * cancel whatever the terminal holds (a phone's cancel by device).
   */
  private async reachLostCharge(a: AttemptRow): Promise<'found' | 'cancelled' | 'not_found'> {
    const { directory } = this.d;
    const family = directory.family(a.family);
    if (family.createReplaySafe) {
      const snapshot = await this.watcher.replay(a);
      if (snapshot && snapshot !== 'refused') {
        this.watcher.recordCharge(a.id, snapshot, 'charge_found');
        return 'found';
      }
      return 'not_found';
    }
    try {
      if (await directory.cancelOnTerminal(a.family, a.terminal_id, a.cancel_key!)) {
        this.verdicts.note(a, 'cancel_accepted', reason('cancelAccepted'));
        // The phone took whatever it held off the screen: from now, a search that waited out its
        // delay and found no payment proves that nothing was charged.
        this.watcher.context(a.id).overSince = this.d.clock.now();
        return 'cancelled';
      }
    } catch (e) {
      if (e instanceof CajaError && e.code === 'NOT_CANCELLABLE') return 'not_found';
      throw e;
    }
    const found = await directory.findCharge(a.family, a.terminal_id, a.external_reference, [today(this.d.clock.now())], this.watcher.context(a.id).cursor);
    if (found) {
      this.watcher.recordCharge(a.id, found, 'charge_found');
      return 'found';
    }
    return 'not_found';
  }

  /**
   * After the bounded wait a charge nobody is paying is cancelled (it then ends as expired). A
   * refused or unanswered cancel is tried again with back-off, with the same key.
   */
  async afterLook(a: AttemptRow, phase: ChargePhase): Promise<void> {
    const { clock, timing, directory } = this.d;
    const now = clock.now();
    if (a.expires_at === null || now < a.expires_at || !a.charge_id) return;
    if (a.cancel_requested_at !== null && a.cancel_reason !== 'timeout') return;
    let state = this.auto.get(a.id);
    if (state?.over || (state && now < state.nextAt)) return;
    if (!isCancellable(a.family, phase)) return;
    if (a.cancel_requested_at === null) {
      this.verdicts.cancelRequested(a, 'timeout', randomUUID());
      a = this.d.journal.getAttempt(a.id)!;
    }
    state ??= { tries: 0, nextAt: now, over: false };
    this.auto.set(a.id, state);
    state.tries++;
    try {
      await directory.cancelCharge(a.family, a.terminal_id, a.charge_id!, a.cancel_key!);
      state.over = true;
    } catch (e) {
      if (this.d.isClosed()) return;
      const code = e instanceof CajaError ? e.code : 'INTERNAL';
      this.verdicts.note(a, 'auto_cancel_failed', reason('autoCancelFailed', { code, attempt: state.tries }));
      state.over = code === 'NOT_CANCELLABLE' && !isOutcomeUnknown(e);
      state.nextAt = clock.now() + Math.min(timing.pollSlowMs * 2 ** (state.tries - 1), timing.slowestPollMs);
    }
  }

  /** After a restart: a cancel asked for before the crash may never have left; send it again with its key. */
  async resend(a: AttemptRow): Promise<void> {
    if (a.cancel_requested_at === null || a.cancel_key === null) return;
    const { directory } = this.d;
    try {
      let chargeId = a.charge_id;
      if (chargeId === null && directory.family(a.family).createReplaySafe) {
        // Orders: the replayed create names the order the cancel was meant for.
        const snapshot = await this.watcher.replay(a);
        if (snapshot && snapshot !== 'refused') {
          this.watcher.recordCharge(a.id, snapshot, 'charge_found');
          chargeId = snapshot.chargeId;
        }
      }
      if (chargeId !== null) await directory.cancelCharge(a.family, a.terminal_id, chargeId, a.cancel_key);
      else if (await directory.cancelOnTerminal(a.family, a.terminal_id, a.cancel_key)) {
        this.watcher.context(a.id).overSince = this.d.clock.now();
      }
    } catch (e) {
      if (this.d.isClosed()) return;
      this.verdicts.note(a, 'cancel_refused', reason('cancelRefused', { code: e instanceof CajaError ? e.code : 'INTERNAL' }));
    }
  }

  forget(attemptId: string): void {
    this.auto.delete(attemptId);
  }
}

function today(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The single writer of a charge's state. Every change to an attempt's or a sale's state goes
 * through here, in one transaction with the event that explains it; the rules of what a verdict
 * does live in `sale-machine.ts`'s `project`, this desk only applies them and tells the feed.
 */
import type { ChargeSnapshot } from '../point/charge';
import { reason, type Reason } from '../../shared/reasons';
import type { CheckoutDeps } from './deps';
import type { AttemptRow } from './journal';
import { project, type Verdict } from './sale-machine';
import type { ChargePhase } from '../point/charge';

export class VerdictDesk {
  constructor(
    private readonly d: CheckoutDeps,
    private readonly phaseOf: (attemptId: string) => ChargePhase | null,
  ) {}

  /** Writes a verdict; returns true when it settled the attempt just now. */
  write(attemptId: string, verdict: Verdict, snapshot: ChargeSnapshot | null, kind = 'state'): boolean {
    const { journal, clock, log } = this.d;
    if (this.d.isClosed()) return false;
    let settledNow = false;
    let saleChanged = false;
    let a = journal.getAttempt(attemptId);
    if (!a) return false;
    journal.tx(() => {
      a = journal.getAttempt(attemptId)!;
      const sale = journal.getSale(a.sale_id)!;
      const p = project({ attempt: a, sale, verdict, phase: this.phaseOf(attemptId), snapshot, kind, now: clock.now() });
      if (!p.attemptPatch) {
        if (p.ignored?.startsWith('impossible')) log.warn('ignored verdict', { attemptId, why: p.ignored });
        return;
      }
      journal.updateAttempt(attemptId, p.attemptPatch);
      if (p.salePatch) {
        journal.updateSale(a.sale_id, p.salePatch);
        if (p.salePatch.payment_id !== undefined && p.salePatch.payment_id !== sale.payment_id) {
          journal.updateSale(a.sale_id, { search_text: searchText(this.d, a.sale_id) });
        }
        saleChanged = true;
      }
      for (const e of p.events) journal.appendEvent(e);
      settledNow = p.settled;
    });
    if (saleChanged) this.d.pushSale(a.sale_id);
    if (settledNow) this.released(a);
    return settledNow;
  }

  /** Stores the charge id Mercado Pago gave (or that was found again). */
  recordCharge(attemptId: string, snapshot: ChargeSnapshot, kind: 'charge_created' | 'charge_found'): void {
    const { journal, clock, timing } = this.d;
    if (this.d.isClosed()) return;
    const now = clock.now();
    journal.tx(() => {
      const a = journal.getAttempt(attemptId)!;
      const expires = a.sent_at === null ? now + timing.chargeTimeoutMs : (a.expires_at ?? now);
      journal.updateAttempt(attemptId, {
        charge_id: snapshot.chargeId,
        sent_at: a.sent_at ?? now,
        expires_at: expires,
        order_payment_id: snapshot.orderPayment?.orderPaymentId ?? a.order_payment_id,
      });
      journal.updateSale(a.sale_id, { expires_at: expires, search_text: searchText(this.d, a.sale_id) });
      journal.appendEvent({
        at: now,
        saleId: a.sale_id,
        attemptId,
        kind,
        state: a.state,
        reason: reason(kind === 'charge_created' ? 'chargeCreated' : 'chargeFound', { family: snapshot.family, chargeId: snapshot.chargeId }),
        data: { chargeId: snapshot.chargeId, chargeState: snapshot.rawState },
      });
    });
  }

  /** An event that changes no state (a cancel accepted, an automatic cancel refused...). */
  note(a: Pick<AttemptRow, 'id' | 'sale_id' | 'state'>, kind: string, why: Reason, data?: Record<string, unknown>): void {
    if (this.d.isClosed()) return;
    this.d.journal.tx(() =>
      this.d.journal.appendEvent({ at: this.d.clock.now(), saleId: a.sale_id, attemptId: a.id, kind, state: a.state, reason: why, data }),
    );
  }

  /** A cancel request leaves: its own key, who asked, and the sale says "cancelling". */
  cancelRequested(a: AttemptRow, by: 'cashier' | 'timeout', key: string): void {
    const { journal, clock } = this.d;
    if (this.d.isClosed()) return;
    const now = clock.now();
    journal.tx(() => {
      journal.updateAttempt(a.id, { cancel_requested_at: now, cancel_reason: by, cancel_key: key });
      if (journal.getSale(a.sale_id)?.current_attempt_id === a.id) {
        journal.updateSale(a.sale_id, { cancellable: 0, reason_code: 'cancelling', reason_params: '{}', updated_at: now });
      }
      journal.appendEvent({
        at: now,
        saleId: a.sale_id,
        attemptId: a.id,
        kind: by === 'cashier' ? 'cancel_requested' : 'auto_cancel',
        state: a.state,
        reason: by === 'cashier' ? reason('cancelRequested', { by: 'cashier' }) : reason('autoCancel'),
        data: { idempotencyKey: key },
      });
    });
    this.d.pushSale(a.sale_id);
  }

  /** The cancel did not happen: the charge goes on, Cancel is offered again where it can work. */
  cancelRefused(a: AttemptRow, why: Reason): void {
    const { journal, clock } = this.d;
    if (this.d.isClosed()) return;
    const now = clock.now();
    journal.tx(() => {
      journal.updateAttempt(a.id, { cancel_requested_at: null, cancel_reason: null });
      const sale = journal.getSale(a.sale_id);
      if (sale?.current_attempt_id === a.id && sale.state === 'unknown') {
        journal.updateSale(a.sale_id, { reason_code: 'lostAnswer', reason_params: '{}', cancellable: 1, updated_at: now });
      }
      journal.appendEvent({ at: now, saleId: a.sale_id, attemptId: a.id, kind: 'cancel_refused', state: a.state, reason: why });
    });
    this.d.pushSale(a.sale_id);
  }

  /**
   * A person closes the attempt without evidence: the terminal is freed, the sale says who and
   * why, and it stays in the unfinished list; Mercado Pago's evidence may still settle it later.
   */
  resolve(a: AttemptRow, by: string, note: string): void {
    const { journal, clock } = this.d;
    if (this.d.isClosed()) return;
    const now = clock.now();
    const why = reason('resolvedManually', { by, note });
    journal.tx(() => {
      journal.updateAttempt(a.id, { state: 'resolved', settled: 1, settled_at: now });
      journal.updateSale(a.sale_id, {
        state: 'resolved',
        reason_code: why.code,
        reason_params: JSON.stringify(why.params),
        cancellable: 0,
        updated_at: now,
      });
      journal.appendEvent({ at: now, saleId: a.sale_id, attemptId: a.id, kind: 'resolved', state: 'resolved', reason: why });
    });
    this.d.pushSale(a.sale_id);
    this.released(a);
  }

  private released(a: AttemptRow): void {
    this.d.terminals.released(a.terminal_id, a.charge_id);
    this.d.claims?.release(a.terminal_id, a.sale_id);
    this.d.pushTerminals();
  }
}

/** What the history's text search matches: line names, references, payment and charge ids. */
export function searchText(d: Pick<CheckoutDeps, 'journal'>, saleId: string): string {
  const names = d.journal.lines(saleId).map((l) => l.name);
  const refs = d.journal.attemptsOfSale(saleId).flatMap((x) => [x.external_reference, x.payment_id ?? '', x.charge_id ?? '']);
  return [...names, ...refs, saleId].join(' ').toLowerCase();
}


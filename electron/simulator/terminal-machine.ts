/**
 * One state machine drives every simulated terminal, whatever API family queued the charge:
 *
 *   queued ──toTerminalMs──▶ waiting_card ──customer (auto: customerMs; manual: a control call)──▶
 *   processing ──processingMs──▶ result ──RESULT_SCREEN_MS──▶ idle
 *
 * The family adapters translate each step into their own states (OPEN/ON_TERMINAL…, created/
 * at_terminal…, OPEN/CLOSED). A terminal holds at most one charge; the families refuse a second
 * one synchronously, so concurrent requests can never slip two onto one terminal. An offline
 * terminal stalls at its next step and picks it up again when it comes back online.
 */
import type { CustomerAction, SimTerminal } from './control-api';
import type { SimCore } from './core';
import { ApiError } from './errors';
import { outcomeForAmount, RESULT_SCREEN_MS } from './outcomes';
import type { Family, Outcome, TerminalRecord } from './state';

export interface ChargeView {
  amountMinor: number;
  description: string | null;
  state: string;
}

export interface ChargeAdapter {
  describe(chargeId: string): ChargeView | null;
  arrived(chargeId: string): void;
  processing(chargeId: string): void;
  /** Applies the outcome to the family's records; returns the label the screen shows. */
  finished(chargeId: string, outcome: Outcome): string;
  /**
   * Only for families whose terminal lets the customer try another card: records the declined
   * payment and keeps the charge live. Families without it end the charge at the first decline.
   */
  declined?(chargeId: string, detail: string): void;
}

export class TerminalMachine {
  private readonly timers = new Map<string, number>();
  private readonly stalled = new Set<string>();
  readonly adapters = {} as Record<Family, ChargeAdapter>;

  constructor(private readonly core: SimCore) {}

  /** Queues a charge the family has already stored and checked the terminal is free for. */
  enqueue(terminalId: string, chargeId: string): void {
    const t = this.terminal(terminalId);
    this.clear(t.id);
    t.current = chargeId;
    t.phase = 'queued';
    t.outcome = null;
    t.retrying = false;
    t.cancelRequested = false;
    if (this.takesApiCharges(t)) this.schedule(t, this.core.timing.toTerminalMs);
    this.core.changed();
  }

  isBusy(terminalId: string): boolean {
    return this.terminal(terminalId).current !== null;
  }

  /** Ends the current charge from outside (API cancel, expiry, a forced status). */
  release(terminalId: string, chargeId: string, label: string): boolean {
    const t = this.terminal(terminalId);
    if (t.current !== chargeId) return false;
    const view = this.adapter(t).describe(chargeId);
    this.clear(t.id);
    t.lastResult = { chargeId, amountMinor: view?.amountMinor ?? 0, description: view?.description ?? null, state: view?.state ?? '', label };
    t.current = null;
    t.outcome = null;
    t.retrying = false;
    t.cancelRequested = false;
    t.phase = 'result';
    this.schedule(t, RESULT_SCREEN_MS);
    this.core.changed();
    return true;
  }

  /**
   * The POS asked to cancel the charge on the screen (asynchronous cancel): the terminal stops
   * waiting for a card until the family confirms the cancel with `release`. False when the card is
   * already being read or the charge is not this terminal's.
   */
  holdForCancel(terminalId: string, chargeId: string): boolean {
    const t = this.terminal(terminalId);
    if (t.current !== chargeId || t.phase !== 'waiting_card') return false;
    this.clear(t.id);
    t.cancelRequested = true;
    this.core.changed();
    return true;
  }

  phaseOf(terminalId: string): TerminalRecord['phase'] {
    return this.terminal(terminalId).phase;
  }

  /** The person at the terminal acts (control API or the screen page). */
  customer(terminalId: string, action: CustomerAction): void {
    const t = this.core.state.terminals.get(terminalId);
    if (!t) throw new ApiError(404, 'not_found', `no terminal ${terminalId}`);
    if (!t.online) throw new ApiError(409, 'terminal_offline', `terminal ${terminalId} is offline`);
    if (t.current === null) throw new ApiError(409, 'nothing_on_terminal', `terminal ${terminalId} has no charge`);
    if (t.cancelRequested) throw new ApiError(409, 'cancellation_requested', `terminal ${terminalId} is canceling its charge`);
    if (t.phase === 'queued') {
      if (!this.takesApiCharges(t)) throw new ApiError(409, 'standalone', `terminal ${terminalId} is in STANDALONE mode and ignores API charges`);
      // Convenience for tests and trainees: acting on a charge still on its way brings it to the screen first.
      this.clear(t.id);
      this.arrive(t);
    }
    if (t.phase !== 'waiting_card') throw new ApiError(409, 'card_already_read', `terminal ${terminalId} is already processing the card`);
    this.clear(t.id);
    const view = this.adapter(t).describe(t.current!);
    this.cardPresented(t, customerOutcome(action, view?.amountMinor ?? 0));
  }

  /** Puts a queued charge on the screen now (the Orders API test event `at_terminal`). */
  arriveNow(terminalId: string): boolean {
    const t = this.terminal(terminalId);
    if (t.phase !== 'queued' || !t.online || !this.takesApiCharges(t)) return false;
    this.clear(t.id);
    this.arrive(t);
    return true;
  }

  setOnline(terminalId: string, online: boolean): void {
    const t = this.terminal(terminalId);
    t.online = online;
    this.core.changed();
    if (online && this.stalled.delete(t.id)) this.step(t.id);
  }

  /** A terminal switched to PDV takes the charge it was ignoring (as a real one does after its restart). */
  modeChanged(terminalId: string): void {
    const t = this.terminal(terminalId);
    if (t.phase === 'queued' && this.takesApiCharges(t) && !this.timers.has(t.id)) this.schedule(t, this.core.timing.toTerminalMs);
  }

  timingChanged(): void {
    for (const t of this.core.state.terminals.values()) {
      if (t.phase !== 'waiting_card' || t.cancelRequested) continue;
      if (this.core.timing.customer === 'manual') this.clear(t.id);
      else if (!this.timers.has(t.id)) this.schedule(t, this.core.timing.customerMs);
    }
  }

  /** Re-arms every terminal's next step (after loading a state file). */
  resumeAll(): void {
    for (const t of this.core.state.terminals.values()) {
      this.clear(t.id);
      if (t.phase === 'queued' && this.takesApiCharges(t)) this.schedule(t, this.core.timing.toTerminalMs);
      else if (t.phase === 'waiting_card' && this.core.timing.customer === 'auto' && !t.cancelRequested) this.schedule(t, this.core.timing.customerMs);
      else if (t.phase === 'processing') this.schedule(t, this.core.timing.processingMs);
      else if (t.phase === 'result') this.schedule(t, RESULT_SCREEN_MS);
    }
  }

  /** Forgets timers (a reset replaces the state they point into). */
  forget(): void {
    for (const id of this.timers.values()) this.core.clock.clearTimer(id);
    this.timers.clear();
    this.stalled.clear();
  }

  view(t: TerminalRecord): SimTerminal {
    const device = this.core.state.devices.get(t.id);
    const screen = t.phase === 'queued' ? 'idle' : t.phase;
    let charge: SimTerminal['charge'] = null;
    if (t.current !== null) {
      const v = this.adapter(t).describe(t.current);
      if (v) charge = { id: t.current, amountMinor: v.amountMinor, state: v.state, description: v.description };
    } else if (t.phase === 'result' && t.lastResult) {
      charge = { id: t.lastResult.chargeId, amountMinor: t.lastResult.amountMinor, state: t.lastResult.state, description: t.lastResult.description };
    }
    return {
      id: t.id,
      family: t.family,
      userId: t.userId,
      mode: device?.mode ?? null,
      online: t.online,
      screen,
      charge,
      retrying: t.current !== null && t.retrying === true,
      canceling: t.current !== null && t.cancelRequested === true,
    };
  }

  resultLabel(t: TerminalRecord): string | null {
    return t.phase === 'result' ? (t.lastResult?.label ?? null) : null;
  }

  // ---- steps -----------------------------------------------------------------------------------

  private step(id: string): void {
    this.timers.delete(id);
    const t = this.core.state.terminals.get(id);
    if (!t) return;
    if (!t.online && t.phase !== 'result' && t.phase !== 'idle') {
      this.stalled.add(id);
      return;
    }
    switch (t.phase) {
      case 'queued':
        if (this.takesApiCharges(t)) this.arrive(t);
        return;
      case 'waiting_card': {
        if (t.cancelRequested) return;
        const view = t.current !== null ? this.adapter(t).describe(t.current) : null;
        // The auto customer's second card, after a decline, is a good one.
        this.cardPresented(t, t.retrying ? { kind: 'approved' } : outcomeForAmount(view?.amountMinor ?? 0));
        return;
      }
      case 'processing':
        this.finish(t, t.outcome ?? { kind: 'error' });
        return;
      case 'result':
        t.phase = 'idle';
        t.lastResult = null;
        this.core.changed();
        return;
      case 'idle':
        return;
    }
  }

  private arrive(t: TerminalRecord): void {
    t.phase = 'waiting_card';
    this.adapter(t).arrived(t.current!);
    this.core.changed();
    if (this.core.timing.customer === 'auto') this.schedule(t, this.core.timing.customerMs);
  }

  private cardPresented(t: TerminalRecord, outcome: Outcome): void {
    // Walking away needs no card processing.
    if (outcome.kind === 'abandoned') return this.finish(t, outcome);
    t.phase = 'processing';
    t.outcome = outcome;
    this.adapter(t).processing(t.current!);
    this.core.changed();
    this.schedule(t, this.core.timing.processingMs);
  }

  private finish(t: TerminalRecord, outcome: Outcome): void {
    const chargeId = t.current!;
    const adapter = this.adapter(t);
    if (outcome.kind === 'rejected' && outcome.retry && this.core.timing.declineRetry && adapter.declined) {
      // The terminal shows "declined, try another card": same charge, back to waiting for a card.
      adapter.declined(chargeId, outcome.detail);
      t.phase = 'waiting_card';
      t.outcome = null;
      t.retrying = true;
      this.core.changed();
      if (this.core.timing.customer === 'auto') this.schedule(t, this.core.timing.customerMs);
      return;
    }
    const label = adapter.finished(chargeId, outcome);
    const view = adapter.describe(chargeId);
    t.lastResult = { chargeId, amountMinor: view?.amountMinor ?? 0, description: view?.description ?? null, state: view?.state ?? '', label };
    t.current = null;
    t.outcome = null;
    t.retrying = false;
    t.phase = 'result';
    this.core.changed();
    this.schedule(t, RESULT_SCREEN_MS);
  }

  /** Zero delays run now, so a test with zero timings sees the result in the same request. */
  private schedule(t: TerminalRecord, ms: number): void {
    this.clear(t.id);
    if (ms <= 0) return this.step(t.id);
    this.timers.set(t.id, this.core.clock.setTimer(ms, () => this.step(t.id)));
  }

  private clear(id: string): void {
    const timer = this.timers.get(id);
    if (timer !== undefined) this.core.clock.clearTimer(timer);
    this.timers.delete(id);
  }

  private takesApiCharges(t: TerminalRecord): boolean {
    return this.core.state.devices.get(t.id)?.mode !== 'STANDALONE';
  }

  private adapter(t: TerminalRecord): ChargeAdapter {
    return this.adapters[t.family];
  }

  private terminal(id: string): TerminalRecord {
    const t = this.core.state.terminals.get(id);
    if (!t) throw new Error(`no terminal ${id}`);
    return t;
  }
}

/** What a customer action at the terminal means for the card. */
function customerOutcome(action: CustomerAction, amountMinor: number): Outcome {
  switch (action.action) {
    case 'present_card':
      return outcomeForAmount(amountMinor);
    case 'approve':
      return { kind: 'approved' };
    case 'reject':
      return { kind: 'rejected', detail: action.statusDetail ?? 'cc_rejected_other_reason', retry: action.retry ?? false };
    case 'abandon':
      return { kind: 'abandoned' };
    case 'confirmation_required':
      return { kind: 'confirmation_required', payment: action.payment ?? 'approved' };
    case 'in_process':
      return { kind: 'in_process', settle: action.settle ?? 'approved' };
  }
}

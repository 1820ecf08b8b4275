/**
 * Terminal administration: the list (Mercado Pago's terminals joined with their allow-lists and the
 * local sale holding each), the operating mode, and which registers may use a terminal. Journaled like money.
 */
import { randomUUID } from 'node:crypto';
import type { OperatingMode, TerminalView } from '../../shared/contract';
import { CajaError } from '../../shared/errors';
import { reason } from '../../shared/reasons';
import type { CheckoutDeps } from './deps';
import type { ClaimRelease } from './engine-api';

export class TerminalDesk {
  constructor(
    private readonly d: CheckoutDeps,
    private readonly emit: (views: TerminalView[]) => void,
  ) {}

  async list(): Promise<TerminalView[]> {
    await this.d.terminals.refresh();
    const views = this.d.terminals.views();
    this.emit(views);
    return views;
  }

  async setMode(terminalId: string, mode: OperatingMode): Promise<TerminalView> {
    const { journal, clock, terminals, directory } = this.d;
    const t = await terminals.resolve(terminalId);
    if (t.family === 'mobile') throw new CajaError('INVALID_INPUT', 'Phones running the Mercado Pago app have no operating mode to set.');
    if (mode === 'STANDALONE' && journal.unsettledOnTerminal(t.id)) {
      throw new CajaError('TERMINAL_BUSY', 'That terminal has a charge in progress; switch its mode when it is done.');
    }
    const key = randomUUID();
    journal.run(
      // Terminal events belong to no sale and carry no cashier-facing reason: they are audit lines.
      'INSERT INTO events (at, sale_id, kind, detail, data) VALUES (?, NULL, ?, ?, ?)',
      clock.now(),
      'terminal_mode_requested',
      `${t.id} → ${mode}`,
      JSON.stringify({ terminalId: t.id, mode, idempotencyKey: key }),
    );
    const applied = await directory.setMode(t.id, t.family, mode, key);
    terminals.patch(t.id, { mode: applied });
    journal.run(
      'INSERT INTO events (at, sale_id, kind, detail, data) VALUES (?, NULL, ?, ?, ?)',
      clock.now(),
      'terminal_mode',
      `${t.id} = ${applied}`,
      JSON.stringify({ terminalId: t.id, mode: applied }),
    );
    this.d.pushTerminals();
    return terminals.view(t);
  }

  /** Replaces the terminal's allow-list (empty: any register of the shop); the old list goes in the audit line. */
  async assign(terminalId: string, registers: readonly string[]): Promise<TerminalView> {
    const { journal, clock, terminals } = this.d;
    const t = await terminals.resolve(terminalId);
    const now = clock.now();
    const allowed = [...new Set(registers)].sort();
    journal.tx(() => {
      const before = journal.allowedRegisters().get(t.id) ?? [];
      journal.setAllowedRegisters(t.id, allowed, now);
      journal.run(
        'INSERT INTO events (at, sale_id, kind, detail, data) VALUES (?, NULL, ?, ?, ?)',
        now,
        'terminal_registers',
        `${t.id}: ${before.join(', ') || 'any register'} → ${allowed.join(', ') || 'any register'}`,
        JSON.stringify({ terminalId: t.id, before, allowed }),
      );
    });
    this.d.pushTerminals();
    return terminals.view(t);
  }

  /**
   * A manager released a claim on the shop's board, on this till or on another one (this till's own
   * claim): journaled under the sale it freed, once per release, so the sale's timeline (and the
   * shop's copy of this journal) says who let which terminal go, when, and whose sale held it.
   */
  recordClaimRelease(r: ClaimRelease): void {
    const { journal, terminals } = this.d;
    if (this.d.isClosed()) throw new CajaError('INTERNAL', 'The checkout is shutting down. Try again in a moment.');
    const label = terminals.cached().find((t) => t.id === r.terminalId)?.label ?? r.terminalId;
    journal.tx(() => {
      const known = journal.get<{ n: number }>(
        "SELECT count(*) AS n FROM events WHERE sale_id = ? AND kind = 'claim_released' AND json_extract(data, '$.releaseId') = ?",
        r.saleId,
        r.releaseId,
      );
      if (known && known.n > 0) return;
      journal.appendEvent({
        // When the manager released it, not when this till heard: the line tells what happened then.
        at: r.releasedAt,
        saleId: r.saleId,
        kind: 'claim_released',
        reason: reason('claimReleased', { terminal: label, till: r.till, from: r.byTill, register: r.by }),
        data: { ...r },
      });
    });
  }
}

/**
 * Terminal administration: the list (Mercado Pago's terminals joined with their allow-lists and the
 * local sale holding each), the operating mode, and which registers may use a terminal. Journaled like money.
 */
import { randomUUID } from 'node:crypto';
import type { OperatingMode, TerminalView } from '../../shared/contract';
import { CajaError } from '../../shared/errors';
import type { CheckoutDeps } from './deps';

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
}

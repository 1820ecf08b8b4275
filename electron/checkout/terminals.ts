/**
 * Terminal views: Mercado Pago's list of terminals joined with what only this register knows —
 * which registers may use each terminal (journal table) and which local sale holds it right now.
 */
import type { TerminalView } from '../../shared/contract';
import { CajaError } from '../../shared/errors';
import type { DirectoryTerminal } from '../point/charge';
import type { TerminalDirectory } from '../point/terminal-directory';
import type { Clock } from '../ground/clock';
import type { TerminalClaims } from './engine-api';
import type { Journal } from './journal';

export class TerminalRegistry {
  private cache: { list: DirectoryTerminal[]; at: number } | null = null;

  constructor(
    private readonly directory: TerminalDirectory,
    private readonly journal: Journal,
    private readonly clock: Clock,
    private readonly cacheMs: number,
    /** The shop's terminal board: another till's claim makes a terminal busy here too. */
    private readonly claims: TerminalClaims | null = null,
  ) {}

  async refresh(): Promise<DirectoryTerminal[]> {
    const list = await this.directory.listTerminals();
    this.cache = { list, at: this.clock.now() };
    return list;
  }

  /** A terminal by id, from a list no older than the cache time (refreshed when older or missing). */
  async resolve(terminalId: string): Promise<DirectoryTerminal> {
    const fresh = this.cache && this.clock.now() - this.cache.at <= this.cacheMs;
    let t = fresh ? this.cache!.list.find((x) => x.id === terminalId) : undefined;
    if (!t) t = (await this.refresh()).find((x) => x.id === terminalId);
    if (!t)
      throw new CajaError('TERMINAL_NOT_FOUND', 'That terminal is not on this Mercado Pago account. Refresh the terminal list.');
    return t;
  }

  cached(): DirectoryTerminal[] {
    return this.cache?.list ?? [];
  }

  patch(terminalId: string, change: Partial<DirectoryTerminal>): void {
    const t = this.cache?.list.find((x) => x.id === terminalId);
    if (t) Object.assign(t, change);
  }

  /** Mobile devices report BUSY for our own charge: once it settled, that word is stale. */
  released(terminalId: string, chargeId: string | null): void {
    const t = this.cache?.list.find((x) => x.id === terminalId);
    if (t && t.status === 'busy' && (t.pendingChargeId === null || t.pendingChargeId === chargeId)) {
      t.status = 'free';
      t.pendingChargeId = null;
    }
  }

  view(t: DirectoryTerminal, allowed = this.journal.allowedRegisters()): TerminalView {
    const local = this.journal.unsettledOnTerminal(t.id);
    const localSale = local ? this.journal.getSale(local.sale_id) : undefined;
    const board = this.claims?.boardOf(t.id);
    const elsewhere = board?.claim && !board.claim.mine ? board.claim : null;
    const busyWith = local
      ? { saleId: local.sale_id, register: localSale?.register ?? null }
      : elsewhere
        ? // The other till's name where a register id would be: a person reads "Till 3", not its uuid.
          { saleId: elsewhere.saleId, register: elsewhere.till }
        : t.status === 'busy'
          ? { saleId: null, register: null }
          : null;
    return {
      id: t.id,
      family: t.family,
      label: t.label,
      mode: t.mode,
      status: t.status === 'offline' ? 'offline' : busyWith ? 'busy' : 'free',
      busyWith,
      allowed: allowed.get(t.id) ?? [],
      ...(board !== undefined ? { board } : {}),
      storeId: t.storeId,
      posId: t.posId,
    };
  }

  views(): TerminalView[] {
    const allowed = this.journal.allowedRegisters();
    return this.cached().map((t) => this.view(t, allowed));
  }
}

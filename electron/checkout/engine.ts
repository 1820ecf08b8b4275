/**
 * The checkout engine, as the rest of main sees it: a facade over the desks that do the work.
 *
 *   ChargeDesk    opening a charge: checks, journal (key, reference, body), create
 *   AttemptWatcher  one look at Mercado Pago per step until evidence settles the attempt
 *   CancelDesk    the cashier's cancel (live or unknown), the bounded wait's cancel with back-off
 *   VerdictDesk   the single writer of states; the rules are sale-machine.ts's `project`
 *   recover()     what a restart does with what the journal left open
 *   RefundDesk    refunds, and refunds made elsewhere
 *   TerminalDesk  terminal list, mode, allow-lists
 *   AttentionDesk reconciliation on start and daily, attention items
 *
 * They share one `CheckoutDeps` and tell the outside world through one `ChangeFeed`.
 * docs/payments.md states the settlement rules these implement.
 */
import type {
  AttentionItem,
  ChargeInput,
  HistoryFilter,
  OperatingMode,
  ReconcileReport,
  SaleDetail,
  SaleView,
  TerminalView,
} from '../../shared/contract';
import { ATTENTION_STATES } from '../../shared/contract';
import { CajaError } from '../../shared/errors';
import { realClock } from '../ground/clock';
import { silentLogger } from '../ground/logger';
import { TerminalDirectory } from '../point/terminal-directory';
import { AttentionDesk } from './attention';
import { CancelDesk } from './cancel-desk';
import { ChangeFeed } from './change-feed';
import { ChargeDesk } from './charge-desk';
import type { CheckoutDeps } from './deps';
import type { CheckoutEngine, CheckoutEngineOptions, EngineTiming } from './engine-api';
import { attemptsForHint, type ChargeHint } from './hints';
import { exportCsv, history } from './history';
import { Journal, type SaleRow } from './journal';
import { reconcileDay } from './reconcile';
import { recover } from './recovery';
import { RefundDesk } from './refunds';
import { TerminalDesk } from './terminal-desk';
import { TerminalRegistry } from './terminals';
import { VerdictDesk } from './verdicts';
import { isResolvable, loadView, saleDetail } from './views';
import { AttemptWatcher } from './watch';

export const DEFAULT_TIMING: EngineTiming = {
  pollFastMs: 1100,
  pollSlowMs: 3000,
  slowAfterMs: 15_000,
  chargeTimeoutMs: 300_000,
  // Mercado Pago documents no figure; its search visibly lags seconds behind a new payment.
  searchDelayMs: 20_000,
  notTakenMs: 15_000,
  slowestPollMs: 60_000,
  reconcileEveryMs: 24 * 3600_000,
  resendWindowMs: 60_000,
  maxBackoffMs: 30_000,
  terminalCacheMs: 10_000,
  requestTimeoutMs: 10_000,
  minReadIntervalMs: 1100,
};

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
  private readonly d: CheckoutDeps;
  private readonly feed: ChangeFeed;
  private readonly watcher: AttemptWatcher;
  private readonly charges: ChargeDesk;
  private readonly cancels: CancelDesk;
  private readonly verdicts: VerdictDesk;
  private readonly refunds: RefundDesk;
  private readonly terminalDesk: TerminalDesk;
  private readonly attentionDesk: AttentionDesk;
  private closed = false;
  /** Stops listening to the shop's terminal board (other tills' claims change the terminal list). */
  private offClaims: () => void = () => undefined;

  constructor(options: CheckoutEngineOptions) {
    const clock = options.clock ?? realClock;
    const log = options.log ?? silentLogger;
    const timing = { ...DEFAULT_TIMING, ...options.timing };
    const journal = new Journal(options.journalPath);
    const directory = new TerminalDirectory({
      baseUrl: options.baseUrl,
      getToken: options.getToken,
      site: options.site,
      log,
      clock,
      timeoutMs: timing.requestTimeoutMs,
      minReadIntervalMs: timing.minReadIntervalMs,
    });
    const terminals = new TerminalRegistry(directory, journal, clock, timing.terminalCacheMs, options.terminalClaims ?? null);
    this.feed = new ChangeFeed(journal, log);
    this.d = {
      journal,
      directory,
      terminals,
      clock,
      log,
      site: options.site,
      register: options.register,
      timing,
      claims: options.terminalClaims ?? null,
      isClosed: () => this.closed,
      pushSale: (saleId) => this.feed.sale(saleId),
      pushTerminals: () => {
        if (!this.closed && this.feed.hasTerminalListeners() && terminals.cached().length > 0) this.feed.terminalList(terminals.views());
      },
      pushAttention: () => this.feed.attentionItems(this.attentionDesk.list()),
    };
    const view = (saleId: string) => this.get(saleId);
    let cancels: CancelDesk | null = null;
    let charges: ChargeDesk | null = null;
    this.verdicts = new VerdictDesk(this.d, (id) => this.watcher.phaseOf(id));
    this.watcher = new AttemptWatcher(this.d, this.verdicts, {
      isCreating: (id) => charges!.isCreating(id),
      afterLook: (a, phase) => cancels!.afterLook(a, phase),
      settled: (id) => cancels!.forget(id),
    });
    let started!: () => void;
    const recovered = new Promise<void>((resolve) => (started = resolve));
    this.started = started;
    charges = this.charges = new ChargeDesk(this.d, this.verdicts, this.watcher, options.hooks ?? {}, recovered, view);
    cancels = this.cancels = new CancelDesk(this.d, this.verdicts, this.watcher, (id) => charges.creating(id), view);
    this.refunds = new RefundDesk(this.d);
    this.terminalDesk = new TerminalDesk(this.d, (views) => this.feed.terminalList(views));
    this.attentionDesk = new AttentionDesk(this.d);
    if (options.terminalClaims) {
      const offChange = options.terminalClaims.onChange(() => this.d.pushTerminals());
      const offRelease = options.terminalClaims.onManagerRelease?.((r) => this.terminalDesk.recordClaimRelease(r));
      this.offClaims = () => {
        offChange();
        offRelease?.();
      };
    }
    this.ready = this.start();
    // A failed start is reported through `ready`; nobody awaiting it must not crash the process.
    this.ready.catch(() => undefined);
  }

  private readonly started: () => void;

  private async start(): Promise<void> {
    // Before the watchers start: what settles during recovery releases what this re-claims.
    this.d.claims?.holding(this.d.journal.unsettledAttempts().map((a) => ({ terminalId: a.terminal_id, saleId: a.sale_id })));
    recover(this.d, this.watcher, this.cancels, this.refunds);
    this.started();
    this.attentionDesk.start();
  }

  // ---------- charges ----------

  charge(input: ChargeInput): Promise<SaleView> {
    this.assertOpen();
    return this.charges.charge(input);
  }

  cancel(saleId: string): Promise<SaleView> {
    this.assertOpen();
    return this.cancels.cancel(saleId);
  }

  async recheck(saleId: string): Promise<SaleView> {
    this.assertOpen();
    const sale = this.requireSale(saleId);
    const a = sale.current_attempt_id ? this.d.journal.getAttempt(sale.current_attempt_id) : undefined;
    if (a && (!a.settled || a.state === 'resolved')) {
      this.watcher.freshen(a.id);
      await this.watcher.now(a.id);
    }
    await this.refunds.recheckSale(saleId);
    return this.get(saleId);
  }

  async resolve(saleId: string, note: string, by = this.d.register): Promise<SaleView> {
    this.assertOpen();
    await this.ready;
    const trimmed = note.trim();
    if (trimmed.length < 3) throw new CajaError('INVALID_INPUT', 'Say why, in a few words.');
    const sale = this.requireSale(saleId);
    const a = sale.current_attempt_id ? this.d.journal.getAttempt(sale.current_attempt_id) : undefined;
    if (!a || !isResolvable(sale.state) || (a.settled && a.state !== 'resolved')) {
      throw new CajaError(
        'CONFLICT',
        sale.state === 'resolved'
          ? 'This sale was already resolved by hand.'
          : 'Only a sale whose outcome Mercado Pago has not settled can be resolved by hand.',
      );
    }
    this.verdicts.resolve(a, by, trimmed.slice(0, 200));
    // Still watched, slowly: Mercado Pago's evidence settles it whenever it comes.
    this.watcher.track(a.id, this.d.timing.pollSlowMs);
    return this.get(saleId);
  }

  // ---------- reads ----------

  get(saleId: string): SaleView {
    this.assertOpen();
    return loadView(this.d.journal, this.requireSale(saleId));
  }

  unfinished(): SaleView[] {
    this.assertOpen();
    const states = ATTENTION_STATES.map((s) => `'${s}'`).join(', ');
    const rows = this.d.journal.all<SaleRow>(
      `SELECT s.* FROM sales s WHERE s.state IN (${states}) OR s.id IN (SELECT sale_id FROM attempts WHERE settled = 0) ORDER BY s.created_at`,
    );
    return rows.map((r) => loadView(this.d.journal, r));
  }

  history(filter: HistoryFilter): { items: SaleView[]; total: number } {
    this.assertOpen();
    return history(this.d.journal, filter);
  }

  detail(saleId: string): SaleDetail {
    this.assertOpen();
    return saleDetail(this.d.journal, this.requireSale(saleId));
  }

  async refund(saleId: string, amount?: number): Promise<SaleDetail> {
    this.assertOpen();
    await this.ready;
    await this.refunds.refund(this.requireSale(saleId), amount);
    return this.detail(saleId);
  }

  exportCsv(filter: HistoryFilter): { filename: string; csv: string } {
    this.assertOpen();
    return exportCsv(this.d.journal, filter);
  }

  async reconcile(day: string): Promise<ReconcileReport> {
    this.assertOpen();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new CajaError('INVALID_INPUT', 'Expected a date as YYYY-MM-DD.');
    return reconcileDay(this.d, day);
  }

  // ---------- attention ----------

  attention(): AttentionItem[] {
    this.assertOpen();
    return this.attentionDesk.list();
  }

  acknowledgeAttention(id: string, by = this.d.register): AttentionItem[] {
    this.assertOpen();
    return this.attentionDesk.acknowledge(id, by);
  }

  runReconciliation(day?: string): Promise<AttentionItem[]> {
    this.assertOpen();
    return this.attentionDesk.run(day);
  }

  // ---------- terminals ----------

  listTerminals(): Promise<TerminalView[]> {
    this.assertOpen();
    return this.terminalDesk.list();
  }

  setTerminalMode(terminalId: string, mode: OperatingMode): Promise<TerminalView> {
    this.assertOpen();
    return this.terminalDesk.setMode(terminalId, mode);
  }

  assignTerminal(terminalId: string, registers: readonly string[]): Promise<TerminalView> {
    this.assertOpen();
    return this.terminalDesk.assign(terminalId, registers);
  }

  // ---------- webhook hints ----------

  async hint(hint: ChargeHint): Promise<number> {
    if (this.closed) return 0;
    await this.ready;
    if (this.closed) return 0;
    const ids = attemptsForHint(this.d.journal, hint);
    for (const id of ids) this.watcher.hinted(id);
    return ids.length;
  }

  setNotificationUrl(url: string | null): void {
    this.d.directory.setNotificationUrl(url);
  }

  // ---------- events ----------

  onSaleChanged(listener: (sale: SaleView) => void): () => void {
    return this.feed.onSale(listener);
  }

  onTerminalsChanged(listener: (terminals: TerminalView[]) => void): () => void {
    return this.feed.onTerminals(listener);
  }

  onAttentionChanged(listener: (items: AttentionItem[]) => void): () => void {
    return this.feed.onAttention(listener);
  }

  // ---------- lifecycle ----------

  private requireSale(saleId: string): SaleRow {
    const sale = this.d.journal.getSale(saleId);
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
    this.attentionDesk.stop();
    await this.watcher.stop();
    // A create still in flight is not awaited (it may take a time-out or two): it is journaled with its
    // key, its answer is dropped, and the next start finds the charge by reference like after a crash.
    this.offClaims();
    this.feed.close();
    this.d.journal.close();
  }

  simulateCrash(): void {
    this.closed = true;
    this.refunds.stop();
    this.attentionDesk.stop();
    void this.watcher.stop();
    this.offClaims();
    this.feed.close();
    this.d.journal.close();
  }
}

/**
 * What the rest of main (services.ts, the browser host, benchmarks) may ask of the checkout engine.
 * The engine implements it in `engine.ts`; nothing outside `checkout/` reaches into its internals.
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
import type { SiteId } from '../../shared/money';
import type { Clock } from '../ground/clock';
import type { Logger } from '../ground/logger';
import type { ChargeHint } from './hints';

// They live on the ground floor now; re-exported for the callers that learned them here.
export type { Clock, Logger };
export type { ChargeHint };

export interface CheckoutEngineOptions {
  /** Path of the node:sqlite journal file (created and migrated when missing). */
  journalPath: string;
  /** Mercado Pago's API base URL (the simulator's in tests and demo mode). */
  baseUrl: string;
  /** Returns the access token at call time: the vault owns it, the engine never stores or logs it. */
  getToken: () => string | null;
  site: SiteId;
  /** This register's id, written on every sale and checked against terminal allow-lists. */
  register: string;
  clock?: Clock;
  log?: Logger;
  /** Poll pace, bounded waits and time-outs; the defaults suit a shop, tests shorten them. */
  timing?: Partial<EngineTiming>;
  /** Test seams around the create request (simulate a crash between journal and network). */
  hooks?: EngineHooks;
  /**
   * The shop's terminal board (electron/shop/terminal-board.ts), shared by every till of a shop: a
   * terminal is claimed there before an attempt is journaled, released when the attempt settles.
   * Absent (a single till, no shop server): local rules only, as always.
   */
  terminalClaims?: TerminalClaims;
}

/** A terminal this till's journal has an unsettled attempt on. */
export interface TerminalHold {
  terminalId: string;
  saleId: string;
}

/**
 * `ok` with `checked: false`: the board could not be asked (shop server unreachable); the charge goes
 * on under today's local rules and Mercado Pago's own 409. Not ok: another till holds the terminal
 * (`till`: its name; null when it is another charge of this till with no shop board to name it).
 */
export type TerminalClaimResult = { ok: true; checked: boolean } | { ok: false; till: string | null; saleId: string };

export interface TerminalClaims {
  /** Asked before a new attempt is journaled: a lost race leaves nothing to recover. Never throws. */
  claim(terminalId: string, saleId: string): Promise<TerminalClaimResult>;
  /** The attempt on the terminal settled (or was resolved by hand): the claim goes. Never throws. */
  release(terminalId: string, saleId: string): void;
  /** What the journal holds after a start (unsettled attempts): re-claimed; this till's other claims released. */
  holding(holds: readonly TerminalHold[]): void;
  /** The board's word on one terminal, for the terminal list; undefined without a board. */
  boardOf(terminalId: string): TerminalView['board'];
  /** The board changed (another till claimed or released, the server came or went). */
  onChange(listener: () => void): () => void;
  /**
   * A manager released a claim: on this till (Devices screen; the listener journals it inside the
   * shop's transaction, so a release the journal could not record is not made either), or on another
   * till, releasing this till's claim (told when this till next looks; journaled under its own sale).
   * The listener journals each release once (`releaseId`).
   */
  onManagerRelease?(listener: (release: ClaimRelease) => void): () => void;
}

/** A claim a manager released: whose it was, on which terminal, for which sale, who and when. */
export interface ClaimRelease {
  /** The shop's id of the release (terminal_claim_releases): one journal line per release and till. */
  releaseId: string;
  terminalId: string;
  saleId: string;
  /** The till that held it (its name as the shop knows it) and its id. */
  till: string;
  tillId: string;
  /** When that till claimed it, and when the manager released it (epoch ms, the shop server's clock). */
  claimedAt: number;
  releasedAt: number;
  /** Who released it: the register and the till (name) the manager used. */
  by: string;
  byTill: string;
}

export interface EngineTiming {
  /** Right after sending and while the card is read. Never below the per-resource read limit. */
  pollFastMs: number;
  /** While the customer takes their time at the terminal. */
  pollSlowMs: number;
  /** How long at the terminal before polling slows down. */
  slowAfterMs: number;
  /** The bounded wait: a charge nobody paid by then is cancelled (it ends as expired). */
  chargeTimeoutMs: number;
  /**
   * How far Mercado Pago's payment search lags behind its payments. A search that finds nothing
   * proves "no payment" only when made at least this long after the charge was seen over.
   */
  searchDelayMs: number;
  /** A charge the terminal has not taken this long after it was sent is said so to the cashier. */
  notTakenMs: number;
  /** Slowest pace of checks for a sale waiting on evidence (unknown, in_process): back-off ends here. */
  slowestPollMs: number;
  /** How often reconciliation runs by itself (besides on start). */
  reconcileEveryMs: number;
  /** A lost create may be repeated with the same key (families that replay by key) this long after it was journaled. */
  resendWindowMs: number;
  /** Longest pause between checks while Mercado Pago cannot be reached. */
  maxBackoffMs: number;
  /** How long the terminal list is trusted before charge() refreshes it (mode, ownership checks). */
  terminalCacheMs: number;
  /** Per HTTP request. */
  requestTimeoutMs: number;
  /** Minimum gap between two reads of one intent/order/payment (Mercado Pago allows ~1/s). */
  minReadIntervalMs: number;
}

export interface EngineAttemptInfo {
  saleId: string;
  attemptId: string;
  terminalId: string;
  idempotencyKey: string;
  externalReference: string;
}

export interface EngineHooks {
  /** After the attempt is journaled, before the create request leaves. */
  beforeCreate?: (attempt: EngineAttemptInfo) => void | Promise<void>;
  /** After the create answered, before its answer is journaled. */
  afterCreate?: (attempt: EngineAttemptInfo) => void | Promise<void>;
}

export interface CheckoutEngine {
  /** Resolves once migrations ran and recovery of unfinished attempts has been started. */
  ready: Promise<void>;
  charge(input: ChargeInput): Promise<SaleView>;
  cancel(saleId: string): Promise<SaleView>;
  get(saleId: string): SaleView;
  unfinished(): SaleView[];
  recheck(saleId: string): Promise<SaleView>;
  /** A person closes a sale no evidence settles; journaled with who (`by`) and why (`note`). */
  resolve(saleId: string, note: string, by?: string): Promise<SaleView>;
  attention(): AttentionItem[];
  acknowledgeAttention(id: string, by?: string): AttentionItem[];
  /** Runs reconciliation now for the given day (default: today and yesterday), feeding attention items. */
  runReconciliation(day?: string): Promise<AttentionItem[]>;
  history(filter: HistoryFilter): { items: SaleView[]; total: number };
  detail(saleId: string): SaleDetail;
  refund(saleId: string, amount?: number): Promise<SaleDetail>;
  exportCsv(filter: HistoryFilter): { filename: string; csv: string };
  reconcile(day: string): Promise<ReconcileReport>;
  listTerminals(): Promise<TerminalView[]>;
  setTerminalMode(terminalId: string, mode: OperatingMode): Promise<TerminalView>;
  /** Replaces which registers may charge on the terminal (empty: any register). */
  assignTerminal(terminalId: string, registers: readonly string[]): Promise<TerminalView>;
  /**
   * A webhook's hint (the shop server's `caja_webhook`, electron/shop/webhook-hints.ts): Mercado Pago
   * says this charge or payment changed. The matching live attempt is read at once through the usual
   * watch; the hint itself decides nothing, and unknown ids are ignored. Resolves with how many
   * attempts it set looking (not when the looks end).
   */
  hint(hint: ChargeHint): Promise<number>;
  /**
   * The shop server's public webhook URL (null: none). Phones send no panel notifications; a mobile
   * create names this URL so Mercado Pago posts its payment's notifications there.
   */
  setNotificationUrl(url: string | null): void;
  onSaleChanged(listener: (sale: SaleView) => void): () => void;
  onTerminalsChanged(listener: (terminals: TerminalView[]) => void): () => void;
  onAttentionChanged(listener: (items: AttentionItem[]) => void): () => void;
  close(): Promise<void>;
}

export type CreateCheckoutEngine = (options: CheckoutEngineOptions) => CheckoutEngine;

/**
 * What the rest of main (services.ts, the browser host, benchmarks) may ask of the checkout engine.
 * The engine implements it in `engine.ts`; nothing outside `checkout/` reaches into its internals.
 */
import type {
  ChargeInput,
  HistoryFilter,
  OperatingMode,
  ReconcileReport,
  SaleDetail,
  SaleView,
  TerminalView,
} from '../../shared/contract';
import type { SiteId } from '../../shared/money';

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface Logger {
  info(msg: string, data?: Record<string, unknown>): void;
  warn(msg: string, data?: Record<string, unknown>): void;
  error(msg: string, data?: Record<string, unknown>): void;
}

export interface CheckoutEngineOptions {
  /** Path of the node:sqlite journal file (created and migrated when missing). */
  journalPath: string;
  /** Mercado Pago's API base URL (the simulator's in tests and demo mode). */
  baseUrl: string;
  /** Returns the access token at call time: the vault owns it, the engine never stores or logs it. */
  getToken: () => string | null;
  site: SiteId;
  /** This register's id, written on every sale and used for terminal ownership. */
  register: string;
  clock?: Clock;
  log?: Logger;
  /** Poll pace, bounded waits and time-outs; the defaults suit a shop, tests shorten them. */
  timing?: Partial<EngineTiming>;
  /** Test seams around the create request (simulate a crash between journal and network). */
  hooks?: EngineHooks;
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
  /** An attempt whose create answer was lost, with no trace of it anywhere by then, is settled as never sent. */
  lostGiveUpMs: number;
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
  history(filter: HistoryFilter): { items: SaleView[]; total: number };
  detail(saleId: string): SaleDetail;
  refund(saleId: string, amount?: number): Promise<SaleDetail>;
  exportCsv(filter: HistoryFilter): { filename: string; csv: string };
  reconcile(day: string): Promise<ReconcileReport>;
  listTerminals(): Promise<TerminalView[]>;
  setTerminalMode(terminalId: string, mode: OperatingMode): Promise<TerminalView>;
  assignTerminal(terminalId: string, register: string | null): Promise<TerminalView>;
  onSaleChanged(listener: (sale: SaleView) => void): () => void;
  onTerminalsChanged(listener: (terminals: TerminalView[]) => void): () => void;
  close(): Promise<void>;
}

export type CreateCheckoutEngine = (options: CheckoutEngineOptions) => CheckoutEngine;

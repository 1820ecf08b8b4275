/**
 * The vocabulary every Point family is translated into: a terminal as the engine sees it, where a
 * charge is (`ChargePhase`), one look at a charge (`ChargeSnapshot`), and the one interface each
 * family implements in its own file under `families/`.
 */
import type { OperatingMode, TerminalFamily } from '../../shared/contract';
import type { Order } from './orders-api';

export interface DirectoryTerminal {
  id: string;
  family: TerminalFamily;
  label: string;
  mode: OperatingMode | null;
  status: 'free' | 'busy' | 'offline';
  storeId: string | null;
  posId: string | null;
  /** The charge the API says is on it (mobile only reports this). */
  pendingChargeId: string | null;
}

/**
 * Where a charge is, in one vocabulary for the three families. `finished` and `needs_lookup` mean
 * "ask /v1/payments": neither says whether the card was approved. `cancelled`, `abandoned`,
 * `expired`, `error` and `closed` say the charge is over; whether money moved is still for the
 * payment search to say.
 */
export type ChargePhase =
  | 'queued'
  | 'at_terminal'
  | 'processing'
  | 'finished'
  | 'needs_lookup'
  | 'cancelled'
  | 'abandoned'
  | 'expired'
  | 'error'
  /** Mobile: CLOSED without a payment id. Seed 004 says CLOSED means paid: search before believing it. */
  | 'closed'
  | 'unrecognized';

export interface ChargeSnapshot {
  family: TerminalFamily;
  chargeId: string;
  phase: ChargePhase;
  /** The family's own word, for the journal and the people reading it. */
  rawState: string;
  paymentId: string | null;
  amountMinor: number | null;
  /** The terminal the charge names, as the family spells it (evidence, compared tolerantly). */
  terminalId: string | null;
  externalReference: string | null;
  /** The Orders API's view of its payment, used only when no /v1/payments record exists. */
  orderPayment: Order['payment'];
  statusDetail: string | null;
}

export interface StartChargeInput {
  terminalId: string;
  family: TerminalFamily;
  amountMinor: number;
  description: string;
  externalReference: string;
  /** How long the terminal should wait for the card (orders honour it; others are cancelled by Caja). */
  expirationSeconds: number;
}

export interface RefundTarget {
  chargeId: string;
  paymentId: string;
  orderPaymentId: string | null;
}

/**
 * What a lost create's search remembers between looks, so each look reads only what is new
 * (the intents events listing grows all day; re-reading it every step earns 429s).
 */
export interface LostCursor {
  seen: Set<string>;
}

export interface PointFamily {
  readonly name: TerminalFamily;
  /** The API answers the first charge again for a repeated key: a lost create may be replayed. */
  readonly createReplaySafe: boolean;
  /** Converts and checks the amount without sending anything (INVALID_AMOUNT). */
  checkAmount(amountMinor: number): void;
  listTerminals(): Promise<DirectoryTerminal[]>;
  setMode(terminalId: string, mode: OperatingMode, idempotencyKey: string): Promise<OperatingMode>;
  /** The create's body as JSON text: journaled before sending, replayed byte for byte. */
  createBody(input: StartChargeInput): string;
  create(terminalId: string, body: string, idempotencyKey: string): Promise<ChargeSnapshot>;
  read(chargeId: string, terminalId: string): Promise<ChargeSnapshot>;
  cancel(terminalId: string, chargeId: string, idempotencyKey: string): Promise<void>;
  /**
   * Cancels whatever the terminal holds, for a charge whose id was never learned. Returns false
   * when the family has no such call (the charge must be found first).
   */
  cancelOnTerminal(terminalId: string, idempotencyKey: string): Promise<boolean>;
  /** Looks for a charge whose create answer was lost, by its reference; null when not (yet) found. */
  findLost(terminalId: string, externalReference: string, days: string[], cursor: LostCursor): Promise<ChargeSnapshot | null>;
  refund(target: RefundTarget, idempotencyKey: string, amountMinor: number | undefined): Promise<void>;
}

/**
 * Whether two spellings name one terminal: the API id (`PAX_A910__SMARTPOS1234567890`), the bare
 * serial a payment carries (`SMARTPOS1234567890`), or the same in another case.
 */
export function sameTerminal(a: string, b: string): boolean {
  const x = a.trim().toUpperCase();
  const y = b.trim().toUpperCase();
  return x === y || x.endsWith(`__${y}`) || y.endsWith(`__${x}`);
}

export function reachability(status: string | null | undefined, online: boolean | null | undefined): DirectoryTerminal['status'] {
  if (online === false) return 'offline';
  const s = (status ?? '').toUpperCase();
  if (s === 'OFFLINE' || s === 'DISCONNECTED') return 'offline';
  if (s === 'BUSY') return 'busy';
  return 'free';
}

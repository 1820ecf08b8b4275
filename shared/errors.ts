/**
 * The closed list of error codes that may cross from main to the renderer.
 * Anything else is mapped to INTERNAL before it leaves main: a raw Error can carry a stack or a token.
 */
export const ERROR_CODES = [
  'AUTH',
  'TERMINAL_BUSY',
  'TERMINAL_NOT_FOUND',
  'TERMINAL_OFFLINE',
  'TERMINAL_STANDALONE',
  /** This register is not on the terminal's allow-list (a manager keeps it on the Devices screen). */
  'TERMINAL_NOT_ALLOWED',
  'INVALID_AMOUNT',
  'INVALID_INPUT',
  'EMPTY_CART',
  'RATE_LIMITED',
  'NETWORK',
  'UNEXPECTED_RESPONSE',
  'NOT_CANCELLABLE',
  'NOT_REFUNDABLE',
  'NOT_FOUND',
  'CONFLICT',
  /** Another till changed (or deleted) the product first (shared catalog); the copy now shows its values. */
  'CATALOG_CONFLICT',
  /** The shop server cannot be reached, so the shared catalog cannot be edited now (selling goes on). */
  'CATALOG_OFFLINE',
  'FORBIDDEN',
  'UNKNOWN_CHANNEL',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Facts a refusal names for the renderer to word, where the code alone would leave the cashier
 * guessing. Values, never sentences; checked by `ErrorDetailsSchema` (shared/contract.ts) before they
 * leave main, so a detail outside it is dropped rather than shown.
 */
export interface ErrorDetails {
  /** TERMINAL_BUSY: the till of the shop that holds the terminal, as the shop names it. */
  till?: string;
  /** NETWORK: which server did not answer; `shop` is the shop's server (the till's own sales still work). */
  server?: 'shop';
}

/** Serializable shape of an error as the renderer sees it. */
export interface WireError {
  code: ErrorCode;
  message: string;
  details?: ErrorDetails;
}

/** An error whose code and message are safe to show to a cashier. */
export class CajaError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: ErrorDetails }) {
    super(message, options);
    this.name = 'CajaError';
    this.code = code;
    this.details = options?.details;
  }
  toWire(): WireError {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** The result envelope every contract call answers with; errors never cross as thrown objects. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: WireError };

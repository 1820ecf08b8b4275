/**
 * The one error type the Point clients throw. It is a CajaError (so it may cross to the renderer
 * as-is) that also carries what the engine needs to decide, without ever holding the HTTP request:
 * axios errors keep the request headers, and those hold the access token.
 */
import { CajaError, type ErrorCode } from '../../shared/errors';
import { redact } from '../redact';

export interface PointErrorInfo {
  /** HTTP status, or null when no answer arrived (time-out, connection reset, DNS). */
  status?: number | null;
  /** Mercado Pago's own error code (`already_queued_order_on_terminal`, `bad_request`...). */
  apiCode?: string | null;
  /**
   * The request may have had its effect even though we saw no success: a write that timed out, a
   * lost answer, a 5xx. The caller must keep the idempotency key and find out, never assume failure.
   */
  outcomeUnknown?: boolean;
  retryAfterMs?: number | null;
}

export class PointError extends CajaError {
  readonly status: number | null;
  readonly apiCode: string | null;
  readonly outcomeUnknown: boolean;
  readonly retryAfterMs: number | null;

  constructor(code: ErrorCode, message: string, info: PointErrorInfo = {}) {
    // Mercado Pago's messages are echoed to cashiers at times: scrub anything token-shaped first.
    super(code, redact(message));
    this.name = 'PointError';
    this.status = info.status ?? null;
    this.apiCode = info.apiCode ?? null;
    this.outcomeUnknown = info.outcomeUnknown ?? false;
    this.retryAfterMs = info.retryAfterMs ?? null;
  }

  /** The same refusal, marked as proving nothing about the outcome. */
  withOutcomeUnknown(): PointError {
    return new PointError(this.code, this.message, {
      status: this.status,
      apiCode: this.apiCode,
      outcomeUnknown: true,
      retryAfterMs: this.retryAfterMs,
    });
  }
}

export function isPointError(e: unknown): e is PointError {
  return e instanceof PointError;
}

/** True when the error says nothing about the outcome: keep the key and ask again later. */
export function isOutcomeUnknown(e: unknown): boolean {
  return e instanceof PointError && e.outcomeUnknown;
}

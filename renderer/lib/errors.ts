import { BridgeError } from '../bridge';
import { i18n } from '../i18n';
import type { ErrorCode } from '../../shared/errors';

export interface ShownError {
  code: ErrorCode;
  /** Translated by code: what the cashier reads. */
  text: string;
  /** Main's own sentence, which often names the terminal, row or limit involved. */
  detail: string | null;
}

/** Errors are translated by code; main's message is kept as detail (and is the fallback). */
export function describeError(error: unknown): ShownError {
  const code: ErrorCode = error instanceof BridgeError ? error.code : 'INTERNAL';
  const message = error instanceof Error ? error.message : String(error);
  const key = `errors.${code}` as const;
  const text = i18n.exists(key) ? i18n.t(key) : message;
  return { code, text, detail: message && message !== text ? message : null };
}

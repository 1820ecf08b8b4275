import { BridgeError } from '../bridge';
import { i18n } from '../i18n';
import type { ErrorCode } from '../../shared/errors';
import { detailedText } from './error-details';

export interface ShownError {
  code: ErrorCode;
  /** Translated by code: what the cashier reads. */
  text: string;
  /** Main's own sentence (it often names the terminal, row or limit involved); English screens only. */
  detail: string | null;
}

/**
 * Errors are translated by code. Main's message is English, so it is shown underneath only on an
 * English screen, and is the fallback for a code with no translation. Why not parameters: the codes
 * already say what went wrong in the cashier's language; the specifics main adds (which barcode,
 * which limit) are mostly on screen already next to the error, and giving every CajaError typed
 * parameters would touch every throw in main for a detail line. The few where the code alone leaves
 * the cashier guessing carry a checked detail instead (error-details.ts). A Spanish screen never shows English.
 */
export function describeError(error: unknown): ShownError {
  const code: ErrorCode = error instanceof BridgeError ? error.code : 'INTERNAL';
  const message = error instanceof Error ? error.message : String(error);
  const english = (i18n.resolvedLanguage ?? i18n.language) === 'en';
  const key = i18n.exists(`errors.${code}`) ? (`errors.${code}` as const) : null;
  if (!key) return { code, text: english ? message : i18n.t('errors.INTERNAL'), detail: null };
  const text = detailedText(code, error instanceof BridgeError ? error.details : undefined, i18n.t) ?? i18n.t(key);
  return { code, text, detail: english && message && message !== text ? message : null };
}

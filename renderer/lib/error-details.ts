import type { TFunction } from 'i18next';
import type { ErrorCode, ErrorDetails } from '../../shared/errors';

/**
 * The few refusals whose code alone leaves the cashier guessing carry a detail (shared/errors.ts):
 * which till holds the terminal; that it is the shop's server that is away, not the network, so the
 * till's own history still works. Null: the code's own words say it all.
 */
export function detailedText(code: ErrorCode, details: ErrorDetails | undefined, t: TFunction): string | null {
  if (code === 'TERMINAL_BUSY' && details?.till) return t('errorDetails.terminalBusyTill', { till: details.till });
  if (code === 'NETWORK' && details?.server === 'shop') return t('errorDetails.shopUnreachable');
  return null;
}

/**
 * The one list of settled and retryable states, read by main (engine) and renderer (screens) alike.
 * Settled: the attempt is over and its terminal free. Retryable: Mercado Pago has shown that nothing
 * was charged, so the same sale may be charged again. `unknown` and `resolved` are neither retryable
 * nor forgotten: charging again could charge twice.
 *
 * Kept apart from the contract (which re-exports them) so the renderer's first screen can read them
 * without loading zod and every schema.
 */
import type { SaleState } from './contract';

export const FINAL_STATES: readonly SaleState[] = ['approved', 'rejected', 'cancelled', 'expired', 'failed', 'resolved'];
export const RETRYABLE_STATES: readonly SaleState[] = ['rejected', 'cancelled', 'expired', 'failed'];
/** States that keep a sale in the cashier's unfinished list. */
export const ATTENTION_STATES: readonly SaleState[] = ['unknown', 'resolved'];

/**
 * Outcome by amount: the last two digits of the amount in the site's MINOR units decide what the
 * simulated customer and card do (CLP/COP minor units are whole pesos). docs/simulator.md has the
 * same table; keep them together.
 *
 *  tail | outcome                | intents                                   | orders                                  | mobile
 *  -----+------------------------+-------------------------------------------+-----------------------------------------+------------------------------
 *   00  | approved               | FINISHED, payment approved                | processed / accredited                  | CLOSED, payment approved
 *   01  | insufficient funds     | FINISHED, payment rejected                | failed, payment cc_rejected_insufficient_amount | CLOSED, payment rejected
 *       |                        |  cc_rejected_insufficient_amount          |                                         |
 *   02  | card declined          | FINISHED, payment rejected                | failed, payment cc_rejected_other_reason | CLOSED, payment rejected
 *       |                        |  cc_rejected_other_reason                 |                                         |
 *   03  | customer abandons      | ABANDONED, no payment                     | canceled / canceled_by_terminal, no payment | CLOSED, no payment
 *   04  | result unknown         | CONFIRMATION_REQUIRED, payment approved   | action_required, payment approved       | CLOSED, payment approved
 *   05  | in_process, later ok   | FINISHED, payment in_process → approved   | processing → processed                  | CLOSED, payment in_process → approved
 *   06  | terminal error         | ERROR, no payment                         | failed / terminal_error, no payment     | CLOSED, no payment
 *  else | approved               | as 00                                     | as 00                                   | as 00
 */
import type { Outcome } from './state';

export function outcomeForAmount(amountMinor: number): Outcome {
  switch (Math.abs(amountMinor) % 100) {
    case 1:
      return { kind: 'rejected', detail: 'cc_rejected_insufficient_amount' };
    case 2:
      return { kind: 'rejected', detail: 'cc_rejected_other_reason' };
    case 3:
      return { kind: 'abandoned' };
    case 4:
      return { kind: 'confirmation_required' };
    case 5:
      return { kind: 'in_process' };
    case 6:
      return { kind: 'error' };
    default:
      return { kind: 'approved' };
  }
}

/** An in_process payment (tail 05) turns approved this long after it was created, on the sim clock. */
export const IN_PROCESS_SETTLE_MS = 3000;
/** How long the result stays on the terminal's screen before it goes back to idle. */
export const RESULT_SCREEN_MS = 4000;

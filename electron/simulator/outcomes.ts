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
 *   07  | declined, another card | rejected payment, back to ON_TERMINAL,    | failed, payment rejected (orders end at | rejected payment, stays OPEN,
 *       |  approves              |  then FINISHED with a 2nd approved payment|  a decline: no second card)             |  then CLOSED approved (2nd payment)
 *   08  | unknown, pending       | CONFIRMATION_REQUIRED, payment in_process | action_required, payment in_process     | CLOSED, payment in_process
 *   09  | unknown, no payment    | CONFIRMATION_REQUIRED, no payment         | action_required, no payment             | CLOSED, no payment
 *   10  | in_process, later no   | FINISHED, payment in_process → rejected   | processing → failed                     | CLOSED, payment in_process → rejected
 *  else | approved               | as 00                                     | as 00                                   | as 00
 *
 * 07 retries only while `declineRetry` is on (the default); off, it ends like 01.
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
    case 7:
      return { kind: 'rejected', detail: 'cc_rejected_insufficient_amount', retry: true };
    case 8:
      return { kind: 'confirmation_required', payment: 'pending' };
    case 9:
      return { kind: 'confirmation_required', payment: 'none' };
    case 10:
      return { kind: 'in_process', settle: 'rejected' };
    default:
      return { kind: 'approved' };
  }
}

/** How long the result stays on the terminal's screen before it goes back to idle. */
export const RESULT_SCREEN_MS = 4000;

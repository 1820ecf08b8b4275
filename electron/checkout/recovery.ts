/**
 * Recovery on start: every attempt the journal left unsettled is asked about again (a crash can
 * leave one at any step), a cancel asked for before the crash is sent again with its own key, and
 * sales a person resolved by hand keep being watched slowly for Mercado Pago's evidence.
 */
import { reason } from '../../shared/reasons';
import type { CancelDesk } from './cancel-desk';
import type { CheckoutDeps } from './deps';
import type { RefundDesk } from './refunds';
import type { AttemptWatcher } from './watch';

export function recover(d: CheckoutDeps, watcher: AttemptWatcher, cancels: CancelDesk, refunds: RefundDesk): void {
  const { journal, clock, log, timing } = d;
  const open = journal.unsettledAttempts();
  const now = clock.now();
  for (const a of open) {
    journal.tx(() => {
      journal.appendEvent({
        at: now,
        saleId: a.sale_id,
        attemptId: a.id,
        kind: 'recovery',
        state: a.state,
        reason: a.charge_id ? reason('recoveryLive', { chargeId: a.charge_id }) : reason('recoveryLost'),
      });
      if (journal.getSale(a.sale_id)?.current_attempt_id === a.id) {
        journal.updateSale(a.sale_id, { reason_code: 'checking', reason_params: '{}', cancellable: 0, updated_at: now });
      }
    });
    d.pushSale(a.sale_id);
    watcher.track(a.id, 0);
    void cancels.resend(a);
  }
  for (const a of journal.resolvedAttempts()) watcher.track(a.id, timing.pollSlowMs);
  if (open.length) log.info('recovering unfinished charges', { count: open.length });
  refunds.recoverOpen();
}

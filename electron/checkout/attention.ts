/**
 * Reconciliation that runs by itself — on start and then once a day, on the engine's clock — and
 * puts what it finds in front of the cashier as attention items: money that moved without a sale
 * (a payment no sale knows, a second payment for one sale), a sale settled as unpaid whose payment
 * Mercado Pago shows paid, a paid sale Mercado Pago does not show. Items live in the journal, so an
 * acknowledgement survives a restart, and one finding stays one item however often it is found.
 */
import { randomUUID } from 'node:crypto';
import type { AttentionItem, ReconcileReport, SaleState } from '../../shared/contract';
import { CajaError } from '../../shared/errors';
import type { CheckoutDeps } from './deps';
import { localDay } from './history';
import type { AttentionRow } from './journal';
import { reconcileDay } from './reconcile';

type Difference = ReconcileReport['differences'][number];

/** Unsettled sales are already in the unfinished list: only money out of place becomes an item. */
const ATTENTION_KINDS = new Set<Difference['kind']>(['missing_in_journal', 'missing_in_mercadopago', 'status_mismatch', 'amount_mismatch']);

export class AttentionDesk {
  private timer: unknown = null;
  private running: Promise<AttentionItem[]> | null = null;
  private stopped = false;

  constructor(private readonly d: CheckoutDeps) {}

  list(): AttentionItem[] {
    return this.d.journal.openAttention().map(toItem);
  }

  acknowledge(id: string, by: string): AttentionItem[] {
    const { journal, clock } = this.d;
    const known = journal.tx(() => journal.acknowledgeAttention(id, by, clock.now()));
    if (!known) throw new CajaError('NOT_FOUND', 'That reconciliation finding does not exist.');
    this.d.pushAttention();
    return this.list();
  }

  /** Starts the schedule: a run now, then one every `reconcileEveryMs`. */
  start(): void {
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = this.d.clock.setTimeout(() => {
      this.timer = null;
      void this.run()
        .catch((e: unknown) => {
          if (!this.d.isClosed()) this.d.log.warn('automatic reconciliation failed', { error: e instanceof Error ? e.message : String(e) });
        })
        .finally(() => this.schedule(this.d.timing.reconcileEveryMs));
    }, delayMs);
  }

  /** Reconciles `day` (default: yesterday and today, local) and files what is new. */
  run(day?: string): Promise<AttentionItem[]> {
    if (this.running) return this.running;
    this.running = (async () => {
      const now = this.d.clock.now();
      const days = day ? [day] : [...new Set([localDay(now - 86_400_000), localDay(now)])];
      let added = 0;
      for (const dd of days) {
        const report = await reconcileDay(this.d, dd);
        if (this.d.isClosed()) return [];
        added += this.file(report);
      }
      this.d.journal.setMeta('reconciled_at', String(now));
      if (added > 0) this.d.pushAttention();
      return this.list();
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private file(report: ReconcileReport): number {
    const { journal, clock } = this.d;
    let added = 0;
    journal.tx(() => {
      for (const diff of report.differences) {
        if (!ATTENTION_KINDS.has(diff.kind)) continue;
        const row: AttentionRow = {
          id: randomUUID(),
          fingerprint: `${diff.kind}|${diff.saleId ?? ''}|${diff.paymentId ?? ''}`,
          day: report.day,
          found_at: clock.now(),
          kind: diff.kind,
          sale_id: diff.saleId,
          payment_id: diff.paymentId,
          amount: diff.amount,
          journal_state: diff.journalState,
          mp_status: diff.mercadoPagoStatus,
          acknowledged_at: null,
          acknowledged_by: null,
        };
        if (journal.addAttention(row)) added++;
      }
    });
    return added;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.d.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}

function toItem(r: AttentionRow): AttentionItem {
  return {
    id: r.id,
    day: r.day,
    foundAt: new Date(r.found_at).toISOString(),
    kind: r.kind as AttentionItem['kind'],
    saleId: r.sale_id,
    paymentId: r.payment_id,
    amount: r.amount,
    journalState: (r.journal_state as SaleState | null) ?? null,
    mercadoPagoStatus: r.mp_status,
  };
}

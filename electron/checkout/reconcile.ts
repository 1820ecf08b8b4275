/**
 * End-of-day reconciliation: the journal's sales of one (local) day against Mercado Pago's payments,
 * found by the external_reference of every attempt journaled that day plus the day's payments that
 * carry a Caja reference. Every difference is listed; nothing is changed.
 */
import type { ReconcileReport } from '../../shared/contract';
import type { SiteId } from '../../shared/money';
import type { Payment } from '../point/payments';
import type { TerminalDirectory } from '../point/terminal-directory';
import type { Clock } from '../ground/clock';
import { localDay } from './history';
import type { AttemptRow, Journal, SaleRow } from './journal';

export interface ReconcileDeps {
  journal: Journal;
  directory: TerminalDirectory;
  clock: Clock;
  site: SiteId;
}

const PAID = new Set(['approved', 'refunded', 'charged_back']);
const OUR_REFERENCE = /^CAJA-[0-9a-f]{32}-\d+$/;

async function mapLimited<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return out;
}

export async function reconcileDay(d: ReconcileDeps, day: string): Promise<ReconcileReport> {
  const { journal, directory } = d;
  const sales = journal.all<SaleRow>('SELECT * FROM sales WHERE day = ? ORDER BY created_at', day);
  const attempts: AttemptRow[] = sales.flatMap((s) => journal.attemptsOfSale(s.id));
  const byRef = new Map(attempts.map((a) => [a.external_reference, a]));

  const found = await mapLimited(attempts, 4, (a) => directory.findPaymentsByReference(a.external_reference));
  const payments = new Map<string, Payment>();
  found.flat().forEach((p) => payments.set(p.id, p));

  // The day's payments with a Caja reference the journal does not know: charged but never recorded.
  const start = new Date(`${day}T00:00:00`);
  const end = new Date(start.getTime() + 36 * 3600_000);
  const dayPayments = (await directory.payments.searchByDateRange(start.toISOString(), end.toISOString())).filter(
    (p) =>
      p.dateCreated !== null &&
      localDay(Date.parse(p.dateCreated)) === day &&
      p.externalReference !== null &&
      OUR_REFERENCE.test(p.externalReference),
  );
  for (const p of dayPayments) payments.set(p.id, p);

  const differences: ReconcileReport['differences'] = [];
  const paymentsOf = (a: AttemptRow) => [...payments.values()].filter((p) => p.externalReference === a.external_reference);

  for (const sale of sales) {
    const own = attempts.filter((a) => a.sale_id === sale.id);
    const unsettled = own.some((a) => !a.settled) || sale.state === 'unknown';
    if (unsettled || sale.state === 'resolved') {
      differences.push({
        kind: 'unsettled',
        saleId: sale.id,
        paymentId: sale.payment_id,
        amount: sale.total,
        journalState: sale.state,
        mercadoPagoStatus: null,
      });
    }
    const paid = own.flatMap((a) =>
      paymentsOf(a)
        .filter((p) => PAID.has(p.status))
        .map((p) => ({ a, p })),
    );
    if (sale.state === 'approved') {
      const mine = sale.payment_id ? payments.get(sale.payment_id) : undefined;
      if (!mine) {
        differences.push({
          kind: 'missing_in_mercadopago',
          saleId: sale.id,
          paymentId: sale.payment_id,
          amount: sale.total,
          journalState: sale.state,
          mercadoPagoStatus: null,
        });
      } else {
        if (!PAID.has(mine.status)) {
          differences.push({
            kind: 'status_mismatch',
            saleId: sale.id,
            paymentId: mine.id,
            amount: mine.amountMinor,
            journalState: sale.state,
            mercadoPagoStatus: mine.rawStatus.slice(0, 40),
          });
        }
        if (mine.amountMinor !== sale.total) {
          differences.push({
            kind: 'amount_mismatch',
            saleId: sale.id,
            paymentId: mine.id,
            amount: mine.amountMinor,
            journalState: sale.state,
            mercadoPagoStatus: mine.rawStatus.slice(0, 40),
          });
        }
        if (mine.refundedMinor !== sale.refunded_amount) {
          differences.push({
            kind: 'amount_mismatch',
            saleId: sale.id,
            paymentId: mine.id,
            // What Mercado Pago shows refunded, against the journal's `refundedAmount` on the sale.
            amount: mine.refundedMinor,
            journalState: sale.state,
            mercadoPagoStatus: mine.rawStatus.slice(0, 40),
          });
        }
      }
      for (const { p } of paid) {
        if (p.id !== sale.payment_id) {
          // A second paid payment for one sale: the double charge this product promises never to make.
          differences.push({
            kind: 'missing_in_journal',
            saleId: sale.id,
            paymentId: p.id,
            amount: p.amountMinor,
            journalState: sale.state,
            mercadoPagoStatus: p.rawStatus.slice(0, 40),
          });
        }
      }
    } else if (!unsettled) {
      for (const { p } of paid) {
        differences.push({
          kind: 'status_mismatch',
          saleId: sale.id,
          paymentId: p.id,
          amount: p.amountMinor,
          journalState: sale.state,
          mercadoPagoStatus: p.rawStatus.slice(0, 40),
        });
      }
    }
  }
  for (const p of dayPayments) {
    if (!byRef.has(p.externalReference!)) {
      differences.push({
        kind: 'missing_in_journal',
        saleId: null,
        paymentId: p.id,
        amount: p.amountMinor,
        journalState: null,
        mercadoPagoStatus: p.rawStatus.slice(0, 40),
      });
    }
  }

  const approvedSales = sales.filter((s) => s.state === 'approved');
  const mpPaid = [...payments.values()].filter((p) => PAID.has(p.status));
  return {
    day,
    checkedAt: new Date(d.clock.now()).toISOString(),
    journal: {
      count: sales.length,
      approvedTotal: approvedSales.reduce((s, x) => s + x.total, 0),
      refundedTotal: approvedSales.reduce((s, x) => s + x.refunded_amount, 0),
    },
    mercadoPago: {
      count: payments.size,
      approvedTotal: mpPaid.reduce((s, p) => s + (p.amountMinor ?? 0), 0),
      refundedTotal: mpPaid.reduce((s, p) => s + p.refundedMinor, 0),
    },
    differences,
  };
}

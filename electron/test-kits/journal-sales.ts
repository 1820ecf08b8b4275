/**
 * Approved sales written straight into a till's journal, through the journal's own API, as the engine
 * journals them (created, sent, on terminal, paid, approved: five events): for tests and benches of
 * what reads the journal (the shop's outbox, the shop history) without running charges.
 */
import { randomUUID } from 'node:crypto';
import type { Journal } from '../checkout/journal';

const KINDS = ['created', 'sent', 'on_terminal', 'payment', 'approved'] as const;

export interface JournalSaleOptions {
  /** The register's name on the sale and in its reason. */
  register: string;
  /**
   * One transaction per event, as the engine writes them over a charge's life (the sync bench); by
   * default the whole sale is one transaction.
   */
  transactionPerEvent?: boolean;
}

/** Journals the n-th approved sale (total 1000 + n, payment 9,000,000 + n) and returns its id. */
export function journalApprovedSale(journal: Journal, n: number, { register, transactionPerEvent = false }: JournalSaleOptions): string {
  const id = randomUUID();
  const now = Date.now();
  const open = () => {
    journal.insertSale({
      id,
      created_at: now,
      updated_at: now,
      day: new Date(now).toISOString().slice(0, 10),
      state: 'at_terminal',
      total: 1000 + n,
      site: 'MLA',
      currency: 'ARS',
      cart_discount: 0,
      register,
      terminal_id: 'PAX_A910__SMARTPOS1234567890',
      family: 'intents',
      current_attempt_id: null,
      external_reference: `caja-${id}`,
      payment_id: null,
      card_brand: null,
      card_last4: null,
      refunded_amount: 0,
      expires_at: null,
      cancellable: 1,
      message: null,
      reason_code: null,
      reason_params: null,
      error_code: null,
      search_text: `alfajor ${n}`,
    });
    journal.replaceLines(id, [{ productId: null, sku: null, name: `Alfajor ${n}`, unitPrice: 1000 + n, quantity: 1, discount: 0 }]);
  };
  const step = (kind: (typeof KINDS)[number], i: number) => {
    if (kind === 'approved') {
      journal.updateSale(id, { state: 'approved', payment_id: String(9_000_000 + n), card_brand: 'visa', card_last4: '4242', updated_at: now + i });
    }
    journal.appendEvent({
      at: now + i,
      saleId: id,
      kind,
      state: kind === 'approved' ? 'approved' : 'at_terminal',
      reason: { code: 'saleCreated', params: { amount: 1000 + n, currency: 'ARS', register } },
      data: { step: i },
    });
  };
  if (transactionPerEvent) {
    journal.tx(open);
    KINDS.forEach((kind, i) => journal.tx(() => step(kind, i)));
  } else {
    journal.tx(() => {
      open();
      KINDS.forEach(step);
    });
  }
  return id;
}

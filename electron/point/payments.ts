/**
 * /v1/payments: the record that decides whether money moved. Every family's charge ends in one of
 * these; the engine trusts its status (and amount and reference), never the intent or order state.
 */
import { z } from 'zod';
import { decimalToMinor, minorToDecimalString, type SiteId } from '../../shared/money';
import { enc, mapper, type PointHttp } from './http';
import { idLike, optionalId, optionalString } from './wire';

const PaymentSchema = z
  .object({
    id: idLike,
    status: z.string(),
    status_detail: optionalString,
    transaction_amount: z.union([z.number(), z.string()]).optional().nullable(),
    transaction_amount_refunded: z.union([z.number(), z.string()]).optional().nullable(),
    currency_id: optionalString,
    external_reference: optionalString,
    payment_method_id: optionalString,
    card: z.object({ last_four_digits: optionalString }).partial().passthrough().optional().nullable(),
    installments: z.number().optional().nullable(),
    date_created: optionalString,
    date_approved: optionalString,
    point_of_interaction: z
      .object({
        device: z.object({ serial_number: optionalId, id: optionalId }).partial().passthrough().optional().nullable(),
      })
      .partial()
      .passthrough()
      .optional()
      .nullable(),
    refunds: z
      .array(z.object({ id: optionalId, amount: z.union([z.number(), z.string()]).optional().nullable() }).passthrough())
      .optional()
      .nullable(),
  })
  .passthrough();

export type PaymentStatus =
  'approved' | 'rejected' | 'in_process' | 'pending' | 'authorized' | 'cancelled' | 'refunded' | 'charged_back' | 'other';

export interface Payment {
  id: string;
  status: PaymentStatus;
  rawStatus: string;
  statusDetail: string | null;
  /** null when the answer had no readable amount: never treated as a match. */
  amountMinor: number | null;
  refundedMinor: number;
  currency: string | null;
  externalReference: string | null;
  cardBrand: string | null;
  cardLast4: string | null;
  /** The terminal that took the card, where the answer says so. */
  terminalId: string | null;
  dateCreated: string | null;
  dateApproved: string | null;
}

export function normalizePaymentStatus(raw: string): PaymentStatus {
  const s = raw.toLowerCase();
  if (s === 'canceled') return 'cancelled';
  const known = ['approved', 'rejected', 'in_process', 'pending', 'authorized', 'cancelled', 'refunded', 'charged_back'];
  return (known.includes(s) ? s : 'other') as PaymentStatus;
}

const SearchSchema = z.object({
  results: z.array(PaymentSchema),
  paging: z
    .object({ total: z.number().optional(), limit: z.number().optional(), offset: z.number().optional() })
    .partial()
    .optional(),
});

const RefundSchema = z
  .object({
    id: idLike,
    payment_id: optionalId,
    amount: z.union([z.number(), z.string()]).optional().nullable(),
    status: optionalString,
  })
  .passthrough();

export class PaymentsClient {
  constructor(
    private readonly http: PointHttp,
    private readonly site: SiteId,
  ) {}

  private toPayment(raw: z.output<typeof PaymentSchema>): Payment {
    const amount = raw.transaction_amount;
    const refunded =
      raw.transaction_amount_refunded !== null && raw.transaction_amount_refunded !== undefined
        ? decimalToMinor(raw.transaction_amount_refunded, this.site)
        : (raw.refunds ?? []).reduce(
            (sum, r) => sum + (r.amount === null || r.amount === undefined ? 0 : (decimalToMinor(r.amount, this.site) ?? 0)),
            0,
          );
    return {
      id: raw.id,
      status: normalizePaymentStatus(raw.status),
      rawStatus: raw.status,
      statusDetail: raw.status_detail,
      amountMinor: amount === null || amount === undefined ? null : decimalToMinor(amount, this.site),
      refundedMinor: refunded ?? 0,
      currency: raw.currency_id,
      externalReference: raw.external_reference,
      cardBrand: raw.payment_method_id,
      cardLast4: raw.card?.last_four_digits ?? null,
      // A real payment names the device's bare serial (SMARTPOS1234567890), not the API's id
      // (PAX_A910__SMARTPOS1234567890): evidence to compare tolerantly, never an exact key.
      terminalId: raw.point_of_interaction?.device?.serial_number ?? raw.point_of_interaction?.device?.id ?? null,
      dateCreated: raw.date_created,
      dateApproved: raw.date_approved,
    };
  }

  async get(paymentId: string): Promise<Payment> {
    const raw = await this.http.read(`/v1/payments/${enc(paymentId)}`, PaymentSchema, {
      rateKey: `payment:${paymentId}`,
      what: 'the payment',
      mapError: mapper((f) => (f.status === 404 ? ['NOT_FOUND', 'Mercado Pago has no payment with that number.'] : null)),
    });
    return this.toPayment(raw);
  }

  /** Every payment carrying this external_reference (a lost create answer is found again this way). */
  async searchByExternalReference(externalReference: string): Promise<Payment[]> {
    return this.search({ external_reference: externalReference });
  }

  /** Payments created in [begin, end) (ISO date-times), for reconciliation. */
  async searchByDateRange(beginIso: string, endIso: string): Promise<Payment[]> {
    return this.search({ range: 'date_created', begin_date: beginIso, end_date: endIso });
  }

  private async search(query: Record<string, string>): Promise<Payment[]> {
    const all: Payment[] = [];
    for (let offset = 0; offset < 10_000;) {
      const res = await this.http.read('/v1/payments/search', SearchSchema, {
        query: { ...query, sort: 'date_created', criteria: 'asc', limit: 100, offset },
        rateKey: `search:${JSON.stringify(query)}:${offset}`,
        what: 'the payment search',
      });
      all.push(...res.results.map((r) => this.toPayment(r)));
      const total = res.paging?.total ?? all.length;
      if (res.results.length === 0 || all.length >= total) break;
      offset = all.length;
    }
    return all;
  }

  /** Full refund without amount. The key makes a retry after a time-out return the same refund. */
  async refund(
    paymentId: string,
    idempotencyKey: string,
    amountMinor?: number,
  ): Promise<{ id: string; amountMinor: number | null; status: string | null }> {
    const body = amountMinor === undefined ? undefined : { amount: Number(minorToDecimalString(amountMinor, this.site)) };
    const res = await this.http.write('POST', `/v1/payments/${enc(paymentId)}/refunds`, body, RefundSchema, {
      idempotencyKey,
      replaySafe: true,
      what: 'the refund',
      mapError: mapper((f) => {
        if (f.status === 400 || f.status === 409)
          return ['NOT_REFUNDABLE', `Mercado Pago refused the refund${f.apiMessage ? `: ${f.apiMessage}` : ''}.`];
        if (f.status === 404) return ['NOT_FOUND', 'Mercado Pago has no payment with that number.'];
        return null;
      }),
    });
    return {
      id: res.id,
      amountMinor: res.amount === null || res.amount === undefined ? null : decimalToMinor(res.amount, this.site),
      status: res.status,
    };
  }
}

/**
 * Orders API (`type: "point"`): terminals, mode, orders, cancel and refund.
 * Amounts leave as decimal strings ("15.00"); that conversion and the site limit check live only here.
 */
import { z } from 'zod';
import { decimalToMinor, minorToDecimalString, type SiteId } from '../../shared/money';
import { enc, mapper, type PointHttp } from './http';
import { PointError } from './point-error';
import { assertChargeable, clip, idLike, operatingMode, optionalId, optionalString, pointDevice } from './wire';

export const ORDER_REFERENCE_MAX = 64;
export const ORDER_DESCRIPTION_MAX = 150;
/** The API accepts 30 s to 3 h. */
export const ORDER_EXPIRATION_MIN_S = 30;
export const ORDER_EXPIRATION_MAX_S = 3 * 3600;

const TerminalSchema = pointDevice;
export type OrdersTerminal = z.output<typeof TerminalSchema>;

const TerminalListSchema = z.object({
  data: z.object({ terminals: z.array(TerminalSchema) }),
  paging: z
    .object({ total: z.number().optional(), offset: z.number().optional(), limit: z.number().optional() })
    .partial()
    .optional(),
});

const OrderPaymentSchema = z
  .object({
    id: optionalId,
    amount: z.union([z.string(), z.number()]).optional().nullable(),
    status: optionalString,
    status_detail: optionalString,
    /** The /v1/payments id, where the answer carries one. */
    reference_id: optionalId,
    payment_id: optionalId,
    payment_method: z
      .object({ id: optionalString, type: optionalString, last_four_digits: optionalString })
      .partial()
      .passthrough()
      .optional()
      .nullable(),
  })
  .passthrough();

const OrderSchema = z
  .object({
    id: idLike,
    status: z.string().optional(),
    status_detail: optionalString,
    external_reference: optionalString,
    expiration_time: optionalString,
    transactions: z
      .object({ payments: z.array(OrderPaymentSchema).optional(), refunds: z.array(z.unknown()).optional() })
      .partial()
      .passthrough()
      .optional()
      .nullable(),
    config: z
      .object({ point: z.object({ terminal_id: optionalString }).partial().passthrough().optional().nullable() })
      .partial()
      .passthrough()
      .optional()
      .nullable(),
  })
  .passthrough();

export type OrderStatus =
  | 'created'
  | 'at_terminal'
  | 'processing'
  | 'processed'
  | 'failed'
  | 'canceled'
  | 'expired'
  | 'refunded'
  | 'action_required'
  | 'other';

export function normalizeOrderStatus(raw: string | null | undefined): OrderStatus {
  const s = (raw ?? '').toLowerCase();
  if (s === 'cancelled' || s === 'canceled') return 'canceled';
  const known = ['created', 'at_terminal', 'processing', 'processed', 'failed', 'expired', 'refunded', 'action_required'];
  return (known.includes(s) ? s : 'other') as OrderStatus;
}

export interface Order {
  id: string;
  status: OrderStatus;
  rawStatus: string | null;
  statusDetail: string | null;
  externalReference: string | null;
  terminalId: string | null;
  /** The order's first payment as the order tells it: a hint, the /v1/payments record decides. */
  payment: {
    orderPaymentId: string | null;
    /** /v1/payments id when the answer has one (reference_id / payment_id). */
    paymentId: string | null;
    amountMinor: number | null;
    status: string | null;
    statusDetail: string | null;
    cardLast4: string | null;
    cardBrand: string | null;
  } | null;
}

export interface CreateOrderInput {
  terminalId: string;
  amountMinor: number;
  description: string;
  externalReference: string;
  idempotencyKey: string;
  expirationSeconds: number;
  printOnTerminal?: boolean;
}

export class OrdersClient {
  constructor(
    private readonly http: PointHttp,
    private readonly site: SiteId,
  ) {}

  /** The one place minor units become this family's wire amount. */
  toWireAmount(amountMinor: number): string {
    assertChargeable(amountMinor, this.site);
    return minorToDecimalString(amountMinor, this.site);
  }

  private toOrder(raw: z.output<typeof OrderSchema>): Order {
    const p = raw.transactions?.payments?.[0];
    const amount = p?.amount;
    return {
      id: raw.id,
      status: normalizeOrderStatus(raw.status),
      rawStatus: raw.status ?? null,
      statusDetail: raw.status_detail,
      externalReference: raw.external_reference,
      terminalId: raw.config?.point?.terminal_id ?? null,
      payment: p
        ? {
            orderPaymentId: p.id,
            paymentId: p.reference_id ?? p.payment_id ?? null,
            amountMinor: amount === null || amount === undefined ? null : decimalToMinor(amount, this.site),
            status: p.status ?? null,
            statusDetail: p.status_detail ?? null,
            cardLast4: p.payment_method?.last_four_digits ?? null,
            cardBrand: p.payment_method?.id ?? null,
          }
        : null,
    };
  }

  async listTerminals(): Promise<OrdersTerminal[]> {
    const all: OrdersTerminal[] = [];
    for (let offset = 0; offset < 10_000;) {
      const page = await this.http.read('/terminals/v1/list', TerminalListSchema, {
        query: { offset, limit: 50 },
        what: 'the list of terminals',
      });
      all.push(...page.data.terminals);
      const total = page.paging?.total ?? all.length;
      if (page.data.terminals.length === 0 || all.length >= total) break;
      offset = all.length;
    }
    return all;
  }

  async setMode(terminalId: string, mode: 'PDV' | 'STANDALONE', idempotencyKey: string): Promise<'PDV' | 'STANDALONE'> {
    const res = await this.http.write(
      'PATCH',
      '/terminals/v1/setup',
      { terminals: [{ id: terminalId, operating_mode: mode }] },
      z
        .object({ terminals: z.array(z.object({ id: idLike, operating_mode: operatingMode.optional() }).passthrough()) })
        .partial()
        .passthrough()
        .optional(),
      {
        idempotencyKey,
        replaySafe: true,
        what: 'the terminal mode',
        mapError: mapper((f) => {
          if (f.status === 412)
            return [
              'CONFLICT',
              'Another terminal of the same point of sale is already integrated. Put that one in standalone mode first.',
            ];
          if (f.status === 404)
            return ['TERMINAL_NOT_FOUND', 'Mercado Pago does not know that terminal. Refresh the terminal list.'];
          return null;
        }),
      },
    );
    return res?.terminals?.find((t) => t.id === terminalId)?.operating_mode ?? mode;
  }

  async create(input: CreateOrderInput): Promise<Order> {
    return this.createFromBody(JSON.stringify(this.createBody(input)), input.idempotencyKey);
  }

  /** The create's body, built once per attempt and journaled: a replay sends exactly these bytes. */
  createBody(input: Omit<CreateOrderInput, 'idempotencyKey'>): Record<string, unknown> {
    const seconds = Math.min(Math.max(Math.round(input.expirationSeconds), ORDER_EXPIRATION_MIN_S), ORDER_EXPIRATION_MAX_S);
    if (input.externalReference.length > ORDER_REFERENCE_MAX) {
      throw new PointError('INTERNAL', 'The sale reference is too long for Mercado Pago.');
    }
    return {
      type: 'point',
      external_reference: input.externalReference,
      expiration_time: `PT${seconds}S`,
      description: clip(input.description, ORDER_DESCRIPTION_MAX),
      transactions: { payments: [{ amount: this.toWireAmount(input.amountMinor) }] },
      config: {
        point: {
          terminal_id: input.terminalId,
          print_on_terminal: input.printOnTerminal === false ? 'no_ticket' : 'seller_ticket',
        },
      },
    };
  }

  /** Sends a journaled create body as it is (a JSON text), with its key. */
  async createFromBody(body: string, idempotencyKey: string): Promise<Order> {
    const raw = await this.http.write('POST', '/v1/orders', body, OrderSchema, {
      idempotencyKey,
      // The API returns the first order for a repeated key: retrying a lost create is safe here.
      replaySafe: true,
      // Lets the cashier cancel while the terminal shows the charge, before the card is read.
      headers: { 'x-allow-cancelable-status': 'at_terminal' },
      what: 'the charge',
      mapError: mapper((f) => {
        if (f.status === 409 && f.apiCode === 'terminal_offline')
          return ['TERMINAL_OFFLINE', 'The terminal is offline. Check that it is on and connected.'];
        if (f.status === 409 && /already_queued_order_(on|for)_terminal|queued/i.test(`${f.apiCode} ${f.apiMessage}`))
          return ['TERMINAL_BUSY', 'That terminal already has a charge waiting. Finish or cancel it first.'];
        if (f.status === 409 && f.apiCode === 'idempotency_key_already_used')
          return ['CONFLICT', 'Mercado Pago is still working on this charge. Caja will keep checking.', { outcomeUnknown: true }];
        if (f.status === 409) return ['TERMINAL_BUSY', 'That terminal is busy. Finish or cancel its charge first.'];
        if (f.status === 404)
          return ['TERMINAL_NOT_FOUND', 'Mercado Pago does not know that terminal. Refresh the terminal list.'];
        if (f.status === 400 && /standalone|operating_mode|pdv/i.test(`${f.apiCode} ${f.apiMessage}`))
          return ['TERMINAL_STANDALONE', 'That terminal is in standalone mode: switch it to integrated (PDV) mode first.'];
        return null;
      }),
    });
    return this.toOrder(raw);
  }

  async read(orderId: string): Promise<Order> {
    const raw = await this.http.read(`/v1/orders/${enc(orderId)}`, OrderSchema, {
      rateKey: `order:${orderId}`,
      what: 'the charge',
    });
    return this.toOrder(raw);
  }

  /**
   * `200` while created; while at_terminal the request itself must carry
   * `x-allow-cancelable-status: at_terminal`, and then the answer is `202` and the cancel is
   * asynchronous: the order stays at_terminal until the terminal confirms, so the caller polls it.
   */
  async cancel(orderId: string, idempotencyKey: string): Promise<Order | null> {
    const raw = await this.http.write('POST', `/v1/orders/${enc(orderId)}/cancel`, undefined, OrderSchema.optional(), {
      idempotencyKey,
      replaySafe: true,
      headers: { 'x-allow-cancelable-status': 'at_terminal' },
      what: 'the cancellation',
      mapError: mapper((f) => {
        if (f.status === 409)
          return ['NOT_CANCELLABLE', 'The customer is already paying: the charge can no longer be cancelled.'];
        if (f.status === 404) return ['NOT_FOUND', 'Mercado Pago no longer has that charge.'];
        return null;
      }),
    });
    return raw ? this.toOrder(raw) : null;
  }

  /** Full refund without amount; partial refunds name the order's payment and a decimal-string amount. */
  async refund(
    orderId: string,
    idempotencyKey: string,
    partial?: { orderPaymentId: string; amountMinor: number },
  ): Promise<void> {
    const body = partial
      ? { transactions: [{ id: partial.orderPaymentId, amount: minorToDecimalString(partial.amountMinor, this.site) }] }
      : undefined;
    await this.http.write('POST', `/v1/orders/${enc(orderId)}/refund`, body, z.unknown(), {
      idempotencyKey,
      replaySafe: true,
      what: 'the refund',
      mapError: mapper((f) => {
        if (f.status === 409 || f.status === 400)
          return ['NOT_REFUNDABLE', `Mercado Pago refused the refund${f.apiMessage ? `: ${f.apiMessage}` : ''}.`];
        if (f.status === 404) return ['NOT_FOUND', 'Mercado Pago no longer has that charge.'];
        return null;
      }),
    });
  }
}

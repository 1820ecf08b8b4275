/**
 * Mobile "Integration via API": phones and tablets running the Mercado Pago app with a card reader,
 * addressed by the device name the seller chose. Amounts leave as a decimal number of the currency
 * and descriptions are cut to 20 characters; both happen only here.
 */
import { z } from 'zod';
import { minorToDecimalString, type SiteId } from '../../shared/money';
import type { ErrorCode } from '../../shared/errors';
import { enc, mapper, type ErrorMapper, type PointHttp } from './http';
import { assertChargeable, chargeCreateErrors, clip, idLike, optionalId, optionalString } from './wire';

export const MOBILE_DESCRIPTION_MAX = 20;

const DeviceSchema = z.object({
  name: z.string().min(1),
  caller: optionalId,
  id: optionalId,
  status: z
    .union([
      z.object({ status: z.string().optional().nullable(), payment_attempt: optionalId }).passthrough(),
      // Some answers flatten the status to a plain string.
      z.string(),
    ])
    .optional()
    .nullable(),
});
const DeviceListSchema = z.object({ devices: z.array(DeviceSchema) });

export interface MobileDevice {
  name: string;
  /** FREE, BUSY, OFFLINE... upper-cased; null when the answer had none. */
  status: string | null;
  paymentAttempt: string | null;
}

const OrderSchema = z
  .object({
    status: z.string(),
    id: optionalId,
    payment_id: optionalId,
    payment_status: optionalString,
    external_reference: optionalString,
  })
  .passthrough();

export interface MobileOrder {
  id: string | null;
  /** OPEN (not paid yet) or CLOSED (done: paid, rejected, or closed without a payment). */
  status: 'OPEN' | 'CLOSED' | 'CANCELED' | 'OTHER';
  rawStatus: string;
  paymentId: string | null;
  paymentStatus: string | null;
  externalReference: string | null;
}

function normalizeStatus(raw: string): MobileOrder['status'] {
  const s = raw.toUpperCase();
  if (s === 'OPEN' || s === 'CLOSED') return s;
  if (s === 'CANCELED' || s === 'CANCELLED') return 'CANCELED';
  return 'OTHER';
}

export interface CreateMobileOrderInput {
  deviceName: string;
  amountMinor: number;
  description: string;
  externalReference: string;
  idempotencyKey: string;
  cardType?: 'credit_card' | 'debit_card';
  /** Where Mercado Pago posts this order's `payment` notifications (the shop server); none: not sent. */
  notificationUrl?: string | null;
}

export class MobileClient {
  constructor(
    private readonly http: PointHttp,
    private readonly site: SiteId,
  ) {}

  /** The one place minor units become this family's wire amount: a JSON number such as 15.5. */
  toWireAmount(amountMinor: number): number {
    assertChargeable(amountMinor, this.site);
    // Built from the integer-exact decimal string, so no float arithmetic touches the amount.
    return Number(minorToDecimalString(amountMinor, this.site));
  }

  async listDevices(): Promise<MobileDevice[]> {
    const res = await this.http.read('/point/services/integrations/v1/devices', DeviceListSchema, { what: 'the list of phones' });
    return res.devices.map((d) => {
      const st = d.status;
      const status = typeof st === 'string' ? st : (st?.status ?? null);
      return {
        name: d.name,
        status: status ? status.toUpperCase() : null,
        paymentAttempt: typeof st === 'object' && st ? st.payment_attempt : null,
      };
    });
  }

  async create(input: CreateMobileOrderInput): Promise<MobileOrder> {
    return this.createFromBody(JSON.stringify(this.createBody(input)), input.idempotencyKey);
  }

  /** The create's body, built once per attempt and journaled. */
  createBody(input: Omit<CreateMobileOrderInput, 'idempotencyKey'>): Record<string, unknown> {
    return {
      amount: this.toWireAmount(input.amountMinor),
      description: clip(input.description, MOBILE_DESCRIPTION_MAX) || 'Venta',
      device_name: input.deviceName,
      cc_type: input.cardType ?? 'credit_card',
      external_reference: input.externalReference,
      disable_back_button: true,
      ...(input.notificationUrl ? { notification_url: input.notificationUrl } : {}),
    };
  }

  /** Sends a journaled create body as it is (a JSON text). */
  async createFromBody(body: string, idempotencyKey: string): Promise<MobileOrder> {
    const res = await this.http.write('POST', '/point/services/integrations/v1', body, OrderSchema.extend({ id: idLike }), {
      idempotencyKey,
      replaySafe: false,
      what: 'the charge',
      mapError: chargeCreateErrors('phone', 'Check its device name in the app.'),
    });
    return this.toOrder(res, res.id);
  }

  async read(orderId: string): Promise<MobileOrder> {
    const res = await this.http.read(`/point/services/integrations/v1/${enc(orderId)}`, OrderSchema, {
      rateKey: `mobile:${orderId}`,
      what: 'the charge',
    });
    return this.toOrder(res, res.id ?? orderId);
  }

  private toOrder(res: z.output<typeof OrderSchema>, id: string | null): MobileOrder {
    return {
      id,
      status: normalizeStatus(res.status),
      rawStatus: res.status,
      paymentId: res.payment_id,
      paymentStatus: res.payment_status,
      externalReference: res.external_reference,
    };
  }

  async cancel(orderId: string, idempotencyKey: string): Promise<void> {
    await this.http.write('DELETE', `/point/services/integrations/v1/${enc(orderId)}`, undefined, z.unknown(), {
      idempotencyKey,
      replaySafe: true,
      what: 'the cancellation',
      mapError: cancelErrors(['NOT_FOUND', 'Mercado Pago no longer has that charge.']),
    });
  }

  /** Clears whatever is waiting on a phone: how an order whose id was lost is taken off it. */
  async cancelByDevice(deviceName: string, idempotencyKey: string): Promise<void> {
    await this.http.write('DELETE', `/point/services/integrations/v1/attempt/device/${enc(deviceName)}`, undefined, z.unknown(), {
      idempotencyKey,
      replaySafe: true,
      what: 'the cancellation',
      mapError: cancelErrors(['TERMINAL_NOT_FOUND', 'Mercado Pago does not know that phone.']),
    });
  }
}

/** Both cancels: 409 means the card is already being read; 404 means what the caller says it means. */
function cancelErrors(notFound: [ErrorCode, string]): ErrorMapper {
  return mapper((f) => {
    if (f.status === 409)
      return ['NOT_CANCELLABLE', 'The customer is already paying on the phone: the charge can no longer be cancelled.'];
    if (f.status === 404) return notFound;
    return null;
  });
}

/**
 * Point Integrations API ("payment intents"): devices, operating mode, intents.
 * Amounts leave as integer hundredths; that conversion and the site limit check live only here.
 */
import { z } from 'zod';
import { minorToHundredths, type SiteId } from '../../shared/money';
import { enc, mapper, type PointHttp } from './http';
import { assertChargeable, chargeCreateErrors, clip, idLike, operatingMode, optionalId, optionalString, pointDevice } from './wire';

export const INTENT_DESCRIPTION_MAX = 64;

const DeviceSchema = pointDevice;
export type IntentDevice = z.output<typeof DeviceSchema>;

const DeviceListSchema = z.object({
  devices: z.array(DeviceSchema),
  paging: z
    .object({ total: z.number().optional(), offset: z.number().optional(), limit: z.number().optional() })
    .partial()
    .optional(),
});

const AdditionalInfo = z
  .object({ external_reference: optionalString, print_on_terminal: z.boolean().optional() })
  .partial()
  .passthrough()
  .optional()
  .nullable();

/** `payment.id` as number or string; .NET shows a top-level `payment_id`. */
const IntentSchema = z
  .object({
    id: idLike,
    state: z.string().optional(),
    amount: z.number().optional(),
    device_id: optionalString,
    description: optionalString,
    payment: z.object({ id: optionalId }).partial().optional().nullable(),
    payment_id: optionalId,
    additional_info: AdditionalInfo,
  })
  .transform((i) => ({
    id: i.id,
    /** Upper-cased and with both spellings of cancelled folded into one. */
    state: normalizeIntentState(i.state),
    rawState: i.state ?? null,
    amountHundredths: i.amount ?? null,
    deviceId: i.device_id,
    paymentId: i.payment?.id ?? i.payment_id ?? null,
    externalReference: i.additional_info?.external_reference ?? null,
  }));
export type Intent = z.output<typeof IntentSchema>;

const EventSchema = z.object({
  payment_intent_id: idLike,
  status: z.string(),
  created_on: optionalString,
});
const EventsSchema = z.object({ events: z.array(EventSchema) });

export type IntentState =
  | 'OPEN'
  | 'ON_TERMINAL'
  | 'PROCESSING'
  | 'PROCESSED'
  | 'FINISHED'
  | 'CANCELED'
  | 'ERROR'
  | 'ABANDONED'
  | 'CONFIRMATION_REQUIRED'
  | 'EXPIRED'
  | 'OTHER';

export function normalizeIntentState(raw: string | undefined): IntentState {
  const s = (raw ?? '').toUpperCase();
  if (s === 'CANCELLED' || s === 'CANCELED') return 'CANCELED';
  const known = [
    'OPEN',
    'ON_TERMINAL',
    'PROCESSING',
    'PROCESSED',
    'FINISHED',
    'ERROR',
    'ABANDONED',
    'CONFIRMATION_REQUIRED',
    'EXPIRED',
  ];
  return (known.includes(s) ? s : 'OTHER') as IntentState;
}

export interface CreateIntentInput {
  deviceId: string;
  amountMinor: number;
  description: string;
  externalReference: string;
  idempotencyKey: string;
  printOnTerminal?: boolean;
}

export class PaymentIntentsClient {
  constructor(
    private readonly http: PointHttp,
    private readonly site: SiteId,
  ) {}

  /** The one place minor units become this family's wire amount. */
  toWireAmount(amountMinor: number): number {
    assertChargeable(amountMinor, this.site);
    return minorToHundredths(amountMinor, this.site);
  }

  async listDevices(): Promise<IntentDevice[]> {
    const all: IntentDevice[] = [];
    for (let offset = 0; offset < 10_000;) {
      const page = await this.http.read('/point/integration-api/devices', DeviceListSchema, {
        query: { offset, limit: 50 },
        what: 'the list of Point devices',
      });
      all.push(...page.devices);
      const total = page.paging?.total ?? all.length;
      if (page.devices.length === 0 || all.length >= total) break;
      offset = all.length;
    }
    return all;
  }

  async setMode(deviceId: string, mode: 'PDV' | 'STANDALONE', idempotencyKey: string): Promise<'PDV' | 'STANDALONE'> {
    const res = await this.http.write(
      'PATCH',
      `/point/integration-api/devices/${enc(deviceId)}`,
      { operating_mode: mode },
      z.object({ operating_mode: operatingMode }).partial().passthrough().optional(),
      {
        idempotencyKey,
        // Setting a mode twice is harmless: the same PATCH may be repeated.
        replaySafe: true,
        what: 'the terminal mode',
        mapError: notFoundIsTerminal,
      },
    );
    return res?.operating_mode ?? mode;
  }

  async create(input: CreateIntentInput): Promise<Intent> {
    return this.createFromBody(input.deviceId, JSON.stringify(this.createBody(input)), input.idempotencyKey);
  }

  /** The create's body, built once per attempt and journaled. */
  createBody(input: Omit<CreateIntentInput, 'idempotencyKey' | 'deviceId'>): Record<string, unknown> {
    return {
      amount: this.toWireAmount(input.amountMinor),
      description: clip(input.description, INTENT_DESCRIPTION_MAX),
      additional_info: { external_reference: input.externalReference, print_on_terminal: input.printOnTerminal ?? true },
    };
  }

  /** Sends a journaled create body as it is (a JSON text). */
  createFromBody(deviceId: string, body: string, idempotencyKey: string): Promise<Intent> {
    return this.http.write('POST', `/point/integration-api/devices/${enc(deviceId)}/payment-intents`, body, IntentSchema, {
      idempotencyKey,
      // The reference documents no replay of intents by key: a repeated create could queue a second one.
      replaySafe: false,
      what: 'the charge',
      mapError: chargeCreateErrors('terminal', 'Refresh the terminal list.'),
    });
  }

  read(intentId: string): Promise<Intent> {
    return this.http.read(`/point/integration-api/payment-intents/${enc(intentId)}`, IntentSchema, {
      rateKey: `intent:${intentId}`,
      what: 'the charge',
    });
  }

  async cancel(deviceId: string, intentId: string, idempotencyKey: string): Promise<void> {
    await this.http.write(
      'DELETE',
      `/point/integration-api/devices/${enc(deviceId)}/payment-intents/${enc(intentId)}`,
      undefined,
      // `{id}` from most, the whole intent from some: only the success matters.
      z.unknown(),
      {
        idempotencyKey,
        // Cancelling twice cannot charge anyone: retrying after a time-out is safe.
        replaySafe: true,
        what: 'the cancellation',
        mapError: mapper((f) => {
          if (f.status === 409)
            return ['NOT_CANCELLABLE', 'The charge is already on the terminal: the customer is paying or must cancel it there.'];
          if (f.status === 404) return ['NOT_FOUND', 'Mercado Pago no longer has that charge.'];
          return null;
        }),
      },
    );
  }

  /** Finished intents of a day range (dates as YYYY-MM-DD): how a lost intent id is found again. */
  async finishedEvents(startDate: string, endDate: string): Promise<{ intentId: string; status: string }[]> {
    const res = await this.http.read('/point/integration-api/payment-intents/events', EventsSchema, {
      query: { startDate, endDate },
      what: 'the finished charges',
    });
    return res.events.map((e) => ({ intentId: e.payment_intent_id, status: e.status }));
  }
}

const notFoundIsTerminal = mapper((f) =>
  f.status === 404 ? ['TERMINAL_NOT_FOUND', 'Mercado Pago does not know that terminal. Refresh the terminal list.'] : null,
);

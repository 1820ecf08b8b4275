/**
 * Webhook notifications, as Mercado Pago sends them to the URL a seller registers in its panel (here:
 * `POST /__sim/webhooks`). Each notification is a JSON `POST` signed the documented way
 * (`shared/point-api.md` §3):
 *
 *   x-request-id: <uuid>
 *   x-signature:  ts=<unix seconds>,v1=<hex HMAC-SHA256(secret, "id:<data.id>;request-id:<x-request-id>;ts:<ts>;")>
 *
 * where `<data.id>` is **lowercased** when it is alphanumeric: Mercado Pago's notification docs say
 * "data.id_url … if alphanumeric, must be sent in lowercase", so an order id `ORD01J…` is signed as
 * `ord01j…` and a receiver that copies the id verbatim fails, as it would against Mercado Pago.
 *
 * and, like Mercado Pago, the URL gets `?data.id=<id>&type=<topic>` appended. A receiver that answers
 * 2xx has it; 5xx, 429, no answer or a time-out is retried with back-off on the simulator clock (so a
 * test moves through retries with `advance`), a bounded number of times; any other answer is final.
 * Every attempt is kept for `GET /__sim/webhooks`. Registrations and deliveries live in memory only:
 * a reset or a restart forgets them, like faults.
 *
 * Besides the account's URL, a single charge may name its own: the mobile integration's
 * `notification_url` receives that order's `payment` notifications ("new payments and status
 * updates", Point docs), signed with the account's secret when it registered one, unsigned otherwise.
 *
 * This module only signs, sends and retries; each API family builds its own notification body.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { SimClock } from './clock';

export type WebhookTopic = 'order' | 'point_integration_wh' | 'payment';

export interface WebhookRegistration {
  userId: number;
  url: string;
  secret: string;
  /** Delay before each retry (simulator clock); its length bounds the retries. */
  retryDelaysMs: number[];
}

export interface WebhookAttempt {
  /** Real time the attempt was sent (ISO). */
  at: string;
  /** The receiver's status, or null when it did not answer. */
  status: number | null;
  error: string | null;
}

export interface WebhookDelivery {
  seq: number;
  userId: number;
  url: string;
  topic: WebhookTopic;
  dataId: string;
  requestId: string;
  body: unknown;
  state: 'pending' | 'delivered' | 'failed';
  attempts: WebhookAttempt[];
}

/**
 * Mercado Pago gives a receiver 22 seconds to answer; the simulator waits as long (real time).
 * The back-off is shorter than Mercado Pago's (it retries every 15 minutes for days) so a demo or a
 * test sees it happen; a registration may set its own.
 */
export const WEBHOOK_TIMEOUT_MS = 22_000;
export const DEFAULT_RETRY_DELAYS_MS = [10_000, 60_000, 300_000, 900_000];
const MAX_DELIVERIES_KEPT = 1000;

/** The documented manifest (alphanumeric ids in lowercase), signed with the account's secret. */
export function webhookSignature(secret: string, dataId: string, requestId: string, ts: number): string {
  const manifest = `id:${dataId.toLowerCase()};request-id:${requestId};ts:${ts};`;
  return `ts=${ts},v1=${createHmac('sha256', secret).update(manifest).digest('hex')}`;
}

/** Where one notification goes: a registration, or a charge's own URL (secret null: unsigned). */
type Target = Omit<WebhookRegistration, 'secret'> & { secret: string | null };

const retryable = (status: number | null) => status === null || status >= 500 || status === 429;

export class Webhooks {
  private readonly registrations = new Map<number, WebhookRegistration>();
  private deliveries: WebhookDelivery[] = [];
  private seq = 0;
  private readonly inFlight = new Set<AbortController>();
  /** Bumped by clear(): answers of requests sent before it are ignored. */
  private generation = 0;

  constructor(
    private readonly clock: SimClock,
    private readonly log: (line: string) => void,
    private readonly timeoutMs = WEBHOOK_TIMEOUT_MS,
  ) {}

  register(registration: WebhookRegistration): void {
    this.registrations.set(registration.userId, { ...registration, retryDelaysMs: [...registration.retryDelaysMs] });
  }

  unregister(userId: number): void {
    this.registrations.delete(userId);
  }

  /** Registrations without their secrets, and every delivery (oldest first). */
  view(): { webhooks: Omit<WebhookRegistration, 'secret'>[]; deliveries: WebhookDelivery[] } {
    return {
      webhooks: [...this.registrations.values()].map(({ secret: _secret, ...rest }) => rest),
      deliveries: this.deliveries,
    };
  }

  /** Queues a notification for the account's URL, if it registered one; sent at once. */
  send(userId: number, topic: WebhookTopic, dataId: string, body: unknown): void {
    const reg = this.registrations.get(userId);
    if (reg) this.deliver(reg, topic, dataId, body);
  }

  /**
   * Queues a notification for a URL one charge named (the mobile `notification_url`): the account's
   * secret and back-off when it registered, else unsigned with the default back-off.
   */
  sendToUrl(userId: number, url: string, topic: WebhookTopic, dataId: string, body: unknown): void {
    const reg = this.registrations.get(userId);
    this.deliver({ userId, url, secret: reg?.secret ?? null, retryDelaysMs: reg?.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS }, topic, dataId, body);
  }

  private deliver(reg: Target, topic: WebhookTopic, dataId: string, body: unknown): void {
    const userId = reg.userId;
    const delivery: WebhookDelivery = {
      seq: ++this.seq,
      userId,
      url: reg.url,
      topic,
      dataId,
      requestId: randomUUID(),
      body,
      state: 'pending',
      attempts: [],
    };
    this.deliveries.push(delivery);
    if (this.deliveries.length > MAX_DELIVERIES_KEPT) this.deliveries = this.deliveries.slice(-MAX_DELIVERIES_KEPT);
    void this.attempt(delivery, reg, this.generation);
  }

  /** Forgets registrations and deliveries and abandons requests in flight (a reset, a close). */
  clear(): void {
    this.generation++;
    for (const c of this.inFlight) c.abort();
    this.inFlight.clear();
    this.registrations.clear();
    this.deliveries = [];
  }

  private async attempt(d: WebhookDelivery, reg: Target, generation: number): Promise<void> {
    const ts = Math.floor(Date.now() / 1000);
    const url = new URL(reg.url);
    url.searchParams.set('data.id', d.dataId);
    url.searchParams.set('type', d.topic);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    this.inFlight.add(controller);
    const attempt: WebhookAttempt = { at: new Date().toISOString(), status: null, error: null };
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-request-id': d.requestId,
          ...(reg.secret !== null ? { 'x-signature': webhookSignature(reg.secret, d.dataId, d.requestId, ts) } : {}),
          'user-agent': 'MercadoPago WebHook v1.0 (Caja simulator)',
        },
        body: JSON.stringify(d.body),
        signal: controller.signal,
        redirect: 'manual',
      });
      attempt.status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch (error) {
      attempt.error = controller.signal.aborted ? `no answer within ${this.timeoutMs} ms` : (error as Error).message;
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(controller);
    }
    if (generation !== this.generation) return;
    d.attempts.push(attempt);
    if (attempt.status !== null && attempt.status >= 200 && attempt.status < 300) {
      d.state = 'delivered';
      return;
    }
    const retriesDone = d.attempts.length - 1;
    if (!retryable(attempt.status) || retriesDone >= reg.retryDelaysMs.length) {
      d.state = 'failed';
      this.log(`simulator: webhook ${d.topic} ${d.dataId} to ${reg.url} failed after ${d.attempts.length} attempt(s)`);
      return;
    }
    this.clock.setTimer(reg.retryDelaysMs[retriesDone]!, () => {
      if (generation === this.generation) void this.attempt(d, reg, generation);
    });
  }
}

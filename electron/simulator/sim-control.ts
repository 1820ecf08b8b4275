/**
 * `SimControl`: the typed client of the `/__sim/` control API that tests (and e2e fixtures) use.
 * Answers are parsed with the schemas of control-api.ts, so a drift between server and client fails
 * loudly in the test that hits it.
 */
import { z } from 'zod';
import {
  ClockSchema,
  CustomerActionSchema,
  FaultPlanSchema,
  RecordedRequestSchema,
  SimPaymentSchema,
  SimTerminalSchema,
  TimingSchema,
  WebhookRegistrationSchema,
  WebhooksViewSchema,
  type WebhookRegistrationInput,
  type WebhooksView,
  type ClockCommand,
  type CustomerAction,
  type FaultPlan,
  type RecordedRequest,
  type SimPayment,
  type SimTerminal,
  type Timing,
} from './control-api';
import type { SeedDevice } from './seed';

const RequestsAnswer = z.object({ requests: z.array(RecordedRequestSchema) });
const PaymentsAnswer = z.object({ payments: z.array(SimPaymentSchema) });
const TerminalsAnswer = z.object({ terminals: z.array(SimTerminalSchema) });

export class SimControl {
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  private async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    // Every write is JSON, even a bodiless one: the control API refuses anything else (415).
    const res = await fetch(`${this.baseUrl}/__sim${path}`, {
      method,
      headers: method === 'GET' ? {} : { 'content-type': 'application/json' },
      body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`simulator control ${method} ${path} answered ${res.status}: ${text}`);
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  }

  /** Back to the seeds, default faults, the start-up timing, the real clock; clears the request log. */
  async reset(): Promise<void> {
    await this.call('POST', '/reset');
  }

  /** Every recorded API request (never `/__sim/`), optionally only those after `since` (a `seq`). */
  async requests(since?: number): Promise<RecordedRequest[]> {
    return RequestsAnswer.parse(await this.call('GET', since === undefined ? '/requests' : `/requests?since=${since}`)).requests;
  }

  async payments(): Promise<SimPayment[]> {
    return PaymentsAnswer.parse(await this.call('GET', '/payments')).payments;
  }

  async terminals(): Promise<SimTerminal[]> {
    return TerminalsAnswer.parse(await this.call('GET', '/terminals')).terminals;
  }

  async terminal(id: string): Promise<SimTerminal> {
    const t = (await this.terminals()).find((x) => x.id === id);
    if (!t) throw new Error(`no simulated terminal ${id}`);
    return t;
  }

  /** Merged into the current plan. */
  async faults(plan: FaultPlan): Promise<void> {
    await this.call('POST', '/faults', FaultPlanSchema.parse(plan));
  }

  async clearFaults(): Promise<void> {
    await this.call('POST', '/faults/clear');
  }

  async timing(timing: Timing): Promise<void> {
    await this.call('POST', '/timing', TimingSchema.parse(timing));
  }

  async clock(command: ClockCommand): Promise<void> {
    await this.call('POST', '/clock', ClockSchema.parse(command));
  }

  /** Shorthand for `clock({ advanceMs })`. */
  async advance(ms: number): Promise<void> {
    await this.clock({ advanceMs: ms });
  }

  async setOnline(terminalId: string, online: boolean): Promise<void> {
    await this.call('POST', `/terminals/${encodeURIComponent(terminalId)}/online`, { online });
  }

  /** What the person at the terminal does; a bare action name is accepted too. */
  async customer(terminalId: string, action: CustomerAction | CustomerAction['action']): Promise<void> {
    const body = CustomerActionSchema.parse(typeof action === 'string' ? { action } : action);
    await this.call('POST', `/terminals/${encodeURIComponent(terminalId)}/customer`, body);
  }

  /** Registers (or, with `url: null`, removes) an account's notification URL and signing secret. */
  async webhook(registration: WebhookRegistrationInput): Promise<void> {
    await this.call('POST', '/webhooks', WebhookRegistrationSchema.parse(registration));
  }

  /** Registrations (without secrets) and every notification sent, with each attempt. */
  async webhooks(): Promise<WebhooksView> {
    return WebhooksViewSchema.parse(await this.call('GET', '/webhooks'));
  }

  /** Adds a device to a seeded account (not part of Mercado Pago: a simulator convenience). */
  async addDevice(userId: number, device: SeedDevice): Promise<void> {
    await this.call('POST', '/devices', { userId, device });
  }
}

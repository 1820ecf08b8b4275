/**
 * The `/__sim/` control API (schemas and route list in control-api.ts): what tests and the terminal
 * page use to script faults and the customer, and to read what happened. It needs no token and is
 * never recorded in `/__sim/requests`.
 */
import type { z } from 'zod';
import {
  ClockSchema,
  CustomerActionSchema,
  FaultPlanSchema,
  TimingSchema,
  WebhookRegistrationSchema,
  type SimPayment,
} from './control-api';
import { DEFAULT_RETRY_DELAYS_MS } from './webhooks';
import type { SimCore } from './core';
import { ApiError } from './errors';
import type { Recorder } from './recorder';
import { renderScreenPage } from './screen-page';
import { SEED_ACCOUNTS } from './seed';
import { addDevice, type PaymentRecord } from './state';
import { isObject } from './validate';

export interface ControlDeps {
  core: SimCore;
  recorder: Recorder;
  reset(): void;
}

export interface ControlReply {
  status: number;
  body?: unknown;
  html?: string;
}

const fail = (status: number, message: string): ControlReply => ({ status, body: { error: message } });

function parse<T>(schema: z.ZodType<T>, body: unknown): T | ControlReply {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  return fail(400, r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
}

const isReply = (v: unknown): v is ControlReply => isObject(v) && typeof v.status === 'number' && ('body' in v || 'html' in v);

export function simPayment(p: PaymentRecord): SimPayment {
  return {
    id: String(p.id),
    userId: p.userId,
    family: p.family,
    terminalId: p.terminalId,
    chargeId: p.chargeId,
    amountMinor: p.amountMinor,
    site: p.site,
    status: p.status,
    statusDetail: p.statusDetail,
    externalReference: p.externalReference,
    createdAt: new Date(p.createdAt).toISOString(),
    refunds: p.refunds.map((r) => ({ id: String(r.id), amountMinor: r.amountMinor })),
  };
}

export function handleControl(deps: ControlDeps, method: string, path: string, query: URLSearchParams, body: unknown): ControlReply {
  const { core } = deps;
  const route = path.slice('/__sim'.length) || '/';
  const terminalRoute = /^\/terminals\/([^/]+)\/(online|customer)$/.exec(route);

  if (method === 'GET' && (route === '/screen' || route === '/')) return { status: 200, html: renderScreenPage() };
  if (method === 'GET' && route === '/requests') {
    const since = Number(query.get('since') ?? '0');
    if (!Number.isInteger(since) || since < 0) return fail(400, 'since must be a non-negative integer');
    return { status: 200, body: { requests: deps.recorder.since(since) } };
  }
  if (method === 'GET' && route === '/payments') {
    return { status: 200, body: { payments: [...core.state.payments.values()].map(simPayment) } };
  }
  if (method === 'GET' && route === '/terminals') {
    return {
      status: 200,
      body: {
        terminals: [...core.state.terminals.values()].map((t) => ({ ...core.machine.view(t), resultLabel: core.machine.resultLabel(t) })),
        customer: core.timing.customer,
      },
    };
  }
  if (method === 'GET' && route === '/webhooks') return { status: 200, body: core.webhooks.view() };
  if (method === 'GET' && route === '/info') {
    return {
      status: 200,
      body: {
        timing: core.timing,
        clock: { mode: core.clock.currentMode, now: new Date(core.clock.now()).toISOString() },
        faults: { latencyMs: core.faults.latencyMs, readLimits: core.faults.readLimits },
        accounts: SEED_ACCOUNTS.map((a) => ({ userId: a.userId, site: a.site, nickname: a.nickname })),
      },
    };
  }
  if (method !== 'POST') return fail(route === '/screen' || route === '/requests' ? 405 : 404, `no control route ${method} ${path}`);

  switch (route) {
    case '/reset':
      deps.reset();
      return { status: 204 };
    case '/faults': {
      const plan = parse(FaultPlanSchema, body);
      if (isReply(plan)) return plan;
      core.faults.apply(plan);
      return { status: 204 };
    }
    case '/faults/clear':
      core.faults.clear();
      return { status: 204 };
    case '/timing': {
      const timing = parse(TimingSchema, body);
      if (isReply(timing)) return timing;
      core.timing = { ...core.timing, ...timing };
      core.machine.timingChanged();
      core.changed();
      return { status: 204 };
    }
    case '/clock': {
      const cmd = parse(ClockSchema, body);
      if (isReply(cmd)) return cmd;
      if ('mode' in cmd) core.clock.setMode(cmd.mode);
      else core.clock.advance(cmd.advanceMs);
      return { status: 204 };
    }
    case '/devices':
      return addDeviceRoute(core, body);
    case '/webhooks': {
      const reg = parse(WebhookRegistrationSchema, body);
      if (isReply(reg)) return reg;
      if (!SEED_ACCOUNTS.some((a) => a.userId === reg.userId)) return fail(404, `no account ${reg.userId}`);
      if (reg.url === null) core.webhooks.unregister(reg.userId);
      else core.webhooks.register({ userId: reg.userId, url: reg.url, secret: reg.secret, retryDelaysMs: reg.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS });
      return { status: 204 };
    }
  }

  if (terminalRoute) {
    const id = decodeURIComponent(terminalRoute[1]!);
    if (!core.state.terminals.has(id)) return fail(404, `no terminal ${id}`);
    if (terminalRoute[2] === 'online') {
      if (!isObject(body) || typeof body.online !== 'boolean') return fail(400, 'body must be {"online": true|false}');
      core.machine.setOnline(id, body.online);
      return { status: 204 };
    }
    const action = parse(CustomerActionSchema, body);
    if (isReply(action)) return action;
    try {
      core.machine.customer(id, action);
    } catch (error) {
      if (error instanceof ApiError) return fail(error.status, error.message);
      throw error;
    }
    return { status: 204 };
  }
  return fail(404, `no control route ${method} ${path}`);
}

/** Extra route: adds a device to a seeded account (e.g. a second terminal on one POS, to see a 412). */
function addDeviceRoute(core: SimCore, body: unknown): ControlReply {
  if (!isObject(body) || !isObject(body.device) || typeof body.userId !== 'number') return fail(400, 'body must be {"userId": n, "device": {…}}');
  const d = body.device;
  if (!SEED_ACCOUNTS.some((a) => a.userId === body.userId)) return fail(404, `no account ${body.userId}`);
  if (typeof d.id !== 'string' || d.id === '' || core.state.devices.has(d.id)) return fail(400, 'device.id must be a new, non-empty string');
  if (d.family !== 'intents' && d.family !== 'orders' && d.family !== 'mobile') return fail(400, 'device.family must be intents, orders or mobile');
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const mode = d.family === 'mobile' ? null : d.mode === 'STANDALONE' ? 'STANDALONE' : 'PDV';
  addDevice(core.state, body.userId, {
    id: d.id,
    family: d.family,
    mode,
    storeId: str(d.storeId),
    posId: str(d.posId),
    externalPosId: str(d.externalPosId),
  });
  core.changed();
  return { status: 201, body: { id: d.id } };
}

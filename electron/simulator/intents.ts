/**
 * Point Integrations API ("payment intents"): `/point/integration-api/…`. Amounts are integers in
 * hundredths. A device in STANDALONE mode accepts a create and then never picks the intent up: it
 * stays OPEN (cancellable) exactly like the trap integrators fall into, until it is abandoned.
 */
import { hundredthsToMinor, limitsText, SIM_SITES } from './sites';
import { applicationIdOf, devicePage, fingerprint, idempotencyLookup, idempotencyStore, iso, ownDevice, siteOf, type SimCore } from './core';
import { ApiError, badRequest, conflict, notFound } from './errors';
import { newIntentId } from './ids';
import { createPayment } from './payments';
import type { Reply, RequestContext, Route } from './router';
import type { IntentRecord, IntentState, Outcome } from './state';
import type { ChargeAdapter } from './terminal-machine';
import { header, isObject, objectBody, Problems } from './validate';

const deviceNotFound = (id: string) => notFound('device_not_found', `Device not found: ${id}`);
const intentNotFound = (id: string) => notFound('payment_intent_not_found', `Payment intent not found: ${id}`);

const FINAL: IntentState[] = ['FINISHED', 'CANCELED', 'ERROR', 'ABANDONED', 'CONFIRMATION_REQUIRED'];

function setState(core: SimCore, intent: IntentRecord, state: IntentState): void {
  intent.state = state;
  intent.events.push({ status: state, at: core.clock.now() });
  core.changed();
  core.webhooks.send(intent.userId, 'point_integration_wh', intent.id, intentNotification(core, intent));
}

/**
 * The `point_integration_wh` body, as the Integrations API notification docs show it: the intent's
 * state and amount, the payment's id, state and card type (both blank for CONFIRMATION_REQUIRED,
 * where the terminal does not know), `created_at` as "YYYY-MM-DD HH:mm:ss".
 */
function intentNotification(core: SimCore, i: IntentRecord): Record<string, unknown> {
  const p = i.paymentId === null ? undefined : core.state.payments.get(i.paymentId);
  const unknown = i.state === 'CONFIRMATION_REQUIRED';
  return {
    amount: i.amount,
    caller_id: i.userId,
    client_id: Number(applicationIdOf(i.userId)),
    created_at: iso(i.createdAt).slice(0, 19).replace('T', ' '),
    id: i.id,
    type: 'point_integration_wh',
    device_id: i.deviceId,
    ...(p ? { payment: { id: p.id, state: unknown ? '' : p.status, type: unknown ? '' : p.paymentTypeId } } : {}),
    state: i.state,
    additional_info: i.additionalInfo ?? {},
  };
}

export function intentAdapter(core: SimCore): ChargeAdapter {
  const get = (id: string) => core.state.intents.get(id);
  return {
    describe(id) {
      const i = get(id);
      return i ? { amountMinor: i.amountMinor, description: i.description, state: i.state } : null;
    },
    arrived(id) {
      const i = get(id);
      if (i) setState(core, i, 'ON_TERMINAL');
    },
    processing(id) {
      const i = get(id);
      if (i) setState(core, i, 'PROCESSING');
    },
    finished(id, outcome: Outcome) {
      const i = get(id);
      if (!i) return 'Error';
      const pay = (status: 'approved' | 'rejected' | 'in_process', detail: string, settleTo?: 'approved' | 'rejected') => {
        const p = createPayment(core, {
          userId: i.userId,
          family: 'intents',
          terminalId: i.deviceId,
          chargeId: i.id,
          amountMinor: i.amountMinor,
          status,
          statusDetail: detail,
          externalReference: typeof i.additionalInfo?.external_reference === 'string' ? i.additionalInfo.external_reference : null,
          description: i.description,
          cardType: i.payment?.type === 'debit_card' ? 'debit_card' : 'credit_card',
          installments: i.payment?.installments ?? 1,
          settleTo,
        });
        i.paymentId = p.id;
      };
      // A card that was read always ends the intent FINISHED; only the payment says how it went.
      const finish = (status: Parameters<typeof pay>[0], detail: string, label: string, settleTo?: 'approved' | 'rejected') => {
        pay(status, detail, settleTo);
        setState(core, i, 'PROCESSED');
        setState(core, i, 'FINISHED');
        return label;
      };
      switch (outcome.kind) {
        case 'approved':
          return finish('approved', 'accredited', 'Approved');
        case 'rejected':
          return finish('rejected', outcome.detail, `Rejected (${outcome.detail})`);
        case 'in_process':
          return finish('in_process', 'pending_contingency', 'In process', outcome.settle);
        case 'confirmation_required':
          // The terminal lost track of the result: the payment may be approved, still pending, or
          // never have been created at all. Only reading the payments tells.
          if (outcome.payment === 'pending') pay('in_process', 'pending_contingency');
          else if (outcome.payment !== 'none') pay('approved', 'accredited');
          setState(core, i, 'CONFIRMATION_REQUIRED');
          return 'Confirmation required';
        case 'abandoned':
          setState(core, i, 'ABANDONED');
          return 'Abandoned by the customer';
        case 'error':
          setState(core, i, 'ERROR');
          return 'Terminal error';
      }
    },
    declined(id, detail) {
      const i = get(id);
      if (!i) return;
      // The terminal offers "try another card": the intent is back on the terminal and already
      // points at a rejected payment, which is not its result yet.
      i.paymentId = createPayment(core, {
        userId: i.userId,
        family: 'intents',
        terminalId: i.deviceId,
        chargeId: i.id,
        amountMinor: i.amountMinor,
        status: 'rejected',
        statusDetail: detail,
        externalReference: typeof i.additionalInfo?.external_reference === 'string' ? i.additionalInfo.external_reference : null,
        description: i.description,
        cardType: i.payment?.type === 'debit_card' ? 'debit_card' : 'credit_card',
        installments: i.payment?.installments ?? 1,
      }).id;
      setState(core, i, 'ON_TERMINAL');
    },
  };
}

/** An intent nobody pays becomes ABANDONED at `abandonAt` and frees its device. */
export function armAbandon(core: SimCore, intent: IntentRecord): void {
  if (intent.abandonAt == null) return;
  core.clock.setTimer(Math.max(0, intent.abandonAt - core.clock.now()), () => {
    const i = core.state.intents.get(intent.id);
    if (!i || (i.state !== 'OPEN' && i.state !== 'ON_TERMINAL')) return;
    // A card being read finishes on its own; only a charge still waiting for one is abandoned.
    const t = core.state.terminals.get(i.deviceId);
    if (t?.current === i.id && t.phase === 'processing') return;
    setState(core, i, 'ABANDONED');
    core.machine.release(i.deviceId, i.id, 'Abandoned (nobody paid)');
  });
}

export function armAbandonAll(core: SimCore): void {
  for (const i of core.state.intents.values()) if (i.state === 'OPEN' || i.state === 'ON_TERMINAL') armAbandon(core, i);
}

function listDevices(ctx: RequestContext): Reply {
  const { items, paging } = devicePage(ctx.core, ctx.account.userId, 'intents', ctx.query, 'mp');
  return { status: 200, body: { devices: items, paging } };
}

function setMode(ctx: RequestContext): Reply {
  const device = ownDevice(ctx.core, ctx.account.userId, ctx.params.deviceId!, 'intents', () => deviceNotFound(ctx.params.deviceId!));
  const body = objectBody(ctx.body);
  const problems = new Problems();
  if (problems.require(body, 'operating_mode') && body.operating_mode !== 'PDV' && body.operating_mode !== 'STANDALONE') {
    problems.bad('operating_mode must be PDV or STANDALONE');
  }
  problems.throwMp();
  device.mode = body.operating_mode as 'PDV' | 'STANDALONE';
  ctx.core.machine.modeChanged(device.id);
  ctx.core.changed();
  return { status: 200, body: { operating_mode: device.mode } };
}

function intentJson(i: IntentRecord, withState: boolean): Record<string, unknown> {
  const payment: Record<string, unknown> = { ...(i.payment ?? {}) };
  if (i.paymentId !== null) payment.id = i.paymentId;
  return {
    id: i.id,
    ...(withState ? { state: i.state } : {}),
    device_id: i.deviceId,
    amount: i.amount,
    // Point devices only take cards through this API; Mercado Pago says so on create and read.
    payment_mode: 'card',
    description: i.description,
    ...(Object.keys(payment).length > 0 ? { payment } : {}),
    additional_info: i.additionalInfo ?? {},
  };
}

function validateCreate(ctx: RequestContext): Omit<IntentRecord, 'id' | 'userId' | 'deviceId' | 'state' | 'paymentId' | 'createdAt' | 'events'> {
  const site = siteOf(ctx.account.userId);
  const body = objectBody(ctx.body);
  const problems = new Problems();
  let amountMinor = 0;
  if (problems.require(body, 'amount')) {
    const a = body.amount;
    const rules = SIM_SITES[site];
    const minor = typeof a === 'number' && Number.isSafeInteger(a) ? hundredthsToMinor(a, site) : null;
    if (typeof a !== 'number' || !Number.isSafeInteger(a)) {
      problems.bad('amount must be an integer in hundredths of the currency (1500 = 15.00)');
    } else if (a < rules.minHundredths || a > rules.maxHundredths) {
      problems.bad(`amount must be between ${rules.minHundredths} and ${rules.maxHundredths} (hundredths; ${limitsText(site)})`);
    } else if (minor === null) {
      problems.bad(`amount must be a multiple of 100: the site ${site} currency has no decimals`);
    } else {
      amountMinor = minor;
    }
  }
  if (body.description !== undefined && (typeof body.description !== 'string' || body.description.length > 255)) {
    problems.bad('description must be a string of at most 255 characters');
  }
  let additionalInfo: Record<string, unknown> | null = null;
  if (body.additional_info !== undefined) {
    const info = body.additional_info;
    if (!isObject(info)) problems.bad('additional_info must be an object');
    else {
      additionalInfo = info;
      if (info.external_reference !== undefined && (typeof info.external_reference !== 'string' || info.external_reference.length > 255)) {
        problems.bad('additional_info.external_reference must be a string of at most 255 characters');
      }
      if (info.print_on_terminal !== undefined && typeof info.print_on_terminal !== 'boolean') {
        problems.bad('additional_info.print_on_terminal must be a boolean');
      }
      if (info.ticket_number !== undefined && typeof info.ticket_number !== 'string') problems.bad('additional_info.ticket_number must be a string');
    }
  }
  let payment: IntentRecord['payment'] = null;
  if (body.payment !== undefined) {
    const p = body.payment;
    if (site !== 'MLB') problems.bad(`payment is only accepted on site MLB (Brazil), not ${site}`);
    else if (!isObject(p)) problems.bad('payment must be an object');
    else {
      const type = p.type ?? 'credit_card';
      const installments = p.installments ?? 1;
      const cost = p.installments_cost ?? 'seller';
      if (type !== 'credit_card' && type !== 'debit_card') problems.bad('payment.type must be credit_card or debit_card');
      if (typeof installments !== 'number' || !Number.isInteger(installments) || installments < 1 || installments > 72) {
        problems.bad('payment.installments must be an integer from 1 to 72');
      } else if (type === 'debit_card' && installments !== 1) problems.bad('payment.installments must be 1 for debit_card');
      if (cost !== 'seller' && cost !== 'buyer') problems.bad('payment.installments_cost must be seller or buyer');
      payment = { type: String(type), installments: Number(installments), installments_cost: String(cost) };
    }
  }
  problems.throwMp();
  return {
    amount: body.amount as number,
    amountMinor,
    description: typeof body.description === 'string' ? body.description : null,
    additionalInfo,
    payment,
  };
}

function createIntent(ctx: RequestContext): Reply {
  const { core, account } = ctx;
  const deviceId = ctx.params.deviceId!;
  const device = ownDevice(core, account.userId, deviceId, 'intents', () => deviceNotFound(deviceId));
  const key = header(ctx.headers, 'x-idempotency-key');
  const print = fingerprint('POST', ctx.path, ctx.body ?? null);
  const replay = idempotencyLookup(core, account.userId, key, print);
  if (replay?.resource) {
    const existing = core.state.intents.get(replay.resource.id);
    if (existing) return { status: replay.status, body: intentJson(existing, false) };
  }
  const fields = validateCreate(ctx);
  if (core.machine.isBusy(device.id)) {
    throw conflict('device_busy', `Device has a queued payment intent`);
  }
  const intent: IntentRecord = {
    id: newIntentId(),
    userId: account.userId,
    deviceId: device.id,
    ...fields,
    state: 'OPEN',
    paymentId: null,
    createdAt: core.clock.now(),
    events: [{ status: 'OPEN', at: core.clock.now() }],
    abandonAt: core.timing.intentAbandonMs === null ? null : core.clock.now() + core.timing.intentAbandonMs,
  };
  core.state.intents.set(intent.id, intent);
  armAbandon(core, intent);
  const body = intentJson(intent, false);
  idempotencyStore(core, account.userId, key, { fingerprint: print, status: 201, body, resource: { kind: 'intent', id: intent.id } });
  core.machine.enqueue(device.id, intent.id);
  return { status: 201, body };
}

function ownIntent(ctx: RequestContext): IntentRecord {
  const i = ctx.core.state.intents.get(ctx.params.id!);
  if (!i || i.userId !== ctx.account.userId) throw intentNotFound(ctx.params.id!);
  return i;
}

function readIntent(ctx: RequestContext): Reply {
  const i = ownIntent(ctx);
  ctx.core.faults.checkRead('intents', i.id);
  return { status: 200, body: intentJson(i, true) };
}

function cancelIntent(ctx: RequestContext): Reply {
  const i = ownIntent(ctx);
  if (i.deviceId !== ctx.params.deviceId) throw intentNotFound(ctx.params.id!);
  if (i.state !== 'OPEN') {
    throw new ApiError(409, 'payment_intent_not_cancelable', `Payment intent ${i.id} is ${i.state} and can no longer be canceled`, [
      'only an OPEN intent (not yet on the terminal) can be canceled',
    ]);
  }
  setState(ctx.core, i, 'CANCELED');
  ctx.core.machine.release(i.deviceId, i.id, 'Canceled by the POS');
  return { status: 200, body: { id: i.id } };
}

function lastEvent(ctx: RequestContext): Reply {
  const i = ownIntent(ctx);
  ctx.core.faults.checkRead('intents', `events:${i.id}`);
  const e = i.events[i.events.length - 1]!;
  return { status: 200, body: { payment_intent_id: i.id, status: e.status, created_on: iso(e.at) } };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function eventsByDate(ctx: RequestContext): Reply {
  const start = ctx.query.get('startDate');
  const end = ctx.query.get('endDate');
  const problems = new Problems();
  for (const [name, v] of [['startDate', start], ['endDate', end]] as const) {
    if (v === null || v === '') problems.missing.push(`${name} is required (YYYY-MM-DD)`);
    else if (!DATE.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) problems.bad(`${name} must be a date YYYY-MM-DD`);
  }
  problems.throwMp();
  if (start! > end!) throw badRequest('invalid_parameter', 'startDate must not be after endDate');
  const events = [...ctx.core.state.intents.values()]
    .filter((i) => i.userId === ctx.account.userId && FINAL.includes(i.state))
    .map((i) => ({ i, e: i.events[i.events.length - 1]! }))
    .filter(({ e }) => {
      const day = iso(e.at).slice(0, 10);
      return day >= start! && day <= end!;
    })
    .sort((a, b) => a.e.at - b.e.at)
    .map(({ i, e }) => ({ payment_intent_id: i.id, status: e.status, created_on: iso(e.at) }));
  return { status: 200, body: { events } };
}

export const intentRoutes: Route[] = [
  { method: 'GET', pattern: '/point/integration-api/devices', family: 'mp', handler: listDevices },
  { method: 'PATCH', pattern: '/point/integration-api/devices/:deviceId', family: 'mp', handler: setMode },
  { method: 'POST', pattern: '/point/integration-api/devices/:deviceId/payment-intents', family: 'mp', handler: createIntent },
  { method: 'DELETE', pattern: '/point/integration-api/devices/:deviceId/payment-intents/:id', family: 'mp', handler: cancelIntent },
  { method: 'GET', pattern: '/point/integration-api/payment-intents/events', family: 'mp', handler: eventsByDate },
  { method: 'GET', pattern: '/point/integration-api/payment-intents/:id', family: 'mp', handler: readIntent },
  { method: 'GET', pattern: '/point/integration-api/payment-intents/:id/events', family: 'mp', handler: lastEvent },
];

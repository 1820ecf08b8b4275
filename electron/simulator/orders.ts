/**
 * Orders API (`type: "point"`): `/v1/orders` and `/terminals/v1/…`. Amounts are decimal strings
 * with exactly the currency's decimals; every create needs `X-Idempotency-Key`, and replaying a key
 * answers the order it first created. Errors use the `{"errors":[…]}` shape.
 */
import { currencyOf, decimalsOf, limitsText, minorToDecimalString, withinLimits, type SiteId } from './sites';
import { applicationIdOf, devicePage, devicesOf, fingerprint, idempotencyLookup, idempotencyStore, iso, ownDevice, siteOf, type SimCore } from './core';
import { ApiError } from './errors';
import { newOrderId, newOrderPaymentId, newOrderRefundId } from './ids';
import { addRefund, COUNTRY_CODES, createPayment, isRefundable, refundedMinor } from './payments';
import type { Reply, RequestContext, Route } from './router';
import type { OrderIntegrationData, OrderRecord, OrderStatus, Outcome, PaymentRecord } from './state';
import type { ChargeAdapter } from './terminal-machine';
import { header, isObject, Problems, type Json } from './validate';

const orderNotFound = (id: string) => new ApiError(404, 'order_not_found', `Order ${id} not found`, [`no order ${id} for this account`]);
const terminalNotFound = (id: string) => new ApiError(404, 'terminal_not_found', `Terminal ${id} not found`, [`no terminal ${id} for this account`]);
const IDEMPOTENCY_HEADER = 'x-idempotency-key';

/** Orders still owned by the terminal (not yet a final status). */
const LIVE: OrderStatus[] = ['created', 'at_terminal'];

export const MIN_EXPIRATION_S = 30;
export const MAX_EXPIRATION_S = 3 * 3600;
export const DEFAULT_EXPIRATION = 'PT15M';

/** ISO-8601 duration (PnDTnHnMnS, integers) → seconds, or null. */
export function parseDuration(text: string): number | null {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return null;
  const [, d = '0', h = '0', min = '0', s = '0'] = m;
  return Number(d) * 86400 + Number(h) * 3600 + Number(min) * 60 + Number(s);
}

function requireKey(ctx: RequestContext): string {
  const key = header(ctx.headers, IDEMPOTENCY_HEADER);
  if (!key) {
    throw new ApiError(400, 'empty_required_header', 'The X-Idempotency-Key header is required', ['header X-Idempotency-Key is required']);
  }
  if (key.length > 256) throw new ApiError(400, 'invalid_header', 'X-Idempotency-Key is too long', ['X-Idempotency-Key must be at most 256 characters']);
  return key;
}

function touch(core: SimCore, o: OrderRecord, status: OrderStatus, detail: string, paymentStatus: string, paymentDetail: string): void {
  o.status = status;
  o.statusDetail = detail;
  o.payment.status = paymentStatus;
  o.payment.statusDetail = paymentDetail;
  o.updatedAt = core.clock.now();
  core.changed();
  core.webhooks.send(o.userId, 'order', o.id, orderNotification(core, o));
}

/**
 * The `order` topic's body: the action (`order.<status>`), who it is for, and the order's own
 * fields under `data`. A receiver should re-read the order; the body is a hint.
 */
export function orderNotification(core: SimCore, o: OrderRecord): Json {
  const full = orderJson(core, o);
  return {
    action: `order.${o.status}`,
    api_version: 'v1',
    application_id: applicationIdOf(o.userId),
    data: {
      id: o.id,
      type: 'point',
      external_reference: o.externalReference,
      status: o.status,
      status_detail: o.statusDetail,
      total_amount: full.total_amount,
      ...(full.total_paid_amount !== undefined ? { total_paid_amount: full.total_paid_amount } : {}),
      transactions: full.transactions,
    },
    date_created: iso(core.clock.now()),
    live_mode: false,
    type: 'order',
    user_id: String(o.userId),
  };
}

function pay(core: SimCore, o: OrderRecord, status: PaymentRecord['status'], detail: string, settleTo?: 'approved' | 'rejected'): PaymentRecord {
  const p = createPayment(core, {
    userId: o.userId,
    family: 'orders',
    terminalId: o.terminalId,
    chargeId: o.id,
    amountMinor: o.payment.amountMinor,
    status,
    statusDetail: detail,
    externalReference: o.externalReference,
    description: o.description,
    cardType: o.defaultType === 'debit_card' ? 'debit_card' : 'credit_card',
    installments: o.defaultInstallments ?? 1,
    settleTo,
  });
  o.payment.referenceId = p.id;
  return p;
}

/** Applies a terminal outcome (or a forced test status) to an order; returns the screen label. */
function applyOutcome(core: SimCore, o: OrderRecord, outcome: Outcome): string {
  o.processingSince = null;
  if (o.status === 'action_required') return lateOutcome(core, o, outcome);
  switch (outcome.kind) {
    case 'approved':
      pay(core, o, 'approved', 'accredited');
      touch(core, o, 'processed', 'accredited', 'processed', 'accredited');
      return 'Approved';
    case 'rejected':
      pay(core, o, 'rejected', outcome.detail);
      touch(core, o, 'failed', 'failed', 'failed', outcome.detail);
      return `Rejected (${outcome.detail})`;
    case 'in_process':
      pay(core, o, 'in_process', 'pending_contingency', outcome.settle);
      touch(core, o, 'processing', 'in_process', 'processing', 'in_process');
      return 'In process';
    case 'confirmation_required':
      // The order will stay action_required whatever happens next; its payment may be approved,
      // pending, or missing altogether (no reference_id): only a person at the terminal knows.
      if (outcome.payment === 'pending') pay(core, o, 'in_process', 'pending_contingency');
      else if (outcome.payment !== 'none') pay(core, o, 'approved', 'accredited');
      touch(core, o, 'action_required', 'action_required', 'action_required', 'action_required');
      return 'Confirmation required';
    case 'abandoned':
      touch(core, o, 'canceled', 'canceled_by_terminal', 'canceled', 'canceled_by_terminal');
      return 'Abandoned by the customer';
    case 'error':
      touch(core, o, 'failed', 'terminal_error', 'failed', 'terminal_error');
      return 'Terminal error';
  }
}

/**
 * The card's result arrives after the order already gave up waiting (action_required): the payment
 * appears (reference_id), the order keeps saying action_required, as Mercado Pago documents.
 */
function lateOutcome(core: SimCore, o: OrderRecord, outcome: Outcome): string {
  switch (outcome.kind) {
    case 'approved':
      pay(core, o, 'approved', 'accredited');
      return 'Approved (late)';
    case 'rejected':
      pay(core, o, 'rejected', outcome.detail);
      return `Rejected (${outcome.detail}, late)`;
    case 'in_process':
      pay(core, o, 'in_process', 'pending_contingency', outcome.settle);
      return 'In process (late)';
    case 'confirmation_required':
      if (outcome.payment === 'pending') pay(core, o, 'in_process', 'pending_contingency');
      else if (outcome.payment !== 'none') pay(core, o, 'approved', 'accredited');
      return 'Confirmation required';
    case 'abandoned':
    case 'error':
      return 'Terminal error';
  }
}

/** A card still processing `actionRequiredAfterMs` after it started leaves the order action_required. */
export function armActionRequired(core: SimCore, o: OrderRecord): void {
  const after = core.timing.actionRequiredAfterMs;
  if (after === null || o.processingSince == null) return;
  core.clock.setTimer(Math.max(0, o.processingSince + after - core.clock.now()), () => {
    const live = core.state.orders.get(o.id);
    if (!live || live.status !== 'at_terminal' || live.processingSince == null) return;
    const t = core.state.terminals.get(live.terminalId);
    if (t?.current !== live.id || t.phase !== 'processing') return;
    touch(core, live, 'action_required', 'action_required', 'action_required', 'action_required');
  });
}

export function orderAdapter(core: SimCore): ChargeAdapter {
  const get = (id: string) => core.state.orders.get(id);
  return {
    describe(id) {
      const o = get(id);
      return o ? { amountMinor: o.payment.amountMinor, description: o.description, state: o.status } : null;
    },
    arrived(id) {
      const o = get(id);
      if (o) touch(core, o, 'at_terminal', 'at_terminal', 'at_terminal', 'at_terminal');
    },
    processing(id) {
      const o = get(id);
      if (!o) return;
      o.processingSince = core.clock.now();
      armActionRequired(core, o);
    },
    finished(id, outcome) {
      const o = get(id);
      return o ? applyOutcome(core, o, outcome) : 'Error';
    },
  };
}

/** Keeps an order in step with its payment when the payment changes server-side. */
export function orderPaymentHook(core: SimCore): (p: PaymentRecord) => void {
  return (p) => {
    if (p.family !== 'orders') return;
    const o = core.state.orders.get(p.chargeId);
    if (!o || o.payment.referenceId !== p.id) return;
    if (p.status === 'approved' && o.status === 'processing') touch(core, o, 'processed', 'accredited', 'processed', 'accredited');
    else if (p.status === 'rejected' && o.status === 'processing') touch(core, o, 'failed', 'failed', 'failed', p.statusDetail);
    else if (p.status === 'refunded') touch(core, o, 'refunded', 'refunded', 'refunded', 'refunded');
    else if (p.statusDetail === 'partially_refunded' && o.status === 'processed') {
      o.statusDetail = 'partially_refunded';
      o.updatedAt = core.clock.now();
    }
  };
}

export function armExpiry(core: SimCore, o: OrderRecord): void {
  core.clock.setTimer(Math.max(0, o.expiresAt - core.clock.now()), () => {
    const live = core.state.orders.get(o.id);
    if (!live || !LIVE.includes(live.status)) return;
    // A card already being read finishes; expiry only takes orders still waiting for one.
    const t = core.state.terminals.get(live.terminalId);
    if (t?.current === live.id && t.phase === 'processing') return;
    touch(core, live, 'expired', 'expired', 'expired', 'expired');
    core.machine.release(live.terminalId, live.id, 'Expired');
  });
}

/** The terminal confirms an asynchronous cancel at `cancelConfirmAt` (later, if it is offline then). */
export function armCancelConfirm(core: SimCore, o: OrderRecord): void {
  if (o.cancelConfirmAt == null) return;
  core.clock.setTimer(Math.max(0, o.cancelConfirmAt - core.clock.now()), () => {
    const live = core.state.orders.get(o.id);
    if (!live || live.status !== 'at_terminal' || live.cancelConfirmAt == null) return;
    if (core.state.terminals.get(live.terminalId)?.online === false) {
      live.cancelConfirmAt = core.clock.now() + core.timing.cancelConfirmMs;
      armCancelConfirm(core, live);
      return;
    }
    live.cancelConfirmAt = null;
    touch(core, live, 'canceled', 'canceled_by_api', 'canceled', 'canceled_by_api');
    core.machine.release(live.terminalId, live.id, 'Canceled by the POS');
  });
}

export function armExpiryAll(core: SimCore): void {
  for (const o of core.state.orders.values()) {
    if (!LIVE.includes(o.status)) continue;
    armExpiry(core, o);
    armCancelConfirm(core, o);
    armActionRequired(core, o);
  }
}

export function orderJson(core: SimCore, o: OrderRecord): Json {
  const site = siteOf(o.userId);
  const dec = (minor: number) => minorToDecimalString(minor, site);
  const p = o.payment.referenceId === null ? null : core.state.payments.get(o.payment.referenceId);
  // What the card actually paid: set once the payment is approved, kept after refunds.
  const paid = p && (p.status === 'approved' || p.status === 'refunded') ? p.amountMinor : null;
  return {
    id: o.id,
    type: 'point',
    processing_mode: 'automatic',
    external_reference: o.externalReference,
    ...(o.description !== null ? { description: o.description } : {}),
    expiration_time: o.expirationTime,
    country_code: COUNTRY_CODES[site],
    user_id: String(o.userId),
    currency: currencyOf(site),
    total_amount: dec(o.payment.amountMinor),
    created_date: iso(o.createdAt),
    last_updated_date: iso(o.updatedAt),
    ...(paid !== null ? { total_paid_amount: dec(paid) } : {}),
    status: o.status,
    status_detail: o.statusDetail,
    integration_data: { application_id: applicationIdOf(o.userId), ...(o.integrationData ?? {}) },
    transactions: {
      payments: [
        {
          id: o.payment.id,
          amount: dec(o.payment.amountMinor),
          status: o.payment.status,
          status_detail: o.payment.statusDetail,
          ...(o.payment.referenceId !== null ? { reference_id: String(o.payment.referenceId) } : {}),
          ...(paid !== null ? { paid_amount: dec(paid) } : {}),
          ...(p && p.refunds.length > 0 ? { refunded_amount: dec(refundedMinor(p)) } : {}),
          ...(p ? { payment_method: { id: p.paymentMethodId, type: p.paymentTypeId, installments: p.installments } } : {}),
        },
      ],
      ...(o.refunds.length > 0
        ? {
            refunds: o.refunds.map((r) => ({
              id: r.id,
              transaction_id: r.transactionId,
              ...(r.referenceId !== null ? { reference_id: String(r.referenceId) } : {}),
              amount: dec(r.amountMinor),
              status: r.status,
            })),
          }
        : {}),
    },
    config: {
      point: { terminal_id: o.terminalId, ...(o.printOnTerminal !== null ? { print_on_terminal: o.printOnTerminal } : {}) },
      // The terminal offers a credit card first unless the order asked for debit; the order says which.
      payment_method: {
        default_type: o.defaultType ?? 'credit_card',
        ...(o.defaultInstallments !== null ? { default_installments: o.defaultInstallments } : {}),
      },
    },
  };
}

/** "15.00" with exactly the currency's decimals → minor units, or null. */
function decimalStringToMinor(value: unknown, site: SiteId): number | null {
  if (typeof value !== 'string') return null;
  const decimals = decimalsOf(site);
  const re = decimals === 0 ? /^\d{1,15}$/ : new RegExp(`^\\d{1,13}\\.\\d{${decimals}}$`);
  if (!re.test(value)) return null;
  const minor = Number(value.replace('.', ''));
  return Number.isSafeInteger(minor) ? minor : null;
}

const EXTERNAL_REFERENCE = /^[A-Za-z0-9_-]{1,64}$/;
const PRINT = ['seller_ticket', 'no_ticket'];
const CARD_TYPES = ['credit_card', 'debit_card'];

interface CreateFields {
  externalReference: string;
  description: string | null;
  expirationTime: string;
  expirationS: number;
  amountMinor: number;
  terminalId: string;
  printOnTerminal: string | null;
  defaultType: string | null;
  defaultInstallments: number | null;
  integrationData: OrderIntegrationData | null;
}

const INTEGRATION_IDS = ['platform_id', 'integrator_id', 'corporation_id'] as const;

/** `integration_data` as a client may send it: ids as strings, `sponsor: {id}`; anything else is a 400. */
function validateIntegrationData(value: unknown, problems: Problems): OrderIntegrationData | null {
  if (value === undefined) return null;
  if (!isObject(value)) {
    problems.bad('integration_data must be an object');
    return null;
  }
  const out: OrderIntegrationData = {};
  for (const key of INTEGRATION_IDS) {
    const v = value[key];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v === '' || v.length > 64) problems.bad(`integration_data.${key} must be a non-empty string of at most 64 characters`);
    else out[key] = v;
  }
  if (value.sponsor !== undefined) {
    const s = value.sponsor;
    if (!isObject(s) || typeof s.id !== 'string' || !/^\d{1,20}$/.test(s.id)) problems.bad('integration_data.sponsor.id must be a Mercado Pago user id as a string of digits');
    else out.sponsor = { id: s.id };
  }
  const unknown = Object.keys(value).filter((k) => !(INTEGRATION_IDS as readonly string[]).includes(k) && k !== 'sponsor');
  if (unknown.length > 0) problems.bad(`integration_data has unknown properties: ${unknown.join(', ')}`);
  return out;
}

function validateCreate(body: Json, site: SiteId): CreateFields {
  const problems = new Problems();
  const amountHint = decimalsOf(site) === 0 ? '"1500"' : '"15.00"';
  if (problems.require(body, 'type') && body.type !== 'point') problems.bad('type must be "point"');
  if (problems.require(body, 'external_reference') && (typeof body.external_reference !== 'string' || !EXTERNAL_REFERENCE.test(body.external_reference))) {
    problems.bad('external_reference must be 1 to 64 characters: letters, digits, "-" or "_"');
  }
  if (body.description !== undefined && (typeof body.description !== 'string' || body.description.length > 150)) {
    problems.bad('description must be a string of at most 150 characters');
  }
  let expirationS = parseDuration(DEFAULT_EXPIRATION)!;
  if (body.expiration_time !== undefined) {
    const s = typeof body.expiration_time === 'string' ? parseDuration(body.expiration_time) : null;
    if (s === null) problems.bad('expiration_time must be an ISO-8601 duration such as PT15M');
    else if (s < MIN_EXPIRATION_S || s > MAX_EXPIRATION_S) problems.bad('expiration_time must be between PT30S and PT3H');
    else expirationS = s;
  }
  let amountMinor = 0;
  const payments = isObject(body.transactions) ? body.transactions.payments : undefined;
  if (body.transactions === undefined) problems.missing.push('transactions.payments is required');
  else if (!Array.isArray(payments) || payments.length !== 1 || !isObject(payments[0])) {
    problems.bad('transactions.payments must hold exactly one payment');
  } else {
    const amount = payments[0].amount;
    if (amount === undefined) problems.missing.push('transactions.payments[0].amount is required');
    else {
      const minor = decimalStringToMinor(amount, site);
      if (minor === null) problems.bad(`transactions.payments[0].amount must be a decimal string with exactly ${decimalsOf(site)} decimals, e.g. ${amountHint}`);
      else if (!withinLimits(minor, site)) problems.bad(`transactions.payments[0].amount must be ${limitsText(site)}`);
      else amountMinor = minor;
    }
  }
  let terminalId = '';
  let printOnTerminal: string | null = null;
  let defaultType: string | null = null;
  let defaultInstallments: number | null = null;
  const config = body.config;
  if (!isObject(config) || !isObject(config.point)) problems.missing.push('config.point.terminal_id is required');
  else {
    const point = config.point;
    if (typeof point.terminal_id !== 'string' || point.terminal_id === '') problems.missing.push('config.point.terminal_id is required');
    else terminalId = point.terminal_id;
    if (point.print_on_terminal !== undefined) {
      if (!PRINT.includes(point.print_on_terminal as string)) problems.bad(`config.point.print_on_terminal must be one of ${PRINT.join(', ')}`);
      else printOnTerminal = point.print_on_terminal as string;
    }
    if (config.payment_method !== undefined) {
      const pm = config.payment_method;
      if (!isObject(pm)) problems.bad('config.payment_method must be an object');
      else {
        if (pm.default_type !== undefined) {
          if (!CARD_TYPES.includes(pm.default_type as string)) problems.bad('config.payment_method.default_type must be credit_card or debit_card');
          else defaultType = pm.default_type as string;
        }
        if (pm.default_installments !== undefined) {
          const n = pm.default_installments;
          if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 72) problems.bad('config.payment_method.default_installments must be an integer from 1 to 72');
          else defaultInstallments = n;
        }
      }
    }
  }
  const integrationData = validateIntegrationData(body.integration_data, problems);
  problems.throwOrders();
  return {
    integrationData,
    externalReference: body.external_reference as string,
    description: (body.description as string | undefined) ?? null,
    expirationTime: (body.expiration_time as string | undefined) ?? DEFAULT_EXPIRATION,
    expirationS,
    amountMinor,
    terminalId,
    printOnTerminal,
    defaultType,
    defaultInstallments,
  };
}

function objectBody(body: unknown): Json {
  if (!isObject(body)) throw new ApiError(400, 'invalid_request', 'The request body must be a JSON object', ['body must be a JSON object']);
  return body;
}

function createOrder(ctx: RequestContext): Reply {
  const { core, account } = ctx;
  const key = requireKey(ctx);
  const allowAtTerminal = header(ctx.headers, 'x-allow-cancelable-status') === 'at_terminal';
  const print = fingerprint('POST', ctx.path, ctx.body ?? null, allowAtTerminal ? 'at_terminal' : '');
  const replay = idempotencyLookup(core, account.userId, key, print);
  if (replay?.resource) {
    const existing = core.state.orders.get(replay.resource.id);
    if (existing) return { status: replay.status, body: orderJson(core, existing) };
  }
  const site = siteOf(account.userId);
  const fields = validateCreate(objectBody(ctx.body), site);
  const terminal = ownDevice(core, account.userId, fields.terminalId, 'orders', () => terminalNotFound(fields.terminalId));
  if (core.machine.isBusy(terminal.id)) {
    throw new ApiError(409, 'already_queued_order_on_terminal', `Terminal ${terminal.id} already has a queued order`, [
      'wait for the queued order to finish, or cancel it',
    ]);
  }
  const now = core.clock.now();
  const order: OrderRecord = {
    id: newOrderId(),
    userId: account.userId,
    terminalId: terminal.id,
    externalReference: fields.externalReference,
    description: fields.description,
    expirationTime: fields.expirationTime,
    expiresAt: now + fields.expirationS * 1000,
    status: 'created',
    statusDetail: 'created',
    allowCancelAtTerminal: allowAtTerminal,
    printOnTerminal: fields.printOnTerminal,
    defaultType: fields.defaultType,
    defaultInstallments: fields.defaultInstallments,
    integrationData: fields.integrationData,
    createdAt: now,
    updatedAt: now,
    payment: { id: newOrderPaymentId(), amountMinor: fields.amountMinor, status: 'created', statusDetail: 'ready_to_process', referenceId: null },
    refunds: [],
  };
  core.state.orders.set(order.id, order);
  idempotencyStore(core, account.userId, key, { fingerprint: print, status: 201, body: null, resource: { kind: 'order', id: order.id } });
  armExpiry(core, order);
  const body = orderJson(core, order); // as created, before a zero toTerminalMs moves it on
  core.machine.enqueue(terminal.id, order.id);
  return { status: 201, body };
}

function ownOrder(ctx: RequestContext): OrderRecord {
  const o = ctx.core.state.orders.get(ctx.params.id!);
  if (!o || o.userId !== ctx.account.userId) throw orderNotFound(ctx.params.id!);
  return o;
}

function readOrder(ctx: RequestContext): Reply {
  const o = ownOrder(ctx);
  ctx.core.faults.checkRead('orders', o.id);
  return { status: 200, body: orderJson(ctx.core, o) };
}

/** Runs a keyed write once: a replay of the same key and body answers what the first call answered. */
function keyedWrite(ctx: RequestContext, run: () => Reply): Reply {
  const key = requireKey(ctx);
  const print = fingerprint(ctx.method, ctx.path, ctx.body ?? null);
  const replay = idempotencyLookup(ctx.core, ctx.account.userId, key, print);
  if (replay) return { status: replay.status, body: replay.body };
  const reply = run();
  idempotencyStore(ctx.core, ctx.account.userId, key, { fingerprint: print, status: reply.status, body: reply.body, resource: null });
  return reply;
}

function cancelOrder(ctx: RequestContext): Reply {
  const o = ownOrder(ctx);
  return keyedWrite(ctx, () => {
    const { core } = ctx;
    const refuse = (why: string) => new ApiError(409, 'cannot_cancel_order', `Order ${o.id} cannot be canceled: ${why}`, [why]);
    if (o.status === 'created') {
      touch(core, o, 'canceled', 'canceled_by_api', 'canceled', 'canceled_by_api');
      core.machine.release(o.terminalId, o.id, 'Canceled by the POS');
      return { status: 200, body: orderJson(core, o) };
    }
    if (o.status === 'at_terminal') {
      if (o.cancelConfirmAt != null) return { status: 202, body: orderJson(core, o) }; // already on its way
      // What allows it is the header on this cancel request, not anything sent with the create.
      if (header(ctx.headers, 'x-allow-cancelable-status') !== 'at_terminal') {
        throw refuse('the order is at the terminal (send x-allow-cancelable-status: at_terminal on the cancel request to allow this)');
      }
      if (!core.machine.holdForCancel(o.terminalId, o.id)) throw refuse('the terminal is already processing the card');
      // Asynchronous: the order stays at_terminal until the terminal confirms; the client polls.
      o.cancelConfirmAt = core.clock.now() + core.timing.cancelConfirmMs;
      o.payment.status = 'cancellation_requested';
      o.payment.statusDetail = 'cancellation_requested';
      o.updatedAt = core.clock.now();
      core.changed();
      armCancelConfirm(core, o);
      return { status: 202, body: orderJson(core, o) };
    }
    throw refuse(`its status is ${o.status}`);
  });
}

function refundOrder(ctx: RequestContext): Reply {
  const o = ownOrder(ctx);
  return keyedWrite(ctx, () => {
    const { core } = ctx;
    const site = siteOf(o.userId);
    const p = o.payment.referenceId === null ? undefined : core.state.payments.get(o.payment.referenceId);
    if (o.status !== 'processed' || !p || !isRefundable(p)) {
      throw new ApiError(409, 'cannot_refund_order', `Order ${o.id} in status ${o.status} cannot be refunded`, ['only processed orders can be refunded']);
    }
    const remaining = p.amountMinor - refundedMinor(p);
    let amountMinor = remaining;
    if (ctx.body !== undefined && ctx.body !== null) {
      const body = objectBody(ctx.body);
      const problems = new Problems();
      if (body.transactions !== undefined) {
        const list = body.transactions;
        if (!Array.isArray(list) || list.length !== 1 || !isObject(list[0])) problems.bad('transactions must hold exactly one {id, amount}');
        else {
          const t = list[0];
          if (t.id !== o.payment.id) problems.bad(`transactions[0].id must be the order's payment id ${o.payment.id}`);
          const minor = decimalStringToMinor(t.amount, site);
          if (minor === null || minor <= 0) problems.bad(`transactions[0].amount must be a positive decimal string with exactly ${decimalsOf(site)} decimals`);
          else if (minor > remaining) problems.bad(`transactions[0].amount must be at most ${minorToDecimalString(remaining, site)}`);
          else amountMinor = minor;
        }
      }
      problems.throwOrders();
    }
    const r = addRefund(core, p, amountMinor);
    o.refunds.push({ id: newOrderRefundId(), transactionId: o.payment.id, referenceId: r.id, amountMinor, status: 'processed' });
    o.updatedAt = core.clock.now();
    core.changed();
    return { status: 201, body: orderJson(core, o) };
  });
}

const FORCEABLE = ['at_terminal', 'processed', 'failed', 'canceled', 'expired', 'refunded', 'action_required'] as const;

/** Test-only status forcing, as Mercado Pago offers for test accounts. */
function forceStatus(ctx: RequestContext): Reply {
  const o = ownOrder(ctx);
  const body = objectBody(ctx.body);
  const problems = new Problems();
  if (problems.require(body, 'status') && !FORCEABLE.includes(body.status as never)) problems.bad(`status must be one of ${FORCEABLE.join(', ')}`);
  problems.throwOrders();
  const { core } = ctx;
  const status = body.status as (typeof FORCEABLE)[number];
  const conflictWith = (why: string) => new ApiError(409, 'invalid_status_transition', `Order ${o.id} cannot become ${status}: ${why}`, [why]);
  if (status === 'refunded') {
    const p = o.payment.referenceId === null ? undefined : core.state.payments.get(o.payment.referenceId);
    if (o.status !== 'processed' || !p || !isRefundable(p)) throw conflictWith(`its status is ${o.status}`);
    const amount = p.amountMinor - refundedMinor(p);
    const r = addRefund(core, p, amount);
    o.refunds.push({ id: newOrderRefundId(), transactionId: o.payment.id, referenceId: r.id, amountMinor: amount, status: 'processed' });
    return { status: 204 };
  }
  if (status === 'at_terminal') {
    if (o.status !== 'created' || !core.machine.arriveNow(o.terminalId)) throw conflictWith(`its status is ${o.status} or the terminal cannot take it`);
    return { status: 204 };
  }
  if (!LIVE.includes(o.status) && o.status !== 'processing') throw conflictWith(`its status is already ${o.status}`);
  if (o.status === 'processing' && status !== 'processed') throw conflictWith('the payment is in process');
  let label: string;
  if (status === 'processed' && o.status === 'processing') {
    const p = core.state.payments.get(o.payment.referenceId!)!;
    p.status = 'approved';
    p.statusDetail = 'accredited';
    p.approvedAt = p.updatedAt = core.clock.now();
    p.settleAt = null;
    touch(core, o, 'processed', 'accredited', 'processed', 'accredited');
    label = 'Approved';
  } else if (status === 'processed') label = applyOutcome(core, o, { kind: 'approved' });
  else if (status === 'failed') label = applyOutcome(core, o, { kind: 'rejected', detail: 'cc_rejected_other_reason' });
  else if (status === 'action_required') label = applyOutcome(core, o, { kind: 'confirmation_required' });
  else {
    touch(core, o, status, status === 'canceled' ? 'canceled_by_api' : 'expired', status, status === 'canceled' ? 'canceled_by_api' : 'expired');
    label = status === 'canceled' ? 'Canceled' : 'Expired';
  }
  core.machine.release(o.terminalId, o.id, label);
  return { status: 204 };
}

function listTerminals(ctx: RequestContext): Reply {
  const { items, paging } = devicePage(ctx.core, ctx.account.userId, 'orders', ctx.query, 'orders');
  return { status: 200, body: { data: { terminals: items }, paging } };
}

function setupTerminals(ctx: RequestContext): Reply {
  const { core, account } = ctx;
  const body = objectBody(ctx.body);
  const problems = new Problems();
  const list = body.terminals;
  if (!Array.isArray(list) || list.length === 0 || list.length > 50) problems.bad('terminals must be a list of 1 to 50 {id, operating_mode}');
  else {
    list.forEach((t, i) => {
      if (!isObject(t) || typeof t.id !== 'string') problems.bad(`terminals[${i}].id is required`);
      else if (t.operating_mode !== 'PDV' && t.operating_mode !== 'STANDALONE') problems.bad(`terminals[${i}].operating_mode must be PDV or STANDALONE`);
    });
  }
  problems.throwOrders();
  const changes = (list as { id: string; operating_mode: 'PDV' | 'STANDALONE' }[]).map((t) => ({
    device: ownDevice(core, account.userId, t.id, 'orders', () => terminalNotFound(t.id)),
    mode: t.operating_mode,
  }));
  // A POS integrates one terminal at a time: a second PDV terminal on the same POS is refused.
  const after = new Map(devicesOf(core, account.userId, 'orders').map((d) => [d.id, d.mode]));
  for (const c of changes) after.set(c.device.id, c.mode);
  const pdvByPos = new Map<string, string[]>();
  for (const d of devicesOf(core, account.userId, 'orders')) {
    if (after.get(d.id) !== 'PDV' || d.posId === null) continue;
    pdvByPos.set(d.posId, [...(pdvByPos.get(d.posId) ?? []), d.id]);
  }
  for (const [pos, ids] of pdvByPos) {
    if (ids.length > 1) {
      throw new ApiError(412, 'pos_already_has_pdv_terminal', `POS ${pos} already has a terminal in PDV mode`, [
        `terminals ${ids.join(', ')} share POS ${pos}; only one may be in PDV mode`,
      ]);
    }
  }
  for (const c of changes) {
    c.device.mode = c.mode;
    core.machine.modeChanged(c.device.id);
  }
  core.changed();
  return { status: 200, body: { terminals: changes.map((c) => ({ id: c.device.id, operating_mode: c.mode })) } };
}

export const orderRoutes: Route[] = [
  { method: 'POST', pattern: '/v1/orders', family: 'orders', handler: createOrder },
  { method: 'GET', pattern: '/v1/orders/:id', family: 'orders', handler: readOrder },
  { method: 'POST', pattern: '/v1/orders/:id/cancel', family: 'orders', handler: cancelOrder },
  { method: 'POST', pattern: '/v1/orders/:id/refund', family: 'orders', handler: refundOrder },
  { method: 'POST', pattern: '/v1/orders/:id/events', family: 'orders', handler: forceStatus },
  { method: 'GET', pattern: '/terminals/v1/list', family: 'orders', handler: listTerminals },
  { method: 'PATCH', pattern: '/terminals/v1/setup', family: 'orders', handler: setupTerminals },
];

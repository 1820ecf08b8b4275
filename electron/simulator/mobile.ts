/**
 * Mobile "Integration via API": the Mercado Pago app on a phone paired with a reader, addressed by
 * the device name the seller chose. Amounts are decimal numbers in the currency.
 */
import { decimalsOf, limitsText, withinLimits } from './sites';
import { devicesOf, fingerprint, idempotencyLookup, idempotencyStore, iso, numberToMinor, ownDevice, siteOf, type SimCore } from './core';
import { ApiError, badRequest, conflict, notFound } from './errors';
import { createPayment } from './payments';
import type { Reply, RequestContext, Route } from './router';
import type { MobileOrderRecord, Outcome, PaymentRecord } from './state';
import type { ChargeAdapter } from './terminal-machine';
import { header, objectBody, Problems } from './validate';

const deviceNotFound = (name: string) => notFound('device_not_found', `Device not found: ${name}`);
const orderNotFound = (id: string) => notFound('order_not_found', `Order not found: ${id}`);

/**
 * A `payment` notification to the order's own `notification_url` (the mobile integration has no
 * panel topic of its own): "new payments and status updates". The body is Mercado Pago's generic
 * payment webhook; the receiver reads the payment by `data.id`.
 */
function notifyPayment(core: SimCore, o: MobileOrderRecord, paymentId: number, action: 'payment.created' | 'payment.updated'): void {
  if (o.notificationUrl === null) return;
  core.webhooks.sendToUrl(o.userId, o.notificationUrl, 'payment', String(paymentId), {
    action,
    api_version: 'v1',
    data: { id: String(paymentId) },
    date_created: iso(core.clock.now()),
    live_mode: false,
    type: 'payment',
    user_id: String(o.userId),
  });
}

/** A mobile order's payment changed server-side (settled, refunded): its notification_url hears of it. */
export function mobilePaymentHook(core: SimCore): (p: PaymentRecord) => void {
  return (p) => {
    if (p.family !== 'mobile') return;
    const o = core.state.mobileOrders.get(Number(p.chargeId));
    if (o) notifyPayment(core, o, p.id, 'payment.updated');
  };
}

function payMobile(core: SimCore, o: MobileOrderRecord, status: 'approved' | 'rejected' | 'in_process', detail: string, settleTo?: 'approved' | 'rejected'): void {
  o.paymentId = createPayment(core, {
    userId: o.userId,
    family: 'mobile',
    terminalId: o.deviceName,
    chargeId: String(o.id),
    amountMinor: o.amountMinor,
    status,
    statusDetail: detail,
    externalReference: o.externalReference,
    description: o.description,
    cardType: o.ccType,
    installments: 1,
    settleTo,
  }).id;
  notifyPayment(core, o, o.paymentId, 'payment.created');
}

export function mobileAdapter(core: SimCore): ChargeAdapter {
  const get = (id: string) => core.state.mobileOrders.get(Number(id));
  const close = (o: MobileOrderRecord) => {
    o.status = 'CLOSED';
    core.changed();
  };
  return {
    describe(id) {
      const o = get(id);
      return o ? { amountMinor: o.amountMinor, description: o.description, state: o.status } : null;
    },
    arrived: () => undefined,
    processing: () => undefined,
    finished(id, outcome: Outcome) {
      const o = get(id);
      if (!o) return 'Error';
      const pay = (status: 'approved' | 'rejected' | 'in_process', detail: string, settleTo?: 'approved' | 'rejected') =>
        payMobile(core, o, status, detail, settleTo);
      let label: string;
      switch (outcome.kind) {
        case 'approved':
          pay('approved', 'accredited');
          label = 'Approved';
          break;
        case 'confirmation_required':
          // The mobile API has no such state: the order closes with whatever payment exists.
          if (outcome.payment === 'pending') pay('in_process', 'pending_contingency');
          else if (outcome.payment !== 'none') pay('approved', 'accredited');
          label = 'Confirmation required';
          break;
        case 'rejected':
          pay('rejected', outcome.detail);
          label = `Rejected (${outcome.detail})`;
          break;
        case 'in_process':
          pay('in_process', 'pending_contingency', outcome.settle);
          label = 'In process';
          break;
        case 'abandoned':
          label = 'Abandoned by the customer';
          break;
        case 'error':
          label = 'Terminal error';
          break;
      }
      close(o);
      return label;
    },
    declined(id, detail) {
      const o = get(id);
      // The app shows "declined, try another card": the order stays OPEN.
      if (o) payMobile(core, o, 'rejected', detail);
    },
  };
}

/** A mobile order nobody pays closes without a payment at `expiresAt` and frees the phone. */
export function armMobileExpiry(core: SimCore, order: MobileOrderRecord): void {
  if (order.expiresAt == null) return;
  core.clock.setTimer(Math.max(0, order.expiresAt - core.clock.now()), () => {
    const o = core.state.mobileOrders.get(order.id);
    if (!o || o.status !== 'OPEN') return;
    // A card being read finishes on its own; only an order still waiting for one expires.
    const t = core.state.terminals.get(o.deviceName);
    if (t?.current === String(o.id) && t.phase === 'processing') return;
    o.status = 'CLOSED';
    o.expired = true;
    if (t) core.machine.release(o.deviceName, String(o.id), 'Expired (nobody paid)');
    core.changed();
  });
}

export function armMobileExpiryAll(core: SimCore): void {
  for (const o of core.state.mobileOrders.values()) if (o.status === 'OPEN') armMobileExpiry(core, o);
}

function enableIntegrators(ctx: RequestContext): Reply {
  const body = objectBody(ctx.body);
  const problems = new Problems();
  // Mercado Pago's own example spells the field `Id`; `id` is accepted too (not two different ones).
  const id = body.Id ?? body.id;
  if (body.Id !== undefined && body.id !== undefined && body.Id !== body.id) problems.bad('Id and id must be the same user id when both are sent');
  else if (id === undefined || id === null || id === '') problems.missing.push('Id is required (the user id of the access token owner)');
  else if (typeof id !== 'number' || !Number.isInteger(id)) problems.bad('Id must be the integer user id');
  problems.throwMp();
  if (id !== ctx.account.userId) throw badRequest('invalid_user', 'Id must be the user id of the access token owner');
  return { status: 200, body: { status: 'OK' } };
}

const CC_TYPES = ['credit_card', 'debit_card'] as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function createOrder(ctx: RequestContext): Reply {
  const { core, account } = ctx;
  const site = siteOf(account.userId);
  const key = header(ctx.headers, 'x-idempotency-key');
  const print = fingerprint('POST', ctx.path, ctx.body ?? null);
  const replay = idempotencyLookup(core, account.userId, key, print);
  if (replay?.resource) {
    const existing = core.state.mobileOrders.get(Number(replay.resource.id));
    if (existing) return { status: replay.status, body: { status: 'OPEN', id: existing.id } };
  }
  const body = objectBody(ctx.body);
  const problems = new Problems();
  let amountMinor = 0;
  if (problems.require(body, 'amount')) {
    const minor = numberToMinor(body.amount, site);
    if (minor === null) problems.bad(`amount must be a decimal number with at most ${decimalsOf(site)} decimals (100 = 100.00)`);
    else if (!withinLimits(minor, site)) problems.bad(`amount must be ${limitsText(site)}`);
    else amountMinor = minor;
  }
  if (problems.require(body, 'description') && (typeof body.description !== 'string' || body.description.length > 20)) {
    problems.bad('description must be a string of at most 20 characters');
  }
  if (problems.require(body, 'device_name') && typeof body.device_name !== 'string') problems.bad('device_name must be a string');
  if (problems.require(body, 'cc_type') && !CC_TYPES.includes(body.cc_type as never)) problems.bad('cc_type must be credit_card or debit_card');
  if (body.external_reference !== undefined && (typeof body.external_reference !== 'string' || body.external_reference.length > 255)) {
    problems.bad('external_reference must be a string of at most 255 characters');
  }
  if (body.disable_back_button !== undefined && typeof body.disable_back_button !== 'boolean') problems.bad('disable_back_button must be a boolean');
  if (body.notification_url !== undefined && (typeof body.notification_url !== 'string' || !/^https?:\/\//.test(body.notification_url))) {
    problems.bad('notification_url must be an http(s) URL');
  }
  if (body.payer_email !== undefined && (typeof body.payer_email !== 'string' || !EMAIL.test(body.payer_email))) problems.bad('payer_email must be an email address');
  problems.throwMp();
  const name = body.device_name as string;
  ownDevice(core, account.userId, name, 'mobile', () => deviceNotFound(name));
  const terminal = core.state.terminals.get(name)!;
  if (terminal.current !== null) throw conflict('device_busy', `Device ${name} is busy with payment attempt ${terminal.current}`);
  const order: MobileOrderRecord = {
    id: core.state.counters.mobileOrder++,
    userId: account.userId,
    deviceName: name,
    amountMinor,
    description: body.description as string,
    ccType: body.cc_type as MobileOrderRecord['ccType'],
    externalReference: (body.external_reference as string | undefined) ?? null,
    payerEmail: (body.payer_email as string | undefined) ?? null,
    notificationUrl: (body.notification_url as string | undefined) ?? null,
    disableBackButton: body.disable_back_button === true,
    status: 'OPEN',
    paymentId: null,
    canceled: false,
    createdAt: core.clock.now(),
    expiresAt: core.timing.mobileExpireMs === null ? null : core.clock.now() + core.timing.mobileExpireMs,
  };
  core.state.mobileOrders.set(order.id, order);
  armMobileExpiry(core, order);
  const reply = { status: 'OPEN', id: order.id };
  idempotencyStore(core, account.userId, key, { fingerprint: print, status: 200, body: reply, resource: { kind: 'mobile', id: String(order.id) } });
  core.machine.enqueue(name, String(order.id));
  return { status: 200, body: reply };
}

function ownOrder(ctx: RequestContext): MobileOrderRecord {
  const raw = ctx.params.orderId!;
  const o = /^\d{1,15}$/.test(raw) ? ctx.core.state.mobileOrders.get(Number(raw)) : undefined;
  if (!o || o.userId !== ctx.account.userId) throw orderNotFound(raw);
  return o;
}

function readOrder(ctx: RequestContext): Reply {
  const o = ownOrder(ctx);
  ctx.core.faults.checkRead('mobile', String(o.id));
  if (o.status === 'OPEN') return { status: 200, body: { status: 'OPEN', id: o.id } };
  const p = o.paymentId === null ? null : ctx.core.state.payments.get(o.paymentId);
  return {
    status: 200,
    body: {
      status: 'CLOSED',
      id: o.id,
      ...(p ? { payment_id: p.id, payment_status: p.status } : {}),
      external_reference: o.externalReference,
      payer_email: o.payerEmail,
    },
  };
}

/** Cancels the open attempt while the card has not been read yet; 409 once it has. */
function cancel(core: SimCore, o: MobileOrderRecord): void {
  if (o.status !== 'OPEN') throw conflict('order_closed', `Order ${o.id} is already closed`);
  if (core.machine.phaseOf(o.deviceName) === 'processing') {
    throw conflict('payment_in_progress', `The card is being processed on ${o.deviceName}; the order can no longer be canceled`);
  }
  o.status = 'CLOSED';
  o.canceled = true;
  core.machine.release(o.deviceName, String(o.id), 'Canceled by the POS');
  core.changed();
}

function cancelById(ctx: RequestContext): Reply {
  cancel(ctx.core, ownOrder(ctx));
  return { status: 204 };
}

function cancelByDevice(ctx: RequestContext): Reply {
  const name = ctx.params.deviceName!;
  ownDevice(ctx.core, ctx.account.userId, name, 'mobile', () => deviceNotFound(name));
  const current = ctx.core.state.terminals.get(name)!.current;
  if (current !== null) cancel(ctx.core, ctx.core.state.mobileOrders.get(Number(current))!);
  return { status: 200, body: { status: 'OK' } };
}

function listDevices(ctx: RequestContext): Reply {
  return {
    status: 200,
    body: {
      devices: devicesOf(ctx.core, ctx.account.userId, 'mobile').map((d) => {
        const t = ctx.core.state.terminals.get(d.id)!;
        // An unreachable phone cannot take an order: it lists as BUSY, like one mid-payment.
        const busy = t.current !== null || !t.online;
        return {
          name: d.id,
          caller: ctx.account.userId,
          id: d.numericId,
          status: { status: busy ? 'BUSY' : 'FREE', payment_attempt: t.current === null ? null : Number(t.current) },
        };
      }),
    },
  };
}

function removeDevice(ctx: RequestContext): Reply {
  const name = ctx.params.deviceName!;
  ownDevice(ctx.core, ctx.account.userId, name, 'mobile', () => deviceNotFound(name));
  if (ctx.core.state.terminals.get(name)!.current !== null) {
    throw new ApiError(409, 'device_busy', `Device ${name} has an open payment attempt; cancel it first`);
  }
  ctx.core.state.devices.delete(name);
  ctx.core.state.terminals.delete(name);
  ctx.core.changed();
  return { status: 200, body: { status: 'OK' } };
}

export const mobileRoutes: Route[] = [
  { method: 'POST', pattern: '/point/services/user/status/integrators', family: 'mp', queryToken: true, handler: enableIntegrators },
  { method: 'POST', pattern: '/point/services/integrations/v1', family: 'mp', handler: createOrder },
  { method: 'GET', pattern: '/point/services/integrations/v1/devices', family: 'mp', handler: listDevices },
  { method: 'DELETE', pattern: '/point/services/integrations/v1/devices/:deviceName', family: 'mp', handler: removeDevice },
  { method: 'DELETE', pattern: '/point/services/integrations/v1/attempt/device/:deviceName', family: 'mp', handler: cancelByDevice },
  { method: 'GET', pattern: '/point/services/integrations/v1/:orderId', family: 'mp', handler: readOrder },
  { method: 'DELETE', pattern: '/point/services/integrations/v1/:orderId', family: 'mp', handler: cancelById },
];

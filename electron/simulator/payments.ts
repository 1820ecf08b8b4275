/**
 * `/v1/payments`: the record every family's charge ends in, its search and refunds, plus the
 * account routes (`/users/me`, test users). Payments are what decide "paid"; intents and orders
 * only point at them.
 */
import { createHash } from 'node:crypto';
import { currencyOf, decimalsOf, SIM_SITE_IDS as SITE_IDS, SIM_SITES, type SiteId } from './sites';
import { iso, minorToNumber, numberToMinor, idempotencyLookup, idempotencyStore, fingerprint, siteOf, type SimCore } from './core';
import { badRequest, notFound } from './errors';
import { newPassword } from './ids';
import type { RequestContext, Route } from './router';
import type { Family, PaymentRecord } from './state';
import { header, isObject, pagingParam, Problems } from './validate';

export interface NewPayment {
  userId: number;
  family: Family;
  terminalId: string;
  chargeId: string;
  amountMinor: number;
  status: PaymentRecord['status'];
  statusDetail: string;
  externalReference: string | null;
  description: string | null;
  cardType: 'credit_card' | 'debit_card';
  installments: number;
  /** For an in_process payment: what it becomes after `inProcessSettleMs` (default approved). */
  settleTo?: 'approved' | 'rejected';
}

const BRANDS = { credit_card: ['visa', 'master'], debit_card: ['debvisa', 'debmaster'] } as const;

export function createPayment(core: SimCore, input: NewPayment): PaymentRecord {
  const id = core.state.counters.payment++;
  const now = core.clock.now();
  const brands = BRANDS[input.cardType];
  const payment: PaymentRecord = {
    id,
    userId: input.userId,
    family: input.family,
    terminalId: input.terminalId,
    chargeId: input.chargeId,
    amountMinor: input.amountMinor,
    site: siteOf(input.userId),
    status: input.status,
    statusDetail: input.statusDetail,
    externalReference: input.externalReference,
    description: input.description,
    paymentMethodId: brands[id % brands.length]!,
    paymentTypeId: input.cardType,
    lastFour: String((id * 7919) % 10000).padStart(4, '0'),
    installments: input.installments,
    createdAt: now,
    approvedAt: input.status === 'approved' ? now : null,
    updatedAt: now,
    settleAt: input.status === 'in_process' ? now + core.timing.inProcessSettleMs : null,
    ...(input.status === 'in_process' ? { settleTo: input.settleTo ?? 'approved' } : {}),
    refunds: [],
  };
  core.state.payments.set(id, payment);
  if (payment.settleAt !== null) armSettle(core, payment);
  core.changed();
  return payment;
}

function armSettle(core: SimCore, p: PaymentRecord): void {
  core.clock.setTimer(Math.max(0, p.settleAt! - core.clock.now()), () => {
    const live = core.state.payments.get(p.id);
    if (!live || live.status !== 'in_process') return;
    // The acquirer's late answer: usually an approval, sometimes a rejection minutes after the sale.
    if (live.settleTo === 'rejected') {
      live.status = 'rejected';
      live.statusDetail = 'cc_rejected_other_reason';
      live.updatedAt = core.clock.now();
    } else {
      live.status = 'approved';
      live.statusDetail = 'accredited';
      live.approvedAt = live.updatedAt = core.clock.now();
    }
    live.settleAt = null;
    for (const hook of core.paymentHooks) hook(live);
    core.changed();
  });
}

/** After loading a state file: in_process payments settle as planned. */
export function rearmPayments(core: SimCore): void {
  for (const p of core.state.payments.values()) if (p.status === 'in_process' && p.settleAt !== null) armSettle(core, p);
}

export function refundedMinor(p: PaymentRecord): number {
  return p.refunds.reduce((sum, r) => sum + r.amountMinor, 0);
}

/** Adds a refund; the caller has checked status and amount. Fully refunded → `refunded`. */
export function addRefund(core: SimCore, p: PaymentRecord, amountMinor: number): PaymentRecord['refunds'][number] {
  const refund = { id: core.state.counters.refund++, amountMinor, createdAt: core.clock.now() };
  p.refunds.push(refund);
  p.updatedAt = refund.createdAt;
  if (refundedMinor(p) >= p.amountMinor) {
    p.status = 'refunded';
    p.statusDetail = 'refunded';
  } else {
    p.statusDetail = 'partially_refunded';
  }
  for (const hook of core.paymentHooks) hook(p);
  core.changed();
  return refund;
}

export function isRefundable(p: PaymentRecord): boolean {
  return p.status === 'approved' && refundedMinor(p) < p.amountMinor;
}

function refundJson(p: PaymentRecord, r: PaymentRecord['refunds'][number]) {
  return {
    id: r.id,
    payment_id: p.id,
    amount: minorToNumber(r.amountMinor, p.site),
    status: 'approved',
    date_created: iso(r.createdAt),
    source: { id: String(p.userId), name: 'collector', type: 'collector' },
    refund_mode: 'standard',
  };
}

/**
 * The serial a real payment carries is the card reader's own, not the API's device id: a Point
 * device id is `<MODEL>__<SERIAL>` (`PAX_A910__SMARTPOS1234567890` → `SMARTPOS1234567890`). A phone
 * of the mobile integration is known to the API only by the name the seller gave it; its paired
 * reader gets a fixed serial derived from that name (the API never lists it).
 */
export function serialNumber(p: Pick<PaymentRecord, 'family' | 'terminalId'>): string {
  if (p.family === 'mobile') return `MPREADER${createHash('sha256').update(p.terminalId).digest('hex').slice(0, 10).toUpperCase()}`;
  const cut = p.terminalId.lastIndexOf('__');
  return cut === -1 ? p.terminalId : p.terminalId.slice(cut + 2);
}

export function paymentJson(core: SimCore, p: PaymentRecord): unknown {
  const device = core.state.devices.get(p.terminalId);
  return {
    id: p.id,
    date_created: iso(p.createdAt),
    date_approved: p.approvedAt === null ? null : iso(p.approvedAt),
    date_last_updated: iso(p.updatedAt),
    operation_type: 'regular_payment',
    payment_method_id: p.paymentMethodId,
    payment_type_id: p.paymentTypeId,
    status: p.status,
    status_detail: p.statusDetail,
    currency_id: currencyOf(p.site),
    description: p.description,
    collector_id: p.userId,
    transaction_amount: minorToNumber(p.amountMinor, p.site),
    transaction_amount_refunded: minorToNumber(refundedMinor(p), p.site),
    installments: p.installments,
    external_reference: p.externalReference,
    card: { last_four_digits: p.lastFour, first_six_digits: p.paymentMethodId.includes('master') ? '503175' : '450995' },
    refunds: p.refunds.map((r) => refundJson(p, r)),
    point_of_interaction: {
      type: 'POINT',
      business_info: { unit: 'point', sub_unit: p.family },
      device: { serial_number: serialNumber(p) },
      location: device?.storeId ? { store_id: device.storeId, pos_id: device.posId } : null,
    },
    metadata: { charge_id: p.chargeId, integration: p.family },
  };
}

function ownPayment(ctx: RequestContext): PaymentRecord {
  const raw = ctx.params.id!;
  const p = /^\d{1,15}$/.test(raw) ? ctx.core.state.payments.get(Number(raw)) : undefined;
  if (!p || p.userId !== ctx.account.userId) throw notFound('not_found', `Payment not found: ${raw}`);
  return p;
}

function searchPayments(ctx: RequestContext) {
  const limit = pagingParam(ctx.query, 'limit', 1, 1000, 30, 'mp');
  const offset = pagingParam(ctx.query, 'offset', 0, 10_000, 0, 'mp');
  const ref = ctx.query.get('external_reference');
  const status = ctx.query.get('status');
  const criteria = ctx.query.get('criteria') ?? 'desc';
  if (criteria !== 'asc' && criteria !== 'desc') throw badRequest('invalid_parameter', 'criteria must be asc or desc');
  ctx.core.faults.checkRead('payments', `search:${ctx.account.userId}:${ctx.query.toString()}`);
  // The search runs on an index that catches up a few seconds after a payment is created (GET by id
  // does not): a client that searches right after a sale may not find it yet.
  const indexedBy = ctx.core.clock.now() - ctx.core.timing.searchDelayMs;
  let all = [...ctx.core.state.payments.values()].filter(
    (p) =>
      p.userId === ctx.account.userId &&
      p.createdAt <= indexedBy &&
      (ref === null || p.externalReference === ref) &&
      (status === null || p.status === status),
  );
  all.sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
  if (criteria === 'desc') all = all.reverse();
  return {
    status: 200,
    body: {
      paging: { total: all.length, limit, offset },
      results: all.slice(offset, offset + limit).map((p) => paymentJson(ctx.core, p)),
    },
  };
}

function refund(ctx: RequestContext) {
  const p = ownPayment(ctx);
  const key = header(ctx.headers, 'x-idempotency-key');
  const print = fingerprint('POST', ctx.path, ctx.body ?? null);
  const replay = idempotencyLookup(ctx.core, ctx.account.userId, key, print);
  if (replay) return { status: replay.status, body: replay.body };
  let amountMinor = p.amountMinor - refundedMinor(p);
  if (ctx.body !== undefined && ctx.body !== null) {
    if (!isObject(ctx.body)) throw badRequest('invalid_parameter', 'The request body must be a JSON object');
    if (ctx.body.amount !== undefined) {
      const minor = numberToMinor(ctx.body.amount, p.site);
      if (minor === null || minor <= 0) {
        throw badRequest('invalid_parameter', 'amount must be a positive number with at most the currency decimals', [
          `amount must be a positive decimal number with at most ${decimalsOf(p.site)} decimals`,
        ]);
      }
      amountMinor = minor;
    }
  }
  if (!isRefundable(p)) throw badRequest('invalid_payment_status', `Payment ${p.id} in status ${p.status} cannot be refunded`);
  if (amountMinor > p.amountMinor - refundedMinor(p)) {
    throw badRequest('amount_exceeds_remaining', 'The refund amount exceeds the amount left to refund', [
      `at most ${minorToNumber(p.amountMinor - refundedMinor(p), p.site)} can be refunded`,
    ]);
  }
  const r = addRefund(ctx.core, p, amountMinor);
  const body = refundJson(p, r);
  idempotencyStore(ctx.core, ctx.account.userId, key, { fingerprint: print, status: 201, body, resource: null });
  return { status: 201, body };
}

const MAX_TEST_USERS = 10;

export const COUNTRY_CODES = Object.fromEntries(SITE_IDS.map((s) => [s, SIM_SITES[s].countryCode])) as Record<SiteId, string>;

function createTestUser(ctx: RequestContext, withDescription: boolean) {
  const body = ctx.body;
  const problems = new Problems();
  if (!isObject(body)) throw badRequest('bad_request', 'The request body must be a JSON object');
  if (problems.require(body, 'site_id') && (typeof body.site_id !== 'string' || !(SITE_IDS as string[]).includes(body.site_id))) {
    problems.bad(`site_id must be one of ${SITE_IDS.join(', ')}`);
  }
  if (withDescription && body.description !== undefined && (typeof body.description !== 'string' || body.description.length > 120)) {
    problems.bad('description must be a string of at most 120 characters');
  }
  problems.throwMp();
  const mine = ctx.core.state.testUsers.filter((u) => u.ownerUserId === ctx.account.userId);
  if (mine.length >= MAX_TEST_USERS) {
    throw badRequest('test_users_limit', `An account can have at most ${MAX_TEST_USERS} test users`, [
      `this account already has ${MAX_TEST_USERS} test users`,
    ]);
  }
  const id = ctx.core.state.counters.testUser++;
  const user = {
    id,
    ownerUserId: ctx.account.userId,
    siteId: body.site_id as SiteId,
    nickname: `TESTUSER${id}`,
    password: newPassword(),
    email: `test_user_${id}@testuser.com`,
    description: typeof body.description === 'string' ? body.description : null,
    createdAt: ctx.core.clock.now(),
  };
  ctx.core.state.testUsers.push(user);
  ctx.core.changed();
  return {
    status: 201,
    body: {
      id: user.id,
      nickname: user.nickname,
      password: user.password,
      site_status: 'active',
      site_id: user.siteId,
      email: user.email,
      // The newer form answers with its dates as well (the older `/users/test_user` does not).
      ...(withDescription ? { description: user.description, date_created: iso(user.createdAt), date_last_updated: iso(user.createdAt) } : {}),
    },
  };
}

export const paymentRoutes: Route[] = [
  { method: 'GET', pattern: '/v1/payments/search', family: 'mp', handler: searchPayments },
  {
    method: 'GET',
    pattern: '/v1/payments/:id',
    family: 'mp',
    handler: (ctx) => {
      const p = ownPayment(ctx);
      ctx.core.faults.checkRead('payments', `payment:${p.id}`);
      return { status: 200, body: paymentJson(ctx.core, p) };
    },
  },
  { method: 'POST', pattern: '/v1/payments/:id/refunds', family: 'mp', handler: refund },
  {
    method: 'GET',
    pattern: '/v1/payments/:id/refunds',
    family: 'mp',
    handler: (ctx) => {
      const p = ownPayment(ctx);
      return { status: 200, body: p.refunds.map((r) => refundJson(p, r)) };
    },
  },
  { method: 'POST', pattern: '/users/test_user', family: 'mp', handler: (ctx) => createTestUser(ctx, false) },
  { method: 'POST', pattern: '/users/test', family: 'mp', handler: (ctx) => createTestUser(ctx, true) },
  {
    method: 'GET',
    pattern: '/users/me',
    family: 'mp',
    handler: (ctx) => ({
      status: 200,
      body: {
        id: ctx.account.userId,
        nickname: ctx.account.nickname,
        site_id: ctx.account.site,
        country_id: COUNTRY_CODES[ctx.account.site],
        email: `${ctx.account.nickname.toLowerCase()}@testuser.com`,
        user_type: 'normal',
        tags: ['test_user'],
      },
    }),
  },
];

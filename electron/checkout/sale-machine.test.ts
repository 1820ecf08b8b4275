/**
 * The projection and the judging rules on their own: no simulator, no journal, no clock. Each case
 * is a rule of docs/payments.md ("Settlement rules").
 */
import { describe, expect, it } from 'vitest';
import type { ChargeSnapshot } from '../point/charge';
import type { Payment } from '../point/payments';
import type { AttemptRow, SaleRow } from './journal';
import {
  canTransition,
  endedWithoutPayment,
  judgeCharge,
  judgePayment,
  pickPayment,
  project,
  type Expected,
  type Verdict,
} from './sale-machine';

const NOW = 1_700_000_000_000;

function attempt(patch: Partial<AttemptRow> = {}): AttemptRow {
  return {
    id: 'a1',
    sale_id: 's1',
    seq: 1,
    terminal_id: 'PAX_A910__SMARTPOS1234567890',
    family: 'intents',
    amount: 1500,
    description: 'Alfajor',
    idempotency_key: 'k1',
    external_reference: 'CAJA-1-1',
    charge_id: 'i-1',
    charge_state: 'OPEN',
    payment_id: null,
    order_payment_id: null,
    state: 'sending',
    settled: 0,
    created_at: NOW - 10_000,
    sent_at: NOW - 9_000,
    expires_at: NOW + 300_000,
    settled_at: null,
    cancel_requested_at: null,
    cancel_reason: null,
    create_body: '{}',
    cancel_key: null,
    ...patch,
  };
}

function sale(patch: Partial<SaleRow> = {}): SaleRow {
  return {
    id: 's1',
    created_at: NOW - 10_000,
    updated_at: NOW - 10_000,
    day: '2026-12-01',
    state: 'sending',
    total: 1500,
    site: 'MLA',
    currency: 'ARS',
    cart_discount: 0,
    register: 'R1',
    terminal_id: 'PAX_A910__SMARTPOS1234567890',
    family: 'intents',
    current_attempt_id: 'a1',
    external_reference: 'CAJA-1-1',
    payment_id: null,
    card_brand: null,
    card_last4: null,
    refunded_amount: 0,
    expires_at: NOW + 300_000,
    cancellable: 1,
    message: null,
    reason_code: 'queued',
    reason_params: '{}',
    error_code: null,
    search_text: '',
    ...patch,
  };
}

function payment(patch: Partial<Payment> = {}): Payment {
  return {
    id: '9001',
    status: 'approved',
    rawStatus: 'approved',
    statusDetail: 'accredited',
    amountMinor: 1500,
    refundedMinor: 0,
    currency: 'ARS',
    externalReference: 'CAJA-1-1',
    cardBrand: 'visa',
    cardLast4: '4242',
    terminalId: 'SMARTPOS1234567890',
    dateCreated: null,
    dateApproved: null,
    ...patch,
  };
}

function snapshot(patch: Partial<ChargeSnapshot> = {}): ChargeSnapshot {
  return {
    family: 'intents',
    chargeId: 'i-1',
    phase: 'queued',
    rawState: 'OPEN',
    paymentId: null,
    amountMinor: null,
    terminalId: 'PAX_A910__SMARTPOS1234567890',
    externalReference: 'CAJA-1-1',
    orderPayment: null,
    statusDetail: null,
    ...patch,
  };
}

const expected: Expected = {
  amount: 1500,
  terminalId: 'PAX_A910__SMARTPOS1234567890',
  family: 'intents',
  externalReference: 'CAJA-1-1',
};

const run = (v: Verdict, a = attempt(), s = sale(), kind = 'state') =>
  project({ attempt: a, sale: s, verdict: v, phase: 'queued', snapshot: null, kind, now: NOW });

describe('judging what Mercado Pago says', () => {
  it('a charge that ended without naming a payment asks for the payment search before "nothing was charged"', () => {
    for (const phase of ['cancelled', 'abandoned', 'expired', 'error', 'closed'] as const) {
      const v = judgeCharge(snapshot({ phase }));
      expect(v.settled, phase).toBe(false);
      expect(v.lookupPayment, phase).toBe(true);
      expect(endedWithoutPayment({ phase })?.settled, phase).toBe(true);
    }
    expect(endedWithoutPayment({ phase: 'closed' })).toMatchObject({ state: 'cancelled', reason: { code: 'closedWithoutPayment' } });
    expect(endedWithoutPayment({ phase: 'finished' })).toBeNull();
  });

  it('a queued charge the terminal has not taken says so, with the terminal and the seconds', () => {
    expect(judgeCharge(snapshot(), { notTaken: { terminal: 'CAJA1', seconds: 15 } }).reason).toEqual({
      code: 'notTaken',
      params: { terminal: 'CAJA1', seconds: 15 },
    });
    expect(judgeCharge(snapshot()).reason.code).toBe('queued');
  });

  it('approved with the bare serial of the terminal it was sent to: plain approved', () => {
    const v = judgePayment(payment(), expected, snapshot({ phase: 'finished' }), true);
    expect(v).toMatchObject({ state: 'approved', settled: true, reason: { code: 'approved' } });
    expect(v.terminalMismatch).toBeUndefined();
  });

  it('approved on another terminal: still approved (amount and reference decide), the mismatch is evidence', () => {
    const v = judgePayment(payment({ terminalId: 'SMARTPOS999' }), expected, null, true);
    expect(v).toMatchObject({ state: 'approved', settled: true, reason: { code: 'approvedOtherTerminal', params: { terminal: 'SMARTPOS999' } } });
    expect(v.terminalMismatch).toEqual({ expected: expected.terminalId, actual: 'SMARTPOS999' });
  });

  it('a payment whose amount or reference differs is never approved', () => {
    expect(judgePayment(payment({ amountMinor: 1499 }), expected, null, true)).toMatchObject({
      state: 'unknown',
      reason: { code: 'paymentMismatch', params: { what: 'amount' } },
    });
    expect(judgePayment(payment({ externalReference: 'CAJA-2-1' }), expected, null, true).state).toBe('unknown');
  });

  it('a rejected payment settles only a charge that is over: on a live charge the customer may try another card', () => {
    const rejected = payment({ status: 'rejected', rawStatus: 'rejected', statusDetail: 'cc_rejected_insufficient_amount' });
    expect(judgePayment(rejected, expected, null, false)).toMatchObject({ settled: false, reason: { code: 'tryAnotherCard' } });
    expect(judgePayment(rejected, expected, snapshot({ phase: 'finished' }), true)).toMatchObject({
      state: 'rejected',
      settled: true,
      reason: { code: 'insufficientFunds' },
    });
  });

  it('in process is polled, not settled; approved beats declined among payments found by reference', () => {
    expect(judgePayment(payment({ status: 'in_process', rawStatus: 'in_process' }), expected, null, true)).toMatchObject({
      state: 'processing',
      settled: false,
      reason: { code: 'reviewing' },
    });
    const picked = pickPayment([payment({ id: '1', status: 'rejected' }), payment({ id: '2' })]);
    expect(picked?.id).toBe('2');
  });
});

describe('the projection', () => {
  it('settling writes the attempt, the sale and one event, and frees nothing twice', () => {
    const v = judgePayment(payment(), expected, null, true);
    const p = run(v, attempt({ state: 'processing' }), sale({ state: 'processing' }));
    expect(p.settled).toBe(true);
    expect(p.attemptPatch).toMatchObject({ state: 'approved', settled: 1, settled_at: NOW, payment_id: '9001' });
    expect(p.salePatch).toMatchObject({ state: 'approved', reason_code: 'approved', cancellable: 0, payment_id: '9001', card_last4: '4242' });
    expect(p.events.map((e) => e.kind)).toEqual(['settled']);
    const again = run(v, attempt({ state: 'approved', settled: 1 }), sale({ state: 'approved' }));
    expect(again.attemptPatch).toBeNull();
    expect(again.events).toEqual([]);
  });

  it('a terminal mismatch adds its own event beside the settlement', () => {
    const v = judgePayment(payment({ terminalId: 'SMARTPOS999' }), expected, null, true);
    const p = run(v, attempt({ state: 'processing' }), sale({ state: 'processing' }));
    expect(p.events.map((e) => e.reason.code)).toEqual(['approvedOtherTerminal', 'terminalMismatch']);
  });

  it('a cancel asked for by the bounded wait ends as expired; by the cashier as cancelled', () => {
    const cancelled = endedWithoutPayment({ phase: 'cancelled' })!;
    const timeout = run(cancelled, attempt({ cancel_reason: 'timeout', cancel_requested_at: NOW - 1 }));
    expect(timeout.attemptPatch?.state).toBe('expired');
    expect(timeout.salePatch?.reason_code).toBe('expired');
    const cashier = run(endedWithoutPayment({ phase: 'abandoned' })!, attempt({ cancel_reason: 'cashier', cancel_requested_at: NOW - 1 }));
    expect(cashier.salePatch).toMatchObject({ state: 'cancelled', reason_code: 'cancelled' });
  });

  it('an unknown sale may be cancelled (whatever the terminal holds), and says "cancelling" once asked', () => {
    const unknown: Verdict = { state: 'unknown', settled: false, reason: { code: 'lostAnswer', params: {} }, errorCode: null };
    expect(run(unknown, attempt({ charge_id: null })).salePatch?.cancellable).toBe(1);
    const asked = run(unknown, attempt({ charge_id: null, cancel_requested_at: NOW - 1, cancel_reason: 'cashier' }));
    expect(asked.salePatch).toMatchObject({ cancellable: 0, reason_code: 'cancelling' });
  });

  it('a resolved attempt ignores everything but evidence, and evidence still settles it', () => {
    const resolved = attempt({ state: 'resolved', settled: 1 });
    const s = sale({ state: 'resolved', reason_code: 'resolvedManually' });
    const live = judgeCharge(snapshot({ phase: 'at_terminal' }));
    expect(run(live, resolved, s).attemptPatch).toBeNull();
    const paid = run(judgePayment(payment(), expected, null, true), resolved, s);
    expect(paid.attemptPatch?.state).toBe('approved');
    expect(paid.salePatch?.state).toBe('approved');
  });

  it('a repeated look that changes nothing writes no event; a new reason does', () => {
    const v = judgeCharge(snapshot());
    expect(run(v).events).toEqual([]);
    const notTaken = judgeCharge(snapshot(), { notTaken: { terminal: 'CAJA1', seconds: 15 } });
    const p = run(notTaken);
    expect(p.events.map((e) => e.reason.code)).toEqual(['notTaken']);
    expect(p.salePatch?.reason_params).toBe(JSON.stringify({ terminal: 'CAJA1', seconds: 15 }));
  });

  it('a look that keeps finding nothing is journaled once, not on every look', () => {
    const lost: Verdict = { state: 'unknown', settled: false, reason: { code: 'lostAnswer', params: {} }, errorCode: null };
    const first = run(lost, attempt({ charge_id: null }), sale(), 'still_looking');
    expect(first.events.map((e) => e.kind)).toEqual(['still_looking']);
    const again = run(lost, attempt({ charge_id: null, state: 'unknown' }), sale({ state: 'unknown', reason_code: 'lostAnswer', cancellable: 1 }), 'still_looking');
    expect(again.events).toEqual([]);
    expect(run(lost, attempt({ state: 'unknown' }), sale({ state: 'unknown', reason_code: 'lostAnswer' }), 'payment_found').events).toHaveLength(1);
  });

  it('the state machine: approved is the end, unknown is not retryable, resolved moves only to a settlement', () => {
    expect(canTransition('approved', 'sending')).toBe(false);
    expect(canTransition('unknown', 'resolved')).toBe(true);
    expect(canTransition('resolved', 'sending')).toBe(false);
    expect(canTransition('resolved', 'approved')).toBe(true);
    expect(canTransition('failed', 'sending')).toBe(true);
  });
});

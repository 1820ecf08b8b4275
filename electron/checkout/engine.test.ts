import { afterEach, describe, expect, it } from 'vitest';
import {
  ReconcileReportSchema,
  SaleDetailSchema,
  SaleViewSchema,
  TerminalViewSchema,
  type SaleView,
} from '../../shared/contract';
import { CajaError } from '../../shared/errors';
import {
  cart,
  chargeCreates,
  INTENT,
  INTENT_2,
  MANUAL_SIM,
  ORDER,
  PHONE,
  STANDALONE,
  startKit,
  TERMINAL_OF,
  waitFinal,
  waitState,
  writes,
  type Kit,
} from '../test-kits/engine-test-kit';

let kit: Kit;
afterEach(async () => kit?.close());

async function expectCode(p: Promise<unknown> | (() => unknown), code: string): Promise<CajaError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect(e).toBeInstanceOf(CajaError);
    expect((e as CajaError).code).toBe(code);
    return e as CajaError;
  }
  throw new Error(`expected ${code}`);
}

const FAMILIES = ['intents', 'orders', 'mobile'] as const;

describe('charges by outcome, every family', () => {
  const cases: [number, SaleView['state'], string | null][] = [
    [150000, 'approved', 'approved'],
    [150001, 'rejected', 'insufficientFunds'],
    [150002, 'rejected', 'declined'],
    [150003, 'cancelled', 'abandoned'],
    [150004, 'approved', 'approved'],
    [150005, 'approved', 'approved'],
    [150006, 'failed', 'terminalError'],
  ];
  for (const family of FAMILIES) {
    it(`${family}: each amount tail settles as its payment says`, async () => {
      kit = await startKit();
      // The in-process payment (tail 05) is decided by the issuer a while later: here, soon.
      await kit.control.timing({ inProcessSettleMs: 1500 });
      const engine = await kit.engine();
      for (const [amount, expected, code] of cases) {
        // The mobile API closes an order without payment alike for "abandoned" and "reader error".
        const state = family === 'mobile' && amount === 150006 ? 'cancelled' : expected;
        const sale = await engine.charge({ cart: cart(amount), terminalId: TERMINAL_OF[family] });
        SaleViewSchema.parse(sale);
        const done = await waitFinal(engine, sale.id);
        expect(done.state, `amount ${amount}`).toBe(state);
        // A phone closes its order without a payment alike for every way a charge ends unpaid.
        const why = family === 'mobile' && state === 'cancelled' ? 'closedWithoutPayment' : code;
        expect(done.reason?.code, `amount ${amount}`).toBe(why);
        SaleViewSchema.parse(done);
        if (state === 'approved') {
          expect(done.paymentId).toBeTruthy();
          expect(done.cancellable).toBe(false);
        }
      }
      // Exactly one payment per charge that reached a card, approved only where the sale says so.
      const payments = await kit.control.payments();
      const approvedSales = engine.history({ state: 'approved' }).items;
      expect(
        payments
          .filter((p) => p.status === 'approved')
          .map((p) => p.externalReference)
          .sort(),
      ).toEqual(approvedSales.map((s) => s.externalReference).sort());
      expect(await chargeCreates(kit.control)).toHaveLength(cases.length);
    }, 90_000);
  }
});

describe('input is refused before anything is sent or written', () => {
  it('zero, negative, fractional, over the limit, empty, unknown and standalone terminals', async () => {
    kit = await startKit();
    const engine = await kit.engine();
    const bad: [unknown, string][] = [
      [{ cart: cart(0), terminalId: INTENT }, 'INVALID_AMOUNT'],
      [{ cart: cart(-500), terminalId: INTENT }, 'INVALID_AMOUNT'],
      [{ cart: cart(1000.5), terminalId: INTENT }, 'INVALID_AMOUNT'],
      [{ cart: cart(400_000_001), terminalId: INTENT }, 'INVALID_AMOUNT'],
      [{ cart: cart(499), terminalId: INTENT }, 'INVALID_AMOUNT'],
      [{ cart: { lines: [], cartDiscount: 0 }, terminalId: INTENT }, 'EMPTY_CART'],
      [{ cart: { ...cart(1000), cartDiscount: 2000 }, terminalId: INTENT }, 'INVALID_AMOUNT'],
      [{ cart: cart(1000), terminalId: 'NO_SUCH_TERMINAL' }, 'TERMINAL_NOT_FOUND'],
      [{ cart: cart(1000), terminalId: STANDALONE }, 'TERMINAL_STANDALONE'],
      [{ cart: cart(1000), terminalId: INTENT, extra: 1 }, 'INVALID_INPUT'],
    ];
    for (const [input, code] of bad) {
      await expectCode(engine.charge(input as never), code);
    }
    expect(writes(await kit.control.requests())).toEqual([]);
    expect(await kit.control.payments()).toEqual([]);
    expect(engine.history({}).total).toBe(0);
    expect(engine.unfinished()).toEqual([]);
  });
});

describe('one charge per terminal', () => {
  it('refuses a second charge locally while the first is live, before the API would answer 409', async () => {
    kit = await startKit(MANUAL_SIM);
    const engine = await kit.engine();
    const first = await engine.charge({ cart: cart(1000), terminalId: ORDER });
    const [a, b] = await Promise.allSettled([
      engine.charge({ cart: cart(2000), terminalId: ORDER }),
      engine.charge({ cart: cart(3000), terminalId: ORDER }),
    ]);
    expect(a.status).toBe('rejected');
    expect(b.status).toBe('rejected');
    expect(((a as PromiseRejectedResult).reason as CajaError).code).toBe('TERMINAL_BUSY');
    expect(await chargeCreates(kit.control)).toHaveLength(1);
    const terminals = await engine.listTerminals();
    const t = terminals.find((x) => x.id === ORDER)!;
    TerminalViewSchema.parse(t);
    expect(t.status).toBe('busy');
    expect(t.busyWith).toEqual({ saleId: first.id, register: 'R1' });
    // Another terminal is free meanwhile.
    const other = await engine.charge({ cart: cart(1000), terminalId: INTENT_2 });
    expect(other.state).not.toBe('failed');
  });

  it('a remote 409 (charge from elsewhere) fails the sale with TERMINAL_BUSY and charges nothing', async () => {
    kit = await startKit(MANUAL_SIM);
    const a = await kit.engine({ journalPath: `${kit.dir}/a.sqlite`, register: 'A' });
    const b = await kit.engine({ journalPath: `${kit.dir}/b.sqlite`, register: 'B' });
    await a.charge({ cart: cart(1000), terminalId: INTENT });
    await expectCode(b.charge({ cart: cart(2000), terminalId: INTENT }), 'TERMINAL_BUSY');
    const failed = b.history({}).items[0]!;
    expect(failed.state).toBe('failed');
    expect(failed.errorCode).toBe('TERMINAL_BUSY');
    expect(await kit.control.payments()).toEqual([]);
  });
});

describe('cancel', () => {
  it('works while the charge waits for the card (orders, mobile) and nothing is charged', async () => {
    kit = await startKit(MANUAL_SIM);
    const engine = await kit.engine();
    for (const terminalId of [ORDER, PHONE]) {
      const sale = await engine.charge({ cart: cart(1000), terminalId });
      await waitState(engine, sale.id, 'at_terminal');
      expect(engine.get(sale.id).cancellable).toBe(true);
      const after = await engine.cancel(sale.id);
      const done = after.state === 'cancelled' ? after : await waitFinal(engine, sale.id);
      expect(done.state).toBe('cancelled');
      expect(done.reason?.code).toBe('cancelled');
    }
    expect(await kit.control.payments()).toEqual([]);
  });

  it('works on an intent still queued', async () => {
    kit = await startKit({ ...MANUAL_SIM, toTerminalMs: 5000 });
    const engine = await kit.engine();
    const sale = await engine.charge({ cart: cart(1000), terminalId: INTENT });
    expect(sale.state).toBe('sending');
    expect(sale.cancellable).toBe(true);
    const done = await engine.cancel(sale.id);
    expect((await waitFinal(engine, done.id)).state).toBe('cancelled');
    expect(await kit.control.payments()).toEqual([]);
  });

  for (const family of FAMILIES) {
    it(`${family}: manager cancels while the customer taps the card → NOT_CANCELLABLE, then the payment decides`, async () => {
      kit = await startKit({ ...MANUAL_SIM, processingMs: 3000 });
      const engine = await kit.engine();
      const terminalId = TERMINAL_OF[family];
      const sale = await engine.charge({ cart: cart(2500), terminalId });
      await waitState(engine, sale.id, 'at_terminal');
      await kit.control.customer(terminalId, 'present_card');
      const err = await expectCode(engine.cancel(sale.id), 'NOT_CANCELLABLE');
      expect(err.message).toMatch(/customer is already paying|on the terminal/i);
      const done = await waitFinal(engine, sale.id);
      expect(done.state).toBe('approved');
      const payments = await kit.control.payments();
      expect(payments).toHaveLength(1);
      expect(payments[0]!.status).toBe('approved');
    }, 40_000);
  }

  it('a finished sale says it is not cancellable', async () => {
    kit = await startKit();
    const engine = await kit.engine();
    const sale = await engine.charge({ cart: cart(1000), terminalId: ORDER });
    await waitFinal(engine, sale.id);
    const err = await expectCode(engine.cancel(sale.id), 'NOT_CANCELLABLE');
    expect(err.message).toMatch(/refund/i);
  });

  it('after the bounded wait an unpaid charge is cancelled and ends expired', async () => {
    kit = await startKit(MANUAL_SIM);
    const engine = await kit.engine({ timing: { chargeTimeoutMs: 2000 } });
    const sale = await engine.charge({ cart: cart(1000), terminalId: ORDER });
    expect(sale.expiresAt).not.toBeNull();
    const done = await waitFinal(engine, sale.id);
    expect(done.state).toBe('expired');
    expect(await kit.control.payments()).toEqual([]);
  });
});

describe('retry of a failed sale', () => {
  it('charges the same sale again on another terminal, as a new attempt', async () => {
    kit = await startKit();
    const engine = await kit.engine();
    const sale = await engine.charge({ cart: cart(1002), terminalId: INTENT });
    expect((await waitFinal(engine, sale.id)).state).toBe('rejected');
    const again = await engine.charge({ cart: cart(1000), terminalId: ORDER, saleId: sale.id });
    expect(again.id).toBe(sale.id);
    expect((await waitFinal(engine, sale.id)).state).toBe('approved');
    await expectCode(engine.charge({ cart: cart(1000), terminalId: ORDER, saleId: sale.id }), 'CONFLICT');
    const detail = engine.detail(sale.id);
    expect(detail.timeline.filter((t) => t.kind === 'attempt_created')).toHaveLength(2);
  });
});

describe('refunds, history, export, reconcile', () => {
  it('partial and full refunds are journaled and reflected', async () => {
    kit = await startKit();
    const engine = await kit.engine();
    for (const terminalId of [INTENT, ORDER, PHONE]) {
      const sale = await engine.charge({ cart: cart(10000), terminalId });
      await waitFinal(engine, sale.id);
      const partial = await engine.refund(sale.id, 2500);
      SaleDetailSchema.parse(partial);
      expect(partial.refundedAmount).toBe(2500);
      expect(partial.refunds.map((r) => r.state)).toEqual(['approved']);
      await expectCode(engine.refund(sale.id, 9000), 'NOT_REFUNDABLE');
      const rest = await engine.refund(sale.id);
      expect(rest.refundedAmount).toBe(10000);
      await expectCode(engine.refund(sale.id), 'NOT_REFUNDABLE');
      expect(rest.timeline.some((t) => t.kind === 'refund_requested')).toBe(true);
    }
    const payments = await kit.control.payments();
    expect(payments.map((p) => p.refunds.reduce((s, r) => s + r.amountMinor, 0))).toEqual([10000, 10000, 10000]);
    const rejected = await engine.charge({ cart: cart(10001), terminalId: INTENT });
    await waitFinal(engine, rejected.id);
    await expectCode(engine.refund(rejected.id), 'NOT_REFUNDABLE');
  }, 60_000);

  it('history filters, detail timeline, CSV and reconcile', async () => {
    kit = await startKit();
    // Reconciliation right after the sales: a search index that lags would hide them (tested elsewhere).
    await kit.control.timing({ searchDelayMs: 0 });
    const engine = await kit.engine();
    const a = await engine.charge({
      cart: {
        lines: [{ productId: null, sku: null, name: 'Yerba "Especial", 1kg', unitPrice: 5000, quantity: 2, discount: 0 }],
        cartDiscount: 0,
      },
      terminalId: INTENT,
    });
    const b = await engine.charge({ cart: cart(3001, 'Galletitas'), terminalId: ORDER });
    await waitFinal(engine, a.id);
    await waitFinal(engine, b.id);
    await engine.refund(a.id, 1000);
    const today = engine.get(a.id).createdAt.slice(0, 10);
    expect(engine.history({}).total).toBe(2);
    expect(engine.history({ state: 'approved' }).items.map((s) => s.id)).toEqual([a.id]);
    expect(engine.history({ terminalId: ORDER }).items.map((s) => s.id)).toEqual([b.id]);
    expect(engine.history({ text: 'yerba' }).items.map((s) => s.id)).toEqual([a.id]);
    expect(engine.history({ text: engine.get(b.id).externalReference!.slice(0, 20) }).items.map((s) => s.id)).toEqual([b.id]);
    expect(engine.history({ text: engine.get(a.id).paymentId! }).items.map((s) => s.id)).toEqual([a.id]);
    expect(engine.history({ from: '2000-01-01', to: '2000-01-02' }).total).toBe(0);
    const detail = engine.detail(a.id);
    SaleDetailSchema.parse(detail);
    expect(detail.timeline.map((t) => t.kind)).toEqual(
      expect.arrayContaining([
        'sale_created',
        'attempt_created',
        'charge_created',
        'settled',
        'refund_requested',
        'refund_approved',
      ]),
    );
    const { csv, filename } = engine.exportCsv({});
    expect(filename).toMatch(/\.csv$/);
    const rows = csv.trim().split('\r\n');
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/^sale_id,created_at/);
    expect(csv).toContain('"2 x Yerba ""Especial"", 1kg"');
    const report = ReconcileReportSchema.parse(await engine.reconcile(localToday()));
    expect(report.journal.count).toBe(2);
    expect(report.journal.approvedTotal).toBe(10000);
    expect(report.journal.refundedTotal).toBe(1000);
    expect(report.mercadoPago.approvedTotal).toBe(10000);
    expect(report.mercadoPago.refundedTotal).toBe(1000);
    expect(report.differences).toEqual([]);
    expect(today).toMatch(/^\d{4}-/);
  });

  it('reconcile lists an unsettled sale', async () => {
    kit = await startKit(MANUAL_SIM);
    const engine = await kit.engine();
    await engine.charge({ cart: cart(1000), terminalId: ORDER });
    const report = await engine.reconcile(localToday());
    expect(report.differences.map((d) => d.kind)).toEqual(['unsettled']);
  });
});

describe('terminals', () => {
  it('lists all families, sets mode, and keeps an allow-list of registers', async () => {
    kit = await startKit();
    const engine = await kit.engine();
    const seen: number[] = [];
    engine.onTerminalsChanged((t) => seen.push(t.length));
    const list = await engine.listTerminals();
    list.forEach((t) => TerminalViewSchema.parse(t));
    expect(new Set(list.map((t) => t.family))).toEqual(new Set(['intents', 'orders', 'mobile']));
    expect(list.find((t) => t.id === STANDALONE)!.mode).toBe('STANDALONE');
    expect(list.find((t) => t.id === PHONE)!.mode).toBeNull();

    const pdv = await engine.setTerminalMode(STANDALONE, 'PDV');
    expect(pdv.mode).toBe('PDV');
    const sale = await engine.charge({ cart: cart(1000), terminalId: STANDALONE });
    expect((await waitFinal(engine, sale.id)).state).toBe('approved');

    const owned = await engine.assignTerminal(ORDER, ['R2']);
    expect(owned.allowed).toEqual(['R2']);
    await expectCode(engine.charge({ cart: cart(1000), terminalId: ORDER }), 'TERMINAL_NOT_ALLOWED');
    expect((await engine.listTerminals()).find((t) => t.id === ORDER)!.allowed).toEqual(['R2']);
    const released = await engine.assignTerminal(ORDER, []);
    expect(released.allowed).toEqual([]);
    expect(seen.length).toBeGreaterThan(0);
  });
});

describe('events', () => {
  it('pushes each state change of a sale to listeners', async () => {
    kit = await startKit(MANUAL_SIM);
    const engine = await kit.engine();
    const states: string[] = [];
    engine.onSaleChanged((s) => {
      SaleViewSchema.parse(s);
      states.push(s.state);
    });
    const sale = await engine.charge({ cart: cart(1000), terminalId: ORDER });
    await waitState(engine, sale.id, 'at_terminal');
    await kit.control.customer(ORDER, 'present_card');
    await waitFinal(engine, sale.id);
    expect(states[0]).toBe('sending');
    expect(states).toContain('at_terminal');
    expect(states[states.length - 1]).toBe('approved');
  });
});

function localToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

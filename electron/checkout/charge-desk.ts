/**
 * Opening a charge: checks the cart and the terminal before anything is written, claims the
 * terminal and journals the attempt (its key, its reference and the exact create body) in one
 * step, then sends the create. A lost answer is never "failed": the watcher finds out.
 */
import { randomUUID } from 'node:crypto';
import { RETRYABLE_STATES, type ChargeInput, type SaleView } from '../../shared/contract';
import { CajaError } from '../../shared/errors';
import { currencyOf, isWithinSiteLimits, minorToDecimalString, SITE_AMOUNT_LIMITS_HUNDREDTHS } from '../../shared/money';
import { reason } from '../../shared/reasons';
import type { ChargeSnapshot, DirectoryTerminal } from '../point/charge';
import { isOutcomeUnknown } from '../point/point-error';
import { cartTotal, chargeDescription, parseChargeInput } from './cart';
import type { CheckoutDeps } from './deps';
import type { EngineAttemptInfo, EngineHooks } from './engine-api';
import { localDay } from './history';
import type { AttemptRow, SaleRow } from './journal';
import { searchText, type VerdictDesk } from './verdicts';
import type { AttemptWatcher } from './watch';

export class ChargeDesk {
  /** Create requests in flight, by attempt id. */
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly d: CheckoutDeps,
    private readonly verdicts: VerdictDesk,
    private readonly watcher: AttemptWatcher,
    private readonly hooks: EngineHooks,
    private readonly ready: Promise<void>,
    private readonly view: (saleId: string) => SaleView,
  ) {}

  isCreating(attemptId: string): boolean {
    return this.inFlight.has(attemptId);
  }

  creating(attemptId: string): Promise<void> | undefined {
    return this.inFlight.get(attemptId);
  }

  async charge(input: ChargeInput): Promise<SaleView> {
    const { journal, site, register, directory, terminals } = this.d;
    const parsed = parseChargeInput(input);
    const total = cartTotal(parsed.cart);
    if (!isWithinSiteLimits(total, site)) {
      const l = SITE_AMOUNT_LIMITS_HUNDREDTHS[site];
      throw new CajaError(
        'INVALID_AMOUNT',
        `Point terminals here charge between ${(l.min / 100).toFixed(2)} and ${(l.max / 100).toFixed(2)} ${currencyOf(site)}; this sale is ${minorToDecimalString(total, site)}.`,
      );
    }
    if (parsed.saleId) this.retryableSale(parsed.saleId);
    await this.ready;

    const terminal = await terminals.resolve(parsed.terminalId);
    if (terminal.mode === 'STANDALONE') {
      throw new CajaError(
        'TERMINAL_STANDALONE',
        `Terminal ${terminal.label} is in standalone mode and would ignore the charge. Switch it to integrated (PDV) mode first.`,
      );
    }
    if (terminal.status === 'offline')
      throw new CajaError('TERMINAL_OFFLINE', `Terminal ${terminal.label} is offline. Check that it is on and connected.`);
    const allowed = journal.allowedRegisters().get(terminal.id) ?? [];
    if (allowed.length > 0 && !allowed.includes(register)) {
      // Not FORBIDDEN: no PIN makes this register allowed; only the allow-list (Devices screen) does.
      throw new CajaError(
        'TERMINAL_NOT_ALLOWED',
        `Terminal ${terminal.label} is kept for register ${allowed.join(', ')}; this is register ${register}. Choose another terminal, or a manager adds this register to its list on the Devices screen.`,
      );
    }
    directory.checkAmount(terminal.family, total);

    // The shop's board (other tills) first, before anything is journaled: a till that loses the race
    // has nothing to recover and sends nothing to Mercado Pago.
    const saleId = parsed.saleId ?? randomUUID();
    const claimed = await this.claimOnBoard(terminal.id, terminal.label, saleId);

    // From here to the journal write nothing awaits: the local one-charge-per-terminal check and the
    // write that claims the terminal are one step, so two quick charges can never both pass.
    // Anything that throws before the attempt is journaled (a refusal below, a full disk, a broken
    // body) gives the claim back: no request exists yet, so nothing can have reached Mercado Pago and
    // the terminal is free. Once journaled, the attempt is the watcher's (it may be replayed) and the
    // claim goes only when it settles.
    let attempt: AttemptRow;
    try {
      attempt = this.journalAttempt(parsed, total, terminal, saleId);
    } catch (e) {
      if (claimed) this.d.claims?.release(terminal.id, saleId);
      throw e;
    }
    this.d.pushSale(saleId);
    this.d.pushTerminals();

    const sending = this.send(attempt);
    this.inFlight.set(
      attempt.id,
      sending.catch(() => undefined),
    );
    try {
      await sending;
    } finally {
      this.inFlight.delete(attempt.id);
    }
    return this.view(saleId);
  }

  /** The checks that must not be separated from the write, then the write: sale, lines, attempt, events. */
  private journalAttempt(parsed: ChargeInput, total: number, terminal: DirectoryTerminal, saleId: string): AttemptRow {
    const { journal, site, register, clock, timing, directory } = this.d;
    if (this.d.isClosed()) throw new CajaError('INTERNAL', 'The checkout is shutting down. Try again in a moment.');
    if (journal.unsettledOnTerminal(terminal.id)) {
      throw new CajaError(
        'TERMINAL_BUSY',
        `Terminal ${terminal.label} is still busy with another sale. Finish or cancel it first.`,
      );
    }
    const existing = parsed.saleId ? this.retryableSale(parsed.saleId) : undefined;
    const now = clock.now();
    const seq = existing ? journal.attemptsOfSale(saleId).length + 1 : 1;
    const externalReference = `CAJA-${saleId.replace(/-/g, '')}-${seq}`;
    const description = chargeDescription(parsed.cart);
    const attempt: AttemptRow = {
      id: randomUUID(),
      sale_id: saleId,
      seq,
      terminal_id: terminal.id,
      family: terminal.family,
      amount: total,
      description,
      idempotency_key: randomUUID(),
      external_reference: externalReference,
      charge_id: null,
      charge_state: null,
      payment_id: null,
      order_payment_id: null,
      state: 'sending',
      settled: 0,
      created_at: now,
      sent_at: null,
      expires_at: now + timing.chargeTimeoutMs,
      settled_at: null,
      cancel_requested_at: null,
      cancel_reason: null,
      // Built once, journaled, replayed as these very bytes: never rebuilt from settings that may change.
      create_body: directory.createBody({
        terminalId: terminal.id,
        family: terminal.family,
        amountMinor: total,
        description,
        externalReference,
        expirationSeconds: Math.round(timing.chargeTimeoutMs / 1000),
      }),
      cancel_key: null,
    };
    const queued = reason('queued');
    journal.tx(() => {
      const live = {
        state: 'sending' as const,
        updated_at: now,
        total,
        cart_discount: parsed.cart.cartDiscount,
        terminal_id: terminal.id,
        family: terminal.family,
        current_attempt_id: attempt.id,
        external_reference: externalReference,
        payment_id: null,
        card_brand: null,
        card_last4: null,
        expires_at: attempt.expires_at,
        cancellable: 1,
        message: null,
        reason_code: queued.code,
        reason_params: '{}',
        error_code: null,
      };
      if (existing) {
        journal.updateSale(saleId, live);
      } else {
        const row: SaleRow = {
          ...live,
          id: saleId,
          created_at: now,
          day: localDay(now),
          site,
          currency: currencyOf(site),
          register,
          refunded_amount: 0,
          search_text: '',
        };
        journal.insertSale(row);
        journal.appendEvent({
          at: now,
          saleId,
          kind: 'sale_created',
          state: 'draft',
          reason: reason('saleCreated', { amount: total, currency: currencyOf(site), register }),
        });
      }
      journal.replaceLines(saleId, parsed.cart.lines);
      // The key, reference and body are durable before the request exists: any retry, or recovery
      // after a crash, asks about exactly this charge.
      journal.insertAttempt(attempt);
      journal.updateSale(saleId, { search_text: searchText(this.d, saleId) });
      journal.appendEvent({
        at: now,
        saleId,
        attemptId: attempt.id,
        kind: 'attempt_created',
        state: 'sending',
        reason: reason('attemptCreated', {
          seq,
          amount: total,
          currency: currencyOf(site),
          terminal: terminal.label,
          family: terminal.family,
          reference: externalReference,
        }),
        data: { idempotencyKey: attempt.idempotency_key, externalReference, terminalId: terminal.id },
      });
    });
    return attempt;
  }

  /**
   * Claims the terminal on the shop's board; true when a claim was taken (to give back if the charge
   * stops before its journal write). Another till's claim refuses the charge; an unreachable board
   * lets it go on under the local rules (the board's module header says why).
   */
  private async claimOnBoard(terminalId: string, label: string, saleId: string): Promise<boolean> {
    const claims = this.d.claims;
    // A local sale on it refuses the charge just below, without a round trip.
    if (!claims || this.d.journal.unsettledOnTerminal(terminalId)) return false;
    const r = await claims.claim(terminalId, saleId);
    if (!r.ok)
      throw new CajaError(
        'TERMINAL_BUSY',
        `Terminal ${label} is in use on ${r.till ?? 'this till'}. Choose another terminal, or wait until that sale ends.`,
        // The holder's name crosses as a detail: the renderer says "in use by Till 3" in the cashier's language.
        r.till === null ? undefined : { details: { till: r.till } },
      );
    return true;
  }

  /** The sale may be charged again only when Mercado Pago has shown that nothing was charged. */
  private retryableSale(saleId: string): SaleRow {
    const sale = this.d.journal.getSale(saleId);
    if (!sale) throw new CajaError('NOT_FOUND', 'That sale does not exist.');
    if (RETRYABLE_STATES.includes(sale.state)) return sale;
    const message =
      sale.state === 'approved'
        ? 'That sale is already paid.'
        : sale.state === 'unknown'
          ? 'Mercado Pago has not shown yet whether this sale was charged. Charging it again could charge the customer twice: cancel it, or wait for the result.'
          : sale.state === 'resolved'
            ? 'This sale was closed by hand without knowing whether it was charged. Check Mercado Pago before charging the customer again, as a new sale.'
            : 'That sale is still being charged; wait for its result before charging it again.';
    throw new CajaError('CONFLICT', message);
  }

  private info(a: AttemptRow): EngineAttemptInfo {
    return {
      saleId: a.sale_id,
      attemptId: a.id,
      terminalId: a.terminal_id,
      idempotencyKey: a.idempotency_key,
      externalReference: a.external_reference,
    };
  }

  private async send(a: AttemptRow): Promise<void> {
    await this.hooks.beforeCreate?.(this.info(a));
    if (this.d.isClosed()) return;
    let snapshot: ChargeSnapshot;
    try {
      snapshot = await this.d.directory.sendCreate(a.family, a.terminal_id, a.create_body!, a.idempotency_key);
    } catch (e) {
      if (this.d.isClosed()) return;
      if (isOutcomeUnknown(e) || !(e instanceof CajaError) || e.code === 'UNEXPECTED_RESPONSE') {
        // The charge may exist: never "failed" here. Keep the key, find out.
        this.watcher.write(
          a.id,
          { state: 'unknown', settled: false, reason: reason('lostAnswer'), errorCode: e instanceof CajaError ? e.code : null },
          null,
          'create_unanswered',
        );
        this.watcher.track(a.id);
        return;
      }
      // A definite refusal of the first try: Mercado Pago created nothing.
      this.watcher.write(
        a.id,
        { state: 'failed', settled: true, reason: reason('createRefused', { code: e.code }), errorCode: e.code },
        null,
        'create_refused',
      );
      throw e;
    }
    await this.hooks.afterCreate?.(this.info(a));
    if (this.d.isClosed()) return;
    this.watcher.recordCharge(a.id, snapshot, 'charge_created');
    this.watcher.track(a.id);
  }
}

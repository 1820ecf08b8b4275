/**
 * Shared by the checkout and Point client tests: a simulator on a random port with short timings,
 * engines on a temporary journal, and helpers to wait for states and read what reached the simulator.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FINAL_STATES, type Cart, type SaleView } from '../../shared/contract';
import type { SiteId } from '../../shared/money';
import type { CheckoutEngineOptions, EngineTiming } from '../checkout/engine-api';
import { createCheckoutEngine, type TestableCheckoutEngine } from '../checkout/engine';
import type { Logger } from '../ground/logger';
import type { RecordedRequest, Timing } from '../simulator/control-api';
import { SimControl, startSimulator, type Simulator } from '../simulator/index';
import { SEED_ACCOUNTS } from '../simulator/seed';

export const MLA = SEED_ACCOUNTS[0]!;
export const TOKEN = MLA.token;
export const INTENT = 'PAX_A910__SMARTPOS1234567890';
export const INTENT_2 = 'PAX_A910__SMARTPOS1234567891';
export const STANDALONE = 'PAX_A910__SMARTPOS1234567892';
export const ORDER = 'NEWLAND_N950__N950NCB000000001';
export const ORDER_2 = 'NEWLAND_N950__N950NCB000000002';
export const PHONE = 'caja-1';
export const TERMINAL_OF = { intents: INTENT, orders: ORDER, mobile: PHONE } as const;

/** Quick terminals: the card is read and decided in well under a second. */
export const FAST_SIM: Timing = { toTerminalMs: 100, customerMs: 300, processingMs: 200, customer: 'auto' };
/** Nothing happens at the terminal until the test acts as the customer. */
export const MANUAL_SIM: Timing = { toTerminalMs: 100, customerMs: 300, processingMs: 1500, customer: 'manual' };

export const TEST_TIMING: Partial<EngineTiming> = {
  pollFastMs: 1100,
  pollSlowMs: 1500,
  slowAfterMs: 5000,
  chargeTimeoutMs: 60_000,
  // At least the simulator's own search delay (3 s by default): a search sooner proves nothing.
  searchDelayMs: 3500,
  notTakenMs: 3000,
  slowestPollMs: 3000,
  resendWindowMs: 30_000,
  maxBackoffMs: 2000,
  requestTimeoutMs: 3000,
};

export interface CapturedLog extends Logger {
  lines: string[];
}

export function captureLog(): CapturedLog {
  const lines: string[] = [];
  const put = (level: string) => (msg: string, data?: Record<string, unknown>) =>
    lines.push(`${level} ${msg} ${data ? JSON.stringify(data) : ''}`);
  return { lines, info: put('INFO'), warn: put('WARN'), error: put('ERROR') };
}

export interface Kit {
  sim: Simulator;
  control: SimControl;
  dir: string;
  journalPath: string;
  log: CapturedLog;
  engine(overrides?: Partial<CheckoutEngineOptions>): Promise<TestableCheckoutEngine>;
  close(): Promise<void>;
}

export async function startKit(timing: Timing = FAST_SIM): Promise<Kit> {
  const sim = await startSimulator({ port: 0, timing });
  const control = new SimControl(sim.baseUrl);
  const dir = mkdtempSync(join(tmpdir(), 'caja-engine-'));
  const journalPath = join(dir, 'journal.sqlite');
  const log = captureLog();
  const engines: TestableCheckoutEngine[] = [];
  return {
    sim,
    control,
    dir,
    journalPath,
    log,
    async engine(overrides = {}) {
      const engine = createCheckoutEngine({
        journalPath,
        baseUrl: sim.baseUrl,
        getToken: () => TOKEN,
        site: 'MLA' as SiteId,
        register: 'R1',
        log,
        ...overrides,
        timing: { ...TEST_TIMING, ...overrides.timing },
      });
      engines.push(engine);
      await engine.ready;
      return engine;
    },
    async close() {
      for (const e of engines) await e.close().catch(() => undefined);
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function cart(amountMinor: number, name = 'Alfajor'): Cart {
  return { lines: [{ productId: null, sku: null, name, unitPrice: amountMinor, quantity: 1, discount: 0 }], cartDiscount: 0 };
}

/** Settled by evidence: `resolved` (a person, no evidence) is not an end a test waits for. */
const FINAL: readonly string[] = FINAL_STATES.filter((s) => s !== 'resolved');

/** Waits (without asserting how long it took) until what `read` returns satisfies `pred`. */
export async function waitFor<T>(
  read: () => T,
  pred: (s: T) => boolean,
  what = 'the expected state',
  limitMs = 25_000,
): Promise<T> {
  const until = Date.now() + limitMs;
  for (;;) {
    const s = read();
    if (pred(s)) return s;
    if (Date.now() > until) {
      const v = s as { state?: string; reason?: unknown };
      throw new Error(`gave up waiting for ${what}; last seen ${v?.state ?? JSON.stringify(s)} (${JSON.stringify(v?.reason ?? '')})`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function waitFinal(engine: { get(id: string): SaleView }, saleId: string, limitMs?: number): Promise<SaleView> {
  return waitFor(
    () => engine.get(saleId),
    (s) => FINAL.includes(s.state),
    'a final state',
    limitMs,
  );
}

export function waitState(
  engine: { get(id: string): SaleView },
  saleId: string,
  state: SaleView['state'],
  limitMs?: number,
): Promise<SaleView> {
  return waitFor(
    () => engine.get(saleId),
    (s) => s.state === state,
    `state ${state}`,
    limitMs,
  );
}

/** Requests that change something at Mercado Pago (anything but reads and the control API). */
export function writes(requests: RecordedRequest[]): RecordedRequest[] {
  return requests.filter((r) => r.method !== 'GET' && !r.path.startsWith('/__sim'));
}

export async function chargeCreates(control: SimControl): Promise<RecordedRequest[]> {
  return writes(await control.requests()).filter(
    (r) =>
      r.method === 'POST' &&
      (/payment-intents$/.test(r.path) || r.path === '/v1/orders' || r.path === '/point/services/integrations/v1'),
  );
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How often the engine has searched Mercado Pago's payments for this reference. */
export async function searchesFor(control: SimControl, reference: string): Promise<number> {
  return (await control.requests()).filter((r) => r.path === '/v1/payments/search' && r.query.external_reference === reference).length;
}

/**
 * Waits until the engine has searched for this reference `count` times more than `from`: a test
 * that must outlast the engine's patience counts its looks, it never measures time.
 */
export async function waitForSearches(kit: Kit, reference: string, count: number, from = 0, limitMs = 60_000): Promise<void> {
  const until = Date.now() + limitMs;
  for (;;) {
    const seen = (await searchesFor(kit.control, reference)) - from;
    if (seen >= count) return;
    if (Date.now() > until) throw new Error(`the engine searched ${seen} times for ${reference}, expected ${count}`);
    await sleep(150);
  }
}

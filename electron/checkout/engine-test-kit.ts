/**
 * Shared by the checkout and Point client tests: a simulator on a random port with short timings,
 * engines on a temporary journal, and helpers to wait for states and read what reached the simulator.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cart, SaleView } from '../../shared/contract';
import type { SiteId } from '../../shared/money';
import type { RecordedRequest, Timing } from '../simulator/control-api';
import { SimControl, startSimulator, type Simulator } from '../simulator/index';
import { SEED_ACCOUNTS } from '../simulator/seed';
import type { CheckoutEngineOptions, EngineTiming, Logger } from './engine-api';
import { createCheckoutEngine, type TestableCheckoutEngine } from './engine';

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
  lostGiveUpMs: 5000,
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

const FINAL = ['approved', 'rejected', 'cancelled', 'expired', 'failed'];

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
      const v = s as { state?: string; message?: string };
      throw new Error(`gave up waiting for ${what}; last seen ${v?.state ?? JSON.stringify(s)} (${v?.message ?? ''})`);
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

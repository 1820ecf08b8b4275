/**
 * Shared by the simulator's own tests: a simulator on a random port, its control client, and a
 * small API client per account that returns status, headers and parsed body.
 */
import type { Timing } from './control-api';
import { SimControl, startSimulator, type Simulator } from './index';
import { SEED_ACCOUNTS, type SeedAccount } from './seed';

export const MLA = SEED_ACCOUNTS[0]!;
export const MLB = SEED_ACCOUNTS[1]!;
export const MLM = SEED_ACCOUNTS[2]!;
export const INTENT_DEVICE = 'PAX_A910__SMARTPOS1234567890';
export const INTENT_DEVICE_2 = 'PAX_A910__SMARTPOS1234567891';
export const STANDALONE_DEVICE = 'PAX_A910__SMARTPOS1234567892';
export const ORDER_TERMINAL = 'NEWLAND_N950__N950NCB000000001';
export const ORDER_TERMINAL_2 = 'NEWLAND_N950__N950NCB000000002';

/**
 * Every step completes inside the request that starts it, and the payment search is up to date at
 * once: tests read final states at once. (The other surprises keep their real defaults.)
 */
export const INSTANT: Timing = { toTerminalMs: 0, customerMs: 0, processingMs: 0, customer: 'auto', searchDelayMs: 0 };
/**
 * Every surprise of the real world still on, only quicker (merge it over a terminal timing): for
 * client tests that must survive them without waiting minutes on a real clock. See docs/simulator.md,
 * "What a client must survive".
 */
export const QUICK_SURPRISES: Timing = {
  searchDelayMs: 1000,
  inProcessSettleMs: 2000,
  cancelConfirmMs: 500,
  intentAbandonMs: 60_000,
  mobileExpireMs: 60_000,
  actionRequiredAfterMs: 10_000,
  declineRetry: true,
};

/** Steps of 100 ms on a manual clock: tests walk through states with `advance`. */
export const STEPPED: Timing = { toTerminalMs: 100, customerMs: 100, processingMs: 100, customer: 'auto' };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers loosely, the simulator is what is under test
export interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export type Call = <T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Answer<T>>;

export function apiClient(baseUrl: string, token: string | null): Call {
  return async (method, path, body, headers = {}) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      // keep the text
    }
    return { status: res.status, headers: res.headers, body: parsed as never };
  };
}

export interface Kit {
  sim: Simulator;
  control: SimControl;
  api: Call;
  as(account: SeedAccount | null): Call;
  close(): Promise<void>;
}

/** Starts a simulator for one test; `manualClock` freezes time until `control.advance`. */
export async function openKit(options: { timing?: Timing; manualClock?: boolean; readLimit?: boolean; stateFile?: string } = {}): Promise<Kit> {
  const sim = await startSimulator({ port: 0, timing: options.timing ?? INSTANT, stateFile: options.stateFile });
  const control = new SimControl(sim.baseUrl);
  if (options.manualClock) await control.clock({ mode: 'manual' });
  if (!options.readLimit) await control.faults({ readsPerSecond: null });
  return {
    sim,
    control,
    api: apiClient(sim.baseUrl, MLA.token),
    as: (account) => apiClient(sim.baseUrl, account?.token ?? null),
    close: () => sim.close(),
  };
}

export const intentBody = (amount: number, extra: Record<string, unknown> = {}) => ({
  amount,
  description: 'Caja test',
  additional_info: { external_reference: `ref-${amount}`, print_on_terminal: true },
  ...extra,
});

export const orderBody = (amount: string, extra: Record<string, unknown> = {}, terminal = ORDER_TERMINAL) => ({
  type: 'point',
  external_reference: `ext-${amount.replace('.', '-')}`,
  description: 'Caja test',
  transactions: { payments: [{ amount }] },
  config: { point: { terminal_id: terminal, print_on_terminal: 'no_ticket' }, payment_method: { default_type: 'credit_card' } },
  ...extra,
});

export const mobileBody = (amount: number, extra: Record<string, unknown> = {}) => ({
  amount,
  description: 'Cafe',
  device_name: 'caja-1',
  cc_type: 'credit_card',
  external_reference: `mob-${amount}`,
  ...extra,
});

let keySeq = 0;
export const newKey = () => `test-key-${process.pid}-${++keySeq}`;

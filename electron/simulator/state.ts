/**
 * Everything the simulator remembers, as plain records that serialise to the state file as they are.
 * Timers are not state: they are re-armed from these records (phase, due times) after a load.
 */
import type { SiteId } from './sites';
import type { Timing } from './control-api';
import { SEED_ACCOUNTS, type SeedAccount, type SeedDevice } from './seed';

export type Family = SeedDevice['family'];

export interface DeviceRecord extends SeedDevice {
  userId: number;
  /** Numeric id the mobile devices list shows. */
  numericId: number;
}

export type IntentState =
  | 'OPEN'
  | 'ON_TERMINAL'
  | 'PROCESSING'
  | 'PROCESSED'
  | 'FINISHED'
  | 'CANCELED'
  | 'ERROR'
  | 'ABANDONED'
  | 'CONFIRMATION_REQUIRED';

export interface IntentRecord {
  id: string;
  userId: number;
  deviceId: string;
  amount: number; // hundredths, as sent
  amountMinor: number;
  description: string | null;
  additionalInfo: Record<string, unknown> | null;
  payment: { type: string; installments: number; installments_cost: string } | null;
  state: IntentState;
  paymentId: number | null;
  createdAt: number;
  events: { status: IntentState; at: number }[];
  /** Clock time it becomes ABANDONED if nobody has paid it by then (null: never). */
  abandonAt?: number | null;
}

export interface MobileOrderRecord {
  id: number;
  userId: number;
  deviceName: string;
  amountMinor: number;
  description: string;
  ccType: 'credit_card' | 'debit_card';
  externalReference: string | null;
  payerEmail: string | null;
  notificationUrl: string | null;
  disableBackButton: boolean;
  status: 'OPEN' | 'CLOSED';
  paymentId: number | null;
  canceled: boolean;
  createdAt: number;
  /** Clock time it closes without payment if nobody has paid it by then (null: never). */
  expiresAt?: number | null;
  /** Closed by that expiry. */
  expired?: boolean;
}

export type OrderStatus =
  | 'created'
  | 'at_terminal'
  | 'processing'
  | 'processed'
  | 'failed'
  | 'canceled'
  | 'expired'
  | 'refunded'
  | 'action_required';

export interface OrderIntegrationData {
  platform_id?: string;
  integrator_id?: string;
  corporation_id?: string;
  sponsor?: { id: string };
}

export interface OrderRecord {
  id: string;
  userId: number;
  terminalId: string;
  externalReference: string;
  description: string | null;
  expirationTime: string;
  expiresAt: number;
  status: OrderStatus;
  statusDetail: string;
  allowCancelAtTerminal: boolean;
  printOnTerminal: string | null;
  defaultType: string | null;
  defaultInstallments: number | null;
  /** What the client sent as `integration_data` (echoed beside the token's `application_id`). */
  integrationData?: OrderIntegrationData | null;
  createdAt: number;
  updatedAt: number;
  payment: { id: string; amountMinor: number; status: string; statusDetail: string; referenceId: number | null };
  /** Clock time the terminal confirms an asynchronous cancel (`202`); null/unset when none is pending. */
  cancelConfirmAt?: number | null;
  /** Clock time its card started processing; null/unset when no card is being read. */
  processingSince?: number | null;
  refunds: { id: string; transactionId: string; referenceId: number | null; amountMinor: number; status: string }[];
}

export interface PaymentRecord {
  id: number;
  userId: number;
  family: Family;
  terminalId: string;
  chargeId: string;
  amountMinor: number;
  site: SiteId;
  status: 'approved' | 'rejected' | 'in_process' | 'cancelled' | 'refunded';
  statusDetail: string;
  externalReference: string | null;
  description: string | null;
  paymentMethodId: string;
  paymentTypeId: 'credit_card' | 'debit_card';
  lastFour: string;
  installments: number;
  createdAt: number;
  approvedAt: number | null;
  updatedAt: number;
  /** in_process payments settle at this clock time… */
  settleAt: number | null;
  /** …into this status (approved when unset: state files from before it existed). */
  settleTo?: 'approved' | 'rejected';
  refunds: { id: number; amountMinor: number; createdAt: number }[];
}

export interface TestUserRecord {
  id: number;
  ownerUserId: number;
  siteId: SiteId;
  nickname: string;
  password: string;
  email: string;
  description: string | null;
  createdAt: number;
}

export interface IdempotencyRecord {
  fingerprint: string;
  status: number;
  body: unknown;
  /** When set, a replay answers the resource's current state rather than the stored body. */
  resource: { kind: 'order' | 'intent' | 'mobile'; id: string } | null;
}

export type Outcome =
  | { kind: 'approved' }
  /** `retry`: the customer tries another card on the same charge, where the family allows it. */
  | { kind: 'rejected'; detail: string; retry?: boolean }
  | { kind: 'abandoned' }
  /** `payment`: what the uncertain charge carries (approved when unset). */
  | { kind: 'confirmation_required'; payment?: 'approved' | 'pending' | 'none' }
  /** `settle`: what the payment becomes after `inProcessSettleMs` (approved when unset). */
  | { kind: 'in_process'; settle?: 'approved' | 'rejected' }
  | { kind: 'error' };

export type Phase = 'idle' | 'queued' | 'waiting_card' | 'processing' | 'result';

export interface TerminalRecord {
  id: string;
  userId: number;
  family: Family;
  online: boolean;
  phase: Phase;
  /** The charge id the terminal holds (intent id, order id, mobile order id as text). */
  current: string | null;
  /** Decided when the card is presented; carried through `processing`. */
  outcome: Outcome | null;
  /** A card was declined on the current charge and the customer is trying another one. */
  retrying?: boolean;
  /** An asynchronous cancel was asked for: the terminal takes no card until it confirms it. */
  cancelRequested?: boolean;
  /** What the screen shows after a charge ends, until the next one. */
  lastResult: { chargeId: string; amountMinor: number; description: string | null; state: string; label: string } | null;
}

export interface Counters {
  payment: number;
  mobileOrder: number;
  refund: number;
  testUser: number;
}

export interface SimState {
  devices: Map<string, DeviceRecord>;
  terminals: Map<string, TerminalRecord>;
  intents: Map<string, IntentRecord>;
  mobileOrders: Map<number, MobileOrderRecord>;
  orders: Map<string, OrderRecord>;
  payments: Map<number, PaymentRecord>;
  testUsers: TestUserRecord[];
  idempotency: Map<string, IdempotencyRecord>;
  counters: Counters;
  accounts: SeedAccount[];
}

export const DEFAULT_TIMING: Required<Timing> = {
  toTerminalMs: 300,
  customerMs: 1200,
  processingMs: 800,
  customer: 'auto',
  // What the real API does by default (docs/simulator.md, "What a client must survive").
  intentAbandonMs: 15 * 60_000,
  mobileExpireMs: 15 * 60_000,
  inProcessSettleMs: 2 * 60_000,
  searchDelayMs: 3000,
  cancelConfirmMs: 2000,
  declineRetry: true,
  actionRequiredAfterMs: 40_000,
};

let numericDeviceId = 7_000_001;

export function addDevice(state: SimState, userId: number, device: SeedDevice): DeviceRecord {
  const record: DeviceRecord = { ...device, userId, numericId: numericDeviceId++ };
  state.devices.set(device.id, record);
  state.terminals.set(device.id, {
    id: device.id,
    userId,
    family: device.family,
    online: true,
    phase: 'idle',
    current: null,
    outcome: null,
    lastResult: null,
  });
  return record;
}

export function seededState(): SimState {
  const state: SimState = {
    devices: new Map(),
    terminals: new Map(),
    intents: new Map(),
    mobileOrders: new Map(),
    orders: new Map(),
    payments: new Map(),
    testUsers: [],
    idempotency: new Map(),
    counters: { payment: 90_000_000_001, mobileOrder: 5_000_001, refund: 3_000_000_001, testUser: 1_900_000_001 },
    accounts: SEED_ACCOUNTS.map((a) => ({ ...a, devices: a.devices.map((d) => ({ ...d })) })),
  };
  for (const account of state.accounts) {
    for (const device of account.devices) addDevice(state, account.userId, device);
  }
  return state;
}

const STATE_VERSION = 1;

export function serializeState(state: SimState, timing: Required<Timing>): string {
  return JSON.stringify({
    version: STATE_VERSION,
    timing,
    counters: state.counters,
    devices: [...state.devices.values()],
    terminals: [...state.terminals.values()],
    intents: [...state.intents.values()],
    mobileOrders: [...state.mobileOrders.values()],
    orders: [...state.orders.values()],
    payments: [...state.payments.values()],
    testUsers: state.testUsers,
    idempotency: [...state.idempotency.entries()],
  });
}

/** Rebuilds state from a state file's text; throws when the file is not one of ours. */
export function deserializeState(text: string): { state: SimState; timing: Required<Timing> } {
  const raw = JSON.parse(text) as {
    version: number;
    timing: Required<Timing>;
    counters: Counters;
    devices: DeviceRecord[];
    terminals: TerminalRecord[];
    intents: IntentRecord[];
    mobileOrders: MobileOrderRecord[];
    orders: OrderRecord[];
    payments: PaymentRecord[];
    testUsers: TestUserRecord[];
    idempotency: [string, IdempotencyRecord][];
  };
  if (raw.version !== STATE_VERSION) throw new Error(`simulator state file version ${raw.version} is not ${STATE_VERSION}`);
  const state = seededState();
  state.counters = raw.counters;
  state.devices = new Map(raw.devices.map((d) => [d.id, d]));
  state.terminals = new Map(raw.terminals.map((t) => [t.id, t]));
  state.intents = new Map(raw.intents.map((i) => [i.id, i]));
  state.mobileOrders = new Map(raw.mobileOrders.map((o) => [o.id, o]));
  state.orders = new Map(raw.orders.map((o) => [o.id, o]));
  state.payments = new Map(raw.payments.map((p) => [p.id, p]));
  state.testUsers = raw.testUsers;
  state.idempotency = new Map(raw.idempotency);
  for (const d of state.devices.values()) numericDeviceId = Math.max(numericDeviceId, d.numericId + 1);
  return { state, timing: { ...DEFAULT_TIMING, ...raw.timing } };
}

/**
 * The simulator's shared context: state, clock, timing, faults and the terminal machine, plus the
 * look-ups every API family needs (whose token, whose device) and idempotency bookkeeping.
 */
import { decimalsOf, type SiteId } from './sites';
import type { SimClock } from './clock';
import type { Timing } from './control-api';
import { ApiError } from './errors';
import type { Faults } from './faults';
import { SEED_ACCOUNTS, type SeedAccount } from './seed';
import type { DeviceRecord, Family, IdempotencyRecord, PaymentRecord, SimState } from './state';
import type { TerminalMachine } from './terminal-machine';
import type { Webhooks } from './webhooks';
import { pagingParam } from './validate';

export interface SimCore {
  state: SimState;
  clock: SimClock;
  timing: Required<Timing>;
  faults: Faults;
  machine: TerminalMachine;
  /** Something changed that the state file should hold. */
  changed(): void;
  log(line: string): void;
  /** Family hooks run when a payment changes server-side (settled, refunded). */
  paymentHooks: ((payment: PaymentRecord) => void)[];
  /** Signed notifications to the URL an account registered (`/__sim/webhooks`). */
  webhooks: Webhooks;
}

const BY_TOKEN = new Map(SEED_ACCOUNTS.map((a) => [a.token, a]));

export function accountForToken(token: string | null): SeedAccount | null {
  return token ? (BY_TOKEN.get(token) ?? null) : null;
}

export function siteOf(userId: number): SiteId {
  const account = SEED_ACCOUNTS.find((a) => a.userId === userId);
  if (!account) throw new Error(`no account ${userId}`);
  return account.site;
}

/** A device of this family that this account owns; anything else is a 404, never a 403. */
export function ownDevice(core: SimCore, userId: number, id: string, family: Family, notFound: () => ApiError): DeviceRecord {
  const d = core.state.devices.get(id);
  if (!d || d.userId !== userId || d.family !== family) throw notFound();
  return d;
}

export function devicesOf(core: SimCore, userId: number, family: Family): DeviceRecord[] {
  return [...core.state.devices.values()].filter((d) => d.userId === userId && d.family === family);
}

export const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The Mercado Pago application the account's token belongs to (every token is issued to one
 * application; orders report it as `integration_data.application_id`). Fixed per seed account.
 */
export const applicationIdOf = (userId: number): string => String(5_400_000_000_000_000 + userId);

/** Decimal number of the currency for wire formats that use one (mobile amounts, payments). */
export function minorToNumber(minor: number, site: SiteId): number {
  return minor / 10 ** decimalsOf(site);
}

/**
 * Parses a JSON decimal number strictly: no float noise (0.30000000000000004), no more decimals
 * than the currency has. Returns minor units or null.
 */
export function numberToMinor(value: unknown, site: SiteId): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  const text = String(value);
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return null;
  const decimals = decimalsOf(site);
  const frac = m[3] ?? '';
  if (frac.length > decimals) return null;
  const minor = Number(m[2]) * 10 ** decimals + Number(frac.padEnd(decimals, '0') || '0');
  if (!Number.isSafeInteger(minor)) return null;
  return m[1] === '-' ? -minor : minor;
}

// ---- idempotency -------------------------------------------------------------------------------

export function fingerprint(method: string, path: string, body: unknown, extra = ''): string {
  return `${method} ${path} ${canonical(body)} ${extra}`;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/**
 * Looks up an idempotency key. Returns the stored record for a replay; throws 409
 * `idempotency_key_already_used` when the key was used for a different request.
 */
export function idempotencyLookup(core: SimCore, userId: number, key: string | null, print: string): IdempotencyRecord | null {
  if (!key) return null;
  const record = core.state.idempotency.get(`${userId}|${key}`);
  if (!record) return null;
  if (record.fingerprint !== print) {
    throw new ApiError(409, 'idempotency_key_already_used', 'The idempotency key was already used with a different request', [
      'send a new X-Idempotency-Key for a different request',
    ]);
  }
  return record;
}

export function idempotencyStore(core: SimCore, userId: number, key: string | null, record: IdempotencyRecord): void {
  if (!key) return;
  core.state.idempotency.set(`${userId}|${key}`, record);
}

/** The filtered, paged device list both device-listing routes answer with (each in its own envelope). */
export function devicePage(
  core: SimCore,
  userId: number,
  family: Family,
  query: URLSearchParams,
  errorFamily: 'mp' | 'orders',
): { items: Record<string, unknown>[]; paging: { total: number; offset: number; limit: number } } {
  const offset = pagingParam(query, 'offset', 0, 100_000, 0, errorFamily);
  const limit = pagingParam(query, 'limit', 1, 1000, 50, errorFamily);
  const storeId = query.get('store_id');
  const posId = query.get('pos_id');
  const all = devicesOf(core, userId, family).filter(
    (d) => (storeId === null || d.storeId === storeId) && (posId === null || d.posId === posId),
  );
  return {
    items: all.slice(offset, offset + limit).map((d) => ({
      id: d.id,
      pos_id: d.posId === null ? null : Number(d.posId),
      store_id: d.storeId,
      external_pos_id: d.externalPosId,
      operating_mode: d.mode,
    })),
    paging: { total: all.length, offset, limit },
  };
}

/**
 * Fault injection: latency, one-shot failures, dropped connections, lost answers and the
 * per-resource read limit. Latency and the read limit run on real time (not the simulator clock),
 * so a client's real back-off gets it through even while a test holds the clock still.
 */
import { performance } from 'node:perf_hooks';
import type { FaultPlan, RequestMatch } from './control-api';
import { ApiError } from './errors';

interface Shot {
  remaining: number;
  match: RequestMatch | undefined;
  matcher: { test(path: string): boolean } | null;
}

export const DEFAULT_READS_PER_SECOND = 1;

/** The read families the per-resource limit applies to (one resource = one intent, order, payment…). */
export type ReadFamily = 'intents' | 'orders' | 'payments' | 'mobile';
const READ_FAMILIES: ReadFamily[] = ['intents', 'orders', 'payments', 'mobile'];

/**
 * Mercado Pago documents about one read per second per intent; it publishes no number for the
 * other families, so they get the same conservative limit: a client that survives it survives the
 * real API.
 */
const defaultReadLimits = (): Record<ReadFamily, number | null> => ({
  intents: DEFAULT_READS_PER_SECOND,
  orders: DEFAULT_READS_PER_SECOND,
  payments: DEFAULT_READS_PER_SECOND,
  mobile: DEFAULT_READS_PER_SECOND,
});

export class Faults {
  latencyMs = 0;
  /** Reads per second of one resource, per family; null: no limit. */
  readLimits: Record<ReadFamily, number | null> = defaultReadLimits();
  private fail: (Shot & { status: number }) | null = null;
  private drop: Shot | null = null;
  private lose: Shot | null = null;
  private readonly lastRead = new Map<string, number>();

  apply(plan: FaultPlan): void {
    if (plan.latencyMs !== undefined) this.latencyMs = plan.latencyMs;
    if (plan.readsPerSecond !== undefined) {
      for (const f of READ_FAMILIES) this.readLimits[f] = plan.readsPerSecond;
      this.lastRead.clear();
    }
    if (plan.readLimits) {
      for (const f of READ_FAMILIES) if (plan.readLimits[f] !== undefined) this.readLimits[f] = plan.readLimits[f];
      this.lastRead.clear();
    }
    if (plan.failNext) this.fail = { ...shot(plan.failNext.count, plan.failNext.match), status: plan.failNext.status };
    if (plan.dropNext) this.drop = shot(plan.dropNext.count, plan.dropNext.match);
    if (plan.loseResponseNext) this.lose = shot(plan.loseResponseNext.count, plan.loseResponseNext.match);
  }

  clear(): void {
    this.latencyMs = 0;
    this.readLimits = defaultReadLimits();
    this.fail = this.drop = this.lose = null;
    this.lastRead.clear();
  }

  /** Consumes one shot of a fault when this request matches it. */
  takeDrop(method: string, path: string): boolean {
    return take(this.drop, method, path);
  }
  takeFail(method: string, path: string): number | null {
    const f = this.fail;
    return f && take(f, method, path) ? f.status : null;
  }
  takeLose(method: string, path: string): boolean {
    return take(this.lose, method, path);
  }

  /** Throws 429 when `key` (one resource of `family`) was read less than 1/limit ago. */
  checkRead(family: ReadFamily, key: string): void {
    const limit = this.readLimits[family];
    if (limit === null) return;
    const interval = 1000 / limit;
    const now = performance.now();
    const bucket = `${family}|${key}`;
    const last = this.lastRead.get(bucket);
    if (last !== undefined && now - last < interval) {
      const retryAfter = Math.max(1, Math.ceil((interval - (now - last)) / 1000));
      throw new ApiError(429, 'too_many_requests', 'Too many requests', [`read this resource at most ${limit} time(s) per second`], {
        'Retry-After': String(retryAfter),
      });
    }
    this.lastRead.set(bucket, now);
    if (this.lastRead.size > 50_000) this.lastRead.clear(); // bounded memory under a long soak
  }
}

function shot(count: number, match: RequestMatch | undefined): Shot {
  return { remaining: count, match, matcher: match?.path ? globMatcher(match.path) : null };
}

/**
 * `*` is any run of characters (also none, also across `/`); everything else is literal. Matching
 * is a linear scan of the literal pieces, so no pattern can make it slow.
 */
export function globMatcher(glob: string): { test(path: string): boolean } {
  const pieces = glob.split('*');
  return {
    test(path) {
      if (pieces.length === 1) return path === glob;
      const first = pieces[0]!;
      const last = pieces[pieces.length - 1]!;
      if (!path.startsWith(first) || path.length < first.length + last.length) return false;
      let at = first.length;
      for (const piece of pieces.slice(1, -1)) {
        const found = path.indexOf(piece, at);
        if (found === -1) return false;
        at = found + piece.length;
      }
      return path.length - last.length >= at && path.endsWith(last);
    },
  };
}

function take(s: Shot | null, method: string, path: string): boolean {
  if (!s || s.remaining <= 0) return false;
  if (s.match?.method && s.match.method !== method) return false;
  if (s.matcher && !s.matcher.test(path)) return false;
  s.remaining--;
  return true;
}

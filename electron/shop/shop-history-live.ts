/**
 * The whole-shop history, live: every outbox push commits with `pg_notify('caja_sales', shopId)`
 * (outbox.ts), and this till LISTENs to tell its screen that the shop's sales moved, so a "Whole
 * shop" list open on this till shows another till's sale without anyone pressing Search.
 *
 * Told in bursts, not per push: a till catching up after a day offline pushes hundreds of batches,
 * and a screen refetching its page on each would hammer the server it reads from. Notifications are
 * folded into one call once none came for `quietMs`, and at most every `maxWaitMs` while they keep
 * coming (a long sync still shows progress, at most a few refetches a second). After the LISTEN
 * connection comes back, one call too: pushes made while it was down were not heard.
 */
import type { Logger } from '../ground/logger';
import type { ShopDb, Unlisten } from './shop-db';
import { classifyPgError } from './shop-problems';

export const SALES_CHANNEL = 'caja_sales';

export interface SalesFeedPace {
  /** Fold notifications until none came for this long (ms). */
  quietMs?: number;
  /** …but never hold one longer than this (ms): a steady stream is still told this often. */
  maxWaitMs?: number;
}

export const DEFAULT_SALES_FEED_PACE: Required<SalesFeedPace> = { quietMs: 250, maxWaitMs: 1_000 };

export interface Coalescer {
  /** One more notification. */
  poke(): void;
  stop(): void;
}

/**
 * Folds pokes into calls of `flush(count)`: after `quietMs` without a poke, or `maxWaitMs` after the
 * first poke still untold, whichever comes first. Pokes after `stop` are dropped.
 */
export function coalesce(flush: (count: number) => void, pace: SalesFeedPace = {}): Coalescer {
  const { quietMs, maxWaitMs } = { ...DEFAULT_SALES_FEED_PACE, ...pace };
  let count = 0;
  let firstAt = 0;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const fire = () => {
    timer = null;
    const n = count;
    count = 0;
    if (n > 0 && !stopped) flush(n);
  };
  return {
    poke() {
      if (stopped) return;
      const now = Date.now();
      if (count === 0) firstAt = now;
      count++;
      if (timer) clearTimeout(timer);
      timer = setTimeout(fire, Math.max(0, Math.min(quietMs, firstAt + maxWaitMs - now)));
      timer.unref?.();
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}

export interface SalesFeed {
  stop(): Promise<void>;
}

/**
 * LISTENs on the shop's sales channel and calls `onChange(notifications)` once per burst of this
 * shop's pushes (any till's, this one's included: its own rows in the shop's copy moved too). Never
 * throws: a server that is down at start is logged and the feed stays quiet (the screen's Search
 * still reads, and says the server cannot be reached).
 */
export function watchShopSales(
  ctx: { db: ShopDb; shopId: string; log: Logger },
  onChange: (notifications: number) => void,
  pace: SalesFeedPace = {},
): SalesFeed {
  const folded = coalesce(onChange, pace);
  let stopped = false;
  const listening: Promise<Unlisten | null> = ctx.db
    .listen(
      SALES_CHANNEL,
      // Tills of other shops may share the database: only this shop's pushes count.
      (payload) => payload === ctx.shopId && folded.poke(),
      () => folded.poke(),
    )
    .catch((error: unknown) => {
      if (!stopped) ctx.log.warn('shop history: cannot listen for other tills\' sales', { problem: classifyPgError(error) });
      return null;
    });
  return {
    async stop() {
      stopped = true;
      folded.stop();
      await (await listening)?.();
    },
  };
}

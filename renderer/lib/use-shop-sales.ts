/**
 * Follows the shop's sales while a "Whole shop" history is on screen: main tells `shop.salesChanged`
 * once per burst of the tills' pushes (shop-history-live.ts); this refreshes the page then.
 */
import { useEffect, useRef } from 'react';
import { subscribe } from '../bridge';

/**
 * Calls `refresh` when the shop's sales move, while `active`. One refresh at a time: events that come
 * while one runs make exactly one more after it (a slow server is never asked twice at once, and the
 * last push is always shown). `refresh` is read at call time, so it sees the screen's current filters.
 */
export function useShopSalesRefresh(active: boolean, refresh: () => Promise<void>): void {
  const latest = useRef(refresh);
  latest.current = refresh;
  useEffect(() => {
    if (!active) return;
    let running = false;
    let again = false;
    let live = true;
    const run = async () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          await latest.current().catch(() => undefined);
        } while (again && live);
      } finally {
        running = false;
      }
    };
    const off = subscribe('shop.salesChanged', () => void run());
    return () => {
      live = false;
      off();
    };
  }, [active]);
}

/**
 * The renderer's own copy of the catalog's search index. A keystroke answered here is painted in the
 * same frame; a round trip to main, however quick, lands a frame later in Chromium while the cashier
 * is typing. Main stays the owner: the copy is a snapshot, refetched when main says the catalog changed,
 * and until the first snapshot arrives the search box asks main as before.
 */
import { SearchIndex } from '../../shared/catalog-search';
import type { Product } from '../../shared/contract';
import { call, subscribe } from '../bridge';

let index: SearchIndex | null = null;
let version = 0;
/** The newest version main has announced; a snapshot older than it is fetched again. */
let wanted = 0;
let started = false;
let loading = false;

async function load(): Promise<void> {
  if (loading) return;
  loading = true;
  try {
    do {
      const snapshot = await call('catalog.snapshot');
      index = new SearchIndex(snapshot.products);
      version = snapshot.version;
    } while (version < wanted);
  } catch {
    // Keep the older copy (or none): the search box falls back to asking main.
  } finally {
    loading = false;
  }
}

/** Starts once per page; later calls do nothing. */
export function ensureCatalogSync(): void {
  if (started) return;
  started = true;
  subscribe('catalog.changed', ({ version: latest }) => {
    wanted = Math.max(wanted, latest);
    if (latest > version) {
      // A stale copy would offer a deleted product or an old price: drop it until the new one is in.
      index = null;
      void load();
    }
  });
  // Well after the first screen is up: a big catalog's snapshot (megabytes) must not compete with the
  // start-up calls; until it lands, the search box asks main.
  setTimeout(() => requestIdleCallback(() => void load(), { timeout: 2000 }), 3000);
}

/** Results from the local copy, or null when there is none yet. */
export function searchLocally(query: string, limit: number): Product[] | null {
  return index ? index.search(query, limit) : null;
}

/** Exact barcode, then SKU, from the local copy; undefined when there is no copy to ask. */
export function lookupLocally(code: string): Product | null | undefined {
  if (!index) return undefined;
  return index.byBarcodeExact(code) ?? index.bySkuAnyCase(code);
}

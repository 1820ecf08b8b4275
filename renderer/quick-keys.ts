/**
 * The quick keys (favourites), asked of main as the very first thing the page's script does (boot.ts),
 * so main answers while React and the app are still arriving. The answer is kept here, outside React,
 * and the search box reads it with useSyncExternalStore: when it lands, the keys are drawn at once,
 * in the same frame as the rest of the first screen when it lands in time, instead of after the first
 * screen's effects have run.
 */
import type { Product } from '../shared/contract';
import { call } from './bridge';

export const FAVOURITE_KEYS = 12;

export interface QuickKeys {
  favourites: Product[];
  /** Main has answered (or failed to): the keys shown are all there will be for now. */
  answered: boolean;
}

let state: QuickKeys = { favourites: [], answered: false };
const listeners = new Set<() => void>();

function publish(next: QuickKeys): void {
  state = next;
  listeners.forEach((listener) => listener());
}

function ask(): void {
  call('catalog.search', { query: '', limit: FAVOURITE_KEYS }).then(
    (list) => publish({ favourites: list.filter((p) => p.favourite), answered: true }),
    // The keys stay as they were (none on a first start); searching still works.
    () => publish({ ...state, answered: true }),
  );
}

ask();
let firstVisit = true;

/** For the search box's mount: the first one uses the page's early answer, a later visit asks again. */
export function refreshQuickKeys(): void {
  if (firstVisit) firstVisit = false;
  else ask();
}

export function subscribeQuickKeys(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export const quickKeysNow = (): QuickKeys => state;

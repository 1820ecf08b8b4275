/**
 * Time, as everything below the app sees it. The Point clients and the checkout engine both take a
 * `Clock` so tests can drive them; this module imports nothing of theirs, so nothing runs back up.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

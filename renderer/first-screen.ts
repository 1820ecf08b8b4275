/**
 * When the first screen is complete: the sale screen with its quick keys painted (ProductSearch), the
 * first-run welcome (App), or at the latest FIRST_SCREEN_LATEST_MS after the page started. Work the
 * first screen does not need — the contract's schemas (ws-bridge.ts), the other screens' chunks
 * (App.tsx) — waits for it: left to idle callbacks alone, it ran in the idle gaps of the first load
 * (while a chunk or main's answer was on the wire) and pushed the quick keys back by its own length.
 */
const FIRST_SCREEN_LATEST_MS = 3000;

let done: () => void = () => undefined;
export const firstScreenShown = new Promise<void>((resolve) => (done = resolve));

/** Resolves firstScreenShown once what was just committed has been painted. */
export function markFirstScreen(): void {
  requestAnimationFrame(() => setTimeout(done, 0));
}

// Whatever the screen (a start error, a socket that never opens), the deferred work is not lost.
setTimeout(() => done(), FIRST_SCREEN_LATEST_MS);

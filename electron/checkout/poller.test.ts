/**
 * The poller's `soon` (a webhook's hint): it checks at once instead of waiting for the armed timer,
 * and a hint that arrives while a check is running (which may have read just before the change)
 * earns one more check as soon as that one ends, never a second check at the same time.
 */
import { expect, it } from 'vitest';
import type { Clock } from '../ground/clock';
import { Poller } from './poller';

/** Timers that fire only when the test says so. */
function manualClock(): Clock & { pending(): number[] } {
  let next = 0;
  const timers = new Map<number, { fn: () => void; ms: number }>();
  return {
    now: () => 0,
    setTimeout: (fn, ms) => {
      timers.set(++next, { fn, ms });
      return next;
    },
    clearTimeout: (h) => void timers.delete(h as number),
    pending: () => [...timers.values()].map((t) => t.ms),
  };
}

it('checks at once on a hint, and once more after a running check when the hint came during it', async () => {
  const clock = manualClock();
  const started: string[] = [];
  let release!: () => void;
  let running = 0;
  let overlap = false;
  const poller = new Poller(
    clock,
    async (id) => {
      started.push(id);
      running++;
      if (running > 1) overlap = true;
      if (started.length === 2) await new Promise<void>((r) => (release = r));
      running--;
      return 60_000;
    },
    () => undefined,
  );
  poller.track('a', 60_000);
  expect(clock.pending()).toEqual([60_000]);
  poller.soon('a'); // no waiting for the minute
  await expect.poll(() => started.length).toBe(1);
  await expect.poll(() => clock.pending()).toEqual([60_000]);

  poller.soon('a'); // second check starts and stays running
  await expect.poll(() => started.length).toBe(2);
  poller.soon('a'); // arrives during it: remembered, not run alongside
  poller.soon('a');
  expect(started.length).toBe(2);
  release();
  // The remembered hint re-arms at 0 instead of the check's own minute.
  await expect.poll(() => clock.pending()).toEqual([0]);
  expect(overlap).toBe(false);
  await poller.stop();
});

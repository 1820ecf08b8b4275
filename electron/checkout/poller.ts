/**
 * Schedules the checks of every live attempt. Each attempt has at most one check running and one
 * timer armed; a check returns when to look next (or null: done). The pace itself is decided by
 * `nextDelay`, and the HTTP layer independently refuses to read one resource faster than its limit,
 * so even a burst of `recheck` calls cannot earn a 429.
 */
import type { Clock } from '../ground/clock';

export type Step = (attemptId: string) => Promise<number | null>;

interface Tracked {
  timer: unknown;
  running: Promise<void> | null;
  /** News arrived while a check was running (it may have read too early): check again at once. */
  again?: boolean;
}

export class Poller {
  private readonly tracked = new Map<string, Tracked>();
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly step: Step,
    private readonly onError: (attemptId: string, error: unknown) => void,
  ) {}

  isTracking(attemptId: string): boolean {
    return this.tracked.has(attemptId);
  }

  /** Starts (or re-arms) checking an attempt after `delayMs`. */
  track(attemptId: string, delayMs: number): void {
    if (this.stopped) return;
    const t = this.tracked.get(attemptId) ?? { timer: null, running: null };
    this.tracked.set(attemptId, t);
    if (t.running) return; // the running check re-arms itself
    if (t.timer !== null) this.clock.clearTimeout(t.timer);
    t.timer = this.clock.setTimeout(() => {
      t.timer = null;
      void this.run(attemptId);
    }, delayMs);
  }

  /** Checks now (or joins the check already running) and resolves when it is done. */
  async now(attemptId: string): Promise<void> {
    if (this.stopped) return;
    const t = this.tracked.get(attemptId) ?? { timer: null, running: null };
    this.tracked.set(attemptId, t);
    if (t.running) return t.running;
    if (t.timer !== null) {
      this.clock.clearTimeout(t.timer);
      t.timer = null;
    }
    return this.run(attemptId);
  }

  /**
   * Something says the attempt changed (a webhook's hint): checks now, or, when a check is already
   * running (which may have read just before the change), once more as soon as it ends.
   */
  soon(attemptId: string): void {
    if (this.stopped) return;
    const t = this.tracked.get(attemptId);
    if (t?.running) {
      t.again = true;
      return;
    }
    void this.now(attemptId);
  }

  private run(attemptId: string): Promise<void> {
    const t = this.tracked.get(attemptId);
    if (!t || this.stopped) return Promise.resolve();
    const running = (async () => {
      let next: number | null;
      try {
        next = await this.step(attemptId);
      } catch (e) {
        this.onError(attemptId, e);
        next = 5000;
      }
      t.running = null;
      if (this.stopped) return;
      if (next === null) {
        this.tracked.delete(attemptId);
        return;
      }
      const again = t.again === true;
      t.again = false;
      this.track(attemptId, again ? 0 : next);
    })();
    t.running = running;
    return running;
  }

  untrack(attemptId: string): void {
    const t = this.tracked.get(attemptId);
    if (t?.timer) this.clock.clearTimeout(t.timer);
    this.tracked.delete(attemptId);
  }

  /** Stops every timer; checks already running finish but arm nothing new. */
  stop(): Promise<void> {
    this.stopped = true;
    const running: Promise<void>[] = [];
    for (const t of this.tracked.values()) {
      if (t.timer !== null) this.clock.clearTimeout(t.timer);
      if (t.running) running.push(t.running);
    }
    this.tracked.clear();
    return Promise.all(running).then(() => undefined);
  }
}

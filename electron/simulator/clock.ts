/**
 * The one clock every simulator timer and expiration runs on. In `real` mode it follows the wall
 * clock; in `manual` mode time stands still until `advance()` moves it, which is how tests walk a
 * charge through its states (or past an order's expiration) without sleeping.
 */
export type ClockMode = 'real' | 'manual';

interface Timer {
  id: number;
  due: number;
  fn: () => void;
}

export class SimClock {
  private mode: ClockMode = 'real';
  /** Real mode: now() = Date.now() + offset, so switching back from manual keeps time monotonic. */
  private offset = 0;
  private frozen = 0;
  private readonly timers = new Map<number, Timer>();
  private nextId = 1;
  private wakeUp: NodeJS.Timeout | null = null;
  private wakeUpAt = Infinity;
  private disposed = false;

  constructor(private readonly onError: (error: unknown) => void = () => undefined) {}

  now(): number {
    return this.mode === 'real' ? Date.now() + this.offset : this.frozen;
  }

  get currentMode(): ClockMode {
    return this.mode;
  }

  setTimer(ms: number, fn: () => void): number {
    const id = this.nextId++;
    this.timers.set(id, { id, due: this.now() + Math.max(0, ms), fn });
    this.arm();
    return id;
  }

  clearTimer(id: number | null | undefined): void {
    if (id == null) return;
    this.timers.delete(id);
    // Leaving the wake-up armed is harmless: it finds nothing due and re-arms.
  }

  setMode(mode: ClockMode): void {
    if (mode === this.mode) return;
    const now = this.now();
    this.mode = mode;
    if (mode === 'manual') {
      this.frozen = now;
      this.disarm();
    } else {
      this.offset = now - Date.now();
      this.arm();
    }
  }

  /** Moves time forward, firing every timer that falls due on the way, in order. */
  advance(ms: number): void {
    if (this.mode === 'real') {
      this.offset += ms;
      this.fireDue();
      return;
    }
    const target = this.frozen + ms;
    for (;;) {
      const next = this.earliest();
      if (!next || next.due > target) break;
      this.frozen = Math.max(this.frozen, next.due);
      this.timers.delete(next.id);
      this.run(next);
    }
    this.frozen = target;
  }

  /** Drops every timer and returns to real time (a reset). */
  reset(): void {
    this.timers.clear();
    this.disarm();
    this.offset = 0;
    this.mode = 'real';
  }

  dispose(): void {
    this.disposed = true;
    this.timers.clear();
    this.disarm();
  }

  private earliest(): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.timers.values()) {
      if (!best || t.due < best.due || (t.due === best.due && t.id < best.id)) best = t;
    }
    return best;
  }

  private run(timer: Timer): void {
    try {
      timer.fn();
    } catch (error) {
      this.onError(error);
    }
  }

  private fireDue(): void {
    const now = this.now();
    const due = [...this.timers.values()].filter((t) => t.due <= now).sort((a, b) => a.due - b.due || a.id - b.id);
    for (const t of due) {
      if (!this.timers.delete(t.id)) continue; // cleared by an earlier timer in this batch
      this.run(t);
    }
    this.arm();
  }

  private disarm(): void {
    if (this.wakeUp) clearTimeout(this.wakeUp);
    this.wakeUp = null;
    this.wakeUpAt = Infinity;
  }

  private arm(): void {
    if (this.mode !== 'real' || this.disposed) return;
    const next = this.earliest();
    if (!next) return this.disarm();
    if (this.wakeUp && this.wakeUpAt <= next.due) return;
    this.disarm();
    this.wakeUpAt = next.due;
    this.wakeUp = setTimeout(() => {
      this.wakeUp = null;
      this.wakeUpAt = Infinity;
      this.fireDue();
    }, Math.max(0, next.due - this.now()));
    // The HTTP server keeps the process alive while it listens; a pending charge alone must not.
    this.wakeUp.unref();
  }
}

/**
 * The request log behind `/__sim/requests`: what tests assert on ("the client sent one create, with
 * this key"). It keeps the method, path, query, user, idempotency key, status and parsed body, and
 * never the Authorization header.
 */
import type { RecordedRequest } from './control-api';

/** Enough for any test or soak; the oldest entries go first beyond it. */
const MAX_ENTRIES = 100_000;

export interface RecordedEntry extends RecordedRequest {
  /** Which fault, if any, shaped the answer (visible in the raw JSON, not in the shared schema). */
  fault?: 'drop' | 'fail' | 'lose';
}

export class Recorder {
  private entries: RecordedEntry[] = [];
  private seq = 0;

  record(entry: Omit<RecordedEntry, 'seq'>): RecordedEntry {
    const full: RecordedEntry = { seq: ++this.seq, ...entry };
    this.entries.push(full);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
    return full;
  }

  since(seq: number): RecordedEntry[] {
    if (seq <= 0) return [...this.entries];
    // Entries are in seq order: find the first one after `seq` without scanning from the start.
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.entries[mid]!.seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    return this.entries.slice(lo);
  }

  clear(): void {
    this.entries = [];
  }
}

/**
 * The outbox's window on this till's journal: events after a seq, the sales they touch, and the few
 * facts the outbox keeps about itself in the journal's `meta` table.
 *
 * A connection of its own (`Journal`, same file, WAL): reads never wait on the engine's writes, and
 * nothing in the engine changes for the outbox. The schema is the journal's own (`Journal` runs the
 * same migrations the engine already ran, a no-op); the outbox writes nothing but its meta keys.
 */
import { randomUUID } from 'node:crypto';
import type { CartLine } from '../../shared/contract';
import { Journal, type EventRow, type SaleRow } from '../checkout/journal';

export interface OutboxSale {
  row: SaleRow;
  lines: CartLine[];
}

export interface OutboxBatch {
  events: EventRow[];
  /** Every sale an event of the batch belongs to, as it stands now (never older than the events). */
  sales: OutboxSale[];
}

export interface OutboxJournal {
  /** This journal's own id, made once and kept in it: the shop keys events by (till, journal, seq). */
  readonly id: string;
  readBatch(afterSeq: number, limit: number): OutboxBatch;
  /** Events after `seq` not yet pushed. */
  countAfter(seq: number): number;
  /** What the last successful push reached (a local note for the pending count while offline). */
  pushedSeq(): number;
  lastSyncAt(): number | null;
  notePushed(seq: number, at: number): void;
  close(): void;
}

const ID_KEY = 'outbox_journal_id';
const PUSHED_KEY = 'outbox_pushed_seq';
const SYNCED_KEY = 'outbox_synced_at';

export function openOutboxJournal(path: string): OutboxJournal {
  const journal = new Journal(path);
  let id = journal.getMeta(ID_KEY);
  if (!id) {
    id = randomUUID();
    journal.setMeta(ID_KEY, id);
  }
  // Cached: the status bar asks often, and only this module writes them.
  let pushed = Number(journal.getMeta(PUSHED_KEY) ?? 0);
  let synced: number | null = journal.getMeta(SYNCED_KEY) === null ? null : Number(journal.getMeta(SYNCED_KEY));
  return {
    id,
    readBatch(afterSeq, limit) {
      const events = journal.all<EventRow>('SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?', afterSeq, limit);
      const ids = [...new Set(events.map((e) => e.sale_id).filter((s): s is string => s !== null))];
      const sales: OutboxSale[] = [];
      for (const saleId of ids) {
        const row = journal.getSale(saleId);
        if (row) sales.push({ row: { ...row }, lines: journal.lines(saleId) });
      }
      return { events: events.map((e) => ({ ...e })), sales };
    },
    countAfter: (seq) => journal.get<{ n: number }>('SELECT count(*) AS n FROM events WHERE seq > ?', seq)?.n ?? 0,
    pushedSeq: () => pushed,
    lastSyncAt: () => synced,
    notePushed(seq, at) {
      pushed = seq;
      synced = at;
      journal.tx(() => {
        journal.setMeta(PUSHED_KEY, String(seq));
        journal.setMeta(SYNCED_KEY, String(at));
      });
    },
    close: () => journal.close(),
  };
}

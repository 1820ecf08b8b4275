/**
 * The outbox: every event of this till's journal pushed once to the shop's PostgreSQL, in seq order,
 * in batches, in the background; with each batch, the snapshot of every sale it touches.
 *
 * Once and in order: a batch is one transaction (events `ON CONFLICT DO NOTHING`, sales replaced only
 * by a snapshot at least as new), so the server always holds a gap-free prefix of this journal. That
 * is why the cursor is the server's own `max(seq)` for (till, journal), asked on every (re)connect and
 * after every failure: a push that died before COMMIT left nothing, one that died after COMMIT but
 * before we heard is found there, and a server restored from an older backup is refilled. A delivery
 * twice (a retry after a lost COMMIT answer, a second till process on the same folder) inserts
 * nothing twice. The local note of how far we got (journal meta) only counts "pending" while offline.
 *
 * Woken by the engine's sale changes, and a slow tick for events that change no sale view; a failure
 * backs off (1 s doubling to 30 s) and is shown as the link's problem, the till selling on regardless.
 */
import type { ShopProblem } from './shop-problems';
import { classifyPgError } from './shop-problems';
import type { OutboxStatus, ShopContext, ShopLinkDeps, ShopPart } from './shop-link';
import type { OutboxBatch, OutboxJournal } from './outbox-journal';
import type pg from 'pg';

export interface Outbox extends ShopPart {
  outboxStatus(): OutboxStatus;
  /** Pushes what is pending now (tests and the bench; the loop does it by itself). */
  flush(): Promise<void>;
}

export interface OutboxOptions {
  batchSize?: number;
  /** Back-off after a failed push. */
  retryMs?: { min: number; max: number };
  /** Look for new events this often even without a sale change (events of no sale, missed wakes). */
  tickMs?: number;
}

export const OUTBOX_BATCH = 500;

/** Writes one batch in the caller's transaction; exported for the bench and the duplicate-delivery test. */
export async function pushBatch(
  client: pg.PoolClient | pg.Client,
  ctx: Pick<ShopContext, 'shopId' | 'tillId'>,
  journalId: string,
  batch: OutboxBatch,
): Promise<number> {
  if (batch.events.length === 0) return 0;
  // One parameter per table (a JSON array of rows): one round trip whatever the batch size.
  const events = batch.events.map((e) => ({
    seq: e.seq,
    sale_id: e.sale_id,
    attempt_id: e.attempt_id,
    refund_id: e.refund_id,
    kind: e.kind,
    state: e.state,
    at: e.at,
    data: parseJson(e.data),
    reason_code: e.reason_code,
    reason_params: parseJson(e.reason_params),
  }));
  const inserted = await client.query(
    `INSERT INTO events (till_id, journal_id, seq, shop_id, sale_id, attempt_id, refund_id, kind, state, at, data, reason_code, reason_params)
     SELECT $2, $3, r.seq, $1, r.sale_id, r.attempt_id, r.refund_id, r.kind, r.state, to_timestamp(r.at / 1000.0), r.data, r.reason_code, r.reason_params
       FROM jsonb_to_recordset($4::jsonb) AS r(seq BIGINT, sale_id TEXT, attempt_id TEXT, refund_id TEXT, kind TEXT, state TEXT, at BIGINT,
            data JSONB, reason_code TEXT, reason_params JSONB)
     ON CONFLICT (till_id, journal_id, seq) DO NOTHING`,
    [ctx.shopId, ctx.tillId, journalId, JSON.stringify(events)],
  );
  if (batch.sales.length > 0) {
    const sales = batch.sales.map(({ row: s, lines }) => ({
      id: s.id,
      register: s.register,
      state: s.state,
      total: s.total,
      cart_discount: s.cart_discount,
      currency: s.currency,
      site: s.site,
      day: s.day,
      terminal_id: s.terminal_id,
      family: s.family,
      external_reference: s.external_reference,
      payment_id: s.payment_id,
      card_brand: s.card_brand,
      card_last4: s.card_last4,
      refunded_amount: s.refunded_amount,
      created_at: s.created_at,
      updated_at: s.updated_at,
      lines,
      reason_code: s.reason_code,
      reason_params: parseJson(s.reason_params),
      error_code: s.error_code,
      message: s.message,
      search_text: s.search_text,
    }));
    // `<=`: the same snapshot delivered twice rewrites the same values; an older one never wins.
    await client.query(
      `INSERT INTO sales (id, shop_id, till_id, journal_id, register, state, total, cart_discount, currency, site, day, terminal_id, family,
         external_reference, payment_id, card_brand, card_last4, refunded_amount, created_at, updated_at, lines, reason_code, reason_params,
         error_code, message, search_text)
       SELECT r.id, $1, $2, $3, r.register, r.state, r.total, r.cart_discount, r.currency, r.site, r.day, r.terminal_id, r.family,
         r.external_reference, r.payment_id, r.card_brand, r.card_last4, r.refunded_amount, to_timestamp(r.created_at / 1000.0),
         to_timestamp(r.updated_at / 1000.0), r.lines, r.reason_code, r.reason_params, r.error_code, r.message, coalesce(r.search_text, '')
         FROM jsonb_to_recordset($4::jsonb) AS r(id TEXT, register TEXT, state TEXT, total BIGINT, cart_discount BIGINT, currency TEXT, site TEXT,
              day TEXT, terminal_id TEXT, family TEXT, external_reference TEXT, payment_id TEXT, card_brand TEXT, card_last4 TEXT,
              refunded_amount BIGINT, created_at BIGINT, updated_at BIGINT, lines JSONB, reason_code TEXT, reason_params JSONB,
              error_code TEXT, message TEXT, search_text TEXT)
       ON CONFLICT (id) DO UPDATE SET
         state = EXCLUDED.state, total = EXCLUDED.total, cart_discount = EXCLUDED.cart_discount, terminal_id = EXCLUDED.terminal_id,
         family = EXCLUDED.family, external_reference = EXCLUDED.external_reference, payment_id = EXCLUDED.payment_id,
         card_brand = EXCLUDED.card_brand, card_last4 = EXCLUDED.card_last4, refunded_amount = EXCLUDED.refunded_amount,
         updated_at = EXCLUDED.updated_at, lines = EXCLUDED.lines, reason_code = EXCLUDED.reason_code,
         reason_params = EXCLUDED.reason_params, error_code = EXCLUDED.error_code, message = EXCLUDED.message,
         search_text = EXCLUDED.search_text
       WHERE sales.updated_at <= EXCLUDED.updated_at`,
      [ctx.shopId, ctx.tillId, journalId, JSON.stringify(sales)],
    );
  }
  // Tills showing shop-wide history refresh on this (delivered at COMMIT, not before).
  await client.query("SELECT pg_notify('caja_sales', $1)", [ctx.shopId]);
  return inserted.rowCount ?? 0;
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    // Never lose an event over a malformed blob: keep its text.
    return { text };
  }
}

/** The server's gap-free prefix of this journal ends here. */
export async function serverSeq(ctx: Pick<ShopContext, 'db' | 'tillId'>, journalId: string): Promise<number> {
  const rows = await ctx.db.query<{ seq: string | null }>(
    'SELECT max(seq) AS seq FROM events WHERE till_id = $1 AND journal_id = $2',
    [ctx.tillId, journalId],
  );
  return Number(rows[0]?.seq ?? 0);
}

export function startOutbox(ctx: ShopContext, deps: ShopLinkDeps, journal: OutboxJournal, options: OutboxOptions = {}): Outbox {
  const batchSize = options.batchSize ?? OUTBOX_BATCH;
  const retry = options.retryMs ?? { min: 1_000, max: 30_000 };
  const tickMs = options.tickMs ?? 5_000;
  let cursor: number | null = null;
  /** When a drain last ended with nothing pending (memory only: the journal keeps the last push's time). */
  let checkedAt: number | null = null;
  let problem: ShopProblem | null = null;
  let stopped = false;
  let dirty = true;
  let wake: (() => void) | null = null;
  let running: Promise<void> | null = null;

  const poke = () => {
    dirty = true;
    wake?.();
  };
  const offSale = deps.engine.onSaleChanged(poke);

  /** Pushes until nothing is pending; throws what the server threw. */
  async function drain(): Promise<void> {
    if (cursor === null) cursor = await serverSeq(ctx, journal.id);
    for (;;) {
      dirty = false;
      const batch = journal.readBatch(cursor, batchSize);
      if (batch.events.length === 0) {
        if (journal.pushedSeq() !== cursor) journal.notePushed(cursor, Date.now());
        // Up to date as of now: "synced" means the server was checked to hold everything, even with nothing new.
        const first = checkedAt === null;
        checkedAt = Date.now();
        if (first) deps.changed();
        return;
      }
      await ctx.db.tx((client) => pushBatch(client, ctx, journal.id, batch));
      cursor = batch.events[batch.events.length - 1]!.seq;
      journal.notePushed(cursor, Date.now());
      deps.changed();
      if (stopped) return;
    }
  }

  // One drain at a time: the loop and flush() share it.
  const drainOnce = (): Promise<void> => {
    running ??= drain().finally(() => (running = null));
    return running;
  };

  const loop = (async () => {
    let delay = retry.min;
    while (!stopped) {
      try {
        await drainOnce();
        if (problem !== null) {
          problem = null;
          deps.changed();
        }
        delay = retry.min;
        if (!dirty) await sleep(tickMs, true);
      } catch (error) {
        // Whatever happened, the server's own seq is asked again before the next push.
        cursor = null;
        const next = classifyPgError(error);
        if (next !== problem) {
          problem = next;
          deps.changed();
        }
        ctx.log.warn('outbox: push failed; retrying', { problem, inMs: delay });
        // Not woken by sales: a server that is down is asked at the back-off's pace, however busy the till.
        await sleep(delay, false);
        delay = Math.min(delay * 2, retry.max);
      }
    }
  })();

  let interrupt: (() => void) | null = null;
  function sleep(ms: number, wakeable: boolean): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref?.();
      function done() {
        clearTimeout(timer);
        wake = null;
        interrupt = null;
        resolve();
      }
      if (wakeable) wake = done;
      interrupt = done;
    });
  }

  return {
    outboxStatus: () => ({
      pending: journal.countAfter(cursor ?? journal.pushedSeq()),
      lastSyncAt: Math.max(checkedAt ?? 0, journal.lastSyncAt() ?? 0) || null,
      problem,
    }),
    flush: () => drainOnce(),
    async stop() {
      stopped = true;
      offSale();
      interrupt?.();
      await loop;
    },
  };
}

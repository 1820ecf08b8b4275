/**
 * The shop's terminal board: which till is charging on which terminal right now, kept in the shop's
 * PostgreSQL so that two tills never send two charges to one terminal, and every till's picker says
 * "busy — Till 3" the moment another till starts.
 *
 * Rules (docs/multi-register.md, "Terminal board", says them for people):
 * - A claim is one row per (shop, terminal), taken in one statement (`INSERT … ON CONFLICT DO UPDATE
 *   … WHERE` the row is this till's), BEFORE the attempt is journaled: the till that loses the race
 *   journals nothing and sends nothing to Mercado Pago.
 * - The claiming till deletes its row when the attempt settles (the journal's verdict, i.e. Mercado
 *   Pago's evidence, or a person resolving it by hand on that till). That release is the only
 *   "settled in the shop's data" the board trusts; the other way a claim goes is a manager's release
 *   from the Devices screen, recorded in `terminal_claim_releases` and in the releasing till's journal.
 *   Never a timer: a till that died mid-charge may still have a card on the terminal.
 * - On start (and after the server comes back) a till re-claims what its journal holds unsettled and
 *   releases its other claims (`holding`). A crashed till that restarts thus takes its terminal back
 *   if it is still free; if a manager released it and another till took it, the first till's charge
 *   is still watched to its end as always, and the conflict is logged.
 * - Shop server unreachable: the claim gives up after `claimTimeoutMs` (default 1.5 s) and says
 *   "unchecked"; the charge then goes on under today's rules (this till's journal allows one sale per
 *   terminal, and Mercado Pago answers 409 to a second charge on a busy terminal). The board is marked
 *   unreachable (TerminalView.board.reachable false, shown as a note in the picker), further claims
 *   skip the server for `retryMs` instead of each waiting, and what was claimed or released meanwhile
 *   is written when the server answers again. Chosen over refusing to charge: a shop must keep selling
 *   when the back office is down, and the 409 still stops the double charge the board would have.
 *
 * The engine holds a `ClaimsSlot` (created with the engine, before any shop link exists); the board
 * attaches to it when the shop link starts and detaches when it stops. Without a board the slot only
 * keeps this till's holds: local rules, exactly as before.
 */
import type pg from 'pg';
import type { TerminalView } from '../../shared/contract';
import { CajaError } from '../../shared/errors';
import type { CheckoutEngine, ClaimRelease, TerminalClaimResult, TerminalClaims, TerminalHold } from '../checkout/engine-api';
import type { Logger } from '../ground/logger';
import type { ShopDb, Unlisten } from './shop-db';
import { classifyPgError } from './shop-problems';

/** The shape S1's `ShopContext` (shop-link.ts) gives every part. */
export interface BoardContext {
  db: ShopDb;
  shopId: string;
  tillId: string;
  tillName: string;
  log: Logger;
}

export const BOARD_CHANNEL = 'caja_board';

export interface BoardClaim {
  terminalId: string;
  tillId: string;
  till: string;
  saleId: string;
  since: number;
}

type BoardView = NonNullable<TerminalView['board']>;

/** Where the engine's claims go: to the board when one is attached, nowhere otherwise. */
export class ClaimsSlot implements TerminalClaims {
  /** Terminal → sale this till holds (claimed, or unsettled in its journal). */
  readonly holds = new Map<string, string>();
  private board: TerminalBoard | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly releaseListeners = new Set<(release: ClaimRelease) => void>();

  attach(board: TerminalBoard | null): void {
    this.board = board;
    this.changed();
  }

  changed(): void {
    for (const l of this.listeners) l();
  }

  async claim(terminalId: string, saleId: string): Promise<TerminalClaimResult> {
    const held = this.holds.get(terminalId);
    // One claim per terminal in this till too: a second charge racing the first (before either is
    // journaled) must not overwrite the first one's row with its own.
    if (held !== undefined && held !== saleId) return { ok: false, till: this.board?.tillName ?? null, saleId: held };
    this.holds.set(terminalId, saleId);
    const board = this.board;
    if (!board) return { ok: true, checked: false };
    const r = await board.claimRemote(terminalId, saleId);
    if (!r.ok && this.holds.get(terminalId) === saleId) this.holds.delete(terminalId);
    return r;
  }

  release(terminalId: string, saleId: string): void {
    if (this.holds.get(terminalId) === saleId) this.holds.delete(terminalId);
    this.board?.releaseRemote(terminalId, saleId);
  }

  holding(holds: readonly TerminalHold[]): void {
    this.holds.clear();
    for (const h of holds) this.holds.set(h.terminalId, h.saleId);
    void this.board?.sync();
  }

  boardOf(terminalId: string): TerminalView['board'] {
    return this.board ? this.board.viewOf(terminalId) : undefined;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onManagerRelease(listener: (release: ClaimRelease) => void): () => void {
    this.releaseListeners.add(listener);
    return () => this.releaseListeners.delete(listener);
  }

  /** Tells the engine of a manager's release (it journals it); throws what the journal threw. */
  released(release: ClaimRelease): void {
    for (const l of this.releaseListeners) l(release);
  }

  /**
   * The manager's "release claim" (Devices screen): refused when this till has no board to release on.
   * The engine journals it inside the shop's transaction: if the journal cannot take it, the claim stays.
   */
  async releaseClaim(terminalId: string, by: string): Promise<BoardClaim | null> {
    if (!this.board)
      throw new CajaError(
        'CONFLICT',
        "This till is not connected to the shop server, so it cannot release another till's claim. Try again when it is connected.",
      );
    return this.board.releaseClaim(terminalId, by, (release) => this.released(release));
  }
}

/** One per engine lifetime is fine; services keep one for the app's life and give it to each engine. */
export function createClaimsSlot(): ClaimsSlot {
  return new ClaimsSlot();
}

export interface TerminalBoardDeps {
  slot: ClaimsSlot;
  /** The engine of the moment, to mirror the allow-lists (absent in tests of the claims alone). */
  engine?: () => CheckoutEngine | null;
  /** How long a claim may wait on the server before the charge goes on unchecked. */
  claimTimeoutMs?: number;
  /** After a failure, how long claims skip the server, and how often the board tries to catch up. */
  retryMs?: number;
}

export interface TerminalBoard {
  readonly tillName: string;
  readonly reachable: boolean;
  claims(): BoardClaim[];
  viewOf(terminalId: string): BoardView;
  claimRemote(terminalId: string, saleId: string): Promise<TerminalClaimResult>;
  releaseRemote(terminalId: string, saleId: string): void;
  /** Writes this till's holds to the server (re-claims them, releases its other claims) and reloads. */
  sync(): Promise<void>;
  /**
   * A manager frees a terminal another till holds (that till crashed, its sale settled elsewhere).
   * `record` runs before the release commits; if it throws, nothing is released.
   */
  releaseClaim(terminalId: string, by: string, record?: (release: ClaimRelease) => void): Promise<BoardClaim | null>;
  /** Shares this till's allow-list for a terminal with the shop (the Devices screen changed it). */
  publishAssignment(terminalId: string, registers: readonly string[]): Promise<void>;
  /** The shop's allow-lists. */
  assignments(): Promise<Map<string, string[]>>;
  reload(): Promise<void>;
  stop(): Promise<void>;
}

class TimedOut extends Error {}

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  // The query goes on after we stop waiting: whatever it does, `sync` makes the server agree later.
  p.catch(() => undefined);
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new TimedOut('shop server too slow')), ms);
      timer.unref?.();
    }),
  ]).finally(() => clearTimeout(timer));
}

async function notify(c: pg.PoolClient, shopId: string): Promise<void> {
  await c.query('SELECT pg_notify($1, $2)', [BOARD_CHANNEL, shopId]);
}

interface ClaimRow {
  terminal_id: string;
  till_id: string;
  sale_id: string;
  claimed_at: Date;
  till_name: string | null;
}

interface ReleaseRow {
  id: string;
  terminal_id: string;
  sale_id: string;
  claimed_at: Date;
  released_at: Date;
  released_by: string;
  by_till: string | null;
}

const toClaim = (r: ClaimRow): BoardClaim => ({
  terminalId: r.terminal_id,
  tillId: r.till_id,
  till: r.till_name ?? r.till_id.slice(0, 8),
  saleId: r.sale_id,
  since: r.claimed_at.getTime(),
});

export async function startTerminalBoard(ctx: BoardContext, deps: TerminalBoardDeps): Promise<TerminalBoard> {
  const { db, shopId, tillId, tillName, log } = ctx;
  const { slot } = deps;
  const claimTimeoutMs = deps.claimTimeoutMs ?? 1500;
  const retryMs = deps.retryMs ?? 5000;
  let current = new Map<string, BoardClaim>();
  let reachable = true;
  /** Until then claims do not wait on a server that just failed. */
  let skipUntil = 0;
  /** Something this till claimed or released did not reach the server. */
  let dirty = false;
  let stopped = false;
  let retryTimer: NodeJS.Timeout | null = null;
  /** The allow-lists as last agreed with the shop (terminal → sorted registers). */
  let agreed = new Map<string, string[]>();

  const setReachable = (ok: boolean) => {
    if (ok === reachable) return;
    reachable = ok;
    log[ok ? 'info' : 'warn'](
      ok ? 'terminal board: shop server back' : 'terminal board: shop server unreachable; claims checked on this till only',
    );
    slot.changed();
  };

  const failed = (what: string, error: unknown) => {
    if (stopped) return;
    dirty = true;
    skipUntil = Date.now() + retryMs;
    log.warn(`terminal board: ${what} failed`, { problem: error instanceof TimedOut ? 'unreachable' : classifyPgError(error) });
    setReachable(false);
    scheduleRetry();
  };

  const scheduleRetry = () => {
    if (stopped || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (dirty || !reachable) void board.sync();
    }, retryMs);
    retryTimer.unref?.();
  };

  async function loadClaims(client?: pg.PoolClient): Promise<Map<string, BoardClaim>> {
    const sql = `SELECT c.terminal_id, c.till_id, c.sale_id, c.claimed_at, t.name AS till_name
                 FROM terminal_claims c LEFT JOIN tills t ON t.id = c.till_id WHERE c.shop_id = $1`;
    const rows = client ? (await client.query<ClaimRow>(sql, [shopId])).rows : await db.query<ClaimRow>(sql, [shopId]);
    return new Map(rows.map((r) => [r.terminal_id, toClaim(r)]));
  }

  /** Takes the terminal for this sale unless another till holds it; returns the holder when not. */
  async function claimIn(c: pg.PoolClient, terminalId: string, saleId: string): Promise<BoardClaim | null> {
    // Same till: its own journal already allows one sale per terminal, so its row may be replaced.
    const taken = await c.query(
      `INSERT INTO terminal_claims (shop_id, terminal_id, till_id, sale_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (shop_id, terminal_id) DO UPDATE
         SET sale_id = EXCLUDED.sale_id,
             claimed_at = CASE WHEN terminal_claims.sale_id = EXCLUDED.sale_id THEN terminal_claims.claimed_at ELSE now() END
         WHERE terminal_claims.till_id = EXCLUDED.till_id
       RETURNING 1`,
      [shopId, terminalId, tillId, saleId],
    );
    if (taken.rowCount) return null;
    // ON CONFLICT locked the holder's row even though it did not update it: this read is current.
    const { rows } = await c.query<ClaimRow>(
      `SELECT c.terminal_id, c.till_id, c.sale_id, c.claimed_at, t.name AS till_name
       FROM terminal_claims c LEFT JOIN tills t ON t.id = c.till_id WHERE c.shop_id = $1 AND c.terminal_id = $2`,
      [shopId, terminalId],
    );
    return rows[0] ? toClaim(rows[0]) : null;
  }

  /**
   * A manager (on another till, or on this one) released claims of these sales of this till: each
   * release is journaled under its sale here too (the engine keeps one line per release), so this
   * till's own evidence says why another till could charge on a terminal its sale still held. Asked
   * on every sync (a restart, the server back) and when a claim this till holds vanished from the board.
   */
  async function noteReleases(saleIds: string[]): Promise<void> {
    if (saleIds.length === 0 || stopped) return;
    let rows: ReleaseRow[];
    try {
      rows = await db.query<ReleaseRow>(
        `SELECT r.id, r.terminal_id, r.sale_id, r.claimed_at, r.released_at, r.released_by, t.name AS by_till
           FROM terminal_claim_releases r LEFT JOIN tills t ON t.id = r.released_by_till
          WHERE r.shop_id = $1 AND r.till_id = $2 AND r.sale_id = ANY($3::text[]) ORDER BY r.id`,
        [shopId, tillId, saleIds],
      );
    } catch (error) {
      log.warn("terminal board: releases of this till's claims not read", { problem: classifyPgError(error) });
      return;
    }
    for (const r of rows) {
      try {
        slot.released({
          releaseId: String(r.id),
          terminalId: r.terminal_id,
          saleId: r.sale_id,
          till: tillName,
          tillId,
          claimedAt: r.claimed_at.getTime(),
          releasedAt: r.released_at.getTime(),
          by: r.released_by,
          byTill: r.by_till ?? 'another till',
        });
      } catch (error) {
        log.warn("terminal board: a manager's release of this till's claim not journaled", {
          saleId: r.sale_id,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }

  const board: TerminalBoard = {
    tillName,
    get reachable() {
      return reachable;
    },

    claims: () => [...current.values()],

    viewOf(terminalId) {
      const c = current.get(terminalId);
      return {
        reachable,
        claim: c ? { tillId: c.tillId, till: c.till, saleId: c.saleId, since: c.since, mine: c.tillId === tillId } : null,
      };
    },

    async claimRemote(terminalId, saleId) {
      if (stopped || Date.now() < skipUntil) {
        dirty = true;
        scheduleRetry();
        return { ok: true, checked: false };
      }
      try {
        const holder = await within(
          db.tx(async (c) => {
            const h = await claimIn(c, terminalId, saleId);
            if (!h) await notify(c, shopId);
            return h;
          }),
          claimTimeoutMs,
        );
        setReachable(true);
        if (holder) {
          current.set(terminalId, holder);
          slot.changed();
          return { ok: false, till: holder.till, saleId: holder.saleId };
        }
        current.set(terminalId, { terminalId, tillId, till: tillName, saleId, since: Date.now() });
        slot.changed();
        return { ok: true, checked: true };
      } catch (error) {
        failed('claim', error);
        return { ok: true, checked: false };
      }
    },

    releaseRemote(terminalId, saleId) {
      const mine = current.get(terminalId);
      if (mine && mine.tillId === tillId && mine.saleId === saleId) {
        current.delete(terminalId);
        slot.changed();
      }
      if (stopped) return;
      void db
        .tx(async (c) => {
          const r = await c.query(
            'DELETE FROM terminal_claims WHERE shop_id = $1 AND terminal_id = $2 AND till_id = $3 AND sale_id = $4',
            [shopId, terminalId, tillId, saleId],
          );
          if (r.rowCount) await notify(c, shopId);
        })
        .then(
          () => setReachable(true),
          (error: unknown) => failed('release', error),
        );
    },

    async sync() {
      if (stopped) return;
      const holds = [...slot.holds.entries()];
      try {
        const conflicts = await db.tx(async (c) => {
          // This till's claims its journal no longer holds: their sales settled while the server was away.
          await c.query(
            `DELETE FROM terminal_claims WHERE shop_id = $1 AND till_id = $2
               AND NOT ((terminal_id, sale_id) IN (SELECT * FROM unnest($3::text[], $4::text[])))`,
            [shopId, tillId, holds.map((h) => h[0]), holds.map((h) => h[1])],
          );
          const lost: BoardClaim[] = [];
          for (const [terminalId, saleId] of holds) {
            const holder = await claimIn(c, terminalId, saleId);
            if (holder) lost.push(holder);
          }
          await notify(c, shopId);
          return lost;
        });
        for (const h of conflicts) {
          // Only after a manager's release (or while this till was cut off): Mercado Pago's 409 and
          // the watcher still protect the sale; a person should know two tills met on one terminal.
          log.warn('terminal board: a terminal this till has an unsettled sale on is claimed by another till', {
            terminalId: h.terminalId,
            till: h.till,
          });
        }
        dirty = false;
        skipUntil = 0;
        // A LISTEN that could not start (server down at start) is started once the server answers.
        if (!unlisten && !listening) void startListening();
        current = await loadClaims();
        setReachable(true);
        slot.changed();
      } catch (error) {
        failed('sync', error);
        return;
      }
      await noteReleases(holds.map((h) => h[1]));
    },

    async releaseClaim(terminalId, by, record) {
      const released = await db.tx(async (c) => {
        const { rows } = await c.query<ClaimRow>(
          `DELETE FROM terminal_claims c WHERE c.shop_id = $1 AND c.terminal_id = $2
           RETURNING c.terminal_id, c.till_id, c.sale_id, c.claimed_at,
                     (SELECT name FROM tills WHERE id = c.till_id) AS till_name`,
          [shopId, terminalId],
        );
        const r = rows[0];
        if (!r) return null;
        const logged = await c.query<{ id: string; released_at: Date }>(
          `INSERT INTO terminal_claim_releases (shop_id, terminal_id, till_id, sale_id, claimed_at, released_by_till, released_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, released_at`,
          [shopId, terminalId, r.till_id, r.sale_id, r.claimed_at, tillId, by],
        );
        const claim = toClaim(r);
        const row = logged.rows[0]!;
        record?.({
          releaseId: String(row.id),
          terminalId,
          saleId: claim.saleId,
          till: claim.till,
          tillId: claim.tillId,
          claimedAt: claim.since,
          releasedAt: row.released_at.getTime(),
          by,
          byTill: tillName,
        });
        await notify(c, shopId);
        return claim;
      });
      if (released)
        log.info('terminal board: claim released by a manager', { terminalId, till: released.till, saleId: released.saleId, by });
      current.delete(terminalId);
      slot.changed();
      return released;
    },

    async publishAssignment(terminalId, registers) {
      const list = [...new Set(registers)].sort();
      agreed.set(terminalId, list);
      await db.tx(async (c) => {
        await c.query(
          `INSERT INTO terminal_assignments (shop_id, terminal_id, registers, updated_by_till) VALUES ($1, $2, $3, $4)
           ON CONFLICT (shop_id, terminal_id) DO UPDATE SET registers = EXCLUDED.registers,
             updated_by_till = EXCLUDED.updated_by_till, updated_at = now()`,
          [shopId, terminalId, list, tillId],
        );
        await c.query('SELECT pg_notify($1, $2)', [BOARD_CHANNEL, `${shopId}\nassign`]);
      });
    },

    async assignments() {
      const rows = await db.query<{ terminal_id: string; registers: string[] }>(
        'SELECT terminal_id, registers FROM terminal_assignments WHERE shop_id = $1',
        [shopId],
      );
      return new Map(rows.map((r) => [r.terminal_id, [...r.registers].sort()]));
    },

    async reload() {
      try {
        current = await loadClaims();
        setReachable(true);
        slot.changed();
      } catch (error) {
        failed('reload', error);
        return;
      }
      const gone = [...slot.holds].filter(([terminalId, saleId]) => {
        const c = current.get(terminalId);
        return !c || c.tillId !== tillId || c.saleId !== saleId;
      });
      await noteReleases(gone.map((h) => h[1]));
    },

    async stop() {
      // Never releases: a till that stops with a charge open still holds its terminal (see header).
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      offEngine();
      slot.attach(null);
      await unlisten?.();
    },
  };

  /**
   * Allow-lists: the shop's copy wins when it has one for a terminal (another till's manager set it);
   * a list changed on this till (seen in the engine's terminal views) is published. `agreed` is what
   * the shop last said and `seen` what this till's views last showed: only a change of this till's own
   * list is published, never a view that merely has not caught up with the shop yet.
   */
  let offEngine: () => void = () => undefined;
  let applying = false;
  const seen = new Map<string, string>();
  const key = (list: readonly string[]) => [...list].sort().join('\n');
  const mirrorAssignments = async (): Promise<void> => {
    const engine = deps.engine?.();
    if (!engine || stopped) return;
    const shop = await board.assignments();
    agreed = shop;
    let local: TerminalView[];
    try {
      // Mercado Pago's list (a token problem, no network): the lists wait for the next change.
      local = await engine.listTerminals();
    } catch (error) {
      log.warn('terminal board: allow-lists not mirrored (terminal list unavailable)', {
        code: (error as { code?: string }).code ?? 'INTERNAL',
      });
      return;
    }
    applying = true;
    try {
      for (const t of local) {
        const want = shop.get(t.id);
        const have = [...t.allowed].sort();
        seen.set(t.id, key(want ?? have));
        if (want && key(want) !== key(have)) await engine.assignTerminal(t.id, want);
        else if (!want && have.length > 0) await board.publishAssignment(t.id, have);
      }
    } finally {
      applying = false;
    }
  };
  const watchEngine = () => {
    const engine = deps.engine?.();
    if (!engine) return;
    offEngine = engine.onTerminalsChanged((views) => {
      if (stopped) return;
      for (const t of views) {
        const now = key(t.allowed);
        const before = seen.get(t.id);
        seen.set(t.id, now);
        if (applying || before === undefined || before === now || now === key(agreed.get(t.id) ?? [])) continue;
        board.publishAssignment(t.id, t.allowed).catch((error: unknown) => failed('assignment', error));
      }
    });
  };

  let unlisten: Unlisten | null = null;
  const onNotify = (payload: string) => {
    const [shop, what] = payload.split('\n');
    if (shop !== shopId || stopped) return;
    if (what === 'assign') void mirrorAssignments().catch((error: unknown) => failed('assignments', error));
    else void board.reload();
  };
  let listening = false;
  const startListening = async () => {
    listening = true;
    try {
      const off = await db.listen(BOARD_CHANNEL, onNotify, () => void board.sync());
      if (stopped) await off();
      else unlisten = off;
    } catch (error) {
      failed('listen', error);
    } finally {
      listening = false;
    }
  };
  slot.attach(board);
  await startListening();
  await board.sync();
  watchEngine();
  await mirrorAssignments().catch((error: unknown) => failed('assignments', error));
  return board;
}

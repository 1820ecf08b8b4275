/**
 * Schema 2 turns the old journal's English sentences into reason codes once, and reopens the sales
 * the old engine settled "failed" by a timer (never proven uncharged) as `unknown`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from './journal';
import { migrate, MIGRATIONS } from './migrations';
import { loadView, saleDetail } from './views';

let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

function oldJournal(): string {
  dir = mkdtempSync(join(tmpdir(), 'caja-migrate-'));
  const path = join(dir, 'journal.sqlite');
  const db = new DatabaseSync(path);
  migrate(db, MIGRATIONS.slice(0, 1));
  const sale = (id: string, state: string, message: string | null, errorCode: string | null = null) =>
    db
      .prepare(
        `INSERT INTO sales (id, created_at, updated_at, day, state, total, site, currency, cart_discount, register, terminal_id, family,
          current_attempt_id, external_reference, cancellable, message, error_code) VALUES (?, 1, 1, '2026-12-01', ?, 1500, 'MLA', 'ARS', 0, 'R1',
          'T1', 'intents', ?, ?, 0, ?, ?)`,
      )
      .run(id, state, `a-${id}`, `CAJA-${id}-1`, message, errorCode);
  const attempt = (id: string, state: string, settled: number, chargeId: string | null) =>
    db
      .prepare(
        `INSERT INTO attempts (id, sale_id, seq, terminal_id, family, amount, description, idempotency_key, external_reference, charge_id,
          state, settled, created_at) VALUES (?, ?, 1, 'T1', 'intents', 1500, 'x', ?, ?, ?, ?, ?, 1)`,
      )
      .run(`a-${id}`, id, `k-${id}`, `CAJA-${id}-1`, chargeId, state, settled);
  sale('paid', 'approved', 'Payment approved.');
  attempt('paid', 'approved', 1, 'i-1');
  sale('poor', 'rejected', 'Card rejected: insufficient funds.');
  attempt('poor', 'rejected', 1, 'i-2');
  sale('busy', 'failed', 'That terminal already has a charge waiting. Finish or cancel it first.', 'TERMINAL_BUSY');
  attempt('busy', 'failed', 1, null);
  sale('lost', 'failed', 'The charge never reached Mercado Pago. Nothing was charged.');
  attempt('lost', 'failed', 1, null);
  sale('odd', 'unknown', 'Mercado Pago reported "WEIRD", which Caja does not know. Still checking…');
  attempt('odd', 'unknown', 0, 'i-3');
  db.prepare(`INSERT INTO events (at, sale_id, attempt_id, kind, state, detail) VALUES (1, 'paid', NULL, 'sale_created', 'draft', 'Sale of 15.00 ARS at register R1.')`).run();
  db.prepare(`INSERT INTO events (at, sale_id, attempt_id, kind, state, detail) VALUES (2, 'paid', 'a-paid', 'settled', 'approved', 'Payment approved.')`).run();
  db.prepare(`INSERT INTO events (at, sale_id, attempt_id, kind, state, detail) VALUES (3, 'paid', 'a-paid', 'cancel_refused', 'approved', 'Whatever.')`).run();
  db.close();
  return path;
}

describe('migration 2: reasons as codes', () => {
  it('maps every known sentence to its code and parameters, once', () => {
    const journal = new Journal(oldJournal());
    try {
      const view = (id: string) => loadView(journal, journal.getSale(id)!);
      expect(view('paid').reason).toEqual({ code: 'approved', params: {} });
      expect(view('poor').reason).toEqual({ code: 'insufficientFunds', params: {} });
      expect(view('busy').reason).toEqual({ code: 'createRefused', params: { code: 'TERMINAL_BUSY' } });
      expect(view('odd').reason).toEqual({ code: 'unknownChargeState', params: {} });
      const timeline = saleDetail(journal, journal.getSale('paid')!).timeline;
      expect(timeline.map((t) => t.reason)).toEqual([
        { code: 'saleCreated', params: { amount: 1500, currency: 'ARS', register: 'R1' } },
        { code: 'approved', params: {} },
        { code: 'cancelRefused', params: { code: 'NOT_CANCELLABLE' } },
      ]);
    } finally {
      journal.close();
    }
  });

  it('reopens a sale settled "failed" by the old give-up timer: it was never proven uncharged', () => {
    const journal = new Journal(oldJournal());
    try {
      const lost = journal.getSale('lost')!;
      expect(lost.state).toBe('unknown');
      expect(lost.reason_code).toBe('lostAnswer');
      expect(journal.getAttempt('a-lost')).toMatchObject({ state: 'unknown', settled: 0 });
      expect(journal.unsettledAttempts().map((a) => a.id).sort()).toEqual(['a-lost', 'a-odd']);
      // A refusal Mercado Pago gave outright stays what it was.
      expect(journal.getSale('busy')!.state).toBe('failed');
    } finally {
      journal.close();
    }
  });
});

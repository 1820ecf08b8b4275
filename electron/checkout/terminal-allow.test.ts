/**
 * Per-register allow-lists: each terminal keeps the set of registers that may charge on it (none:
 * any register). Main refuses a charge from a register not on the list, with its own code, before
 * anything reaches Mercado Pago; an old journal's single owner becomes a list of one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { contract } from '../../shared/contract';
import { CajaError } from '../../shared/errors';
import { cart, INTENT, ORDER, startKit, waitFinal, writes, type Kit } from '../test-kits/engine-test-kit';
import { Journal } from './journal';
import { migrate, MIGRATIONS } from './migrations';

let kit: Kit | null = null;
let dir: string | null = null;
afterEach(async () => {
  await kit?.close();
  kit = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

describe('terminal allow-lists', () => {
  it('refuses a register not on the list (TERMINAL_NOT_ALLOWED, nothing sent), charges for one that is, and any register on an empty list', async () => {
    kit = await startKit();
    const engine = await kit.engine({ register: 'R1' });
    await engine.listTerminals();

    const kept = await engine.assignTerminal(INTENT, ['R3', 'R2', 'R2']);
    expect(kept.allowed).toEqual(['R2', 'R3']);
    const before = writes(await kit.control.requests()).length;
    const refused = await engine.charge({ cart: cart(1000), terminalId: INTENT }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(CajaError);
    expect((refused as CajaError).code).toBe('TERMINAL_NOT_ALLOWED');
    expect((refused as CajaError).message).toContain('R2, R3');
    expect(writes(await kit.control.requests())).toHaveLength(before); // Mercado Pago never asked

    expect((await engine.assignTerminal(INTENT, ['R1', 'R2'])).allowed).toEqual(['R1', 'R2']);
    const paid = await engine.charge({ cart: cart(1000), terminalId: INTENT });
    expect((await waitFinal(engine, paid.id)).state).toBe('approved');

    // Another terminal's list is its own; an empty list lets every register charge.
    expect((await engine.listTerminals()).find((t) => t.id === ORDER)!.allowed).toEqual([]);
    expect((await engine.assignTerminal(INTENT, [])).allowed).toEqual([]);
    const again = await engine.charge({ cart: cart(1200), terminalId: INTENT });
    expect((await waitFinal(engine, again.id)).state).toBe('approved');
  });

  it('writes each change to the journal with the list before and after', async () => {
    kit = await startKit();
    const engine = await kit.engine({ register: 'R1' });
    await engine.listTerminals();
    await engine.assignTerminal(ORDER, ['R2']);
    await engine.assignTerminal(ORDER, ['R1', 'R2']);
    await engine.close();
    const journal = new Journal(kit.journalPath);
    try {
      const lines = journal
        .all<{ kind: string; detail: string; data: string }>("SELECT kind, detail, data FROM events WHERE kind = 'terminal_registers' ORDER BY seq")
        .map((e) => ({ detail: e.detail, data: JSON.parse(e.data) as unknown }));
      expect(lines).toEqual([
        { detail: `${ORDER}: any register → R2`, data: { terminalId: ORDER, before: [], allowed: ['R2'] } },
        { detail: `${ORDER}: R2 → R1, R2`, data: { terminalId: ORDER, before: ['R2'], allowed: ['R1', 'R2'] } },
      ]);
      expect(journal.allowedRegisters().get(ORDER)).toEqual(['R1', 'R2']);
    } finally {
      journal.close();
    }
  });

  it('the contract takes the whole list: names trimmed, repeats dropped, sorted; an empty or over-long name refused', () => {
    const input = contract['terminals.assign'].input;
    expect(input.parse({ terminalId: 'T', registers: [' CAJA2 ', 'CAJA1', 'CAJA2'] })).toEqual({ terminalId: 'T', registers: ['CAJA1', 'CAJA2'] });
    expect(input.parse({ terminalId: 'T', registers: [] })).toEqual({ terminalId: 'T', registers: [] });
    expect(input.safeParse({ terminalId: 'T', registers: ['  '] }).success).toBe(false);
    expect(input.safeParse({ terminalId: 'T', registers: ['x'.repeat(33)] }).success).toBe(false);
    expect(input.safeParse({ terminalId: 'T', register: 'CAJA1' }).success).toBe(false); // the old single owner
  });
});

describe('migration 4: an owner becomes an allow-list of one', () => {
  it('keeps each owner, drops "any register" rows, and removes the old table', () => {
    dir = mkdtempSync(join(tmpdir(), 'caja-allow-'));
    const path = join(dir, 'journal.sqlite');
    const db = new DatabaseSync(path);
    migrate(db, MIGRATIONS.filter((m) => m.version <= 3));
    db.prepare('INSERT INTO terminal_owners (terminal_id, register, updated_at) VALUES (?, ?, ?)').run('T-OWNED', 'CAJA2', 5);
    db.prepare('INSERT INTO terminal_owners (terminal_id, register, updated_at) VALUES (?, ?, ?)').run('T-ANY', null, 6);
    db.close();

    const journal = new Journal(path);
    try {
      expect([...journal.allowedRegisters()]).toEqual([['T-OWNED', ['CAJA2']]]);
      expect(journal.all("SELECT name FROM sqlite_master WHERE name = 'terminal_owners'")).toEqual([]);
    } finally {
      journal.close();
    }
  });
});

/**
 * The terminal board with a real PostgreSQL and the real simulator: each "till" is an engine on its
 * own journal, with its own shop connection, claims slot and board, all on one shop database.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, expect, it } from 'vitest';
import type { SaleView } from '../../shared/contract';
import { CajaError } from '../../shared/errors';
import type { TestableCheckoutEngine } from '../checkout/engine';
import { toWireError } from '../dispatch';
import { silentLogger } from '../ground/logger';
import type { SeedDevice } from '../simulator/seed';
import {
  cart,
  chargeCreates,
  FAST_SIM,
  INTENT,
  INTENT_2,
  MANUAL_SIM,
  MLA,
  startKit,
  waitFinal,
  waitFor,
  waitState,
  type Kit,
} from '../test-kits/engine-test-kit';
import { canRunOwnCluster, describeWithPg, openTestShopDb, freshDatabase, ownCluster, type ScratchDatabase } from '../test-kits/pg-test-kit';
import type { ShopDb } from './shop-db';
import { createClaimsSlot, startTerminalBoard, type ClaimsSlot, type TerminalBoard } from './terminal-board';
import { registerTill } from './till-registration';

const SHOP = 'shop-1';

interface Till {
  n: number;
  tillId: string;
  name: string;
  db: ShopDb;
  slot: ClaimsSlot;
  engine: TestableCheckoutEngine;
  board: TerminalBoard;
  journalPath: string;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

async function kitWith(timing = FAST_SIM): Promise<Kit> {
  const kit = await startKit(timing);
  cleanups.push(() => kit.close());
  return kit;
}

async function scratch(): Promise<ScratchDatabase> {
  const db = await freshDatabase();
  cleanups.push(() => db.drop());
  return db;
}

async function connect(url: string): Promise<ShopDb> {
  const db = await openTestShopDb(url);
  cleanups.push(() => db.close());
  return db;
}

/** A till: its own journal, shop connection, slot, engine and board (started in the order the app does). */
async function till(
  kit: Kit,
  url: string,
  n: number,
  reuse?: Pick<Till, 'tillId' | 'journalPath'>,
  retryMs = 200,
): Promise<Till> {
  const tillId = reuse?.tillId ?? randomUUID();
  const name = `Till ${n}`;
  const db = await connect(url);
  await registerTill(db, { shopId: SHOP, shopName: 'Almacén', tillId, tillName: name });
  const slot = createClaimsSlot();
  const journalPath = reuse?.journalPath ?? join(kit.dir, `till-${n}.sqlite`);
  const engine = await kit.engine({ journalPath, register: `CAJA${n}`, terminalClaims: slot });
  const board = await startTerminalBoard(
    { db, shopId: SHOP, tillId, tillName: name, log: silentLogger },
    { slot, engine: () => engine, retryMs, claimTimeoutMs: 1000 },
  );
  cleanups.push(() => board.stop());
  return { n, tillId, name, db, slot, engine, board, journalPath };
}

async function busyCode(p: Promise<unknown>): Promise<CajaError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CajaError);
  expect((e as CajaError).code).toBe('TERMINAL_BUSY');
  return e as CajaError;
}

const claimRows = async (db: ShopDb) =>
  db.query<{ terminal_id: string; till_id: string; sale_id: string }>(
    'SELECT terminal_id, till_id, sale_id FROM terminal_claims ORDER BY terminal_id',
  );

/** A second connection to a till's journal file, as a person (or a full disk) would meet it. */
function rawJournal(path: string): DatabaseSync {
  const raw = new DatabaseSync(path);
  cleanups.push(async () => raw.close());
  return raw;
}

/** Makes the journal refuse a write as SQLite does on a full disk (a trigger: the engine's own write path fails). */
function refuse(raw: DatabaseSync, name: string, on: string): void {
  raw.exec(`CREATE TRIGGER ${name} BEFORE INSERT ON ${on} BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
}

describeWithPg('the terminal board', () => {
  it('two tills racing for one terminal: exactly one wins, and the loser sends nothing to Mercado Pago', async () => {
    const kit = await kitWith(MANUAL_SIM);
    const url = (await scratch()).url;
    const a = await till(kit, url, 1);
    const b = await till(kit, url, 2);
    const [ra, rb] = await Promise.allSettled([
      a.engine.charge({ cart: cart(2500), terminalId: INTENT }),
      b.engine.charge({ cart: cart(3500), terminalId: INTENT }),
    ]);
    const won = [ra, rb].filter((r) => r.status === 'fulfilled');
    const lost = [ra, rb].filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0]!.reason as CajaError).code).toBe('TERMINAL_BUSY');
    const [winner, loser] = ra.status === 'fulfilled' ? [a, b] : [b, a];
    expect((lost[0]!.reason as CajaError).message).toContain(winner.name);
    // The holder crosses to the renderer as a checked detail ("Terminal busy — in use by Till 1").
    expect(toWireError(lost[0]!.reason)).toMatchObject({ code: 'TERMINAL_BUSY', details: { till: winner.name } });
    // One create reached the simulator, and the loser journaled no sale at all.
    const creates = await chargeCreates(kit.control);
    expect(creates).toHaveLength(1);
    expect(creates[0]!.body).toMatchObject({ amount: ra.status === 'fulfilled' ? 2500 : 3500 });
    expect(loser.engine.history({}).total).toBe(0);
    expect(await claimRows(a.db)).toEqual([
      { terminal_id: INTENT, till_id: winner.tillId, sale_id: (won[0] as PromiseFulfilledResult<SaleView>).value.id },
    ]);

    // The loser's picker says who holds it (LISTEN brought the news without a poll).
    await waitFor(
      () => loser.slot.boardOf(INTENT)?.claim?.till,
      (t) => t === winner.name,
      "the other till's claim on the loser's board",
    );
    const views = await loser.engine.listTerminals();
    const seen = views.find((t) => t.id === INTENT)!;
    expect(seen.status).toBe('busy');
    expect(seen.board?.claim).toMatchObject({ till: winner.name, mine: false });
    expect((await winner.engine.listTerminals()).find((t) => t.id === INTENT)!.board?.claim?.mine).toBe(true);
  });

  it('the claim goes when the sale settles, and then another till can charge on that terminal', async () => {
    const kit = await kitWith(MANUAL_SIM);
    const url = (await scratch()).url;
    const a = await till(kit, url, 1);
    const b = await till(kit, url, 2);
    const first = await a.engine.charge({ cart: cart(2500), terminalId: INTENT });
    await waitState(a.engine, first.id, 'at_terminal');
    await busyCode(b.engine.charge({ cart: cart(1000), terminalId: INTENT }));
    await kit.control.customer(INTENT, 'present_card');
    expect((await waitFinal(a.engine, first.id)).state).toBe('approved');
    await waitFor(
      () => claimRows(b.db),
      () => true,
    );
    await expect.poll(() => claimRows(b.db)).toEqual([]);
    await waitFor(
      () => b.slot.boardOf(INTENT)?.claim,
      (c) => c === null,
      'the release on the other till',
    );
    const second = await b.engine.charge({ cart: cart(1000), terminalId: INTENT });
    await kit.control.customer(INTENT, 'present_card');
    expect((await waitFinal(b.engine, second.id)).state).toBe('approved');
    await expect.poll(() => claimRows(a.db)).toEqual([]);
    expect(await chargeCreates(kit.control)).toHaveLength(2);
  });

  it("a crashed till's claim stays until its sale settles (its restart finds out) or a manager releases it", async () => {
    const kit = await kitWith(MANUAL_SIM);
    const url = (await scratch()).url;
    const a = await till(kit, url, 1);
    const b = await till(kit, url, 2);
    const sale = await a.engine.charge({ cart: cart(2500), terminalId: INTENT });
    await waitState(a.engine, sale.id, 'at_terminal');
    a.engine.simulateCrash();
    await a.board.stop();
    // The card is still on the terminal: nobody else may send a charge there, however long it takes.
    await busyCode(b.engine.charge({ cart: cart(1000), terminalId: INTENT }));
    await kit.control.customer(INTENT, 'present_card');
    // Paid at the terminal, but the board has only the till's word: still held until it comes back.
    await busyCode(b.engine.charge({ cart: cart(1000), terminalId: INTENT }));
    expect(await claimRows(b.db)).toHaveLength(1);

    const back = await till(kit, url, 1, a);
    expect((await waitFinal(back.engine, sale.id)).state).toBe('approved');
    await expect.poll(() => claimRows(b.db)).toEqual([]);
    await waitFor(
      () => b.slot.boardOf(INTENT)?.claim,
      (c) => c === null,
      'the release seen by the other till',
    );
    const next = await b.engine.charge({ cart: cart(1000), terminalId: INTENT });
    await kit.control.customer(INTENT, 'present_card');
    expect((await waitFinal(b.engine, next.id)).state).toBe('approved');

    // The manager's way: a till dies, the person at the terminal cancels there; a manager on another
    // till sees the claim and releases it (journaled), and that till charges.
    const stuck = await back.engine.charge({ cart: cart(2500), terminalId: INTENT_2 });
    await waitState(back.engine, stuck.id, 'at_terminal');
    back.engine.simulateCrash();
    await back.board.stop();
    await kit.control.customer(INTENT_2, 'abandon');
    await busyCode(b.engine.charge({ cart: cart(1000), terminalId: INTENT_2 }));
    const released = await b.board.releaseClaim(INTENT_2, 'CAJA2 manager');
    expect(released).toMatchObject({ tillId: a.tillId, saleId: stuck.id, till: 'Till 1' });
    const log = await b.db.query(
      'SELECT terminal_id, till_id, sale_id, released_by, released_by_till FROM terminal_claim_releases',
    );
    expect(log).toEqual([
      { terminal_id: INTENT_2, till_id: a.tillId, sale_id: stuck.id, released_by: 'CAJA2 manager', released_by_till: b.tillId },
    ]);
    const after = await b.engine.charge({ cart: cart(1000), terminalId: INTENT_2 });
    await kit.control.customer(INTENT_2, 'present_card');
    expect((await waitFinal(b.engine, after.id)).state).toBe('approved');
  });

  it('a claim whose attempt the journal could not write is given back at once: nothing was sent, so the terminal is free', async () => {
    const kit = await kitWith(MANUAL_SIM);
    const url = (await scratch()).url;
    const a = await till(kit, url, 1);
    const b = await till(kit, url, 2);
    const raw = rawJournal(a.journalPath);
    refuse(raw, 'disk_full', 'attempts');
    // The claim is taken first, then the journal write fails: the charge is refused with the journal's error.
    await expect(a.engine.charge({ cart: cart(2500), terminalId: INTENT })).rejects.toThrow(/disk is full/);
    expect(a.engine.history({}).total).toBe(0);
    expect(await chargeCreates(kit.control)).toHaveLength(0);
    // Released on the board (not held until Till 1 restarts), and on Till 1 itself.
    await expect.poll(() => claimRows(b.db)).toEqual([]);
    expect(a.slot.holds.size).toBe(0);
    await waitFor(
      () => b.slot.boardOf(INTENT)?.claim,
      (c) => c === null,
      'the terminal free on the other till',
    );
    const other = await b.engine.charge({ cart: cart(1000), terminalId: INTENT });
    await kit.control.customer(INTENT, 'present_card');
    expect((await waitFinal(b.engine, other.id)).state).toBe('approved');

    // Disk back: Till 1 charges on that terminal as if nothing had happened.
    raw.exec('DROP TRIGGER disk_full');
    await expect.poll(() => claimRows(a.db)).toEqual([]);
    const again = await a.engine.charge({ cart: cart(2500), terminalId: INTENT });
    await kit.control.customer(INTENT, 'present_card');
    expect((await waitFinal(a.engine, again.id)).state).toBe('approved');
    expect(await chargeCreates(kit.control)).toHaveLength(2);
  });

  it("a manager's release is journaled on the till that made it and on the till whose claim it was; one the releasing journal cannot take is not made", async () => {
    const kit = await kitWith(MANUAL_SIM);
    const url = (await scratch()).url;
    const a = await till(kit, url, 1);
    const b = await till(kit, url, 2);
    const stuck = await a.engine.charge({ cart: cart(2500), terminalId: INTENT });
    await waitState(a.engine, stuck.id, 'at_terminal');
    a.engine.simulateCrash();
    await a.board.stop();
    await kit.control.customer(INTENT, 'abandon');
    await busyCode(b.engine.charge({ cart: cart(1000), terminalId: INTENT }));

    // Till 2's journal cannot take the line: the release is refused and the claim stays (never only in the shop).
    const raw = rawJournal(b.journalPath);
    refuse(raw, 'no_room', 'events');
    await expect(b.slot.releaseClaim(INTENT, 'CAJA2')).rejects.toThrow(/disk is full/);
    expect(await claimRows(b.db)).toEqual([{ terminal_id: INTENT, till_id: a.tillId, sale_id: stuck.id }]);
    expect(await b.db.query('SELECT 1 FROM terminal_claim_releases')).toEqual([]);
    await busyCode(b.engine.charge({ cart: cart(1000), terminalId: INTENT }));

    raw.exec('DROP TRIGGER no_room');
    // Through the slot, as the Devices screen's channel does.
    expect(await b.slot.releaseClaim(INTENT, 'CAJA2')).toMatchObject({ tillId: a.tillId, saleId: stuck.id, till: 'Till 1' });
    const lines = raw
      .prepare("SELECT sale_id, state, reason_code, reason_params, data FROM events WHERE kind = 'claim_released'")
      .all() as { sale_id: string; state: string | null; reason_code: string; reason_params: string; data: string }[];
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ sale_id: stuck.id, state: null, reason_code: 'claimReleased' });
    const label = (await b.engine.listTerminals()).find((t) => t.id === INTENT)!.label;
    expect(JSON.parse(lines[0]!.reason_params)).toEqual({ terminal: label, till: 'Till 1', from: 'Till 2', register: 'CAJA2' });
    const released = await b.db.query<{ id: string; till_id: string; sale_id: string; released_by: string }>(
      'SELECT id::text, till_id, sale_id, released_by FROM terminal_claim_releases',
    );
    expect(released).toEqual([{ id: expect.any(String), till_id: a.tillId, sale_id: stuck.id, released_by: 'CAJA2' }]);
    expect(JSON.parse(lines[0]!.data)).toMatchObject({
      releaseId: released[0]!.id,
      terminalId: INTENT,
      saleId: stuck.id,
      tillId: a.tillId,
      till: 'Till 1',
      by: 'CAJA2',
      byTill: 'Till 2',
    });
    const after = await b.engine.charge({ cart: cart(1000), terminalId: INTENT });
    await kit.control.customer(INTENT, 'present_card');
    expect((await waitFinal(b.engine, after.id)).state).toBe('approved');

    // Till 1 comes back: its own journal says, under its sale, that a manager on Till 2 let the terminal go.
    const back = await till(kit, url, 1, a);
    const ownLines = () => back.engine.detail(stuck.id).timeline.filter((e) => e.kind === 'claim_released');
    await waitFor(ownLines, (l) => l.length > 0, "the release in Till 1's own timeline", 15_000);
    expect(ownLines()).toEqual([
      expect.objectContaining({
        state: null,
        reason: { code: 'claimReleased', params: { terminal: expect.any(String), till: 'Till 1', from: 'Till 2', register: 'CAJA2' } },
      }),
    ]);
    // Once per release, however often the board looks again.
    await back.board.sync();
    await back.board.reload();
    expect(ownLines()).toHaveLength(1);
  });

  it("a terminal's allow-list set on one till reaches the others through the board, and a new till takes the shop's lists", async () => {
    const kit = await kitWith(FAST_SIM);
    const url = (await scratch()).url;
    const a = await till(kit, url, 1);
    const b = await till(kit, url, 2);
    await a.engine.assignTerminal(INTENT, ['CAJA1']);
    await expect.poll(async () => (await b.engine.listTerminals()).find((t) => t.id === INTENT)!.allowed).toEqual(['CAJA1']);
    const refused = await b.engine.charge({ cart: cart(1000), terminalId: INTENT }).catch((e: unknown) => e as CajaError);
    expect((refused as CajaError).code).toBe('TERMINAL_NOT_ALLOWED');
    expect(await a.db.query('SELECT terminal_id, registers FROM terminal_assignments')).toEqual([
      { terminal_id: INTENT, registers: ['CAJA1'] },
    ]);
    const c = await till(kit, url, 3);
    expect((await c.engine.listTerminals()).find((t) => t.id === INTENT)!.allowed).toEqual(['CAJA1']);
    // Back to "any register" from the third till: everyone follows.
    await c.engine.assignTerminal(INTENT, []);
    await expect.poll(async () => (await a.engine.listTerminals()).find((t) => t.id === INTENT)!.allowed).toEqual([]);
    await expect.poll(async () => (await b.engine.listTerminals()).find((t) => t.id === INTENT)!.allowed).toEqual([]);
    const sale = await b.engine.charge({ cart: cart(1000), terminalId: INTENT });
    expect((await waitFinal(b.engine, sale.id)).state).toBe('approved');
  });

  it('two and ten tills selling at once on their own terminals all complete; ten tills on three terminals queue on the board', async () => {
    const kit = await kitWith(FAST_SIM);
    // Ten terminals of the simulated account: the seed has two PDV intents, the rest are added.
    const extra: SeedDevice[] = Array.from({ length: 8 }, (_, i) => ({
      id: `PAX_A910__SMARTPOS99000000${i}`,
      family: 'intents',
      mode: 'PDV',
      storeId: '45601',
      posId: String(1300 + i),
      externalPosId: `CAJAX${i}`,
    }));
    for (const d of extra) await kit.control.addDevice(MLA.userId, d);
    const terminals = [INTENT, INTENT_2, ...extra.map((d) => d.id)];

    for (const count of [2, 10]) {
      const url = (await scratch()).url;
      const tills = await Promise.all(Array.from({ length: count }, (_, i) => till(kit, url, i + 1 + count * 10)));
      const before = (await chargeCreates(kit.control)).length;
      const sales = await Promise.all(
        tills.map(async (t, i) => {
          const done: SaleView[] = [];
          for (let k = 0; k < 3; k++) {
            const s = await t.engine.charge({ cart: cart(1000 + k * 100), terminalId: terminals[i]! });
            done.push(await waitFinal(t.engine, s.id));
          }
          return done;
        }),
      );
      expect(sales.flat().map((s) => s.state)).toEqual(Array(count * 3).fill('approved'));
      expect((await chargeCreates(kit.control)).length - before).toBe(count * 3);
      await expect.poll(() => claimRows(tills[0]!.db)).toEqual([]);
    }

    // Ten tills, three terminals: each takes whichever the board shows free, waits on TERMINAL_BUSY.
    const url = (await scratch()).url;
    const tills = await Promise.all(Array.from({ length: 10 }, (_, i) => till(kit, url, i + 101)));
    const shared = terminals.slice(0, 3);
    const before = (await chargeCreates(kit.control)).length;
    let refused = 0;
    const done = await Promise.all(
      tills.map(async (t, i) => {
        for (let attempt = 0; ; attempt++) {
          const terminalId = shared[(i + attempt) % shared.length]!;
          try {
            const s = await t.engine.charge({ cart: cart(2000), terminalId });
            return await waitFinal(t.engine, s.id);
          } catch (e) {
            if ((e as CajaError).code !== 'TERMINAL_BUSY') throw e;
            refused++;
            await new Promise((r) => setTimeout(r, 50));
          }
        }
      }),
    );
    expect(done.map((s) => s.state)).toEqual(Array(10).fill('approved'));
    expect(refused).toBeGreaterThan(0);
    // Every refusal happened on the board: Mercado Pago saw exactly the ten charges that ran.
    expect((await chargeCreates(kit.control)).length - before).toBe(10);
  }, 120_000);

  it.runIf(canRunOwnCluster)(
    'with the shop server down a till still charges (local rules), and the board catches up when it is back',
    async () => {
      const kit = await kitWith(MANUAL_SIM);
      const cluster = ownCluster(55450);
      cleanups.push(async () => cluster.stop());
      // The private cluster keeps its data between runs: claims a failed run left would hold these terminals.
      await (await connect(cluster.url)).query('DELETE FROM terminal_claims');
      const a = await till(kit, cluster.url, 1);
      const b = await till(kit, cluster.url, 2);
      cluster.stop();
      const sale = await a.engine.charge({ cart: cart(2500), terminalId: INTENT });
      expect(sale.state).not.toBe('failed');
      expect(a.slot.boardOf(INTENT)?.reachable).toBe(false);
      expect((await a.engine.listTerminals()).find((t) => t.id === INTENT)!.board?.reachable).toBe(false);
      // Locally one sale per terminal still holds; across tills Mercado Pago's 409 does.
      await busyCode(a.engine.charge({ cart: cart(1000), terminalId: INTENT }));
      await kit.control.customer(INTENT, 'present_card');
      expect((await waitFinal(a.engine, sale.id)).state).toBe('approved');
      // A sale that starts and ends while the server is away leaves no claim behind once it is back.
      const during = await a.engine.charge({ cart: cart(1000), terminalId: INTENT_2 });
      cluster.start();
      await waitFor(
        () => a.slot.boardOf(INTENT)?.reachable,
        (r) => r === true,
        'the board back',
        30_000,
      );
      await expect
        .poll(() => claimRows(b.db), { timeout: 15_000 })
        .toEqual([{ terminal_id: INTENT_2, till_id: a.tillId, sale_id: during.id }]);
      await busyCode(b.engine.charge({ cart: cart(1000), terminalId: INTENT_2 }));
      await kit.control.customer(INTENT_2, 'present_card');
      expect((await waitFinal(a.engine, during.id)).state).toBe('approved');
      await expect.poll(() => claimRows(b.db), { timeout: 15_000 }).toEqual([]);
    },
    120_000,
  );
});

/**
 * Terminal board benchmark: what the claim adds to the start of a charge. A claim + release round
 * trip (the statements a charge makes on the shop server: INSERT … ON CONFLICT in a transaction with
 * its NOTIFY, then the DELETE) through the board, beside a bare `SELECT 1` on the same connection
 * pool (the floor), and the time until another till's board shows the claim (LISTEN caja_board).
 * Needs PostgreSQL: CAJA_TEST_PG_URL, or Debian's server binaries (the private test cluster is
 * started as `npm test` does). Prints only.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { silentLogger } from '../../electron/ground/logger';
import type { ShopDb } from '../../electron/shop/shop-db';
import { createClaimsSlot, startTerminalBoard, type ClaimsSlot, type TerminalBoard } from '../../electron/shop/terminal-board';
import { registerTill } from '../../electron/shop/till-registration';
import { openBenchShopDb, scratchShopDatabase } from './shop-bench-kit';

const ROUNDS = 300;
const SHOP = 'bench-shop';
const TERMINAL = 'PAX_A910__SMARTPOS1234567890';

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const ms = (v: number) => `${v.toFixed(2)} ms`;
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

function until(pred: () => boolean): Promise<void> {
  const end = Date.now() + 10_000;
  return new Promise((resolve, reject) => {
    const check = () => {
      if (pred()) return resolve();
      if (Date.now() > end) return reject(new Error('timed out waiting for the other till'));
      setImmediate(check);
    };
    check();
  });
}

interface Till {
  db: ShopDb;
  slot: ClaimsSlot;
  board: TerminalBoard;
}

async function openTill(url: string, name: string): Promise<Till> {
  const db = await openBenchShopDb(url);
  const tillId = randomUUID();
  await registerTill(db, { shopId: SHOP, shopName: 'Bench', tillId, tillName: name });
  const slot = createClaimsSlot();
  const board = await startTerminalBoard({ db, shopId: SHOP, tillId, tillName: name, log: silentLogger }, { slot });
  return { db, slot, board };
}

export async function benchShopBoard(): Promise<void> {
  const scratch = await scratchShopDatabase('shop board');
  if (!scratch) return;
  const tills: Till[] = [];
  try {
    const a = await openTill(scratch.url, 'Till 1');
    tills.push(a);
    const b = await openTill(scratch.url, 'Till 2');
    tills.push(b);
    const floor: number[] = [];
    const round: number[] = [];
    const seen: number[] = [];
    for (let i = 0; i < ROUNDS + 10; i++) {
      let t0 = performance.now();
      await a.db.query('SELECT 1');
      const f = performance.now() - t0;

      const sale = randomUUID();
      t0 = performance.now();
      const r = await a.slot.claim(TERMINAL, sale);
      const claimed = performance.now();
      if (!r.ok || !r.checked) throw new Error('the claim did not reach the server');
      await until(() => b.slot.boardOf(TERMINAL)?.claim?.saleId === sale);
      const onB = performance.now() - t0;
      a.slot.release(TERMINAL, sale);
      // The release is fire-and-forget for the charge; wait for it to land before the next round.
      await until(() => b.slot.boardOf(TERMINAL)?.claim === null);
      if (i >= 10) {
        floor.push(f);
        round.push(claimed - t0);
        seen.push(onB);
      }
    }
    const fl = sorted(floor);
    const cl = sorted(round);
    const sb = sorted(seen);
    const f50 = pct(fl, 50);
    console.log(`terminal board (${ROUNDS} claims on till A, each then released)`);
    console.log(`  floor: bare SELECT 1 on the same pool      p50 ${ms(f50)}  p95 ${ms(pct(fl, 95))}`);
    console.log(
      `  claim (tx: upsert + NOTIFY), before a charge p50 ${ms(pct(cl, 50))}  p95 ${ms(pct(cl, 95))}   ratio to floor p50 ${(pct(cl, 50) / f50).toFixed(1)}x`,
    );
    console.log(
      `  claim → shown on till B's board (LISTEN)     p50 ${ms(pct(sb, 50))}  p95 ${ms(pct(sb, 95))}   ratio to floor p50 ${(pct(sb, 50) / f50).toFixed(1)}x`,
    );
  } finally {
    for (const t of tills) {
      await t.board.stop().catch(() => undefined);
      await t.db.close().catch(() => undefined);
    }
    await scratch.drop();
  }
}

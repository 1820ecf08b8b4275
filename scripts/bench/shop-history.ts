/**
 * Shop-wide history benchmark: the "Whole shop" page over 20,000 sales of 10 tills (one day's page,
 * one till's page, a text search), each beside a bare indexed `SELECT … LIMIT 50` of the same table on
 * the same pool (the floor); and a refund claim with its settle (what every refund of a connected till
 * adds before and after Mercado Pago) beside a bare `SELECT 1`. Needs PostgreSQL (CAJA_TEST_PG_URL, or
 * Debian's server binaries: the private test cluster is started as `npm test` does). Prints only.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { SiteId } from '../../shared/money';
import type { CheckoutEngine } from '../../electron/checkout/engine-api';
import { localDay } from '../../electron/checkout/history';
import { silentLogger } from '../../electron/ground/logger';
import { refundClaims } from '../../electron/shop/refund-claims';
import { openShopDb, splitConnectionUrl } from '../../electron/shop/shop-db';
import { startShopHistory } from '../../electron/shop/shop-history';
import { registerTill } from '../../electron/shop/till-registration';
import { scratchShopDatabase } from './shop-bench-kit';

const SALES = 20_000;
const TILLS = 10;
const ROUNDS = 200;
const SHOP = 'bench-shop';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const ms = (v: number) => `${v.toFixed(2)} ms`;

async function time(fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < ROUNDS + 10; i++) {
    const t0 = performance.now();
    await fn();
    if (i >= 10) out.push(performance.now() - t0);
  }
  return out;
}

export async function benchShopHistory(): Promise<void> {
  const scratch = await scratchShopDatabase('shop history');
  if (!scratch) return;
  const { url, password } = splitConnectionUrl(scratch.url);
  const db = await openShopDb({ url, ssl: 'disable', caCert: null }, password, { log: silentLogger });
  try {
    const tills: string[] = [];
    for (let t = 1; t <= TILLS; t++) {
      const id = randomUUID();
      tills.push(id);
      await registerTill(db, { shopId: SHOP, shopName: 'Bench', tillId: id, tillName: `Till ${t}` });
    }
    // The outbox's rows as a busy week of ten tills leaves them (written directly: the outbox's own
    // throughput is `npm run bench shop-sync`).
    await db.query(
      `INSERT INTO sales (id, shop_id, till_id, journal_id, register, state, total, currency, site, day, terminal_id, family,
         external_reference, payment_id, refunded_amount, created_at, updated_at, lines, search_text)
       SELECT 'sale-' || i, $1, ($2::text[])[1 + i % $3], 'j', 'Till ' || (1 + i % $3), 'approved', 1000 + i % 5000, 'ARS', 'MLA',
              to_char(now() - (i % 7) * interval '1 day', 'YYYY-MM-DD'), 'PAX_A910__SMARTPOS1234567890', 'intents',
              'CAJA-' || md5(i::text) || '-1', (90000000000 + i)::text, 0, now() - (i % 7) * interval '1 day' - i * interval '1 second',
              now(), jsonb_build_array(jsonb_build_object('name', 'Producto ' || i % 300, 'quantity', 1, 'unitPrice', 1000)),
              'producto ' || i % 300
         FROM generate_series(1, $4) AS i`,
      [SHOP, tills, TILLS, SALES],
    );
    await db.query('ANALYZE sales');
    const engine = { onSaleChanged: () => () => undefined } as unknown as CheckoutEngine;
    const history = startShopHistory(
      { db, shopId: SHOP, tillId: tills[0]!, tillName: 'Till 1', log: silentLogger },
      { engine, journalPath: '', mercadoPago: { baseUrl: 'http://127.0.0.1:9', getToken: () => null, site: 'MLA' as SiteId } },
    );
    const today = localDay(Date.now());
    const floor = await time(() =>
      db.query('SELECT id, total FROM sales WHERE shop_id = $1 ORDER BY created_at DESC LIMIT 50', [SHOP]),
    );
    const f50 = pct(floor, 50);
    const line = (what: string, xs: number[]) =>
      console.log(
        `  ${what.padEnd(44)} p50 ${ms(pct(xs, 50))}  p95 ${ms(pct(xs, 95))}   ratio to floor p50 ${(pct(xs, 50) / f50).toFixed(1)}x`,
      );
    console.log(`shop-wide history (${SALES.toLocaleString('en')} sales of ${TILLS} tills, pages of 50, ${ROUNDS} rounds each)`);
    console.log(`  ${'floor: bare SELECT … ORDER BY … LIMIT 50'.padEnd(44)} p50 ${ms(f50)}  p95 ${ms(pct(floor, 95))}`);
    line(
      "today's page, whole shop (with count, tills)",
      await time(() => history.history({ scope: 'shop', from: today, to: today, limit: 50 })),
    );
    line("one till's page", await time(() => history.history({ scope: 'shop', tillId: tills[3], limit: 50 })));
    line("text search 'producto 42'", await time(() => history.history({ scope: 'shop', text: 'producto 42', limit: 50 })));

    const claims = refundClaims(db, SHOP, tills[0]!);
    const one = await time(() => db.query('SELECT 1'));
    const o50 = pct(one, 50);
    let n = 0;
    const claim = await time(async () => {
      const id = await claims.claim(`sale-${++n}`, undefined);
      await claims.settle(id, 'approved', 1000);
    });
    console.log('refund claim (what a refund adds on a connected till)');
    console.log(`  ${'floor: bare SELECT 1'.padEnd(44)} p50 ${ms(o50)}  p95 ${ms(pct(one, 95))}`);
    console.log(
      `  ${'claim (tx) + settle'.padEnd(44)} p50 ${ms(pct(claim, 50))}  p95 ${ms(pct(claim, 95))}   ratio to floor p50 ${(pct(claim, 50) / o50).toFixed(1)}x`,
    );
    await history.stop();
  } finally {
    await db.close().catch(() => undefined);
    await scratch.drop();
  }
}

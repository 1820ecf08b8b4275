/**
 * What every multi-register benchmark needs: a scratch database on the test PostgreSQL (started when
 * Debian's server is installed, as `npm test` does), a till's connection to it, and the floor they
 * all compare against — a bare LISTEN/NOTIFY round trip on the same server, in the same run.
 */
import pg from 'pg';
import { freshDatabase, type ScratchDatabase } from '../../electron/test-kits/pg-scratch';
import startTestPg from '../pg-global-setup';

export { openTestShopDb as openBenchShopDb } from '../../electron/test-kits/pg-scratch';

/** A fresh database for one bench section, or null (said on the console) when there is no PostgreSQL. */
export async function scratchShopDatabase(section: string): Promise<ScratchDatabase | null> {
  startTestPg();
  if (!process.env.CAJA_TEST_PG_URL) {
    console.log(`${section}: skipped (no PostgreSQL: set CAJA_TEST_PG_URL or install Debian's postgresql)`);
    return null;
  }
  return freshDatabase('caja_bench');
}

/** Milliseconds of `rounds` NOTIFY → notification round trips (after 5 warm-ups), sorted. */
export async function listenNotifyFloor(url: string, rounds: number): Promise<number[]> {
  const listener = new pg.Client({ connectionString: url });
  const sender = new pg.Client({ connectionString: url });
  await listener.connect();
  await sender.connect();
  await listener.query('LISTEN caja_bench_floor');
  const times: number[] = [];
  try {
    for (let i = 0; i < rounds + 5; i++) {
      const got = new Promise<void>((r) => listener.once('notification', () => r()));
      const t0 = performance.now();
      await sender.query("SELECT pg_notify('caja_bench_floor', 'x')");
      await got;
      times.push(performance.now() - t0);
    }
  } finally {
    await listener.end();
    await sender.end();
  }
  return times.slice(5).sort((a, b) => a - b);
}

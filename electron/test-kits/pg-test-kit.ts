/**
 * PostgreSQL for the multi-register tests: a database of its own per test (created from the server
 * in `CAJA_TEST_PG_URL`, dropped after), and the server's own controls for the fault tests (restart,
 * stop, start). Without `CAJA_TEST_PG_URL` the suites skip with a message, except on CI, where a
 * missing server is a failure: `.ci/run` starts one (scripts/pg-test-server.mjs).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe } from 'vitest';
import { TEST_PG_URL } from './pg-scratch';

export { dropConnections, freshDatabase, openTestShopDb, TEST_PG_URL, urlFor, type ScratchDatabase } from './pg-scratch';

const MISSING = 'PostgreSQL tests skipped: CAJA_TEST_PG_URL is not set (npm test starts one when Debian\'s postgresql is installed; see README)';

/** `describe` that runs only with a test PostgreSQL; on CI its absence fails loudly instead. */
export function describeWithPg(name: string, body: () => void): void {
  if (TEST_PG_URL) {
    describe(name, body);
    return;
  }
  if (process.env.CI) {
    describe(name, () => {
      throw new Error(`CI must provide PostgreSQL: ${MISSING}`);
    });
    return;
  }
  console.warn(`[${name}] ${MISSING}`);
  describe.skip(name, body);
}

/** Whether this machine can run a private PostgreSQL cluster (Debian's server binaries present). */
export const canRunOwnCluster = Boolean(process.env.CAJA_TEST_PG_BIN);

export interface OwnCluster {
  url: string;
  port: number;
  restart(): void;
  stop(): void;
  start(): void;
}

/**
 * A PostgreSQL server of this test's own, on its own port: the tests that restart or stop the server
 * use it, so no other test file sees its connections drop. Creating one takes a few seconds.
 */
export function ownCluster(port: number): OwnCluster {
  // The script knows the server's options (port, loopback, socket folder); pg_ctl start alone would not.
  const launch = () => {
    const r = spawnSync(process.execPath, [join(process.cwd(), 'scripts/pg-test-server.mjs'), 'start', String(port)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`could not start a PostgreSQL on ${port}: ${r.stderr}`);
    return r;
  };
  const lines = launch();
  const env = Object.fromEntries(lines.stdout.trim().split('\n').map((l) => l.split(/=(.*)/s).slice(0, 2) as [string, string]));
  const data = env.CAJA_TEST_PG_DATA!;
  const bin = env.CAJA_TEST_PG_BIN!;
  const ctl = (args: string[]) => {
    const asRoot = process.getuid?.() === 0;
    const pgctl = join(bin, 'pg_ctl');
    const r = asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', pgctl, ...args, '-D', data], { encoding: 'utf8' })
      : spawnSync(pgctl, [...args, '-D', data], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`pg_ctl ${args[0]} failed: ${r.stderr || r.stdout}`);
  };
  return {
    url: env.CAJA_TEST_PG_URL!,
    port,
    // Stop, then the script's start: `pg_ctl restart` would hand the new server our stdout pipe
    // (no -l log file), and spawnSync would wait on it forever.
    restart: () => {
      ctl(['stop', '-m', 'fast', '-w', '-t', '60']);
      launch();
    },
    stop: () => ctl(['stop', '-m', 'fast', '-w', '-t', '60']),
    start: () => void launch(),
  };
}


/**
 * Vitest and Playwright global setup: when no PostgreSQL is configured (`CAJA_TEST_PG_URL`) but
 * Debian's server binaries are installed, start the private test cluster, so `npm test` on a fresh
 * machine covers the multi-register tests without a second command. Workers inherit the variables.
 */
// @ts-expect-error a plain ES module script shared with .ci/run; its exports are typed by use here
import { envLines, findPgBin, start } from './pg-test-server.mjs';

export default function setup(): void {
  if (process.env.CAJA_TEST_PG_URL) return;
  if (!(findPgBin as () => string | null)()) return;
  try {
    const env = (start as () => Record<string, string>)();
    Object.assign(process.env, env);
  } catch (error) {
    // The tests say why they skip (or fail, on CI); a broken local install must not hide the rest.
    console.warn(`[pg] could not start the test PostgreSQL: ${(error as Error).message}`);
    void envLines;
  }
}

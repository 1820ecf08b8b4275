#!/usr/bin/env node
/**
 * A private PostgreSQL for the multi-register tests: its own cluster in a folder under the system's
 * temp dir, on loopback only, with a password (so a wrong one can be tested), never the machine's
 * own cluster. `.ci/run` starts it and exports what it prints; Vitest's global setup starts it too
 * when nothing is configured and Debian's binaries are present, so `npm test` is still one command.
 *
 *   node scripts/pg-test-server.mjs start   → prints CAJA_TEST_PG_* lines (KEY=value)
 *   node scripts/pg-test-server.mjs stop
 *
 * The cluster runs with fsync off: it holds throwaway test data, and the tests that prove durability
 * (a restart mid-sync) stop it cleanly, which fsync does not change.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync, chownSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TEST_PG_PORT = Number(process.env.CAJA_TEST_PG_PORT ?? 55432);
export const TEST_PG_USER = 'caja';
export const TEST_PG_PASSWORD = 'caja-test-password';
const clusterAt = (port) => {
  const root = join(tmpdir(), `caja-test-pg-${port}`);
  return { port, root, dataDir: join(root, 'data') };
};

/** Debian puts each major version's server binaries in /usr/lib/postgresql/<n>/bin; the newest wins. */
export function findPgBin() {
  if (process.env.CAJA_TEST_PG_BIN) return process.env.CAJA_TEST_PG_BIN;
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(base, versions[0], 'bin') : null;
}

// PostgreSQL refuses to run as root; CI containers are root, so the server runs as `postgres`.
const asRoot = process.getuid?.() === 0;
function run(bin, args, opts = {}) {
  const cmd = asRoot ? 'runuser' : bin;
  const argv = asRoot ? ['-u', 'postgres', '--', bin, ...args] : args;
  return spawnSync(cmd, argv, { encoding: 'utf8', ...opts });
}

export function envLines(port = TEST_PG_PORT) {
  const { dataDir } = clusterAt(port);
  return {
    CAJA_TEST_PG_URL: `postgres://${TEST_PG_USER}:${TEST_PG_PASSWORD}@127.0.0.1:${port}/postgres`,
    CAJA_TEST_PG_DATA: dataDir,
    CAJA_TEST_PG_BIN: findPgBin() ?? '',
  };
}

function isRunning(bin, dataDir) {
  return run(join(bin, 'pg_ctl'), ['status', '-D', dataDir]).status === 0;
}

/** Starts (creating on first use) the cluster for `port`; a test that must stop a server uses its own port. */
export function start(port = TEST_PG_PORT) {
  const { root, dataDir } = clusterAt(port);
  const bin = findPgBin();
  if (!bin) throw new Error('PostgreSQL server binaries not found (apt-get install -y postgresql)');
  if (existsSync(dataDir) && isRunning(bin, dataDir)) return envLines(port);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    rmSync(root, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true });
    const pwfile = join(root, 'pw');
    writeFileSync(pwfile, TEST_PG_PASSWORD + '\n');
    if (asRoot) {
      const ids = execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim();
      const gid = execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim();
      for (const p of [root, dataDir, pwfile]) chownSync(p, Number(ids), Number(gid));
    }
    const init = run(join(bin, 'initdb'), [
      '-D', dataDir, '-U', TEST_PG_USER, '--pwfile', pwfile, '--auth', 'scram-sha-256', '-E', 'UTF8', '--locale', 'C',
    ]);
    if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  }
  const opts = [
    `-p ${port}`, "-c listen_addresses=127.0.0.1", `-c unix_socket_directories=${root}`,
    '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off', '-c max_connections=400',
    '-c shared_buffers=128MB',
  ].join(' ');
  const started = run(join(bin, 'pg_ctl'), ['start', '-D', dataDir, '-w', '-t', '60', '-l', join(root, 'server.log'), '-o', opts]);
  if (started.status !== 0) throw new Error(`pg_ctl start failed: ${started.stderr || started.stdout}`);
  return envLines(port);
}

export function stop(port = TEST_PG_PORT) {
  const { dataDir } = clusterAt(port);
  const bin = findPgBin();
  if (bin && existsSync(dataDir)) run(join(bin, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'fast', '-w']);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const verb = process.argv[2] ?? 'start';
  const port = process.argv[3] ? Number(process.argv[3]) : TEST_PG_PORT;
  if (verb === 'stop') stop(port);
  else for (const [k, v] of Object.entries(start(port))) console.log(`${k}=${v}`);
}

// `npm start`: Caja in Electron. Electron 45 fetches its binary the first time it is required; where
// that cannot happen (no network, a locked-down machine) Caja starts in the system browser instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { supervise } from './supervise.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const node = process.execPath;
const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const passThrough = process.argv.slice(2);
// The README promises the demo until a token is entered: `npm start` is that choice, made for a
// data folder that never had a token (services.ts records it; a folder with a token stays live).
const env = { ...process.env, CAJA_FIRST_RUN: 'demo' };

function run(args) {
  const result = spawnSync(node, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function findElectron() {
  if (process.env.CAJA_BROWSER === '1') return { path: null, reason: 'CAJA_BROWSER=1 asks for the browser' };
  // Resolving in a child keeps the download's own output out of the way; we report in one line.
  console.log('Looking for the Electron binary (downloaded on the first start)…');
  const probe = spawnSync(node, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: root,
    encoding: 'utf8',
    timeout: 15 * 60_000,
  });
  // The download's progress shares stdout with the path, which comes last.
  const lines = `${probe.stdout ?? ''}\n${probe.stderr ?? ''}`.split('\n').map((l) => l.trim()).filter(Boolean);
  const path = (probe.stdout ?? '').trim().split('\n').pop();
  if (probe.status === 0 && path && existsSync(path)) return { path, reason: null };
  const why = lines.find((l) => /^\w*Error: /.test(l)) ?? probe.error?.message ?? 'unknown error';
  return { path: null, reason: `its download failed: ${why.replace(/^\w*Error: /, '')}` };
}

const electron = findElectron();
if (electron.path) {
  run([vite, 'build']);
  const child = spawn(electron.path, [root, ...passThrough], { cwd: root, stdio: 'inherit', env });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(`No Electron binary (${electron.reason}); starting Caja in your browser instead.`);
  run([vite, 'build', '--mode', 'renderer-only', '--logLevel', 'warn']);
  const host = supervise({
    command: node,
    args: [tsx, join(root, 'electron', 'host', 'cli.ts'), ...passThrough],
    options: { cwd: root, stdio: 'inherit', env },
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => host.stop(signal));
  host.done.then((code) => process.exit(code));
}

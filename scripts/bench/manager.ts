/**
 * The manager PIN's cost: one scrypt hash (what setting the PIN takes) and one verify (what each
 * unlock takes: the hash again, the constant-time compare, the attempt written to manager.json),
 * beside a bare SHA-256 of the same PIN and salt in the same run (the floor; compare the ratio).
 * The ratio is the point: it is how much more a guess against a stolen manager.json costs. Prints only.
 *   npx tsx scripts/bench/manager.ts
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { hashPin, openManagerPin, SCRYPT } from '../../electron/roles/manager-pin';

const RUNS = 40;

function stats(samples: number[]): { p50: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p95: at(0.95) };
}

function time(runs: number, work: (i: number) => void): { p50: number; p95: number } {
  for (let i = 0; i < 3; i++) work(i); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    work(i);
    samples.push(performance.now() - start);
  }
  return stats(samples);
}

const ms = (v: number) => `${v < 1 ? v.toFixed(4) : v.toFixed(2)} ms`;

export async function benchManager(): Promise<void> {
  const salt = randomBytes(16);
  const pin = '2580';
  const dir = mkdtempSync(join(tmpdir(), 'caja-bench-pin-'));
  try {
    const floor = time(RUNS * 50, () => createHash('sha256').update(salt).update(pin).digest());
    const hash = time(RUNS, () => hashPin(pin, salt));
    const stored = openManagerPin(join(dir, 'manager.json'));
    stored.set(pin);
    // A right PIN each time: the failure count stays 0, so no lock-out interrupts the loop.
    const verify = time(RUNS, (i) => stored.verify(pin, 1_000_000 + i));
    console.log(`manager PIN: scrypt N=${SCRYPT.N} r=${SCRYPT.r} p=${SCRYPT.p}, ${RUNS} runs each`);
    console.log(`hash     scrypt(PIN, salt):            p50 ${ms(hash.p50)}  p95 ${ms(hash.p95)}`);
    console.log(`verify   unlock (hash+compare+write):  p50 ${ms(verify.p50)}  p95 ${ms(verify.p95)}`);
    console.log(`floor    sha256(salt, PIN):            p50 ${ms(floor.p50)}  p95 ${ms(floor.p95)}`);
    console.log(
      `ratio    hash/floor p50: ${Math.round(hash.p50 / floor.p50).toLocaleString('en')}×   verify/floor p50: ${Math.round(verify.p50 / floor.p50).toLocaleString('en')}×   (budget: an unlock well under 250 ms at the till)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchManager();

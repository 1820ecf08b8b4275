/**
 * `npm start`'s launcher keeps the browser host alive: a host killed from outside (as the OOM
 * killer or a crash would) is started again; a clean exit ends it; a host that dies at every start
 * is given up on instead of looping.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs module without types, run by `npm start` under any Node
import { supervise } from './supervise.mjs';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in host: counts its starts in a file, dies by SIGKILL on the first `deaths` ones. */
function fakeHost(deaths: number): string {
  dir = mkdtempSync(join(tmpdir(), 'caja-supervise-'));
  const script = join(dir, 'host.cjs');
  writeFileSync(
    script,
    `const fs = require('fs'); const f = ${JSON.stringify(join(dir, 'starts'))};
     const n = (fs.existsSync(f) ? Number(fs.readFileSync(f, 'utf8')) : 0) + 1; fs.writeFileSync(f, String(n));
     if (n <= ${deaths}) process.kill(process.pid, 'SIGKILL'); else process.exit(0);`,
  );
  return script;
}

describe('start launcher supervision', () => {
  it('starts a host that was killed again, and ends when it exits cleanly', async () => {
    const script = fakeHost(2);
    const lines: string[] = [];
    const run = supervise({ command: process.execPath, args: [script], log: (l: string) => lines.push(l) });
    expect(await run.done).toBe(0);
    expect(readFileSync(join(dir, 'starts'), 'utf8')).toBe('3');
    expect(lines.filter((l) => l.includes('starting it again'))).toHaveLength(2);
  });

  it('gives up on a host that dies at every start', async () => {
    const script = fakeHost(100);
    const lines: string[] = [];
    const run = supervise({
      command: process.execPath,
      args: [script],
      maxRestartsPerMinute: 3,
      log: (l: string) => lines.push(l),
    });
    expect(await run.done).not.toBe(0);
    expect(run.starts()).toBe(3);
    expect(lines.at(-1)).toMatch(/not restarting/);
    expect(existsSync(join(dir, 'starts'))).toBe(true);
  });
});

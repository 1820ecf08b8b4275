/** `npm run simulator` as a person runs it: a child process that prints its URLs and stops on SIGTERM. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT } from './seed';
import { apiClient } from './test-kit';

function startCli(args: string[]) {
  const child = spawn('npx', ['tsx', 'electron/simulator/cli.ts', ...args], {
    cwd: join(import.meta.dirname, '..', '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a signal reaches npx and the simulator together, as Ctrl-C in a terminal does.
    detached: true,
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // Every process of the group has let go of the output: the simulator itself is gone.
  const closed = new Promise<void>((resolve) => child.stdout.on('close', () => resolve()));
  const url = new Promise<string>((resolve, reject) => {
    const check = () => {
      const m = /listening at (http:\/\/\S+)/.exec(out);
      // The banner is complete once it tells how to stop.
      if (m && out.includes('Press Ctrl-C')) resolve(m[1]!);
    };
    child.stdout.on('data', check);
    void exited.then(() => reject(new Error(`simulator CLI exited early:\n${out}`)));
  });
  url.catch(() => undefined); // a test that expects an early exit never awaits the URL
  return { child, url, exited, closed, output: () => out, signal: (sig: NodeJS.Signals) => process.kill(-child.pid!, sig) };
}

describe('simulator CLI', () => {
  it('starts on a random port, prints URLs and tokens, persists state and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
    const state = join(dir, 'state.json');
    const cli = startCli(['--port', '0', '--state', state, '--manual', '--quiet']);
    try {
      const baseUrl = await cli.url;
      expect(cli.output()).toContain(`${baseUrl}/__sim/screen`);
      expect(cli.output()).toContain(DEMO_ACCOUNT.token);
      const api = apiClient(baseUrl, DEMO_ACCOUNT.token);
      const created = await api('POST', '/point/integration-api/devices/PAX_A910__SMARTPOS1234567890/payment-intents', { amount: 1500 });
      expect(created.status).toBe(201);
      const info = await fetch(`${baseUrl}/__sim/info`).then((r) => r.json());
      expect(info.timing.customer).toBe('manual');
      cli.signal('SIGTERM');
      await cli.closed;
      expect(cli.output()).toContain('Stopping the simulator');
      expect(cli.output()).toContain('Simulator stopped');
      expect(existsSync(state)).toBe(true);
      expect(readFileSync(state, 'utf8')).toContain(created.body.id);
    } finally {
      if (cli.child.exitCode === null && cli.child.signalCode === null) cli.signal('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bad --port', async () => {
    const cli = startCli(['--port', 'abc']);
    expect(await cli.exited).toBe(2);
    expect(cli.output()).toContain('--port');
  });

  it('refuses a --host that is not loopback, saying why', async () => {
    const cli = startCli(['--port', '0', '--host', '0.0.0.0']);
    expect(await cli.exited).toBe(2);
    expect(cli.output()).toMatch(/--host must be a loopback address.*"0\.0\.0\.0".*no authentication/);
  });
});

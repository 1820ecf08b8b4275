// Keeps a child process (the browser host: the till itself) running: started again when it dies
// unexpectedly. A clean exit (code 0), a usage error (code 2), a stop we asked for, or a child that
// keeps dying at once ends supervision, so a broken install does not loop forever.
import { spawn } from 'node:child_process';

/**
 * @param {{ command: string, args: string[], options?: import('node:child_process').SpawnOptions,
 *   maxRestartsPerMinute?: number, log?: (line: string) => void }} spec
 * @returns {{ done: Promise<number>, stop: (signal: NodeJS.Signals) => void, starts: () => number }}
 */
export function supervise(spec) {
  const log = spec.log ?? ((line) => console.error(line));
  const limit = spec.maxRestartsPerMinute ?? 5;
  const started = [];
  let child = null;
  let stopping = false;
  let finish;
  const done = new Promise((resolve) => (finish = resolve));
  const start = () => {
    started.push(Date.now());
    child = spawn(spec.command, spec.args, spec.options ?? {});
    child.on('exit', (code, signal) => {
      if (stopping || code === 0 || code === 2) return finish(code ?? 0);
      const recent = started.filter((t) => Date.now() - t < 60_000);
      if (recent.length >= limit) {
        log(`Caja stopped ${recent.length} times within a minute (last: ${signal ?? `exit code ${code}`}); not restarting. See caja.log in the data folder.`);
        return finish(code ?? 1);
      }
      log(`Caja stopped unexpectedly (${signal ?? `exit code ${code}`}); starting it again. Open the new link it prints.`);
      start();
    });
  };
  start();
  return {
    done,
    starts: () => started.length,
    stop(signal) {
      stopping = true;
      child?.kill(signal);
    },
  };
}

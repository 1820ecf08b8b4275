/** A small line logger whose every line passes through `redact`: tokens never reach a log file. */
import { appendFileSync } from 'node:fs';
import type { Logger } from './checkout/engine-api';
import { redact, redactData } from './redact';

export function createLogger(options: { file?: string; echo?: boolean } = {}): Logger {
  const write = (level: string, msg: string, data?: Record<string, unknown>) => {
    const line = redact(
      `${new Date().toISOString()} ${level} ${msg}${data ? ' ' + JSON.stringify(redactData(data)) : ''}`,
    );
    if (options.echo) console.log(line);
    if (options.file) {
      try {
        // Created readable by the user only: the log names payments and terminals.
        appendFileSync(options.file, line + '\n', { mode: 0o600 });
      } catch {
        // A full disk must not take a sale down with it; the line is lost, the payment is not.
      }
    }
  };
  return {
    info: (m, d) => write('INFO', m, d),
    warn: (m, d) => write('WARN', m, d),
    error: (m, d) => write('ERROR', m, d),
  };
}

/**
 * The transport-free half of the IPC contract: validate a call, run its handler, and turn every
 * outcome into an envelope. Electron's ipcMain (ipc.ts) and the browser host's WebSocket (host/)
 * both go through here, so a call is checked the same way whichever pipe carried it.
 */
import type { z } from 'zod';
import { contract, ErrorDetailsSchema, isChannel, type Channel, type Output, type ParsedInput } from '../shared/contract';
import { CajaError, type Envelope, type WireError } from '../shared/errors';
import { redact } from './redact';

export type Handlers = {
  [C in Channel]: (input: ParsedInput<C>) => Promise<Output<C>> | Output<C>;
};

export interface DispatchLog {
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

/** Readable, value-free description of what was wrong with an argument (values may be secrets). */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

export function toWireError(error: unknown, log?: DispatchLog, channel?: string): WireError {
  if (error instanceof CajaError) {
    const wire = error.toWire();
    if (wire.details === undefined) return wire;
    // Details cross the wall like outputs: checked, and dropped (the code still speaks) when off the contract.
    const details = ErrorDetailsSchema.safeParse(wire.details);
    if (details.success) return { ...wire, details: details.data };
    log?.error('error details outside the contract', { channel, code: wire.code, issues: describeIssues(details.error) });
    return { code: wire.code, message: wire.message };
  }
  // Anything else is a bug or a library failure: its message and stack stay in main's log, redacted.
  log?.error('handler failed', { channel, error: redact(error instanceof Error ? (error.stack ?? error.message) : String(error)) });
  return { code: 'INTERNAL', message: 'Something went wrong inside Caja. The sale was not lost; try again.' };
}

export async function dispatch(
  handlers: Handlers,
  channel: unknown,
  rawInput: unknown,
  log?: DispatchLog,
): Promise<Envelope<unknown>> {
  if (!isChannel(channel)) {
    log?.warn('refused unknown channel', { channel: typeof channel === 'string' ? channel.slice(0, 64) : typeof channel });
    return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: 'That action does not exist.' } };
  }
  const spec = contract[channel];
  const parsed = spec.input.safeParse(rawInput);
  if (!parsed.success) {
    return { ok: false, error: { code: 'INVALID_INPUT', message: describeIssues(parsed.error) } };
  }
  try {
    const handler = handlers[channel] as (input: unknown) => unknown;
    const value = await handler(parsed.data);
    // Outputs are checked too: a shape drift must fail loudly here, not as `undefined` on a receipt.
    const checked = spec.output.safeParse(value);
    if (!checked.success) {
      log?.error('handler returned a value outside the contract', { channel, issues: describeIssues(checked.error) });
      return { ok: false, error: { code: 'INTERNAL', message: 'Caja produced an unexpected answer. Please try again.' } };
    }
    return { ok: true, value: checked.data };
  } catch (error) {
    return { ok: false, error: toWireError(error, log, channel) };
  }
}

/**
 * The renderer's only door to main. Components and stores call `call()` and `subscribe()`; nothing
 * else touches `window.caja`. Envelopes are unwrapped here: a failure becomes a thrown `BridgeError`
 * carrying the contract's error code and a human message.
 */
import type { CajaApi } from '../shared/api';
import type { Channel, EventName, EventPayload, Input, Output } from '../shared/contract';
import type { ErrorCode, ErrorDetails } from '../shared/errors';
import { connectWebSocketBridge } from './ws-bridge';

declare global {
  interface Window {
    caja?: CajaApi;
  }
}

export class BridgeError extends Error {
  readonly code: ErrorCode;
  /** What the refusal names (main checked it against the contract before sending). */
  readonly details: ErrorDetails | undefined;
  constructor(code: ErrorCode, message: string, details?: ErrorDetails) {
    super(message);
    this.name = 'BridgeError';
    this.code = code;
    this.details = details;
  }
}

let api: CajaApi | null = null;

function getApi(): CajaApi {
  // Electron's preload defines window.caja; the browser host leaves it to us.
  api ??= window.caja ?? connectWebSocketBridge();
  return api;
}

type Args<C extends Channel> = undefined extends Input<C> ? [input?: Input<C>] : [input: Input<C>];

/**
 * Asked when main refuses a call with FORBIDDEN: the manager store checks main's session and, if a
 * PIN exists and the session is locked, asks the manager to enter it right there. True: unlocked, so
 * the call is made once more (main checks again; nothing is decided here).
 */
type ManagerNeeded = (channel: Channel) => Promise<boolean>;
let managerNeeded: ManagerNeeded | null = null;
export function onManagerNeeded(handler: ManagerNeeded | null): void {
  managerNeeded = handler;
}

export async function call<C extends Channel>(channel: C, ...args: Args<C>): Promise<Output<C>> {
  const fn = getApi()[channel] as (input: unknown) => ReturnType<CajaApi[C]>;
  let result = await fn(args[0]);
  if (!result.ok && result.error.code === 'FORBIDDEN' && !channel.startsWith('manager.') && managerNeeded && (await managerNeeded(channel))) {
    result = await fn(args[0]);
  }
  if (!result.ok) throw new BridgeError(result.error.code, result.error.message, result.error.details);
  return result.value as Output<C>;
}

export function subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  return getApi().subscribe(event, listener);
}

export function errorCode(error: unknown): ErrorCode {
  return error instanceof BridgeError ? error.code : 'INTERNAL';
}

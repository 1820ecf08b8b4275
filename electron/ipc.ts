/**
 * The single place main registers contract handlers on Electron's ipcMain.
 * Every call is checked for its sender before anything else: only the app's own top-level page may
 * speak (an iframe, a navigated-away page or a devtools extension is refused and logged), then the
 * call goes through `dispatch` for validation and error mapping.
 */
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { CHANNELS, IPC_EVENT_PREFIX, IPC_PREFIX, events, type EventName, type EventPayload } from '../shared/contract';
import type { Envelope } from '../shared/errors';
import { dispatch, type DispatchLog, type Handlers } from './dispatch';

/** The part of ipcMain we use; taking it as an argument keeps this module testable without Electron. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

type SenderEvent = Pick<IpcMainInvokeEvent, 'senderFrame'>;

export function isTrustedSender(event: SenderEvent, trustedOrigin: string): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  try {
    // Not URL.origin: for custom schemes such as app:// WHATWG URL reports the opaque origin "null".
    const url = new URL(frame.url);
    return `${url.protocol}//${url.host}` === trustedOrigin;
  } catch {
    return false;
  }
}

export function handle(
  ipcMain: IpcMainLike,
  handlers: Handlers,
  options: { trustedOrigin: string; log?: DispatchLog },
): () => void {
  for (const channel of CHANNELS) {
    ipcMain.handle(IPC_PREFIX + channel, async (event, input): Promise<Envelope<unknown>> => {
      if (!isTrustedSender(event, options.trustedOrigin)) {
        options.log?.warn('refused IPC from a foreign sender', { channel, url: event.senderFrame?.url ?? null });
        return { ok: false, error: { code: 'FORBIDDEN', message: 'This window may not use Caja.' } };
      }
      return dispatch(handlers, channel, input, options.log);
    });
  }
  return () => CHANNELS.forEach((channel) => ipcMain.removeHandler(IPC_PREFIX + channel));
}

/** Pushes an event after checking it against the contract, so the renderer never gets a stray shape. */
export function pushEvent<E extends EventName>(target: Pick<WebContents, 'send' | 'isDestroyed'>, event: E, payload: EventPayload<E>): void {
  if (target.isDestroyed()) return;
  target.send(IPC_EVENT_PREFIX + event, events[event].parse(payload));
}

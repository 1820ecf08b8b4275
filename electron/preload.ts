/**
 * Runs sandboxed before the page: exposes `window.caja`, one function per contract entry and a
 * closed `subscribe`, nothing else — no ipcRenderer, no Node. Events from main are parsed with the
 * contract's schemas before the page sees them.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { buildCajaApi } from '../shared/api';
import { IPC_EVENT_PREFIX, IPC_PREFIX, events, isEventName } from '../shared/contract';
import type { Envelope } from '../shared/errors';

const api = buildCajaApi(
  (channel, input) => ipcRenderer.invoke(IPC_PREFIX + channel, input) as Promise<Envelope<unknown>>,
  (event, listener) => {
    if (!isEventName(event)) throw new Error('Unknown event');
    const wrapped = (_e: IpcRendererEvent, payload: unknown) => {
      const parsed = events[event].safeParse(payload);
      if (parsed.success) listener(parsed.data);
    };
    ipcRenderer.on(IPC_EVENT_PREFIX + event, wrapped);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_PREFIX + event, wrapped);
    };
  },
);

contextBridge.exposeInMainWorld('caja', api);

/**
 * `window.caja` for the browser host: the same API as Electron's preload, carried over a WebSocket
 * to the Node host. The per-run secret arrives in the URL fragment; it is kept for this tab only
 * (sessionStorage, so a reload works) and wiped from the address bar.
 */
import type { CajaApi } from '../shared/api';
import type * as ContractModule from '../shared/contract';
import type { Channel, EventName } from '../shared/contract';
import type { Envelope } from '../shared/errors';
import { firstScreenShown } from './first-screen';

/**
 * The contract (and zod with it) is a third of the page's script: it is fetched after the first
 * screen instead of in front of it. Events still pass its schemas before any listener sees them; the
 * few that arrive before it has loaded wait for it, in order.
 */
type Contract = typeof ContractModule;
let contract: Contract | null = null;
let contractLoading: Promise<Contract> | null = null;
/**
 * Fetched once the first screen is complete (first-screen.ts): for the first event that arrived
 * before, or in the first idle time after it. Building zod's schemas takes 80–120 ms on a fresh page.
 */
const loadContract = () =>
  (contractLoading ??= firstScreenShown.then(() => import('../shared/contract')).then((m) => (contract = m)));
void firstScreenShown.then(() => {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(() => void loadContract(), { timeout: 3000 });
  else void loadContract();
});

const SECRET_KEY = 'caja.hostSecret';

function takeSecret(): string | null {
  const match = /secret=([\w-]+)/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(SECRET_KEY, match[1]);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return match[1];
  }
  return sessionStorage.getItem(SECRET_KEY);
}

type Pending = (result: Envelope<unknown>) => void;

export function connectWebSocketBridge(): CajaApi {
  const secret = takeSecret();
  const pending = new Map<number, Pending>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let opened: Promise<WebSocket> | null = null;
  let retryMs = 250;
  /** Events that came before the contract had loaded, oldest first. */
  const early: [string, unknown][] = [];

  function deliver(c: Contract, event: string, payload: unknown): void {
    if (!c.isEventName(event)) return;
    const parsed = c.events[event].safeParse(payload);
    if (parsed.success) listeners.get(event)?.forEach((l) => l(parsed.data));
  }
  function flushEarly(c: Contract): void {
    for (const [event, payload] of early.splice(0)) deliver(c, event, payload);
  }

  const lost = (): Envelope<unknown> => ({
    ok: false,
    error: { code: 'NETWORK', message: 'Lost contact with Caja. Reconnecting…' },
  });

  function open(): Promise<WebSocket> {
    if (opened) return opened;
    opened = new Promise((resolve, reject) => {
      if (!secret) {
        reject(new Error('This page was opened without its access key. Open the URL Caja printed.'));
        return;
      }
      const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/caja?secret=${encodeURIComponent(secret)}`;
      const ws = new WebSocket(url);
      ws.onopen = () => {
        socket = ws;
        retryMs = 250;
        resolve(ws);
      };
      ws.onmessage = (message) => {
        const frame = JSON.parse(String(message.data)) as { id?: number; result?: Envelope<unknown>; event?: string; payload?: unknown };
        if (typeof frame.id === 'number' && frame.result) {
          pending.get(frame.id)?.(frame.result);
          pending.delete(frame.id);
        } else if (typeof frame.event === 'string') {
          if (contract && early.length === 0) deliver(contract, frame.event, frame.payload);
          else {
            early.push([frame.event, frame.payload]);
            if (early.length === 1) void loadContract().then(flushEarly);
          }
        }
      };
      ws.onclose = () => {
        socket = null;
        opened = null;
        pending.forEach((settle) => settle(lost()));
        pending.clear();
        reject(new Error('closed'));
        // Events only flow on an open socket: reconnect while anyone listens.
        if (listeners.size > 0) {
          setTimeout(() => void open().catch(() => undefined), retryMs);
          retryMs = Math.min(retryMs * 2, 5000);
        }
      };
    });
    return opened;
  }

  const invoke = async (channel: Channel, input: unknown): Promise<Envelope<unknown>> => {
    let ws: WebSocket;
    try {
      ws = socket ?? (await open());
    } catch {
      return lost();
    }
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, channel, input }));
    });
  };

  const subscribe = (event: EventName, listener: (payload: unknown) => void) => {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    void open().catch(() => undefined);
    return () => {
      set.delete(listener);
      if (set.size === 0) listeners.delete(event);
    };
  };

  // The same shape buildCajaApi gives the preload, without needing the contract's channel list up
  // front: any channel name becomes a call (main answers an unknown one with an error). Not a
  // thenable: `then` is no channel.
  return new Proxy({ subscribe } as unknown as CajaApi, {
    get: (target, key) =>
      key === 'subscribe'
        ? target.subscribe
        : typeof key === 'string' && key !== 'then'
          ? (input: unknown) => invoke(key as Channel, input)
          : undefined,
  });
}

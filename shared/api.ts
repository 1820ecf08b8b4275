/**
 * The object the renderer sees as `window.caja`: one named function per contract entry, plus
 * `subscribe` for pushed events. It is built from the contract in exactly two places — the Electron
 * preload and the browser host's WebSocket bridge — so both speak the same shape.
 */
import type { Envelope } from './errors';
import {
  CHANNELS,
  type Channel,
  type EventName,
  type EventPayload,
  type Input,
  type Output,
} from './contract';

export type CajaApi = {
  readonly [C in Channel]: (input: Input<C>) => Promise<Envelope<Output<C>>>;
} & {
  /** Returns the function that ends the subscription. */
  readonly subscribe: <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) => () => void;
};

export type Invoke = (channel: Channel, input: unknown) => Promise<Envelope<unknown>>;
export type Subscribe = (event: EventName, listener: (payload: unknown) => void) => () => void;

export function buildCajaApi(invoke: Invoke, subscribe: Subscribe): CajaApi {
  const api: Record<string, unknown> = {};
  for (const channel of CHANNELS) {
    api[channel] = (input: unknown) => invoke(channel, input);
  }
  api.subscribe = subscribe;
  return Object.freeze(api) as CajaApi;
}

import { describe, expect, it, vi } from 'vitest';
import { CHANNELS, IPC_PREFIX } from '../shared/contract';
import type { Envelope } from '../shared/errors';
import type { Handlers } from './dispatch';
import { handle, isTrustedSender, pushEvent, type IpcMainLike } from './ipc';

const ORIGIN = 'app://caja';

/** A stand-in for ipcMain that records handlers, as Electron Fiddle's IPC tests do. */
function fakeIpcMain() {
  const registered = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const ipc: IpcMainLike = {
    handle: (channel, listener) => void registered.set(channel, listener as never),
    removeHandler: (channel) => void registered.delete(channel),
  };
  const invoke = (channel: string, frame: unknown, input?: unknown) =>
    registered.get(IPC_PREFIX + channel)!({ senderFrame: frame }, input) as Promise<Envelope<unknown>>;
  return { ipc, registered, invoke };
}

const topFrame = (url: string) => ({ url, parent: null });
const info = { name: 'Caja', version: '1', shell: 'electron', backend: 'demo', platform: 'linux', terminalScreenUrl: null };

function handlers(getInfo = vi.fn(() => info)): Handlers {
  return { 'app.getInfo': getInfo } as unknown as Handlers;
}

describe('handle(): the one ipcMain wrapper', () => {
  it('registers every contract channel, prefixed, and removes them all', () => {
    const { ipc, registered } = fakeIpcMain();
    const off = handle(ipc, handlers(), { trustedOrigin: ORIGIN });
    expect([...registered.keys()].sort()).toEqual(CHANNELS.map((c) => IPC_PREFIX + c).sort());
    off();
    expect(registered.size).toBe(0);
  });

  it("answers the app's own top frame", async () => {
    const { ipc, invoke } = fakeIpcMain();
    handle(ipc, handlers(), { trustedOrigin: ORIGIN });
    await expect(invoke('app.getInfo', topFrame('app://caja/index.html'))).resolves.toEqual({ ok: true, value: info });
  });

  it.each([
    ['another origin', topFrame('https://evil.example/')],
    ['a look-alike host', topFrame('app://caja.evil/index.html')],
    ['a file page', topFrame('file:///tmp/x.html')],
    ['a sub-frame of the app', { url: 'app://caja/index.html', parent: topFrame('app://caja/index.html') }],
    ['no frame at all', null],
    ['an unparsable url', topFrame('::::')],
  ])('refuses %s without running the handler', async (_name, frame) => {
    const getInfo = vi.fn(() => info);
    const warn = vi.fn();
    const { ipc, invoke } = fakeIpcMain();
    handle(ipc, handlers(getInfo), { trustedOrigin: ORIGIN, log: { warn, error: vi.fn() } });
    const result = await invoke('app.getInfo', frame);
    expect(result).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.any(String) } });
    expect(getInfo).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalled();
  });

  it('isTrustedSender compares exact origins', () => {
    expect(isTrustedSender({ senderFrame: topFrame('app://caja/a/b') } as never, ORIGIN)).toBe(true);
    expect(isTrustedSender({ senderFrame: topFrame('app://cajas/') } as never, ORIGIN)).toBe(false);
  });
});

describe('pushEvent', () => {
  it('sends events that match the contract and throws on ones that do not', () => {
    const send = vi.fn();
    const target = { send, isDestroyed: () => false };
    pushEvent(target, 'terminals.changed', []);
    expect(send).toHaveBeenCalledWith('caja-event:terminals.changed', []);
    expect(() => pushEvent(target, 'terminals.changed', [{ id: 'x' }] as never)).toThrow();
  });

  it('drops events for a closed window', () => {
    const send = vi.fn();
    pushEvent({ send, isDestroyed: () => true }, 'terminals.changed', []);
    expect(send).not.toHaveBeenCalled();
  });
});

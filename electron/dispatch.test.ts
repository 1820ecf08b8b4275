import { describe, expect, it, vi } from 'vitest';
import { CHANNELS } from '../shared/contract';
import { CajaError } from '../shared/errors';
import { dispatch, type Handlers } from './dispatch';

const TOKEN = 'APP_USR-1234567890123456-112233-abcdefabcdefabcdef-99887766';

function handlersWith(overrides: Partial<Handlers>): Handlers {
  const unused = () => {
    throw new Error('not used in this test');
  };
  const all = Object.fromEntries(CHANNELS.map((c) => [c, unused])) as unknown as Handlers;
  return { ...all, ...overrides };
}

const info = {
  name: 'Caja',
  version: '1.0.0',
  shell: 'browser' as const,
  backend: 'demo' as const,
  platform: 'linux',
  terminalScreenUrl: null,
};

describe('dispatch (the contract wrapper both pipes share)', () => {
  it('answers a known call with its validated output', async () => {
    const result = await dispatch(handlersWith({ 'app.getInfo': () => info }), 'app.getInfo', undefined);
    expect(result).toEqual({ ok: true, value: info });
  });

  it('refuses an unknown channel without running anything', async () => {
    const log = { warn: vi.fn(), error: vi.fn() };
    const result = await dispatch(handlersWith({}), 'fs.readFile', { path: '/etc/passwd' }, log);
    expect(result).toEqual({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: expect.any(String) } });
    expect(log.warn).toHaveBeenCalledOnce();
  });

  it('refuses inherited object keys as channels', async () => {
    for (const channel of ['__proto__', 'constructor', 'toString', 42, null]) {
      const result = await dispatch(handlersWith({}), channel, undefined);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('UNKNOWN_CHANNEL');
    }
  });

  it('refuses a malformed argument before the handler runs, naming the field but not echoing the value', async () => {
    const charge = vi.fn();
    const bad = { cart: { lines: [{ productId: null, sku: null, name: 'x', unitPrice: 10.5, quantity: 1, discount: 0 }], cartDiscount: 0 }, terminalId: 'T1' };
    const result = await dispatch(handlersWith({ 'checkout.charge': charge }), 'checkout.charge', bad);
    expect(charge).not.toHaveBeenCalled();
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('INVALID_INPUT');
      expect(result.error.message).toContain('cart.lines.0.unitPrice');
    }
  });

  it('refuses extra properties (strict inputs) and a token that is not a Mercado Pago token', async () => {
    const setToken = vi.fn();
    const extra = await dispatch(handlersWith({ 'settings.setToken': setToken }), 'settings.setToken', { token: TOKEN, admin: true });
    const wrong = await dispatch(handlersWith({ 'settings.setToken': setToken }), 'settings.setToken', { token: 'hunter2' });
    expect(extra.ok || wrong.ok).toBe(false);
    expect(setToken).not.toHaveBeenCalled();
    expect(JSON.stringify(wrong)).not.toContain('hunter2');
  });

  it('passes a CajaError across as exactly {code, message}', async () => {
    const result = await dispatch(
      handlersWith({ 'checkout.unfinished': () => { throw new CajaError('TERMINAL_BUSY', 'The terminal is busy.'); } }),
      'checkout.unfinished',
      undefined,
    );
    expect(result).toStrictEqual({ ok: false, error: { code: 'TERMINAL_BUSY', message: 'The terminal is busy.' } });
  });

  it('passes the details a CajaError names when the contract allows them, and drops any other', async () => {
    const refusing = (details: object) =>
      handlersWith({
        'checkout.unfinished': () => {
          throw new CajaError('TERMINAL_BUSY', 'Terminal A is in use on Till 3.', { details });
        },
      });
    expect(await dispatch(refusing({ till: 'Till 3' }), 'checkout.unfinished', undefined)).toStrictEqual({
      ok: false,
      error: { code: 'TERMINAL_BUSY', message: 'Terminal A is in use on Till 3.', details: { till: 'Till 3' } },
    });
    const log = { warn: vi.fn(), error: vi.fn() };
    for (const bad of [{ till: '' }, { till: 'x'.repeat(81) }, { server: 'mercadopago' }, { till: 'Till 3', token: TOKEN }]) {
      expect(await dispatch(refusing(bad), 'checkout.unfinished', undefined, log)).toStrictEqual({
        ok: false,
        error: { code: 'TERMINAL_BUSY', message: 'Terminal A is in use on Till 3.' },
      });
    }
    expect(log.error).toHaveBeenCalledTimes(4);
    expect(JSON.stringify(log.error.mock.calls)).not.toContain(TOKEN);
  });

  it('turns any other failure into INTERNAL with no stack and no token, and logs it redacted', async () => {
    const lines: string[] = [];
    const log = { warn: vi.fn(), error: (m: string, d?: Record<string, unknown>) => lines.push(m + JSON.stringify(d)) };
    const result = await dispatch(
      handlersWith({ 'checkout.unfinished': () => { throw new Error(`request failed: Authorization: Bearer ${TOKEN}`); } }),
      'checkout.unfinished',
      undefined,
      log,
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(Object.keys(result.error).sort()).toEqual(['code', 'message']);
      expect(result.error.code).toBe('INTERNAL');
    }
    const wire = JSON.stringify(result);
    expect(wire).not.toContain(TOKEN);
    expect(wire).not.toMatch(/at .*\.ts:\d+/);
    expect(lines.join('\n')).not.toContain(TOKEN);
    expect(lines.join('\n')).toContain('[redacted]');
  });

  it('refuses to send an output that breaks the contract', async () => {
    const result = await dispatch(
      handlersWith({ 'app.getInfo': () => ({ ...info, shell: 'toaster' }) as never }),
      'app.getInfo',
      undefined,
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('INTERNAL');
  });
});

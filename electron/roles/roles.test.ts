/**
 * The manager's side, enforced in main: the PIN (scrypt, lock-out that survives a restart), the
 * session, and every protected channel refused to a cashier through `dispatch` — the same door both
 * pipes use — against the real services and the simulator.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Channel, SaleView } from '../../shared/contract';
import { dispatch } from '../dispatch';
import { createLogger } from '../logger';
import { createServices, type Services, type ServicesOptions } from '../services';
import { createFileKeySecretBox } from '../settings/token-vault';
import { startSimulator, type Simulator } from '../simulator';
import { accessRules, protectedChannels } from './access';
import { FREE_ATTEMPTS, lockOutMs, openManagerPin } from './manager-pin';
import { createManagerSession } from './manager-session';
import { protectedSamples } from './protected-samples';

const dirs: string[] = [];
const open: { close(): Promise<void> }[] = [];
const tempDir = (name: string) => {
  const d = mkdtempSync(join(tmpdir(), name));
  dirs.push(d, `${d}-keys`);
  return d;
};

afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start(dataDir: string, more: Partial<ServicesOptions> = {}): Promise<Services> {
  const s = await createServices({
    dataDir,
    shell: 'browser',
    version: '9.9.9',
    platform: 'linux',
    secretBox: createFileKeySecretBox(dataDir, join(dataDir, '..', `${basename(dataDir)}-keys`)),
    log: createLogger({ file: join(dataDir, 'caja.log') }),
    simulatorTiming: { toTerminalMs: 20, customerMs: 40, processingMs: 20, customer: 'auto' },
    ...more,
  });
  open.push(s);
  return s;
}

async function sim(): Promise<Simulator> {
  const s = await startSimulator({ port: 0, timing: { toTerminalMs: 20, customerMs: 40, processingMs: 20, customer: 'auto' } });
  open.push(s);
  return s;
}

const call = (s: Services, channel: Channel, input?: unknown) => dispatch(s.handlers, channel, input);

describe('the manager PIN', () => {
  it('is stored as a salted scrypt hash, never as typed', () => {
    const dir = tempDir('caja-pin-');
    const a = openManagerPin(join(dir, 'a.json'));
    const b = openManagerPin(join(dir, 'b.json'));
    a.set('482913');
    b.set('482913');
    const fileA = readFileSync(join(dir, 'a.json'), 'utf8');
    expect(fileA).not.toContain('482913');
    // Same PIN, different salt: the two files share no hash.
    expect(JSON.parse(fileA).hash).not.toBe(JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8')).hash);
    expect(a.verify('482913', 0).ok).toBe(true);
    expect(a.verify('482914', 0).ok).toBe(false);
  });

  it('locks out after wrong attempts, longer each time, and a restart does not reset it', () => {
    const dir = tempDir('caja-pin-');
    const file = join(dir, 'manager.json');
    openManagerPin(file).set('1234');
    let now = 1_000_000;
    for (let i = 1; i < FREE_ATTEMPTS; i++) expect(openManagerPin(file).verify('0000', now)).toMatchObject({ ok: false, lockedUntil: 0 });
    const third = openManagerPin(file).verify('0000', now);
    expect(third.lockedUntil).toBe(now + lockOutMs(FREE_ATTEMPTS));
    // Reopened (a restart): still locked, even for the right PIN.
    expect(() => openManagerPin(file).verify('1234', now + 1000)).toThrow(/Too many wrong PINs/);
    now = third.lockedUntil;
    const fourth = openManagerPin(file).verify('9999', now);
    expect(fourth.lockedUntil - now).toBe(2 * lockOutMs(FREE_ATTEMPTS));
    now = fourth.lockedUntil;
    expect(openManagerPin(file).verify('1234', now)).toMatchObject({ ok: true, failures: 0 });
    expect(openManagerPin(file).failures()).toBe(0);
  });

  it('the lock-out lengths come from the configuration: the first, doubling, capped at the longest', () => {
    const file = join(tempDir('caja-pin-'), 'manager.json');
    const config = { firstMs: 5_000, longestMs: 12_000 };
    openManagerPin(file, config).set('1234');
    let now = 0;
    const waits: number[] = [];
    for (let i = 0; i < FREE_ATTEMPTS + 3; i++) {
      const check = openManagerPin(file, config).verify('0000', now);
      waits.push(check.lockedUntil === 0 ? 0 : check.lockedUntil - now);
      now = Math.max(now, check.lockedUntil);
    }
    expect(waits).toEqual([0, 0, 5_000, 10_000, 12_000, 12_000]);
    expect(openManagerPin(file, config).verify('1234', now)).toMatchObject({ ok: true });
  });

  it('a session opens with the PIN, locks on idle and on Lock, and only a manager changes the PIN', () => {
    const dir = tempDir('caja-pin-');
    let now = 0;
    const session = createManagerSession(openManagerPin(join(dir, 'm.json')), () => now, 60_000);
    expect(() => session.require('Refunds')).toThrow(/no manager PIN is set yet/);
    session.setPin('2468');
    session.lock();
    expect(() => session.require('Refunds')).toThrow(/Refunds needs a manager/);
    expect(() => session.setPin('1357')).toThrow(/Only a manager/);
    expect(() => session.unlock('1111')).toThrow(/Wrong manager PIN/);
    session.unlock('2468');
    now += 59_000;
    session.require('Refunds'); // work keeps the session open
    now += 59_000;
    expect(session.isUnlocked()).toBe(true);
    now += 1_001;
    expect(session.isUnlocked()).toBe(false);
    session.unlock('2468');
    expect(session.lock().unlocked).toBe(false);
  });
});

describe('roles enforced in main', () => {
  it('refuses a cashier every protected action with FORBIDDEN, and lets the manager through', async () => {
    const s = await start(tempDir('caja-roles-'), { forceDemo: true });
    expect((await call(s, 'manager.setPin', { pin: '5555' })).ok).toBe(true);
    await s.handlers['manager.lock'](undefined);

    // One approved sale, charged by the cashier (charging is theirs), to try refunds on.
    const approved = new Promise<SaleView>((resolve) =>
      s.subscribe((e, p) => e === 'sale.changed' && (p as SaleView).state === 'approved' && resolve(p as SaleView)),
    );
    const line = { productId: null, sku: null, name: 'Yerba', unitPrice: 250000, quantity: 1, discount: 0 };
    const charged = await call(s, 'checkout.charge', { cart: { lines: [line], cartDiscount: 0 }, terminalId: 'PAX_A910__SMARTPOS1234567890' });
    expect(charged.ok).toBe(true);
    const sale = await approved;

    const samples = protectedSamples(sale);
    const guarded = protectedChannels(accessRules({ pinSet: () => true, refundAboveThreshold: () => true }));
    // A protected channel without a sample here fails this test: new ones must be proven too.
    expect(guarded.filter((c) => !(c in samples))).toEqual([]);
    for (const channel of guarded) {
      const answer = await call(s, channel, samples[channel]);
      expect(answer, channel).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/needs a manager/) } });
    }
    // Nothing happened: the sale is not refunded, the name is unchanged.
    expect((await s.handlers['sales.detail']({ saleId: sale.id })).refundedAmount).toBe(0);
    expect((await s.handlers['settings.get'](undefined)).shopName).not.toBe('Otro nombre');

    // What stays the cashier's: the language and the chosen terminal.
    expect((await call(s, 'settings.update', { locale: 'pt-BR', defaultTerminalId: 'PAX_A910__SMARTPOS1234567890' })).ok).toBe(true);

    expect(await call(s, 'manager.unlock', { pin: '0000' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: /Wrong manager PIN/ } });
    expect((await call(s, 'manager.unlock', { pin: '5555' })).ok).toBe(true);
    expect((await call(s, 'settings.update', { refundThreshold: 200 })).ok).toBe(true);
    await s.handlers['manager.lock'](undefined);
    // Under the threshold a cashier refunds; above it, not.
    expect(await call(s, 'sales.refund', { saleId: sale.id, amount: 200 })).toMatchObject({ ok: true, value: { refundedAmount: 200 } });
    expect(await call(s, 'sales.refund', { saleId: sale.id, amount: 201 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call(s, 'sales.refund', { saleId: sale.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('before any PIN, manager actions are refused too, and the first PIN can be set by whoever installs', async () => {
    const s = await start(tempDir('caja-roles-'), { forceDemo: true });
    expect(await call(s, 'settings.update', { shopName: 'X' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: /no manager PIN is set yet/ } });
    expect(await call(s, 'manager.setPin', { pin: '12' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await call(s, 'manager.setPin', { pin: '1234' })).toMatchObject({ ok: true, value: { pinSet: true, unlocked: true } });
    expect((await call(s, 'settings.update', { shopName: 'Kiosco' })).ok).toBe(true);
  });
});

describe('connecting a Mercado Pago account', () => {
  it('checks a token with /users/me, refuses a bad one, asks before switching accounts, keeps each account its own sales', async () => {
    const mp = await sim();
    const dataDir = tempDir('caja-live-');
    const s = await start(dataDir, { liveBaseUrl: mp.baseUrl });
    await s.handlers['manager.setPin']({ pin: '8080' });
    expect((await s.handlers['app.getInfo'](undefined)).tokenProblem).toBe('missing');

    expect(await call(s, 'settings.setToken', { token: 'TEST-999999-nobody-token' })).toMatchObject({
      ok: false,
      error: { code: 'AUTH', message: /did not accept this access token/ },
    });
    expect((await s.handlers['settings.get'](undefined)).hasToken).toBe(false);

    expect(await call(s, 'account.checkToken', { token: 'TEST-100002-mlb-caja-demo-token' })).toMatchObject({
      ok: true,
      value: { account: { id: '100002', nickname: 'TESTCAJAMLB', site: 'MLB' }, current: null, switching: false },
    });
    const saved = await call(s, 'settings.setToken', { token: 'TEST-100002-mlb-caja-demo-token' });
    expect(saved).toMatchObject({ ok: true, value: { hasToken: true, site: 'MLB', account: { id: '100002' } } });
    expect(await s.handlers['app.getInfo'](undefined)).toMatchObject({ backend: 'live', tokenProblem: null });

    const approved = new Promise<SaleView>((resolve) =>
      s.subscribe((e, p) => e === 'sale.changed' && (p as SaleView).state === 'approved' && resolve(p as SaleView)),
    );
    const line = { productId: null, sku: null, name: 'Pão', unitPrice: 1000, quantity: 1, discount: 0 };
    await s.handlers['checkout.charge']({ cart: { lines: [line], cartDiscount: 0 }, terminalId: 'PAX_A910__SMARTPOS2234567890' });
    const sale = await approved;

    // Another account's token: refused until the switch is confirmed, then its own journal.
    expect(await call(s, 'account.checkToken', { token: 'TEST-100003-mlm-caja-demo-token' })).toMatchObject({
      ok: true,
      value: { account: { id: '100003' }, current: { id: '100002' }, switching: true },
    });
    expect(await call(s, 'settings.setToken', { token: 'TEST-100003-mlm-caja-demo-token' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: /another Mercado Pago account \(TESTCAJAMLM, 100003\)/ },
    });
    expect((await s.handlers['settings.get'](undefined)).account?.id).toBe('100002');
    expect(await call(s, 'settings.setToken', { token: 'TEST-100003-mlm-caja-demo-token', confirmSwitch: true })).toMatchObject({
      ok: true,
      value: { site: 'MLM', account: { id: '100003' } },
    });
    expect((await s.handlers['sales.history']({ limit: 100, offset: 0 })).items.map((x) => x.id)).not.toContain(sale.id);
    // And back: the first account's sale is still there, with its account.
    await s.handlers['settings.setToken']({ token: 'TEST-100002-mlb-caja-demo-token', confirmSwitch: true });
    expect((await s.handlers['sales.history']({ limit: 100, offset: 0 })).items.map((x) => x.id)).toContain(sale.id);
  });
});

describe('phones (mobile API) on the device screen', () => {
  it('enables integrators for the token’s own account and removes a phone, refusing a Point terminal', async () => {
    const mp = await sim();
    const s = await start(tempDir('caja-phones-'), { liveBaseUrl: mp.baseUrl });
    await s.handlers['manager.setPin']({ pin: '8080' });
    await s.handlers['settings.setToken']({ token: 'TEST-100001-mla-caja-demo-token' });
    expect(await call(s, 'terminals.enableIntegrators')).toEqual({ ok: true, value: { enabled: true } });
    const before = (await s.handlers['terminals.list'](undefined)).map((t) => t.id);
    expect(before).toContain('caja-2');
    expect(await call(s, 'terminals.removeDevice', { terminalId: 'PAX_A910__SMARTPOS1234567890' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    const after = await call(s, 'terminals.removeDevice', { terminalId: 'caja-2' });
    expect(after.ok && (after.value as { id: string }[]).map((t) => t.id)).toEqual(before.filter((id) => id !== 'caja-2'));
    // Mercado Pago itself no longer lists it.
    const listed = await fetch(new URL('/point/services/integrations/v1/devices', mp.baseUrl), {
      headers: { Authorization: 'Bearer TEST-100001-mla-caja-demo-token' },
    }).then((r) => r.json() as Promise<{ devices: { name: string }[] }>);
    expect(listed.devices.map((d) => d.name)).toEqual(['caja-1']);
  });
});

describe('the manager’s settings, backup and diagnostics', () => {
  it('bounds the poll interval with a clear message, backs the journal up, and copies diagnostics without secrets', async () => {
    const mp = await sim();
    const dataDir = tempDir('caja-diag-');
    const s = await start(dataDir, { liveBaseUrl: mp.baseUrl });
    await s.handlers['manager.setPin']({ pin: '8080' });
    const TOKEN = 'TEST-100001-mla-caja-demo-token';
    await s.handlers['settings.setToken']({ token: TOKEN });

    expect(await call(s, 'settings.update', { pollSeconds: 1, shopName: 'Nunca' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('At least 2 seconds') },
    });
    // Nothing half-saved: the valid field of a refused patch did not land either.
    expect((await s.handlers['settings.get'](undefined)).shopName).not.toBe('Nunca');
    expect(await call(s, 'settings.update', { pollSeconds: 5 })).toMatchObject({ ok: true, value: { pollSeconds: 5 } });

    const approved = new Promise<SaleView>((resolve) =>
      s.subscribe((e, p) => e === 'sale.changed' && (p as SaleView).state === 'approved' && resolve(p as SaleView)),
    );
    const line = { productId: null, sku: null, name: 'Yerba', unitPrice: 250000, quantity: 1, discount: 0 };
    await s.handlers['checkout.charge']({ cart: { lines: [line], cartDiscount: 0 }, terminalId: 'PAX_A910__SMARTPOS1234567890' });
    const sale = await approved;

    const backup = await s.handlers['sales.backup'](undefined);
    expect(backup.path.startsWith(join(dataDir, 'backups'))).toBe(true);
    const { DatabaseSync } = await import('node:sqlite');
    const copy = new DatabaseSync(backup.path, { readOnly: true });
    expect(copy.prepare('SELECT id FROM sales').all().map((r) => r.id)).toEqual([sale.id]);
    copy.close();

    const { text } = await s.handlers['app.diagnostics'](undefined);
    expect(text).toContain('Caja 9.9.9');
    expect(text).toContain('"pollSeconds":5');
    expect(text).toContain('Last ');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('caja-demo-token');
  });
});

describe('clearing a stuck terminal', () => {
  it('leaves alone a charge this shop did not create, and cancels its own', async () => {
    const mp = await startSimulator({ port: 0, timing: { toTerminalMs: 20, customerMs: 40, processingMs: 20, customer: 'manual' } });
    open.push(mp);
    const s = await start(tempDir('caja-clear-'), { liveBaseUrl: mp.baseUrl });
    await s.handlers['manager.setPin']({ pin: '8080' });
    const token = 'TEST-100001-mla-caja-demo-token';
    await s.handlers['settings.setToken']({ token });

    // Another program on the same account puts an order on the phone caja-1.
    const foreign = await fetch(new URL('/point/services/integrations/v1', mp.baseUrl), {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'X-Idempotency-Key': 'someone-else-1' },
      body: JSON.stringify({ amount: 50, description: 'other app', device_name: 'caja-1', cc_type: 'credit_card' }),
    }).then((r) => r.json() as Promise<{ id: number }>);
    expect(await s.handlers['terminals.clearStuck']({ terminalId: 'caja-1' })).toMatchObject({ outcome: 'foreign', saleId: null });
    const still = await fetch(new URL(`/point/services/integrations/v1/${foreign.id}`, mp.baseUrl), {
      headers: { Authorization: `Bearer ${token}` },
    }).then((r) => r.json() as Promise<{ status: string }>);
    expect(still.status).toBe('OPEN');

    // This shop's own charge on the other phone is cancelled, and the answer says so.
    const line = { productId: null, sku: null, name: 'Yerba', unitPrice: 70000, quantity: 1, discount: 0 };
    const sale = await s.handlers['checkout.charge']({ cart: { lines: [line], cartDiscount: 0 }, terminalId: 'caja-2' });
    const settled = new Promise<SaleView>((resolve) =>
      s.subscribe((e, p) => e === 'sale.changed' && (p as SaleView).id === sale.id && (p as SaleView).state === 'cancelled' && resolve(p as SaleView)),
    );
    const cleared = await s.handlers['terminals.clearStuck']({ terminalId: 'caja-2' });
    // Cancelled at once, or asked and settled by the engine's next look: either way said as such.
    expect(cleared).toMatchObject({ outcome: expect.stringMatching(/^cancell(ed|ing)$/), saleId: sale.id });
    expect((await settled).state).toBe('cancelled');
    expect(await s.handlers['terminals.clearStuck']({ terminalId: 'caja-2' })).toMatchObject({ outcome: 'nothing' });
  });
});

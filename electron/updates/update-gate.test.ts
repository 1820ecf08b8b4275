import { describe, expect, it, vi } from 'vitest';
import { FINAL_STATES, SaleStateSchema } from '../../shared/contract';
import { CHECK_EVERY_MS, IN_FLIGHT_STATES, anyChargeInFlight, createUpdateGate, type UpdateGateDeps } from './update-gate';

const DAY = CHECK_EVERY_MS;
const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);

function harness(overrides: Partial<UpdateGateDeps> = {}, saved: number | null = null) {
  let now = T0;
  let charging = false;
  let stored = saved;
  const answers: boolean[] = [];
  const deps: UpdateGateDeps = {
    now: () => now,
    chargeInFlight: vi.fn(async () => charging),
    askManager: vi.fn(async () => answers.shift() ?? false),
    updater: { checkForUpdates: vi.fn(async () => null), quitAndInstall: vi.fn() },
    lastCheck: { load: () => stored, save: (at) => (stored = at) },
    log: { info: vi.fn(), warn: vi.fn() },
    ...overrides,
  };
  return {
    deps,
    gate: createUpdateGate(deps),
    advance: (ms: number) => (now += ms),
    setNow: (at: number) => (now = at),
    setCharging: (on: boolean) => (charging = on),
    answer: (...a: boolean[]) => answers.push(...a),
    stored: () => stored,
  };
}

describe('update checks', () => {
  it('looks at most once a day, and remembers the last look across restarts', async () => {
    const h = harness();
    expect(await h.gate.tick()).toBe('checked');
    expect(h.stored()).toBe(T0);
    h.advance(DAY - 1);
    expect(await h.gate.tick()).toBe('not-due');
    expect(h.deps.updater.checkForUpdates).toHaveBeenCalledTimes(1);

    // A restart an hour later does not look again.
    const restarted = harness({}, T0);
    restarted.advance(60 * 60 * 1000);
    expect(await restarted.gate.tick()).toBe('not-due');
    expect(restarted.deps.updater.checkForUpdates).not.toHaveBeenCalled();

    h.advance(1);
    expect(await h.gate.tick()).toBe('checked');
    expect(h.deps.updater.checkForUpdates).toHaveBeenCalledTimes(2);
  });

  it('looks again when the clock went backwards instead of waiting out the error', async () => {
    const h = harness({}, T0 + 30 * DAY);
    expect(await h.gate.tick()).toBe('checked');
    expect(h.stored()).toBe(T0);
  });

  it('an offline check is logged and retried the next day, never thrown', async () => {
    const h = harness({
      updater: { checkForUpdates: vi.fn(async () => Promise.reject(new Error('ENOTFOUND'))), quitAndInstall: vi.fn() },
    });
    expect(await h.gate.tick()).toBe('checked');
    expect(h.deps.log.warn).toHaveBeenCalledWith('update check failed', { error: 'Error: ENOTFOUND' });
    expect(await h.gate.tick()).toBe('not-due');
  });
});

describe('installing a downloaded update', () => {
  it('waits while a charge is in flight, then asks, then installs', async () => {
    const h = harness();
    h.gate.downloaded('1.2.0');
    h.setCharging(true);
    expect(await h.gate.tick()).toBe('waiting-for-charge');
    expect(h.deps.askManager).not.toHaveBeenCalled();
    expect(h.deps.updater.quitAndInstall).not.toHaveBeenCalled();

    h.setCharging(false);
    h.answer(true);
    expect(await h.gate.tick()).toBe('installing');
    expect(h.deps.askManager).toHaveBeenCalledWith('1.2.0');
    expect(h.deps.updater.quitAndInstall).toHaveBeenCalledTimes(1);
  });

  it('does not install if a charge started while the manager was answering', async () => {
    const h = harness();
    h.gate.downloaded('1.2.0');
    h.deps.askManager = vi.fn(async () => {
      h.setCharging(true);
      return true;
    });
    const gate = createUpdateGate(h.deps);
    gate.downloaded('1.2.0');
    expect(await gate.tick()).toBe('waiting-for-charge');
    expect(h.deps.updater.quitAndInstall).not.toHaveBeenCalled();
  });

  it('"later" leaves it for the next start and stops asking about that version', async () => {
    const h = harness({}, T0);
    h.gate.downloaded('1.2.0');
    h.answer(false);
    expect(await h.gate.tick()).toBe('deferred-to-next-start');
    expect(await h.gate.tick()).toBe('deferred-to-next-start');
    expect(h.deps.askManager).toHaveBeenCalledTimes(1);
    expect(h.deps.updater.quitAndInstall).not.toHaveBeenCalled();

    // The daily look goes on; a newer download is worth one new question.
    h.advance(DAY);
    expect(await h.gate.tick()).toBe('checked');
    h.gate.downloaded('1.3.0');
    h.answer(true);
    expect(await h.gate.tick()).toBe('installing');
    expect(h.deps.askManager).toHaveBeenLastCalledWith('1.3.0');
  });

  it('asks only when the manager is there (no PIN set, or unlocked), and waits otherwise', async () => {
    let there = false;
    const h = harness({ managerAvailable: vi.fn(async () => there) });
    h.gate.downloaded('1.2.0');
    expect(await h.gate.tick()).toBe('waiting-for-manager');
    expect(await h.gate.tick()).toBe('waiting-for-manager');
    expect(h.deps.askManager).not.toHaveBeenCalled();
    there = true;
    h.answer(true);
    expect(await h.gate.tick()).toBe('installing');
    expect(h.deps.askManager).toHaveBeenCalledTimes(1);
  });

  it('does not ask when it cannot tell whether the manager is there', async () => {
    const h = harness({ managerAvailable: vi.fn(async () => Promise.reject(new Error('closed'))) });
    h.gate.downloaded('1.2.0');
    expect(await h.gate.tick()).toBe('waiting-for-manager');
    expect(h.deps.askManager).not.toHaveBeenCalled();
  });

  it('treats an unanswerable "is a charge in flight?" as yes', async () => {
    const h = harness({ chargeInFlight: vi.fn(async () => Promise.reject(new Error('engine closed'))) });
    h.gate.downloaded('1.2.0');
    expect(await h.gate.tick()).toBe('waiting-for-charge');
    expect(h.deps.askManager).not.toHaveBeenCalled();
  });

  it('never puts two questions on screen', async () => {
    const h = harness();
    let release: (yes: boolean) => void = () => undefined;
    h.deps.askManager = vi.fn(() => new Promise<boolean>((resolve) => (release = resolve)));
    const gate = createUpdateGate(h.deps);
    gate.downloaded('1.2.0');
    const first = gate.tick();
    await vi.waitFor(() => expect(h.deps.askManager).toHaveBeenCalledTimes(1));
    expect(await gate.tick()).toBe('busy');
    release(true);
    expect(await first).toBe('installing');
    expect(h.deps.askManager).toHaveBeenCalledTimes(1);
  });
});

describe('which sales hold an update back', () => {
  it('every state between sending and a settled answer, and no other', () => {
    const holding = SaleStateSchema.options.filter((state) => anyChargeInFlight([{ state: 'approved' }, { state }]));
    expect(holding.sort()).toEqual(['at_terminal', 'processing', 'sending', 'unknown']);
    expect(FINAL_STATES.some((state) => IN_FLIGHT_STATES.includes(state))).toBe(false);
    expect(anyChargeInFlight([])).toBe(false);
  });
});

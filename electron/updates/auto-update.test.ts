import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { startAutoUpdates, updateQuestion, type UpdaterLike } from './auto-update';

function fakeUpdater() {
  return {
    autoDownload: false,
    autoInstallOnAppQuit: false,
    logger: null,
    checkForUpdates: vi.fn(async () => null),
    quitAndInstall: vi.fn(),
    on: vi.fn(),
  } as unknown as UpdaterLike & { checkForUpdates: ReturnType<typeof vi.fn> };
}

const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
const HOUR = 60 * 60 * 1000;

async function start(stateFile: string, now: number) {
  const updater = fakeUpdater();
  const updates = startAutoUpdates({
    updater,
    stateFile,
    log,
    now: () => now,
    chargeInFlight: async () => false,
    askManager: async () => false,
    tickEveryMs: 24 * HOUR,
  });
  updates.stop();
  return { updater, outcome: await updates.firstTick };
}

describe('startAutoUpdates', () => {
  it('remembers the last look in the data folder, so a restart an hour later does not look again', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'caja-updates-')), 'updates.json');
    const first = await start(stateFile, 1_000 * HOUR);
    expect(first.outcome).toBe('checked');
    expect(first.updater.checkForUpdates).toHaveBeenCalledTimes(1);
    expect(first.updater).toMatchObject({ autoDownload: true, autoInstallOnAppQuit: true });
    const second = await start(stateFile, 1_001 * HOUR);
    expect(second.updater.checkForUpdates).not.toHaveBeenCalled();
    expect(second.outcome).toBe('not-due');
  });

  it('looks when the remembered time is unreadable', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'caja-updates-')), 'updates.json');
    writeFileSync(stateFile, '{"lastCheckAt":"yesterday"');
    const { updater } = await start(stateFile, 1_000 * HOUR);
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(1);
  });
});

describe("the manager's question", () => {
  it('speaks the language on screen, Spanish by default, and defaults to "later"', () => {
    expect(updateQuestion('pt-BR', '1.2.0')).toMatchObject({
      buttons: ['Reiniciar agora', 'Mais tarde'],
      message: expect.stringContaining('1.2.0'),
    });
    expect(updateQuestion('en', '1.2.0').buttons).toEqual(['Restart now', 'Later']);
    expect(updateQuestion(null, '1.2.0').buttons).toEqual(['Reiniciar ahora', 'Más tarde']);
    expect(updateQuestion('es-MX', '1.2.0')).toMatchObject({ defaultId: 1, cancelId: 1 });
  });
});

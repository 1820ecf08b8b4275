/**
 * Launching the real Caja in Electron for the specs in this folder. Electron's binary is downloaded
 * on first use; where that cannot happen (these dev machines) the specs skip with this message, and
 * electron/main.test.ts covers main's start-up against a fake electron module instead.
 */
import { _electron as electron, type ElectronApplication } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..', '..');

export function electronBinary(): string | null {
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8'));
  return existsSync(binary) ? binary : null;
}

export const NO_BINARY =
  'No Electron binary on this machine (run `npx install-electron` where there is internet); the browser specs cover the app.';

export const isBuilt = () => existsSync(join(root, 'dist', 'electron', 'main.cjs'));

export async function launchCaja(args: string[] = ['--demo']): Promise<{ app: ElectronApplication; userData: string }> {
  const userData = mkdtempSync(join(tmpdir(), 'caja-electron-'));
  const app = await electron.launch({
    executablePath: electronBinary()!,
    args: [root, ...args],
    env: { ...process.env, CI: '1', CAJA_DATA_DIR: userData },
  });
  return { app, userData };
}

import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The process walls are lint rules; this proves the rules bite, so a config edit cannot quietly drop them.
const eslint = new ESLint({ cwd: process.cwd() });

async function errorsFor(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint walls', () => {
  it.each([
    ["import { app } from 'electron';", 'Electron'],
    ["import { readFileSync } from 'node:fs';", 'Node'],
    ["import { join } from 'path';", 'Node'],
    ["import { dispatch } from '../electron/dispatch';", 'main'],
  ])('renderer: %s is an error', async (code, word) => {
    const errors = await errorsFor('renderer/wall-probe.ts', `${code}\nexport {};\n`);
    expect(errors.join(' ')).toContain(word);
  });

  it('shared code has the same wall', async () => {
    expect(await errorsFor('shared/wall-probe.ts', "import { ipcMain } from 'electron';\nexport {};\n")).not.toHaveLength(0);
  });

  it('main-process code may use Node and Electron', async () => {
    expect(await errorsFor('electron/wall-probe.ts', "import { app } from 'electron';\nimport { join } from 'node:path';\nexport { app, join };\n")).toHaveLength(0);
  });
});

/**
 * Packs the built app the way `npm run dist` does, with electron-builder.yml, but around a stand-in
 * for Electron's binary (which cannot be downloaded here): what lands in app.asar is electron-builder's
 * own file selection, so this proves the installers carry the bundles and nothing else — no
 * node_modules beside bundles that already contain them. Fuses are left out: they are flipped inside
 * a real Electron binary, and the stand-in has none.
 */
import { listPackage } from '@electron/asar';
import { expect, test } from '@playwright/test';
import { Arch, Platform, build, type Configuration } from 'electron-builder';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

const root = join(import.meta.dirname, '..', '..');
const mainBundle = join(root, 'dist', 'electron', 'main.cjs');

test.skip(process.platform !== 'linux', 'The stand-in Electron is a Linux layout; macOS and Windows pack theirs in release.yml.');
test.skip(!existsSync(mainBundle), 'Run `npm run build` first.');

test('app.asar holds the bundles and package.json only, and main.cjs needs nothing outside it', async () => {
  test.setTimeout(120_000);
  const { electronFuses: _fuses, ...config } = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Configuration;
  const fakeElectron = mkdtempSync(join(tmpdir(), 'caja-fake-electron-'));
  mkdirSync(join(fakeElectron, 'resources'));
  writeFileSync(join(fakeElectron, 'electron'), '#!/bin/sh\n');
  chmodSync(join(fakeElectron, 'electron'), 0o755);
  const output = mkdtempSync(join(tmpdir(), 'caja-pack-'));

  // A config file of its own: an object would be merged over electron-builder.yml, fuses and all.
  const configFile = join(output, 'electron-builder.yml');
  writeFileSync(
    configFile,
    stringify({
      ...config,
      electronDist: fakeElectron,
      directories: { ...config.directories, output },
      publish: { provider: 'github', owner: 'caja-test', repo: 'caja' },
    }),
  );
  await build({ projectDir: root, targets: Platform.LINUX.createTarget('dir', Arch.x64), publish: 'never', config: configFile });

  const resources = join(output, 'linux-unpacked', 'resources');
  const files = listPackage(join(resources, 'app.asar'), { isPack: false }).map((f) => f.replace(/\\/g, '/'));
  expect(files.filter((f) => f.includes('node_modules'))).toEqual([]);
  expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
  expect(files).toEqual(
    expect.arrayContaining([
      '/package.json',
      '/dist/electron/main.cjs',
      '/dist/electron/preload.cjs',
      '/dist/renderer/index.html',
    ]),
  );
  expect(files.every((f) => f === '/package.json' || f.startsWith('/dist'))).toBe(true);

  // Vite bundled every library into main.cjs: at run time it requires only Electron and Node.
  const required = [...readFileSync(mainBundle, 'utf8').matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!);
  const outside = required.filter((id) => id !== 'electron' && !id.startsWith('node:') && !builtinModules.includes(id));
  expect([...new Set(outside)]).toEqual([]);

  // electron-updater's settings are written into the app from the publish section.
  expect(readFileSync(join(resources, 'app-update.yml'), 'utf8')).toMatch(/provider: github/);
});

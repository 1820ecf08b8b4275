/**
 * electron-builder.yml against electron-builder's own JSON schema (app-builder-lib/scheme.json, the
 * file electron-builder validates with before building), plus what the schema cannot know: the
 * targets the release promises, names that say version/OS/arch, and icons that exist and are what
 * their extension says.
 */
import Ajv from 'ajv';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LINUX_SIZES } from './make-icons';

const root = join(import.meta.dirname, '..');
const schema = JSON.parse(readFileSync(join(root, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8')) as object;
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// Like electron-builder's own validator (strict: false tolerates its custom "typeof" keyword), minus
// its type coercion, so "true" where a boolean belongs is an error here too.
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

function targets(platform: 'win' | 'mac' | 'linux'): Record<string, string[]> {
  return Object.fromEntries((config[platform].target as { target: string; arch: string[] }[]).map((t) => [t.target, t.arch]));
}

function pngSize(file: string): [number, number] {
  const png = readFileSync(file);
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

describe('electron-builder.yml', () => {
  it("passes electron-builder's schema", () => {
    expect(validate(config), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('would be rejected if it were wrong (the schema check bites)', () => {
    expect(validate({ ...config, nsis: { ...config.nsis, perUser: true } })).toBe(false);
    expect(validate({ ...config, mac: { ...config.mac, hardenedRuntime: 'yes' } })).toBe(false);
    expect(validate({ ...config, publish: { provider: 'ftp' } })).toBe(false);
  });

  it('builds every promised installer', () => {
    expect(targets('win')).toEqual({ nsis: ['x64'], portable: ['x64'] });
    expect(targets('mac')).toEqual({ dmg: ['x64', 'arm64'], zip: ['x64', 'arm64'] });
    expect(targets('linux')).toEqual({ AppImage: ['x64'], deb: ['x64'], rpm: ['x64'] });
    expect(config.nsis).toMatchObject({
      oneClick: true,
      perMachine: false,
      deleteAppDataOnUninstall: false,
    });
    expect(config.mac).toMatchObject({ hardenedRuntime: true, entitlements: 'assets/entitlements.mac.plist' });
    expect(config.linux.desktop.entry).toMatchObject({ Name: 'Caja', Categories: expect.stringMatching(/^Office;/) });
    expect(config).toMatchObject({ appId: 'app.caja.pos', productName: 'Caja', asar: true, publish: { provider: 'github' } });
  });

  it('names every artifact with version, OS and arch', () => {
    const names = [
      config.artifactName,
      config.nsis.artifactName,
      config.portable.artifactName,
      config.mac.artifactName,
      config.dmg.artifactName,
      config.linux.artifactName,
    ];
    for (const name of names) expect(name).toMatch(/^\$\{productName\}-\$\{version\}-(\$\{os\}|windows|macos|linux)-\$\{arch\}/);
    expect(new Set(names.filter((n) => n !== config.dmg.artifactName && n !== config.mac.artifactName)).size).toBe(4);
  });

  it('packs only the bundles: no source maps, no node_modules, no runtime dependencies to collect', () => {
    expect(config.files).toEqual(['dist/electron/**', 'dist/renderer/**', 'package.json', '!**/*.map']);
    // electron-builder copies package.json's "dependencies" into the app; Vite already bundled them.
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      main: string;
    };
    expect(Object.keys(pkg.dependencies ?? {})).toEqual([]);
    expect(pkg.main).toBe('dist/electron/main.cjs');
  });

  it('points at icons and entitlements that exist and are what they claim', () => {
    const ico = readFileSync(join(root, config.win.icon));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const sizes = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico[6 + i * 16] || 256);
    expect(sizes).toEqual(expect.arrayContaining([16, 32, 48, 256]));

    const icns = readFileSync(join(root, config.mac.icon));
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);

    for (const size of LINUX_SIZES) expect(pngSize(join(root, config.linux.icon, `${size}x${size}.png`))).toEqual([size, size]);
    expect(pngSize(join(root, 'assets', 'icon.png'))).toEqual([512, 512]);

    const plist = readFileSync(join(root, config.mac.entitlements), 'utf8');
    expect(plist).toContain('<key>com.apple.security.cs.allow-jit</key>');
    expect(plist).not.toContain('com.apple.security.device.camera');
    expect(statSync(join(root, 'assets', 'icon.svg')).size).toBeGreaterThan(0);
    expect(existsSync(join(root, config.mac.entitlementsInherit))).toBe(true);
  });
});

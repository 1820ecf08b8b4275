import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderPage } from './build-site';
import { ManifestSchema, buildManifest, describeArtifact } from './release-manifest';

const root = join(import.meta.dirname, '..');

describe('describeArtifact', () => {
  it("reads the names electron-builder.yml's patterns produce, including Linux's own arch spellings", () => {
    expect(describeArtifact('Caja-1.2.3-windows-x64-setup.exe')).toEqual({
      version: '1.2.3',
      os: 'windows',
      arch: 'x64',
      kind: 'nsis',
    });
    expect(describeArtifact('Caja-1.2.3-windows-x64-portable.exe')).toMatchObject({ kind: 'portable' });
    expect(describeArtifact('Caja-1.2.3-macos-arm64.dmg')).toMatchObject({ os: 'macos', arch: 'arm64', kind: 'dmg' });
    expect(describeArtifact('Caja-1.2.3-macos-x64.zip')).toMatchObject({ arch: 'x64', kind: 'zip' });
    expect(describeArtifact('Caja-1.2.3-linux-x86_64.AppImage')).toMatchObject({ arch: 'x64', kind: 'appimage' });
    expect(describeArtifact('Caja-1.2.3-linux-amd64.deb')).toMatchObject({ arch: 'x64', kind: 'deb' });
    expect(describeArtifact('Caja-1.2.3-linux-aarch64.rpm')).toMatchObject({ arch: 'arm64', kind: 'rpm' });
    expect(describeArtifact('Caja-2.0.0-beta.1-linux-x86_64.AppImage')).toMatchObject({ version: '2.0.0-beta.1' });
    for (const other of [
      'latest.yml',
      'Caja-1.2.3-windows-x64-setup.exe.blockmap',
      'Caja-1.2.3-linux-x64.exe',
      'Caja-1.2.3-windows-x64.exe',
      'Caja-1.2.3-macos-ia32.dmg',
    ]) {
      expect(describeArtifact(other), other).toBeNull();
    }
  });
});

describe('buildManifest', () => {
  function releaseDir(files: Record<string, string>) {
    const dir = mkdtempSync(join(tmpdir(), 'caja-release-'));
    for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
    return dir;
  }

  it('lists the installers with their real size and SHA-256, and checksums every file in SHA256SUMS', () => {
    const dir = releaseDir({
      'Caja-1.2.3-windows-x64-setup.exe': 'windows installer bytes',
      'Caja-1.2.3-windows-x64-setup.exe.blockmap': 'blockmap',
      'Caja-1.2.3-linux-x86_64.AppImage': 'appimage bytes!',
      'latest.yml': 'version: 1.2.3',
    });
    const { manifest, sums } = buildManifest(dir, 'https://example.com/dl/v1.2.3/', '2026-12-01');
    expect(manifest.version).toBe('1.2.3');
    expect(manifest.checksumsUrl).toBe('https://example.com/dl/v1.2.3/SHA256SUMS');
    expect(manifest.artifacts.map((a) => [a.file, a.size, a.url])).toEqual([
      ['Caja-1.2.3-linux-x86_64.AppImage', 15, 'https://example.com/dl/v1.2.3/Caja-1.2.3-linux-x86_64.AppImage'],
      ['Caja-1.2.3-windows-x64-setup.exe', 23, 'https://example.com/dl/v1.2.3/Caja-1.2.3-windows-x64-setup.exe'],
    ]);
    // `sha256sum -c`'s format: 64 hex digits, two spaces, the name; one line per file, hashes recomputed here.
    const lines = sums
      .trim()
      .split('\n')
      .map((line) => /^([0-9a-f]{64}) {2}(\S+)$/.exec(line)!);
    expect(lines.map((m) => m[2]).sort()).toEqual(readdirSync(dir).sort());
    for (const [, hash, file] of lines)
      expect(hash, file).toBe(
        createHash('sha256')
          .update(readFileSync(join(dir, file!)))
          .digest('hex'),
      );
    const exe = manifest.artifacts.find((a) => a.kind === 'nsis')!;
    expect(sums).toContain(`${exe.sha256}  ${exe.file}\n`);
  });

  it('refuses a folder mixing versions, or with no installer at all', () => {
    expect(() =>
      buildManifest(releaseDir({ 'Caja-1.2.3-macos-arm64.dmg': 'a', 'Caja-1.2.4-macos-x64.dmg': 'b' }), 'https://e.com'),
    ).toThrow(/one version/);
    expect(() => buildManifest(releaseDir({ 'latest.yml': 'x' }), 'https://e.com')).toThrow(/one version/);
  });
});

describe('the download page', () => {
  it('builds from the committed sample manifest, which says it is a sample', () => {
    const manifest = ManifestSchema.parse(JSON.parse(readFileSync(join(root, 'site', 'release-manifest.sample.json'), 'utf8')));
    expect(manifest.sample).toBe(true);
    const html = renderPage(manifest, 'en');
    expect(html).toContain('<html lang="en">');
    for (const a of manifest.artifacts) expect(html).toContain(a.sha256);
  });

  it('escapes what it did not write', () => {
    const manifest = ManifestSchema.parse(JSON.parse(readFileSync(join(root, 'site', 'release-manifest.sample.json'), 'utf8')));
    manifest.artifacts[0]!.url = 'https://example.com/"><script>alert(1)</script>';
    const html = renderPage(manifest, 'es');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('\\u003cscript>alert(1)\\u003c/script>');
  });
});

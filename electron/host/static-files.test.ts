import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { staticFiles } from './static-files';

function builtRenderer(): string {
  const root = mkdtempSync(join(tmpdir(), 'caja-static-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Caja</title>');
  writeFileSync(join(root, 'assets', 'app-1.js'), 'export const one = 1;');
  return root;
}

describe('the built renderer answered from memory', () => {
  it('answers every file with its bytes, and nothing for a missing file or a folder', () => {
    const root = builtRenderer();
    const files = staticFiles(root);
    expect(files.read(join(root, 'index.html'))?.toString()).toBe('<!doctype html><title>Caja</title>');
    expect(files.read(join(root, 'assets', 'app-1.js'))?.toString()).toBe('export const one = 1;');
    expect(files.read(join(root, 'assets', 'gone.js'))).toBeNull();
    expect(files.read(join(root, 'assets'))).toBeNull();
  });

  it('serves what is on disk after a rebuild under a running host, never the old bytes', () => {
    const root = builtRenderer();
    const files = staticFiles(root);
    const page = join(root, 'index.html');
    expect(files.read(page)?.toString()).toContain('Caja');
    // Same length, new content, new mtime: what a rebuild that only changed a hash looks like.
    writeFileSync(page, '<!doctype html><title>Cajb</title>');
    const later = new Date(Date.now() + 5_000);
    utimesSync(page, later, later);
    expect(files.read(page)?.toString()).toContain('Cajb');
    // A file that appeared after the host started is found too.
    writeFileSync(join(root, 'assets', 'app-2.js'), 'export const two = 2;');
    expect(files.read(join(root, 'assets', 'app-2.js'))?.toString()).toBe('export const two = 2;');
  });
});

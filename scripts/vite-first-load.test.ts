/**
 * The renderer's first load as built (scripts/vite-first-load.ts, renderer/main.tsx): a small first
 * script, the app's chunk preloaded beside it, the compile hint on what runs at start and only there.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMPILE_HINT } from './vite-first-load';

const root = resolve(import.meta.dirname, '..');
const outDir = mkdtempSync(join(tmpdir(), 'caja-first-load-'));
let html = '';
let assets: string[] = [];
const read = (file: string) => readFileSync(join(outDir, 'assets', file), 'utf8');
const named = (prefix: string) => assets.filter((f) => f.startsWith(prefix) && f.endsWith('.js'));

beforeAll(async () => {
  await build({
    configFile: join(root, 'vite.config.ts'),
    mode: 'renderer-only',
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true },
  });
  html = readFileSync(join(outDir, 'index.html'), 'utf8');
  assets = readdirSync(join(outDir, 'assets'));
}, 120_000);

describe('the first load as built', () => {
  it('starts with a small script that holds neither React nor i18next', () => {
    const entry = /<script type="module"[^>]*src="\.\/assets\/([^"]+)"/.exec(html)?.[1];
    expect(entry).toBeDefined();
    const code = read(entry!);
    expect(code.length).toBeLessThan(20_000);
    expect(code).not.toMatch(/react\.production|i18next/);
    // It imports nothing statically, so it runs as soon as it has arrived.
    expect(code).not.toMatch(/^import\s|[;}]import\s*\{|from\s*"\.\//m);
  });

  it('preloads the app chunk and what it imports beside it, from index.html', () => {
    const [app] = named('app-entry-');
    expect(app).toBeDefined();
    expect(html).toContain(`<link rel="modulepreload" crossorigin href="./assets/${app}">`);
    for (const imported of [...read(app!).matchAll(/from"\.\/([^"]+\.js)"/g)].map((m) => m[1]!)) {
      const isEntry = new RegExp(`src="\\./assets/${imported.replace('.', '\\.')}"`).test(html);
      if (!isEntry) expect(html).toContain(`href="./assets/${imported}"`);
    }
  });

  it('marks what runs at start for eager compilation, and not the lazy screens, the contract or the languages', () => {
    const preloaded = [...html.matchAll(/(?:src|href)="\.\/assets\/([^"]+\.js)"/g)].map((m) => m[1]!);
    expect(preloaded.length).toBeGreaterThan(1);
    for (const file of preloaded) expect(read(file).startsWith(COMPILE_HINT), file).toBe(true);
    const later = [...named('HistoryScreen-'), ...named('CatalogScreen-'), ...named('contract-'), ...named('es-AR-'), ...named('en-')];
    expect(later.length).toBe(5);
    for (const file of later) expect(read(file)).not.toContain('allFunctionsCalledOnLoad');
  });
});

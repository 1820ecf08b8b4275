/**
 * Shapes the renderer's first load (docs/ui.md, Performance). main.tsx is a small chunk that starts
 * what needs no React (boot.ts) and imports the app — React, react-dom, i18next, the sale screen —
 * dynamically, so it runs as soon as it arrives. This plugin:
 *
 * - links the app's chunk and what it imports as modulepreload in index.html, so they are fetched
 *   from the start beside main's instead of after main has run;
 * - marks every chunk of the first load with V8's explicit compile hint (`//# allFunctionsCalledOnLoad`,
 *   Chromium 136+): their functions are compiled on a background thread while the bytes stream in,
 *   instead of one by one on the main thread the first time React calls them. The lazy screens, the
 *   contract and the other languages are not marked: most of their code does not run at start.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin, Rollup } from 'vite';

type Chunk = Rollup.OutputChunk;
type Bundle = Rollup.OutputBundle;

export const COMPILE_HINT = '//# allFunctionsCalledOnLoad\n';

/** The app's chunk (app-entry.tsx's) and every chunk it statically imports, main's own excluded. */
function appChunks(bundle: Bundle, appEntry: string): Chunk[] {
  const chunks = Object.values(bundle).filter((c): c is Chunk => c.type === 'chunk');
  const app = chunks.find((c) => c.facadeModuleId?.endsWith(appEntry));
  if (!app) throw new Error(`caja:first-load: no chunk for ${appEntry}`);
  const found = new Map<string, Chunk>();
  const visit = (chunk: Chunk) => {
    if (chunk.isEntry || found.has(chunk.fileName)) return;
    found.set(chunk.fileName, chunk);
    for (const name of chunk.imports) visit(bundle[name] as Chunk);
  };
  visit(app);
  return [...found.values()];
}

export function firstLoad(appEntry = '/renderer/app-entry.tsx'): Plugin {
  return {
    name: 'caja:first-load',
    apply: 'build',
    // On the written files: Vite prepends its own preload map to chunks with dynamic imports at the
    // end of generateBundle, and the hint must be each file's first line.
    writeBundle({ dir }, bundle) {
      if (!dir) return;
      const entry = Object.values(bundle).filter((c): c is Chunk => c.type === 'chunk' && c.isEntry);
      for (const chunk of [...entry, ...appChunks(bundle, appEntry)]) {
        const file = join(dir, chunk.fileName);
        writeFileSync(file, COMPILE_HINT + readFileSync(file, 'utf8'));
      }
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, { bundle }) {
        if (!bundle) return;
        return appChunks(bundle, appEntry).map((chunk) => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: true, href: `./${chunk.fileName}` },
          injectTo: 'head' as const,
        }));
      },
    },
  };
}

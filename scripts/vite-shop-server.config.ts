/**
 * `npm run build:shop-server`: the shop's webhook receiver (electron/shop-server/cli.ts) as one file,
 * dist/shop-server/shop-server.mjs, that plain Node (>= 22.13) runs with no repository and no
 * node_modules beside it: pg, zod and our own modules are inside, only Node's built-ins stay outside.
 * Separate from vite.config.ts so `npm run build` (renderer + Electron, packed by electron-builder)
 * is untouched: the receiver runs on a shop's server, never inside the app.
 *
 * An SSR build rather than a lib build: it resolves packages with Node's conditions (pg's `require`
 * entry, not a browser one) and leaves `node:` built-ins external by itself; `noExternal: true`
 * then pulls every package in. ES module output because cli.ts awaits at its top level.
 */
import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const root = resolve(import.meta.dirname, '..');
const entry = resolve(root, 'electron/shop-server/cli.ts');

export default defineConfig({
  root,
  // No public/ copy, no .env files: a shop's settings come from its own environment at run time.
  publicDir: false,
  envDir: false,
  logLevel: 'warn',
  ssr: { target: 'node', noExternal: true },
  build: {
    ssr: entry,
    outDir: resolve(root, 'dist/shop-server'),
    emptyOutDir: true,
    target: 'node22',
    minify: false,
    sourcemap: true,
    copyPublicDir: false,
    rolldownOptions: {
      external: [
        ...builtinModules,
        ...builtinModules.map((m) => `node:${m}`),
        // pg's optional libpq binding, loaded only when asked for (`pg.native`); we never ask.
        'pg-native',
      ],
      output: {
        format: 'es',
        entryFileNames: 'shop-server.mjs',
        banner: '#!/usr/bin/env node',
      },
    },
  },
});

/**
 * One config builds all three bundles: the renderer (dist/renderer), Electron's main process
 * (dist/electron/main.cjs) and its sandboxed preload (dist/electron/preload.cjs).
 * `--mode renderer-only` skips the Electron bundles for the browser host's quick start.
 */
import react from '@vitejs/plugin-react';
import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import electron from 'vite-plugin-electron';
import { firstLoad } from './scripts/vite-first-load';

const nodeExternals = ['electron', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

const here = import.meta.dirname;

function electronBundle(entry: string, fileName: string) {
  const file = resolve(here, entry);
  return {
    entry: file,
    vite: {
      root: here,
      build: {
        outDir: resolve(here, 'dist/electron'),
        emptyOutDir: false,
        minify: false,
        sourcemap: true,
        lib: { entry: file, formats: ['cjs' as const], fileName: () => fileName },
        rollupOptions: { external: nodeExternals },
      },
    },
  };
}

export default defineConfig(({ mode }) => ({
  root: resolve(here, 'renderer'),
  base: './',
  plugins: [
    react(),
    firstLoad(),
    mode === 'renderer-only'
      ? []
      : electron([electronBundle('electron/main.ts', 'main.cjs'), electronBundle('electron/preload.ts', 'preload.cjs')]),
  ],
  build: {
    outDir: resolve(here, 'dist/renderer'),
    emptyOutDir: true,
    target: 'chrome130',
    reportCompressedSize: true,
  },
  server: { host: '127.0.0.1' },
}));

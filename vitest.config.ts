import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Tests that open a vault without naming a key folder must not leave keys in the user's home.
const keysDir = mkdtempSync(join(tmpdir(), 'caja-test-keys-'));

export default defineConfig({
  test: {
    include: ['electron/**/*.test.ts', 'shared/**/*.test.ts', 'renderer/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    // Starts the private test PostgreSQL when none is configured (scripts/pg-test-server.mjs).
    globalSetup: ['scripts/pg-global-setup.ts'],
    env: { CAJA_KEYS_DIR: keysDir },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // The JSON report feeds .ci/run's closing summary line.
    reporters: ['default', 'json'],
    outputFile: { json: '.reports/vitest.json' },
  },
});

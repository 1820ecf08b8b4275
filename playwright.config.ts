import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './e2e/chromium';

// The app fixtures open vaults; their keys go to a throwaway folder, never the user's home.
process.env.CAJA_KEYS_DIR ??= mkdtempSync(join(tmpdir(), 'caja-e2e-keys-'));

export default defineConfig({
  testDir: 'e2e',
  // A private PostgreSQL for the multi-register spec when none is configured (CAJA_TEST_PG_URL).
  globalSetup: './scripts/pg-global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  // The JSON report feeds .ci/run's closing summary line.
  reporter: [['list'], ['json', { outputFile: '.reports/playwright.json' }]],
  use: {
    launchOptions: chromiumLaunchOptions(),
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'browser', testIgnore: /electron\// },
    { name: 'electron', testMatch: /electron\/.*\.spec\.ts/ },
  ],
});

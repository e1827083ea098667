import { defineConfig } from '@playwright/test';
import { CHROMIUM } from './scripts/preview/console-page.ts';

// End-to-end tests: the real console in Debian's Chromium, on the real core bound in with
// exposeBinding (no Electron, no network). `npm run build:renderer` runs first (see package.json).
export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.e2e.ts',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: process.env['CI'] ? [['list']] : [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    launchOptions: CHROMIUM,
    trace: 'off',
  },
});

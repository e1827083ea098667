import { defineConfig } from 'vitest/config';

/** `npm run test:faults` (issue 7): tamper, crash, disk-full, fuzz and secrets runs. */
export default defineConfig({
  test: {
    include: ['tests/faults/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});

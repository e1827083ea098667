import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'tests/unit/**/*.test.ts',
      'tests/integration/**/*.test.ts',
      // One file per attack defended against (the brief): each named after the attack.
      'tests/attacks/**/*.test.ts',
    ],
    // Argon2id at the real parameters takes ~0.5 s and the CLI tests spawn processes.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults` (issue 7): tamper, crash, disk-full, backup and secrets runs, the two
 * fuzzers at their full 100,000 inputs each (`npm test`'s unit run gives them 3,000), and the
 * credential model (issue 11) at 20,000 sequences (1,000 in the unit run).
 */
export default defineConfig({
  test: {
    include: [
      'tests/faults/**/*.test.ts',
      'tests/unit/router-fuzz.test.ts',
      'tests/unit/cli-fuzz.test.ts',
      'tests/unit/credential-model.test.ts',
    ],
    env: {
      FUZZ_RUNS: process.env['FUZZ_RUNS'] ?? '100000',
      MODEL_RUNS: process.env['MODEL_RUNS'] ?? '20000',
      // Kept checkpoints of this run's vaults, not in the user's folder (ADR 0024).
      CUSTODIAN_CHECKPOINT_DIR: join(tmpdir(), `custodian-kept-checkpoints-${process.pid}`),
    },
    testTimeout: 600_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two files at once: the credential model alone is most of the run, and one at a time (Vitest's
    // default on two cores) left the other core idle for the rest, 22 minutes of CI's fault run.
    maxWorkers: 2,
  },
});

import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { configDefaults, defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { FILE_ONLY, NO_VAULT, OWN_CLUSTER } from './tests/backends.ts';
import { postgresUnavailable } from './tests/helpers/postgres-cluster.ts';

const include = [
  'tests/unit/**/*.test.ts',
  'tests/integration/**/*.test.ts',
  // One file per attack defended against (the brief): each named after the attack.
  'tests/attacks/**/*.test.ts',
];
// process.chdir is refused in a worker thread, and the CLI fuzz changes the working directory so
// the random relative paths land in a scratch folder: it runs in a child process of its own.
const NEEDS_A_PROCESS = ['tests/unit/cli-fuzz.test.ts'];

/**
 * The same suites a second time with every vault a test names on a PostgreSQL server (issue 14):
 * all but what tests/backends.ts lists, on one throwaway cluster for the run (fsync off).
 * Where the server binaries are absent it is left out, and the run says so once, first.
 */
const serverMissing = postgresUnavailable();
const onTheServer: TestProjectInlineConfiguration[] =
  serverMissing === null
    ? [
        {
          extends: true,
          test: {
            name: 'postgres',
            include,
            exclude: [
              ...configDefaults.exclude,
              ...NO_VAULT,
              ...OWN_CLUSTER,
              ...Object.keys(FILE_ONLY),
            ],
            pool: 'threads',
            env: { CUSTODIAN_TEST_BACKEND: 'postgres' },
            setupFiles: ['tests/helpers/server-backend-setup.ts'],
            // One cluster for the run, each file's vaults databases of their own on it.
            globalSetup: ['tests/helpers/server-cluster-setup.ts'],
          },
        },
      ]
    : [];
if (serverMissing !== null) process.stdout.write(`postgres project skipped: ${serverMissing}\n`);

export default defineConfig({
  test: {
    // Argon2id at the real parameters takes ~0.5 s, and a few CLI tests spawn the real binary.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Where routers keep their last verified checkpoints (ADR 0024): a folder of this run's, not
    // the user's own. A test that models workstations gives each its own folder.
    env: { CUSTODIAN_CHECKPOINT_DIR: join(tmpdir(), `custodian-kept-checkpoints-${process.pid}`) },
    // Vitest's default keeps one core for its own process (cores - 1), which on the 2-core build
    // machine runs the files one at a time while that process mostly waits.
    maxWorkers: Math.max(availableParallelism() - 1, 2),
    // Worker threads start and load modules faster than forked processes (docs/BENCHMARKS.md,
    // "Test suite"); better-sqlite3 and the native Argon2 work in both.
    projects: [
      {
        extends: true,
        test: {
          name: 'threads',
          include,
          exclude: [...configDefaults.exclude, ...NEEDS_A_PROCESS],
          pool: 'threads',
        },
      },
      { extends: true, test: { name: 'forks', include: NEEDS_A_PROCESS, pool: 'forks' } },
      ...onTheServer,
    ],
  },
});

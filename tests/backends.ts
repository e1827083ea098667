/**
 * Which suites `npm test` runs on both stores (issue 14, ADR 0014): every unit, integration and
 * attack file runs on the vault file, and again on a PostgreSQL server (the `postgres` project in
 * vitest.config.ts, `CUSTODIAN_TEST_BACKEND=postgres`) where the server binaries are installed,
 * except the files and tests named here. tests/helpers/vault.ts turns each vault path a test names
 * into a database of its own on the run's throwaway cluster (tests/helpers/server-cluster-setup.ts).
 *
 * Read by vitest.config.ts (whole files) and by tests/helpers/server-backend-setup.ts (single
 * tests): nothing else decides what does not run on the server, so this is the whole list.
 */

/** Files that open no vault (pure code, structure, renderer and lint checks): one run is enough. */
export const NO_VAULT: readonly string[] = [
  'tests/unit/canonical-json.test.ts',
  'tests/unit/cli-code-cache.test.ts',
  'tests/unit/cli-fuzz.test.ts',
  'tests/unit/cli-well-formed-text.test.ts',
  'tests/unit/live-signals-coalesced.test.ts',
  'tests/unit/audit/bundle.test.ts',
  'tests/unit/audit/kept-checkpoint.test.ts',
  'tests/unit/audit/merkle.test.ts',
  'tests/unit/audit/seal.test.ts',
  'tests/unit/crypto/**',
  'tests/unit/domain/account-index.test.ts',
  'tests/unit/domain/generated-strength.test.ts',
  'tests/unit/domain/strength.test.ts',
  'tests/unit/import/placement.test.ts',
  'tests/unit/import/totp.test.ts',
  'tests/unit/lint/**',
  'tests/unit/packaging/**',
  'tests/unit/renderer/**',
  'tests/unit/shell/preload.test.ts',
  'tests/unit/store/audit-entry-codec.test.ts',
  'tests/unit/store/sealed-row.test.ts',
  'tests/unit/structure/**',
  'tests/attacks/import-file-demands-huge-key-derivation.test.ts',
  'tests/attacks/planted-code-cache.test.ts',
  'tests/attacks/profile-url-sends-member-to-lookalike-site.test.ts',
];

/** Files that start their own PostgreSQL cluster: they already run on the server in the file run. */
export const OWN_CLUSTER: readonly string[] = [
  'tests/integration/postgres/**',
  'tests/integration/postgres-cluster.test.ts',
  'tests/unit/store/pg-connection.test.ts',
  'tests/attacks/server-operator-*.test.ts',
  'tests/attacks/tampered-server-copied-into-a-clean-looking-backup.test.ts',
];

/**
 * Files about the vault file itself: its bytes, its lock file, its side files, better-sqlite3 or
 * sqlite3 on the closed file, its WAL, the file handles the console hands out, the formats it
 * upgrades from. Each says why, and where an attack has a server counterpart, which one.
 */
const SERVER_EDITS =
  'a server operator editing rows: tests/attacks/server-operator-edits-rows-on-the-server.test.ts';
const UPGRADE =
  'upgrades a vault file made by an older format (a fixture file, or one edited back with sqlite3); a server vault starts at the current format';
const INSIDER = 'edits the closed file with sqlite3 (tests/attacks/insider.ts)';
const COPY =
  'an older or forked copy of the vault file put in its place; on the server: an older copy of the database put back (tests/integration/postgres/server-vault-cli.test.ts) and tests/attacks/tampered-server-copied-into-a-clean-looking-backup.test.ts';
export const FILE_ONLY: Readonly<Record<string, string>> = {
  // unit
  'tests/unit/kept-checkpoints.test.ts': `edits the closed file with better-sqlite3 and reads the kept file beside it; on the server: tests/integration/postgres/two-workstations.test.ts`,
  'tests/unit/credential-model.test.ts':
    'copies one snapshot vault file per random sequence (1,000 of them); the domain it models runs on the server in the domain and router suites',
  'tests/unit/audit/entry-reader.test.ts':
    "the export's page reader opens the file by its path on a worker; a server's pages come over the session's connection (tests/integration/postgres/same-bytes-as-the-file.test.ts)",
  'tests/unit/audit/entry-pages.test.ts':
    "the export's page reader opens the file by its path on a worker; a server's pages come over the session's connection (tests/integration/postgres/same-bytes-as-the-file.test.ts)",
  'tests/unit/audit/verify-signatures.test.ts':
    'copies the vault file and edits each copy with better-sqlite3',
  'tests/unit/audit/tamper.test.ts': `changes every table of the file with better-sqlite3; on the server: ${SERVER_EDITS}`,
  'tests/unit/domain/membership-chain-slot.test.ts': `edits the file's slots and chain with better-sqlite3; on the server: ${SERVER_EDITS}`,
  'tests/unit/domain/membership-chain-upgrade.test.ts': UPGRADE,
  'tests/unit/store/dashboard-summary-upgrade.test.ts': UPGRADE,
  'tests/unit/store/format-4-trail-upgrade.test.ts': UPGRADE,
  'tests/unit/store/key-epochs-upgrade.test.ts': UPGRADE,
  'tests/unit/store/name-bound-slots-upgrade.test.ts': UPGRADE,
  'tests/unit/store/roles-sealed-migration.test.ts': UPGRADE,
  'tests/unit/store/state-digest-upgrade.test.ts': UPGRADE,
  'tests/unit/store/migrate.test.ts':
    "SQLite's migrations on a file; their server twins: tests/unit/structure/postgres-migrations.test.ts and the schema check on every server open",
  'tests/unit/store/header-and-schema.test.ts': `edits the file's header and schema with better-sqlite3; on the server the catalog is compared on open (tests/integration/postgres/failed-init-drops-only-its-own-tables.test.ts) and ${SERVER_EDITS}`,
  'tests/unit/store/faults.test.ts':
    "the file's header bytes, a full disk under ulimit and a killed writer's lock file; the server's faults: tests/integration/postgres/server-goes-away.test.ts and connection-lost-at-commit.test.ts",
  'tests/unit/store/writer-lock.test.ts':
    "the file's writer lock; a server vault has none (the log-head row lock, ADR 0026)",
  'tests/unit/store/lock-taken-over-session.test.ts':
    "the file's writer lock taken over; a server vault has none (ADR 0026)",
  // attacks: the insider of tests/attacks/insider.ts edits a server vault as well (psql's kind of
  // connection): those listed here are about the file's own bytes, side files, lock or copies
  'tests/attacks/copy-refusal-signs-an-edited-source.test.ts': `${INSIDER} between the copy's verification and its lock write; on the server: tests/attacks/server-operator-edits-a-row-between-two-checks-of-an-open-session.test.ts`,
  'tests/attacks/source-changed-between-copy-verify-and-snapshot.test.ts': `${INSIDER} between the copy's verification and its snapshot; on the server: tests/attacks/tampered-server-copied-into-a-clean-looking-backup.test.ts`,
  'tests/attacks/forged-failed-unlock-accusation.test.ts': `forges the file's side file of failed unlocks; a server keeps them in a table, as unauthenticated (ADR 0009, 0026)`,
  'tests/attacks/forged-heartbeat-makes-live-lock-look-stale.test.ts': `forges the heartbeat in the file's lock file; a server vault has no writer lock (ADR 0026)`,
  'tests/attacks/forked-vault-copies-extended-separately.test.ts': COPY,
  'tests/attacks/member-role-confirmed-offline.test.ts': `reads the closed file's slots with better-sqlite3 to guess offline`,
  'tests/attacks/non-lead-takes-over-a-stale-lock.test.ts': `the file's writer lock taken over; a server vault has none (ADR 0026)`,
  'tests/attacks/old-passphrase-and-old-copy-open-current-grant.test.ts': `carves old key slots out of the file's bytes and its WAL`,
  'tests/attacks/older-copy-restored-after-another-workstation-saw-newer.test.ts': COPY,
  'tests/attacks/registry-altered-and-the-console-locked-before-its-check.test.ts': `copies one altered vault file in place for each console; the same deletion before a console's unlock runs on the server in tests/attacks/registry-row-deleted-before-a-console-unlock.test.ts`,
  'tests/attacks/removed-member-carves-old-key-slot.test.ts': `carves old key slots out of the file's bytes and its WAL`,
  'tests/attacks/export-out-naming-the-vault.test.ts': `an export named as the vault file itself`,
  // integration
  'tests/integration/not-a-vault.test.ts':
    'files that are not vaults (empty, text, another SQLite database); on the server: a database without a vault is NOT_FOUND (tests/integration/postgres/server-vault-cli.test.ts)',
  'tests/integration/reader-while-locked.test.ts':
    "readers beside the file's writer lock; a server vault has no writer lock",
  'tests/integration/writer-lock-hosts.test.ts':
    "the file's writer lock held from another host; a server vault has none",
  'tests/integration/concurrency.test.ts':
    "two processes on the file's writer lock (refused as in use); on the server: tests/faults/concurrent-writers-on-the-server.test.ts",
  'tests/integration/import-lets-others-in.test.ts':
    "the file's writer lock handed over between an import's batches; on a server writers take turns on the log-head row at every transaction",
  'tests/unit/audit/verify-trail-workers.test.ts':
    "the vault file's trail read by worker threads over read-only connections of their own; a server vault's trail is read on the session's connection (tests/integration/postgres/same-bytes-as-the-file.test.ts)",
  'tests/attacks/member-raises-unsigned-default-kdf-to-the-ceiling.test.ts': UPGRADE,
  'tests/unit/router-vault-copy.test.ts':
    'reads the copied trail with better-sqlite3 and copies to a file beside the vault file; on the server: tests/integration/postgres/vault-copy.test.ts',
  'tests/integration/restore-cli.test.ts':
    'puts a backup file in place of the vault file; on the server: a rolled-back server is refused (tests/integration/postgres/two-workstations.test.ts)',
};

/**
 * Single tests of a file that otherwise runs on both, keyed by file then by the test's full name
 * (its describe titles and its own, joined by " > "): skipped on the server, with the reason.
 */
export const FILE_ONLY_TESTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'tests/integration/cli-bundle.test.ts': {
    'the built CLI, with its code cache > lists a vault without loading child_process or synckit and its node:assert':
      'a vault file needs neither; a server vault is reached through synckit, which this test shows a file command does not load',
  },
  'tests/unit/router.test.ts': {
    'the IPC router (DESIGN.md "Process model") > Electron\'s window cannot name a path: a typed path, a raw path or a made-up handle is refused':
      'the file handles the console hands out for a vault file; a server is named by its URL (tests/unit/router-live-refresh.test.ts)',
    'the IPC router (DESIGN.md "Process model") > an export to an existing file is refused as EXISTS and replaced only when asked; never over the vault':
      'never over the vault file itself; a server vault is no file to export over',
    'the IPC router (DESIGN.md "Process model") > a second window cannot open the vault another session holds':
      "the file's writer lock; on a server several sessions write at once (tests/integration/postgres/two-workstations.test.ts)",
  },
  'tests/unit/domain/unlock.test.ts': {
    'unlocking a vault > a wrong passphrase is a clear AUTH_FAILED and leaves the file byte for byte as it was':
      "compares the file's bytes",
    'unlocking a vault > failed unlocks wait beside the vault and are folded into the signed trail at the next unlock':
      "reads the file's side file; a server keeps them in its failed_unlocks table (tests/integration/postgres/server-vault-cli.test.ts)",
    'unlocking a vault > a second writer is told the vault is in use, and nothing is lost':
      "the file's writer lock; a server vault has none",
    'unlocking a vault > a missing file and a file that is not a vault are told apart from a wrong passphrase':
      'files that are not vaults; a database without one is NOT_FOUND (tests/integration/postgres/server-vault-cli.test.ts)',
  },
  'tests/unit/domain/import.test.ts': {
    'bulk registration from CSV (9.8) > in batches of transactions, with progress (issue 11) > a batch that fails to write leaves the earlier batches and says where it stopped':
      "makes SQLite's own write fail with a temporary trigger on the file's connection",
  },
  'tests/unit/domain/reuse-labels.test.ts': {
    "reuse labels > made before (keyed by K_vault) are removed at a security member's unlock and remade by the lead":
      UPGRADE,
    'reuse labels > of a format-4 vault are team-keyed after its upgrade by the lead': UPGRADE,
  },
  'tests/unit/store/state-digest.test.ts': {
    'the stored state digests follow every write (ADR 0020) > the trail cut back to an earlier checkpoint, rows left as they are, is refused at unlock': `cuts the file's trail back with better-sqlite3; on the server: ${SERVER_EDITS}`,
  },
  'tests/attacks/member-name-confirmed-offline.test.ts': {
    'a guessed name cannot be confirmed from the file without a passphrase (issue 13, attack 14) > no lookup tag in the file confirms a member name':
      "reads the closed file's tags with better-sqlite3; a server's rows are the same bytes (tests/integration/postgres/same-bytes-as-the-file.test.ts)",
    'a guessed name cannot be confirmed from the file without a passphrase (issue 13, attack 14) > no audit leaf confirms a member or a person named in its details':
      "reads the closed file's trail with better-sqlite3; a server's rows are the same bytes (tests/integration/postgres/same-bytes-as-the-file.test.ts)",
  },
  'tests/integration/cli-process.test.ts': {
    'the real custodian binary > exits 0, 1 (usage), 4 (not permitted) and 5 (wrong passphrase), with one line and no stack':
      "compares the vault file's bytes before and after",
  },
  'tests/integration/cli.test.ts': {
    'the custodian CLI > a wrong passphrase exits 5 with one line, and the vault file is unchanged byte for byte':
      "compares the vault file's bytes",
    'the custodian CLI > a changed byte in a stored value makes audit verify exit 2 naming the row, without a stack': `changes a byte of a copy of the file; on the server: ${SERVER_EDITS}`,
  },
  'tests/integration/registry-cli.test.ts': {
    'the registry from the command line > 10.2: bad input exits 1 with one line naming it, and writes nothing':
      "compares the vault file's bytes to show nothing was written",
  },
  'tests/attacks/dashboard-summary-rolled-back-to-hide-a-lost-device.test.ts': {
    'a dashboard summary rolled back to hide a lost device is refused (issue 17) > a hand-edited summary row is refused at unlock, naming the table':
      "flips a bit in a copy of the vault file; on the server a changed row's seal fails the same way (tests/attacks/server-operator-edits-rows-on-the-server.test.ts)",
    'a dashboard summary rolled back to hide a lost device is refused (issue 17) > signed into the state by a member, the old summary still stops the unlock, naming it':
      'edits a copy of the vault file with the older copy attached; the restore and the state check it meets run on the server in the tests above',
  },
  'tests/attacks/insider-patches-digests-while-a-console-is-open.test.ts': {
    'an insider patches the state digests while a console is open on the vault file > in a session > nothing written by another connection: a write reads no table’s rows again (the cost stays as it was)':
      "the file's data_version spares the recomputation; a server session checks the rows on every write (ADR 0031), by fingerprints, not this pass",
  },
  'tests/integration/canary.test.ts': {
    'nothing distinctive is written in clear (canary) > while a session is open, in the write-ahead log too':
      "the file's write-ahead log; the server's data folder, WAL and log: tests/integration/postgres/canary-absent-from-the-server.test.ts",
  },
};

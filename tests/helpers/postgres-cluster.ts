import { execFileSync, spawnSync } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway PostgreSQL cluster for one test file (issue 14): `initdb` into a temporary folder,
 * `pg_ctl -w start` on a Unix socket in that folder and no TCP port (`listen_addresses=''`), so
 * parallel test files never meet and nothing listens on the network. PostgreSQL refuses to run as
 * root, so as root the server runs as the `postgres` user (Debian's package makes it) or `nobody`.
 */
export interface ThrowawayCluster {
  /** A libpq-style URL for the cluster's first database over its socket. */
  readonly url: string;
  readonly socketDir: string;
  readonly dataDir: string;
  /** The server's log file (the canary test reads it). */
  readonly logFile: string;
  /** A URL for another database of this cluster (made with createDatabase). */
  urlFor(database: string): string;
  createDatabase(name: string): void;
  /** Stop cleanly (`pg_ctl stop -m fast`) and remove the folder (kept with `keepFiles`). */
  stop(options?: { readonly keepFiles?: boolean }): void;
  /** Remove the folder of a cluster stopped with `keepFiles` (the canary test reads it first). */
  removeFiles(): void;
  /** `kill -9` of the postmaster, as a crashed server; `restart()` recovers it. */
  kill(): void;
  restart(): void;
}

/** The folder holding initdb, pg_ctl and postgres, or null when PostgreSQL is not installed. */
export function postgresBinDir(): string | null {
  const fromPath = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const candidates: string[] = [];
  if (fromPath.status === 0) candidates.push(fromPath.stdout.trim());
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    for (const version of readdirSync(debian).sort().reverse()) {
      candidates.push(join(debian, version, 'bin'));
    }
  }
  return candidates.find((dir) => existsSync(join(dir, 'initdb'))) ?? null;
}

/** Why the PostgreSQL suites are skipped here, or null when they can run. */
export function postgresUnavailable(): string | null {
  return postgresBinDir() === null
    ? 'PostgreSQL server binaries (initdb, pg_ctl) are not installed: the PostgreSQL suites are skipped. Install Debian\'s "postgresql" package to run them.'
    : null;
}

const DATABASE_USER = 'custodian_test';

/** A libpq-style URL for `database` of the cluster listening in `socketDir`. */
export function clusterUrl(socketDir: string, database: string): string {
  return `postgresql:///${database}?host=${encodeURIComponent(socketDir)}&user=${DATABASE_USER}`;
}

/**
 * Drop databases of the cluster in `socketDir`, ending any session still connected to them
 * (`WITH (FORCE)`): a test file's vaults, when the file ends, on a cluster the run shares.
 */
export function dropDatabases(socketDir: string, names: readonly string[]): void {
  if (names.length === 0) return;
  const bin = postgresBinDir();
  if (bin === null) throw new Error(postgresUnavailable() ?? 'PostgreSQL is not installed');
  // One statement per -c: DROP DATABASE cannot run inside the one transaction a single -c makes.
  const statements = names.flatMap((name) => [
    '-c',
    `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`,
  ]);
  execFileSync(
    join(bin, 'psql'),
    [
      '-X',
      '-q',
      '-v',
      'ON_ERROR_STOP=1',
      '-h',
      socketDir,
      '-U',
      DATABASE_USER,
      '-d',
      'postgres',
      ...statements,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
  );
}

/**
 * Make database `name` on the cluster listening in `socketDir`. FILE_COPY, not PostgreSQL 15's
 * default WAL_LOG: on a test cluster without fsync its checkpoints cost little, and a database
 * took 50 ms instead of 300 (a vault's database, a thousand-odd of them in the postgres project).
 */
export function createDatabaseOn(socketDir: string, name: string): void {
  const bin = postgresBinDir();
  if (bin === null) throw new Error(postgresUnavailable() ?? 'PostgreSQL is not installed');
  execFileSync(
    join(bin, 'createdb'),
    ['-h', socketDir, '-U', DATABASE_USER, '--strategy=file_copy', name],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    },
  );
}

export function startThrowawayCluster(
  options: {
    readonly fsync?: boolean;
    /** More server settings (`-c name=value`), e.g. log_statement=all for the canary test. */
    readonly settings?: Readonly<Record<string, string>>;
  } = {},
): ThrowawayCluster {
  const bin = postgresBinDir();
  if (bin === null) throw new Error(postgresUnavailable() ?? 'PostgreSQL is not installed');
  const root = mkdtempSync(join(tmpdir(), 'custodian-pg-'));
  const dataDir = join(root, 'data');
  const socketDir = join(root, 'socket');
  const logFile = join(root, 'server.log');
  mkdirSync(socketDir);
  const owner = serverUser();
  if (owner) {
    for (const path of [root, socketDir]) chownSync(path, owner.uid, owner.gid);
  }
  const run = (program: string, args: readonly string[]) =>
    execFileSync(
      owner ? 'runuser' : join(bin, program),
      owner ? ['-u', owner.name, '--', join(bin, program), ...args] : [...args],
      { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
    );
  run('initdb', [
    '-D',
    dataDir,
    '-U',
    DATABASE_USER,
    '--auth=trust',
    '--encoding=UTF8',
    '--locale=C',
    '--no-instructions',
    // A cluster that runs without fsync need not have initdb flush its files either.
    ...(options.fsync === false ? ['--no-sync'] : []),
  ]);
  const serverOptions = [
    `-k ${socketDir}`,
    "-c listen_addresses=''",
    `-c fsync=${options.fsync === false ? 'off' : 'on'}`,
    // Quick to start and small: a test cluster holds a few vaults.
    '-c shared_buffers=16MB',
    '-c max_connections=40',
    ...Object.entries(options.settings ?? {}).map(([name, value]) => `-c ${name}=${value}`),
  ].join(' ');
  const start = () =>
    run('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-o', serverOptions, 'start']);
  start();
  const urlFor = (database: string) => clusterUrl(socketDir, database);
  let stopped = false;
  return {
    url: urlFor('postgres'),
    socketDir,
    dataDir,
    logFile,
    urlFor,
    createDatabase(name) {
      createDatabaseOn(socketDir, name);
    },
    stop({ keepFiles = false } = {}) {
      if (!stopped) {
        stopped = true;
        try {
          run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
        } catch {
          // Already down (a test killed it): nothing to stop.
        }
      }
      if (!keepFiles) rmSync(root, { recursive: true, force: true });
    },
    removeFiles() {
      rmSync(root, { recursive: true, force: true });
    },
    kill() {
      const pid = postmasterPid(dataDir);
      if (pid === null) return;
      const children = childrenOf(pid);
      process.kill(pid, 'SIGKILL');
      // The server's processes notice their postmaster is gone and exit; a restart before they
      // have would find their shared memory still attached and refuse to start.
      const deadline = Date.now() + 15_000;
      while ([pid, ...children].some(isAlive) && Date.now() < deadline) {
        spawnSync('sleep', ['0.05']);
      }
    },
    restart() {
      start();
    },
  };
}

function postmasterPid(dataDir: string): number | null {
  try {
    const text = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8');
    const pid = Number(text.split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function childrenOf(pid: number): number[] {
  const found = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' });
  return found.stdout
    .split('\n')
    .map(Number)
    .filter((child) => Number.isInteger(child) && child > 0);
}

/** Running or a zombie not yet reaped: PostgreSQL's own check (kill 0) counts both as alive. */
function isAlive(pid: number): boolean {
  return existsSync(`/proc/${pid}`);
}

/** As root, the unprivileged user the server runs as; otherwise null (run as ourselves). */
function serverUser(): { name: string; uid: number; gid: number } | null {
  if (userInfo().uid !== 0) return null;
  for (const name of ['postgres', 'nobody']) {
    const id = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    const group = spawnSync('id', ['-g', name], { encoding: 'utf8' });
    if (id.status === 0 && group.status === 0) {
      return { name, uid: Number(id.stdout.trim()), gid: Number(group.stdout.trim()) };
    }
  }
  throw new Error(
    'Running as root with neither a "postgres" nor a "nobody" user to run PostgreSQL as.',
  );
}

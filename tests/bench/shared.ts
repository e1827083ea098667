import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startThrowawayCluster } from '../helpers/postgres-cluster.ts';
import { PASSPHRASES, populatedVault } from '../helpers/vault.ts';

/**
 * `npm run bench -- shared` (issue 14): a rotation on a PostgreSQL vault (a throwaway cluster on
 * this machine, a Unix socket, fsync on) beside the same on a vault file (synchronous=FULL),
 * through the real paths: the router's contract for an open session, the CLI for whole commands.
 * The two backends alternate in one run (file, server, file, server, …), never compared across
 * runs, since the machine's load moves more than the code does.
 *
 * - latency: one writer, an open session, BENCH_ROTATIONS rotations (generator.generate then
 *   credentials.rotate), median and p95 per round;
 * - throughput: 1 and 4 writer processes at once, each BENCH_COMMANDS `custodian rotate
 *   --generate` commands (each an unlock, the rotation and the lock), rotations a second over
 *   the span from the first start to the last end; a busy file (exit 3) or a rotation
 *   crossed by another (exit 6) is retried and counted.
 */
const WORKER = fileURLToPath(new URL('./shared-worker.ts', import.meta.url));
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const ROTATIONS = Number(process.env['BENCH_ROTATIONS'] ?? 40);
const COMMANDS = Number(process.env['BENCH_COMMANDS'] ?? 10);

interface WriterResult {
  times: number[];
  /** Round trips to the server each rotation made (session mode). */
  trips?: number[];
  started: number;
  ended: number;
  busy: number;
  conflicts: number;
}

export async function benchShared(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'custodian-bench-shared-'));
  const cluster = startThrowawayCluster({ fsync: true });
  try {
    cluster.createDatabase('bench');
    const backends = { file: join(dir, 'bench.vault'), server: cluster.urlFor('bench') };
    const accounts = {
      file: (await populatedVault(backends.file)).accounts,
      server: (await populatedVault(backends.server)).accounts,
    };
    console.log(
      `shared: rotation on PostgreSQL 15 (throwaway cluster, Unix socket, fsync on) beside the vault file; ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load ${loadAverage()}`,
    );
    const env = (w: number) => ({
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '/tmp',
      CUSTODIAN_USER: w % 2 === 0 ? 'Lena Lead' : 'Dev Dmt',
      CUSTODIAN_PASSPHRASE: w % 2 === 0 ? PASSPHRASES.lead : PASSPHRASES.dmt,
      CUSTODIAN_CHECKPOINT_DIR: join(dir, `kept-${w}`),
    });
    const run = async (
      backend: 'file' | 'server',
      writers: number,
      mode: 'session' | 'cli',
      count: number,
    ): Promise<WriterResult[]> =>
      together(
        Array.from({ length: writers }, (_, w) =>
          spawn(
            process.execPath,
            [
              '--import',
              'tsx',
              WORKER,
              backends[backend],
              accounts[backend][w % 2]!,
              String(count),
              mode,
            ],
            { env: env(w), stdio: ['pipe', 'pipe', 'inherit'] },
          ),
        ),
      );

    console.log(`\n  one writer, an open session, ${ROTATIONS} rotations a round (ms):`);
    const latency: Record<string, number[]> = { file: [], server: [] };
    for (let round = 1; round <= ROUNDS; round++) {
      for (const backend of ['file', 'server'] as const) {
        const [result] = await run(backend, 1, 'session', ROTATIONS);
        const times = result!.times.slice(2); // the first two warm the statement caches
        latency[backend]!.push(...times);
        const trips = result!.trips?.slice(2) ?? [];
        const perRotation =
          backend === 'server' && trips.length > 0
            ? `, ${percentile(trips, 0.5)} round trips a rotation`
            : '';
        console.log(
          `    round ${round} ${backend.padEnd(6)} ${summary(times)}${perRotation}  load ${loadAverage()}`,
        );
      }
    }
    const fileMedian = percentile(latency['file']!, 0.5);
    const serverMedian = percentile(latency['server']!, 0.5);
    console.log(
      `    all rounds: file ${summary(latency['file']!)}; server ${summary(latency['server']!)}; server/file median ${(serverMedian / fileMedian).toFixed(2)}x (target ≤ 2x)`,
    );

    for (const writers of [1, 4]) {
      console.log(
        `\n  ${writers} writer process${writers === 1 ? '' : 'es'}, ${COMMANDS} \`custodian rotate --generate\` commands each:`,
      );
      for (let round = 1; round <= ROUNDS; round++) {
        for (const backend of ['file', 'server'] as const) {
          const results = await run(backend, writers, 'cli', COMMANDS);
          const span =
            Math.max(...results.map((r) => r.ended)) - Math.min(...results.map((r) => r.started));
          const total = results.reduce((n, r) => n + r.times.length, 0);
          const busy = results.reduce((n, r) => n + r.busy, 0);
          const conflicts = results.reduce((n, r) => n + r.conflicts, 0);
          console.log(
            `    round ${round} ${backend.padEnd(6)} ${(total / (span / 1000)).toFixed(1)} rotations/s (${total} in ${(span / 1000).toFixed(1)} s; per command ${summary(results.flatMap((r) => r.times))}; busy retries ${busy}, conflicts retried ${conflicts})  load ${loadAverage()}`,
          );
        }
      }
    }
  } finally {
    cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Start every writer, wait until each is ready, say go to all at once, collect their lines. */
async function together(children: ReturnType<typeof spawn>[]): Promise<WriterResult[]> {
  const outputs = children.map(
    (child) =>
      new Promise<string[]>((resolve, reject) => {
        let text = '';
        let ready = false;
        child.stdout!.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (!ready && text.startsWith('ready\n')) {
            ready = true;
            readyCount.notify();
          }
        });
        child.on('error', reject);
        child.on('close', (code) =>
          code === 0
            ? resolve(text.trimEnd().split('\n'))
            : reject(new Error(`writer exited ${code}`)),
        );
      }),
  );
  const readyCount = counter(children.length);
  await readyCount.all;
  for (const child of children) child.stdin!.end('go\n');
  const lines = await Promise.all(outputs);
  return lines.map((output) => JSON.parse(output.at(-1)!) as WriterResult);
}

function counter(n: number): { notify: () => void; all: Promise<void> } {
  let seen = 0;
  let done: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (done = resolve));
  return {
    notify: () => {
      seen += 1;
      if (seen === n) done();
    },
    all,
  };
}

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

function summary(samples: readonly number[]): string {
  return `median ${percentile(samples, 0.5).toFixed(1)}, p95 ${percentile(samples, 0.95).toFixed(1)} (n=${samples.length})`;
}

function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

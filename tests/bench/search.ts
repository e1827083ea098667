import { existsSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MINIMUM_KDF } from '../../electron/vault/crypto/kdf.ts';
import { listAccounts } from '../../electron/vault/domain/accounts.ts';
import { importAccounts } from '../../electron/vault/domain/import.ts';
import { createVault, unlockVault } from '../../electron/vault/vault.ts';
import { AccountSearchIndex } from '../../shared/domain/account-index.ts';
import { filterAccounts, NO_FILTERS, searchText } from '../../shared/domain/account-search.ts';
import type { AccountSummary } from '../../shared/domain/accounts.ts';
import { scaleCsv } from './scale.ts';

const MEMBER = 'Bench Lead';
const PASSPHRASE = 'a benchmark passphrase';

/**
 * The scale bench's registry without its people and team changes, kept in the temp folder: the
 * same CSV import through the real services. Search reads only the accounts' summaries
 * (platform, handle, unit, force, status), which the team changes do not touch, so the
 * accounts alone build faster and measure the same.
 */
async function searchVault(count: number): Promise<string> {
  const path = join(tmpdir(), `custodian-bench-search-${count}-v1.vault`);
  if (existsSync(path)) return path;
  console.log(`building ${path} (kept for next time)…`);
  const building = `${path}.building`;
  rmSync(building, { force: true });
  const session = await createVault(building, {
    founderName: MEMBER,
    passphrase: PASSPHRASE,
    kdf: MINIMUM_KDF,
  });
  try {
    // An import takes at most 10,000 rows (import-csv.ts): a larger vault is imported in parts.
    for (let from = 0; from < count; from += 10_000) {
      const to = Math.min(count, from + 10_000);
      const report = await importAccounts(session, scaleCsv(from, to), { generateMissing: true });
      if (report.written !== to - from) throw new Error('The search import wrote too few rows.');
    }
  } catch (error) {
    session.abandon();
    throw error;
  }
  session.close();
  renameSync(building, path);
  return path;
}

const percentile = (samples: readonly number[], p: number): number => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const ms = (value: number) => (value < 10 ? value.toFixed(3) : value.toFixed(1));

/**
 * The account search before and after its index (issue 17: p95 ≤ 2 ms at 1,000, 10,000 and
 * 50,000 accounts), on the scale bench's registry (searchVault: built once, kept in the temp folder). In one
 * process, on the same list and the same queries, the scan (filterAccounts over pre-lowered texts,
 * as the console did) and the index (AccountSearchIndex, as it does now) alternate query by query,
 * which runs first swapping each time, so the load of a shared machine falls on both alike; every
 * answer of the index is checked against the scan's. Also: building the index from the list, and
 * bringing it up to date after one account changes (what the console does after each change).
 */
export async function benchSearch(): Promise<void> {
  const sizes = (process.env['BENCH_SIZES'] ?? '1000,10000,50000').split(',').map(Number);
  const queries = (count: number, i: number) =>
    [
      `account${(i * 7919) % count}`,
      `team ${i % 40}`,
      'norfolk',
      'x:acc',
      `ount${(i * 31) % 100}`,
      'suffolk',
    ][i % 6]!;
  console.log('search, one query: the scan (before) and the index (after), alternating');
  console.log(
    '  accounts   scan p95 / median     index p95 / median    ratio of medians   build   update after one change',
  );
  for (const count of sizes) {
    const path = await searchVault(count);
    const session = await unlockVault(path, { memberName: MEMBER, passphrase: PASSPHRASE });
    let list: AccountSummary[];
    try {
      list = listAccounts(session);
    } finally {
      session.close();
    }
    const scanned = list.map((account) => ({ account, text: searchText(account) }));
    let start = performance.now();
    const index = new AccountSearchIndex(list);
    const buildMs = performance.now() - start;
    const scanMs: number[] = [];
    const arrayMs: number[] = [];
    const indexMs: number[] = [];
    const kinds = ['one handle', 'unit words', 'force', 'prefix', 'inside', 'no match'];
    const byKind = kinds.map(() => ({
      scan: [] as number[],
      array: [] as number[],
      index: [] as number[],
    }));
    // What the console's virtualised list reads of an answer: its length and the rows on screen.
    const firstPage = (answer: { length: number; at(k: number): AccountSummary | undefined }) => {
      let read = answer.length;
      for (let k = 0; k < Math.min(40, answer.length); k++) read += answer.at(k)!.handle.length;
      return read;
    };
    for (let i = 0; i < 600; i++) {
      const f = { ...NO_FILTERS, text: queries(count, i) };
      const runs: [number[], 'scan' | 'array' | 'index', () => readonly AccountSummary[]][] = [
        [scanMs, 'scan', () => filterAccounts(scanned, f)],
        // The index answering with an array of the accounts found (before), and with the view
        // the console reads now (after), its length and first page read inside the timing.
        [arrayMs, 'array', () => index.search(f)],
        [
          indexMs,
          'index',
          () => {
            const view = index.find(f);
            firstPage(view);
            return view as unknown as readonly AccountSummary[];
          },
        ],
      ];
      // Each order in turn, so the load of a shared machine falls on all three alike.
      for (let r = 0; r < i % 3; r++) runs.push(runs.shift()!);
      const answers = new Map<string, readonly AccountSummary[]>();
      for (const [samples, kind, run] of runs) {
        start = performance.now();
        const answer = run();
        const took = performance.now() - start;
        answers.set(kind, answer);
        samples.push(took);
        byKind[i % 6]![kind].push(took);
      }
      const a = answers.get('scan')!;
      const b = answers.get('array')!;
      const c = (answers.get('index') as unknown as ReturnType<typeof index.find>).toArray();
      for (const other of [b, c]) {
        if (a.length !== other.length || a.some((x, k) => x !== other[k])) {
          throw new Error(`the index and the scan differ for "${f.text}"`);
        }
      }
    }
    const updateMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const changed = [...list];
      const at = (i * 977) % changed.length;
      changed[at] = { ...changed[at]!, handle: `${changed[at]!.handle}x` };
      start = performance.now();
      index.sync(changed);
      updateMs.push(performance.now() - start);
      index.sync(list);
    }
    const [s50, i50] = [percentile(scanMs, 50), percentile(indexMs, 50)];
    const kindLine = kinds
      .map(
        (kind, k) =>
          `${kind} ${ms(percentile(byKind[k]!.scan, 50))} → ${ms(percentile(byKind[k]!.array, 50))} → ${ms(percentile(byKind[k]!.index, 50))}`,
      )
      .join(', ');
    console.log(
      `  ${String(count).padStart(8)}   ${ms(percentile(scanMs, 95)).padStart(7)} / ${ms(s50).padStart(6)} ms   ${ms(percentile(indexMs, 95)).padStart(7)} / ${ms(i50).padStart(6)} ms   ${(i50 / s50).toFixed(3).padStart(8)}          ${buildMs.toFixed(0).padStart(5)} ms   median ${ms(percentile(updateMs, 50))} ms (n=5)`,
    );
    console.log(
      `             index answering with an array (before the view): p95 / median ${ms(percentile(arrayMs, 95))} / ${ms(percentile(arrayMs, 50))} ms`,
    );
    console.log(
      `             medians by query, scan → index array → index view (ms, n=100 each): ${kindLine}`,
    );
  }
}

import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyVault } from '../../electron/vault/audit/verify.ts';
import { VaultError } from '../../electron/vault/errors.ts';
import { unlockVault } from '../../electron/vault/vault.ts';
import { custodian } from '../helpers/cli.ts';
import { LEAD_ENV, runCliScenario } from '../helpers/scenario.ts';
import { tempDir } from '../helpers/vault.ts';

/**
 * Issue 7, tamper sweep: one byte flipped at each of 1,000 random offsets of a vault that went
 * through every flow. Each flip must be caught on open or by `audit verify` with a clear error,
 * never crash the process, and never pass unnoticed.
 *
 * "Outside the free pages": a flip that changes nothing SQLite returns (a free page, the unused
 * gap inside a page, a header field such as the change counter) and leaves SQLite's integrity
 * check passing has changed no data at all, so no check could or should see it. Those are counted
 * apart and replaced by another offset until 1,000 flips that did change something are tried.
 * The same holds for a page header's count of fragmented free bytes: bookkeeping of free space
 * that SQLite's integrity check reports, but that no row depends on and that SQLite recounts the
 * next time it writes that page (the unlock's own audit entry can land there and repair it). A
 * broken freelist, by contrast, could hand an in-use page to a later write, so it still counts.
 *
 * A page's own list of free blocks inside it (its header's first-freeblock pointer) is the same
 * kind of bookkeeping, but a bad one could let SQLite place a row over another, so it counts as a
 * meaningful flip. So does a page header's start of the cell content area (bytes 5-6 of a B-tree
 * page's header) set past the first cell: every row still reads as before (cells are found through
 * the cell pointers), but SQLite's integrity check reports the cells below it ("Offset .. out of
 * range"), and a later insert into that page could be refused as malformed or placed over a live
 * cell, so it counts as meaningful too. If the unlock's write lands on that page, SQLite rebuilds
 * the page's free space and the file is whole again before verify runs. That happens for
 * merkle_frontier's page: the unlock's audit entry replaces the frontier with a DELETE of every
 * row, which SQLite carries out by resetting the page (header included) rather than freeing cell by
 * cell, then inserts the new frontier; a raised content start on any page the unlock does not
 * rewrite is left for verify's integrity check to catch. Such a flip is counted as repaired, apart,
 * not as missed, only if all of this holds: before the unlock the rows SQLite returns are exactly
 * the pristine ones and its integrity check complains about nothing but that bookkeeping on the
 * flipped page (a content start only when the flipped byte is that field); verify then passes
 * (every row, leaf, signature and the state digest checked, SQLite's integrity check clean); and
 * the file's integrity check, run again after the session ends, is clean. Any other flip that
 * verify passes is a miss.
 */
const FREE_SPACE_BOOKKEEPING = /^Fragmentation of \d+ bytes reported as \d+ on page \d+$/;
const FREE_BLOCK_LIST = /^Tree \d+ page (\d+): free space corruption$/;
const CELL_BELOW_CONTENT_START =
  /^Tree \d+ page (\d+) cell \d+: Offset \d+ out of range \d+\.\.\d+$/;
const FLIPS = Number(process.env['TAMPER_FLIPS'] ?? 1000);
const SEED = Number(process.env['TAMPER_SEED'] ?? Date.now() % 2 ** 31);

/** A small seeded generator (mulberry32), so a failing offset can be replayed with TAMPER_SEED. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function removeVaultFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '.lock', '.failed-unlocks'])
    rmSync(`${path}${suffix}`, { force: true });
}

/** SQLite's integrity complaints about a file, less its own heading line. */
function integrityVerdict(db: Database.Database): string[] {
  return (db.pragma('integrity_check') as { integrity_check: string }[])
    .flatMap((row) => row.integrity_check.split('\n'))
    .filter((line) => line !== '*** in database main ***' && line !== 'ok');
}

/** Every row of every table, the schema and user_version: what the vault reads from the file. */
function rowsDigest(db: Database.Database): string {
  const hash = createHash('sha256');
  const tables = db.prepare('SELECT name, sql FROM sqlite_schema ORDER BY type, name').all() as {
    name: string;
    sql: string | null;
  }[];
  hash.update(JSON.stringify(tables));
  hash.update(String(db.pragma('user_version', { simple: true })));
  for (const { name } of tables.filter((t) => t.sql?.startsWith('CREATE TABLE'))) {
    for (const row of db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).raw().iterate())
      hash.update(
        JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v)),
      );
  }
  return hash.digest('hex');
}

/** Opens the file and reads it with `read`; for a file SQLite cannot read, `unreadable`'s answer. */
function readWith<T>(
  path: string,
  read: (db: Database.Database) => T,
  unreadable: (code: string) => T,
): T {
  const db = new Database(path, { fileMustExist: true });
  try {
    return read(db);
  } catch (error) {
    return unreadable((error as { code?: string }).code ?? String(error));
  } finally {
    db.close();
  }
}

/** What SQLite returns from the file: every row of every table, and its integrity verdict. */
function logicalContent(path: string): string {
  return readWith(
    path,
    (db) => {
      const verdict = integrityVerdict(db).filter((line) => !FREE_SPACE_BOOKKEEPING.test(line));
      return `${JSON.stringify(verdict.length === 0 ? ['ok'] : verdict)} ${rowsDigest(db)}`;
    },
    (code) => `unreadable: ${code}`,
  );
}

/**
 * Whether every complaint of SQLite's integrity check is free-space bookkeeping of the flipped
 * page: its free-block list, or (when the flipped byte is that page's cell content start field)
 * cells reported below the content start.
 */
function onlyBookkeepingOf(verdict: readonly string[], offset: number, pageSize: number): boolean {
  const page = Math.floor(offset / pageSize) + 1;
  // A B-tree page's header starts at its first byte, after the 100-byte file header on page 1.
  const field = (offset % pageSize) - (page === 1 ? 100 : 0);
  const ofFlippedPage = (match: RegExpExecArray | null) => match?.[1] === String(page);
  return (
    verdict.length > 0 &&
    verdict.every(
      (line) =>
        ofFlippedPage(FREE_BLOCK_LIST.exec(line)) ||
        ((field === 5 || field === 6) && ofFlippedPage(CELL_BELOW_CONTENT_START.exec(line))),
    )
  );
}

type Outcome =
  | { readonly kind: 'slack' | 'repaired by SQLite' }
  | { readonly kind: 'caught on open' | 'caught by verify'; readonly message: string }
  | { readonly kind: 'missed' | 'crashed'; readonly message: string };

describe('tamper sweep: a flipped byte anywhere in the vault is caught (issue 7)', () => {
  let dir: string;
  let cleanup: () => void;
  let pristine: string;
  let original: Buffer;
  let baseline: string;
  let baselineRows: string;
  let pageSize: number;

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    const { vault } = await runCliScenario(join(dir, 'work'), join(dir, 'inputs'), ({ result }) =>
      expect(result.code, result.stderr).toBe(0),
    );
    pristine = vault;
    original = readFileSync(vault);
    baseline = logicalContent(vault);
    baselineRows = readWith(vault, rowsDigest, (code) => `unreadable: ${code}`);
    const sizeField = original.readUInt16BE(16); // the file header's page size; 1 means 65536
    pageSize = sizeField === 1 ? 65_536 : sizeField;
  }, 120_000);
  afterAll(() => cleanup());

  async function tryFlip(offset: number, xor: number): Promise<Outcome> {
    const bytes = Buffer.from(original);
    bytes[offset] = bytes[offset]! ^ xor;
    const probe = join(dir, 'probe.vault');
    const target = join(dir, 'flipped.vault');
    removeVaultFiles(probe);
    removeVaultFiles(target);
    writeFileSync(probe, bytes);
    writeFileSync(target, bytes);
    if (logicalContent(probe) === baseline) return { kind: 'slack' };
    // Repairable: the flip changed no row SQLite returns, only the flipped page's bookkeeping.
    const repairable =
      readWith(probe, rowsDigest, () => null) === baselineRows &&
      readWith(
        probe,
        (db) => onlyBookkeepingOf(integrityVerdict(db), offset, pageSize),
        () => false,
      );
    let session;
    try {
      session = await unlockVault(target, {
        memberName: LEAD_ENV.CUSTODIAN_USER,
        passphrase: LEAD_ENV.CUSTODIAN_PASSPHRASE,
      });
    } catch (error) {
      if (error instanceof VaultError) return { kind: 'caught on open', message: error.message };
      return { kind: 'crashed', message: `on open: ${String(error)}` };
    }
    try {
      const report = await verifyVault(session);
      if (!report.ok)
        return { kind: 'caught by verify', message: `${report.where} ${report.problem}` };
    } catch (error) {
      return { kind: 'crashed', message: `in verify: ${String(error)}` };
    } finally {
      session.abandon();
    }
    if (!repairable) return { kind: 'missed', message: 'verify passed' };
    // The repair, seen from outside the vault's code: the file SQLite now holds checks clean.
    const after = readWith(
      target,
      (db) => JSON.stringify(integrityVerdict(db)),
      (code) => code,
    );
    if (after !== '[]') return { kind: 'missed', message: `verify passed, SQLite: ${after}` };
    return { kind: 'repaired by SQLite' };
  }

  it(`catches every one of ${FLIPS} meaningful flips (seed in the test name's log)`, async () => {
    const random = seeded(SEED);
    const tally = new Map<string, number>();
    const failures: string[] = [];
    let meaningful = 0;
    let attempts = 0;
    while (meaningful < FLIPS && attempts < FLIPS * 20) {
      attempts += 1;
      const offset = Math.floor(random() * original.length);
      const xor = 1 + Math.floor(random() * 255);
      const outcome = await tryFlip(offset, xor);
      tally.set(outcome.kind, (tally.get(outcome.kind) ?? 0) + 1);
      if (outcome.kind === 'slack' || outcome.kind === 'repaired by SQLite') continue;
      meaningful += 1;
      if (outcome.kind === 'missed' || outcome.kind === 'crashed')
        failures.push(
          `offset ${offset} ^0x${xor.toString(16)}: ${outcome.kind}: ${outcome.message}`,
        );
    }
    // eslint-disable-next-line no-console -- the run's tally is part of the evidence it leaves
    console.log(
      `tamper sweep (TAMPER_SEED=${SEED}) over a ${original.length}-byte vault: ${JSON.stringify(Object.fromEntries(tally))}`,
    );
    expect(failures).toEqual([]);
    expect(meaningful).toBe(FLIPS);
  }, 1_200_000);

  /**
   * The flip the sweep once called missed (a raised content start on merkle_frontier's page), made
   * on purpose: repaired, since the unlock's audit entry rewrites that page; the same flip on a
   * page the unlock leaves alone (the people table's) stays and verify's integrity check catches it.
   */
  it('a cell content start raised past the first cell: repaired on the frontier page, caught elsewhere', async () => {
    const raiseContentStart = (table: string) => {
      const root = readWith(
        pristine,
        (db) =>
          (
            db.prepare('SELECT rootpage FROM sqlite_schema WHERE name = ?').get(table) as {
              rootpage: number;
            }
          ).rootpage,
        (code) => {
          throw new Error(code);
        },
      );
      const offset = (root - 1) * pageSize + 6; // low byte of the content start (page is a leaf)
      const low = original[offset]!;
      const bit = [1, 2, 4, 8, 16].find((b) => (low & b) === 0);
      expect(bit, `${table}'s content start can be raised by a flip of its low byte`).toBeDefined();
      return tryFlip(offset, bit!);
    };
    expect(await raiseContentStart('merkle_frontier')).toEqual({ kind: 'repaired by SQLite' });
    const people = await raiseContentStart('people');
    expect(people.kind).toBe('caught by verify');
    expect('message' in people && people.message).toMatch(/integrity check[\s\S]*out of range/);
    // The complaint itself, not SQLite's heading line for its list.
    expect('message' in people && people.message).toMatch(
      /fails SQLite's integrity check \(Tree \d+ page \d+ cell \d+: Offset \d+ out of range/,
    );
  });

  it('the untouched vault still opens and verifies, and the CLI exits 2 on a flipped copy', async () => {
    const ok = await custodian(['audit', 'verify', pristine], LEAD_ENV);
    expect(ok.code, ok.stderr).toBe(0);
    // A flip inside the last page's used bytes (an audit row): the CLI names it and exits 2.
    const copy = join(dir, 'cli-flipped.vault');
    copyFileSync(pristine, copy);
    const bytes = readFileSync(copy);
    const at = bytes.lastIndexOf(Buffer.from('session.unlocked'));
    expect(at).toBeGreaterThan(0);
    bytes[at + 2] = bytes[at + 2]! ^ 0x20;
    writeFileSync(copy, bytes);
    // As from another workstation: a copy opened here would become this workstation's history
    // (ADR 0024).
    const flipped = await custodian(['audit', 'verify', copy], {
      ...LEAD_ENV,
      CUSTODIAN_CHECKPOINT_DIR: join(dir, 'another-workstation'),
    });
    expect(flipped.code).toBe(2);
    expect(flipped.stderr).toMatch(/audit entry #\d+|vault file/);
  });
});

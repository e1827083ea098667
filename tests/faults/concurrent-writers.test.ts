import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyVault } from '../../electron/vault/audit/verify.ts';
import { openCredential } from '../../electron/vault/domain/credentials.ts';
import { rotationCount } from '../../electron/vault/domain/rotations.ts';
import { accountStore } from '../../electron/vault/store/account-store.ts';
import { auditStore } from '../../electron/vault/store/audit-store.ts';
import { accountCodec } from '../../electron/vault/store/account-codecs.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';

const CHILD = fileURLToPath(new URL('../helpers/concurrent-writer-child.ts', import.meta.url));
const WRITERS = 4;
const CHANGES = 50;

interface Change {
  writer: string;
  i: number;
  account: string;
  rotation: boolean;
  value: string;
  saved: string;
  conflicts: string[];
  inUse: string[];
}

function writer(
  vault: string,
  name: string,
  member: string,
  passphrase: string,
  accounts: string[],
): Promise<Change[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD, vault, name, String(CHANGES), ...accounts],
      {
        env: {
          PATH: process.env['PATH'] ?? '',
          HOME: process.env['HOME'] ?? '/tmp',
          CUSTODIAN_USER: member,
          CUSTODIAN_PASSPHRASE: passphrase,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`writer ${name} exited ${String(code)}: ${stderr}`));
      else
        resolve(
          stdout
            .trimEnd()
            .split('\n')
            .map((line) => JSON.parse(line) as Change),
        );
    });
  });
}

/**
 * Issue 14, "N writers × M processes": four processes, fifty changes each (rotations and registry
 * edits, alternately, on the same two accounts), each read-then-save on the version it read, as a
 * form does, through the real CLI. A save that crossed another is refused (exit 6) and retried
 * on a fresh read; a busy vault (exit 3) is waited out. Afterwards no update is lost: every
 * rotation's password is in the credential's history, every change is in the trail, each raised
 * the account's version by exactly one; every conflict was reported to its writer, naming who and
 * when; the trail verifies and its sequence numbers are dense.
 *
 * In the slow suite (npm run test:faults): 400-odd CLI commands, each an unlock, contend for one
 * file; about two minutes on the two-core build machine.
 */
describe('four processes changing the same accounts at once', () => {
  let dir: ReturnType<typeof tempDir>;
  let vault: string;
  let accounts: string[];
  beforeAll(async () => {
    dir = tempDir();
    vault = `${dir.dir}/shared.vault`;
    ({ accounts } = await populatedVault(vault));
  });
  afterAll(() => dir.cleanup());

  it('loses no update, reports every conflict, and leaves a dense trail that verifies', async () => {
    const before = await unlockAs(vault, 'Lena Lead', PASSPHRASES.lead);
    const startVersion = new Map(
      accounts.map((id) => [id, accountStore.byId(before.db, id)!.version]),
    );
    before.close();

    const members = [
      ['Lena Lead', PASSPHRASES.lead],
      ['Dev Dmt', PASSPHRASES.dmt],
    ] as const;
    const runs = await Promise.all(
      Array.from({ length: WRITERS }, (_, w) => {
        const [member, passphrase] = members[w % 2]!;
        return writer(vault, `w${w}`, member, passphrase, accounts);
      }),
    );
    const changes = runs.flat();
    expect(changes).toHaveLength(WRITERS * CHANGES);

    // Every conflict was reported to its writer, saying who changed which account and when.
    const conflicts = changes.flatMap((c) => c.conflicts);
    for (const message of conflicts) {
      expect(message).toMatch(
        /(Lena Lead|Dev Dmt) (rotated|edited) (x:NorfolkPolice|facebook:SuffolkRoadsPolicing) at \d\d:\d\d UTC while you were editing; nothing was saved/,
      );
    }
    // Four writers reading and saving in turn do cross: the check was exercised, not idle.
    expect(conflicts.length).toBeGreaterThan(0);

    const session = await unlockAs(vault, 'Lena Lead', PASSPHRASES.lead);
    try {
      for (const id of accounts) {
        const mine = changes.filter((c) => c.account === id);
        const rotations = mine.filter((c) => c.rotation);
        const edits = mine.filter((c) => !c.rotation);
        // Each saved change raised the version by one, on the version before it: none overwrote another.
        const row = accountStore.byId(session.db, id)!;
        expect(row.version).toBe(startVersion.get(id)! + rotations.length + edits.length);
        // Every rotation's password is the current one or in the history (9.9).
        const credential = openCredential(session, id);
        const known = new Set([credential.password, ...credential.history.map((h) => h.password)]);
        expect(rotations.filter((r) => !known.has(r.value)).map((r) => r.value)).toEqual([]);
        expect(credential.history).toHaveLength(rotations.length);
        expect(rotationCount(session, id)).toBe(rotations.length);
        // The record holds a saved edit's notes, not a refused one's.
        const notes = accountCodec.open(session.keys.vault, row).notes;
        expect(edits.map((e) => e.value)).toContain(notes);
        // And every change has its entry in the trail.
        const entries = auditStore.entriesForAccount(session.db, id);
        expect(entries.filter((e) => e.kind === 'credential.rotated')).toHaveLength(
          rotations.length,
        );
        expect(entries.filter((e) => e.kind === 'account.updated')).toHaveLength(edits.length);
      }
      const seqs = auditStore.entriesPage(session.db, 0, auditStore.countEntries(session.db));
      const numbers = seqs.map((e) => e.seq).sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, k) => k + 1));
      expect(await verifyVault(session)).toMatchObject({ ok: true });
    } finally {
      session.close();
    }
  });
});

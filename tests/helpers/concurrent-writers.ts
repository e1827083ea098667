import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { verifyVault } from '../../electron/vault/audit/verify.ts';
import { openCredential } from '../../electron/vault/domain/credentials.ts';
import { rotationCount } from '../../electron/vault/domain/rotations.ts';
import type { VaultSession } from '../../electron/vault/session.ts';
import { accountCodec } from '../../electron/vault/store/account-codecs.ts';
import { accountStore } from '../../electron/vault/store/account-store.ts';
import { auditStore } from '../../electron/vault/store/audit-store.ts';
import { PASSPHRASES } from './vault.ts';

/**
 * Issue 14, "N writers × M processes", for the file (tests/faults/concurrent-writers.test.ts)
 * and the server (tests/faults/concurrent-writers-on-the-server.test.ts): the same writers
 * (concurrent-writer-child.ts, the real CLI) and the same checks, whichever store holds the vault.
 */
const CHILD = fileURLToPath(new URL('./concurrent-writer-child.ts', import.meta.url));

export interface Change {
  writer: string;
  i: number;
  account: string;
  rotation: boolean;
  value: string;
  saved: string;
  conflicts: string[];
  inUse: string[];
}

/** Alternately the lead and a DMT member: both may rotate and edit every account. */
const MEMBERS = [
  ['Lena Lead', PASSPHRASES.lead],
  ['Dev Dmt', PASSPHRASES.dmt],
] as const;

/**
 * `writers` processes at once, each making `changes` changes on `accounts`. With `workstations`
 * (a folder), each process is a workstation of its own: its scratch files and kept checkpoint
 * there (a server vault has no folder beside it).
 */
export async function runWriters(options: {
  vault: string;
  writers: number;
  changes: number;
  accounts: readonly string[];
  workstations?: string;
}): Promise<Change[]> {
  const runs = await Promise.all(
    Array.from({ length: options.writers }, (_, w) => {
      const [member, passphrase] = MEMBERS[w % 2]!;
      const env: Record<string, string> = {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '/tmp',
        CUSTODIAN_USER: member,
        CUSTODIAN_PASSPHRASE: passphrase,
      };
      if (options.workstations) {
        const scratch = join(options.workstations, `w${w}`);
        mkdirSync(scratch, { recursive: true });
        env['CUSTODIAN_WRITER_SCRATCH'] = scratch;
        env['CUSTODIAN_CHECKPOINT_DIR'] = join(scratch, 'kept');
      }
      return writer(options.vault, `w${w}`, options.changes, options.accounts, env);
    }),
  );
  return runs.flat();
}

function writer(
  vault: string,
  name: string,
  changes: number,
  accounts: readonly string[],
  env: Record<string, string>,
): Promise<Change[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD, vault, name, String(changes), ...accounts],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
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

/** Each account's version before the writers start. */
export function versionsOf(session: VaultSession, accounts: readonly string[]) {
  return new Map(accounts.map((id) => [id, accountStore.byId(session.db, id)!.version]));
}

/**
 * No update lost: each saved change raised its account's version by one, every rotation's
 * password is current or in the history, every change has its trail entry; every conflict was
 * reported to its writer naming who and when (and there were some); the trail is dense and
 * verifies.
 */
export async function expectNoLostUpdate(
  session: VaultSession,
  changes: readonly Change[],
  accounts: readonly string[],
  startVersion: ReadonlyMap<string, number>,
): Promise<void> {
  const conflicts = changes.flatMap((c) => c.conflicts);
  for (const message of conflicts) {
    expect(message).toMatch(
      /(Lena Lead|Dev Dmt) (rotated|edited) (x:NorfolkPolice|facebook:SuffolkRoadsPolicing) at \d\d:\d\d UTC while you were editing; nothing was saved/,
    );
  }
  // Writers reading and saving in turn do cross: the check was exercised, not idle.
  expect(conflicts.length).toBeGreaterThan(0);
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
    expect(entries.filter((e) => e.kind === 'credential.rotated')).toHaveLength(rotations.length);
    expect(entries.filter((e) => e.kind === 'account.updated')).toHaveLength(edits.length);
  }
  const seqs = auditStore.entriesPage(session.db, 0, auditStore.countEntries(session.db));
  const numbers = seqs.map((e) => e.seq).sort((a, b) => a - b);
  expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, k) => k + 1));
  expect(await verifyVault(session)).toMatchObject({ ok: true });
}

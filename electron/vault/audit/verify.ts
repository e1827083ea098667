import { holdsTeamKey } from '../../../shared/domain/roles.ts';
import { bytesEqual, toHex } from '../crypto/hash.ts';
import { verifySignature } from '../crypto/keys.ts';
import { VaultError } from '../errors.ts';
import { certificateValid, headerMacMatches } from '../keyring.ts';
import type { VaultSession } from '../session.ts';
import { auditStore, type AuditEntryRow } from '../store/audit-store.ts';
import { asVaultError, integrityProblems } from '../store/connection.ts';
import { readHeader } from '../store/header-store.ts';
import { memberStore, type MemberRow } from '../store/member-store.ts';
import { openRow } from '../store/sealed-row.ts';
import { accountStore } from '../store/account-store.ts';
import { REGISTRY_TABLES } from '../store/registry-tables.ts';
import { openMember, roleOf } from '../domain/member-records.ts';
import { openAccountProfile } from '../domain/accounts.ts';
import { openCredential } from '../domain/credentials.ts';
import { openRotationRecord } from '../domain/rotations.ts';
import { openRotationDue } from '../domain/rotation-due.ts';
import { auditDetailsSchema, auditKindSchema, entryLeafHash } from './entry.ts';
import { checkpointBody } from './checkpoint.ts';
import { auditEntryAddress } from './log.ts';
import { Frontier } from './merkle.ts';
import type { ProgressReporter } from '../progress.ts';

export type VerifyReport =
  | {
      readonly ok: true;
      readonly entries: number;
      readonly checkpoints: number;
      readonly root: string;
    }
  | {
      readonly ok: false;
      readonly entries: number;
      readonly where: string;
      readonly problem: string;
    };

class Problem extends Error {
  constructor(
    readonly where: string,
    readonly problem: string,
  ) {
    super(`${where}: ${problem}`);
  }
}

/**
 * Check the whole vault as the acting member can see it. The audit trail first, in order, so the
 * first bad entry is the one named: every leaf recomputed from its opened entry, sequence numbers
 * contiguous, every checkpoint's root and signature, and the stored tree edge. Then every member
 * certificate back to the founding lead, and every sealed row the member's keys can open.
 */
export async function verifyVault(
  session: VaultSession,
  options: { onProgress?: ProgressReporter } = {},
): Promise<VerifyReport> {
  let entries = 0;
  try {
    verifyStructure(session);
    const members = new Map(memberStore.all(session.db).map((row) => [row.id, row]));
    const total = auditStore.lastSeq(session.db);
    const report = options.onProgress ?? (() => undefined);
    // Awaited only at a page's end: a promise for each of a million entries would be waste.
    const result = await verifyTrail(session, members, (count) => {
      entries = count;
      return count % PROGRESS_EVERY === 0 || count === total ? report(count, total) : undefined;
    });
    verifyMembers(session, members);
    verifyRegistry(session);
    return { ok: true, ...result };
  } catch (error) {
    if (error instanceof Problem)
      return { ok: false, entries, where: error.where, problem: error.problem };
    // SQLite's "malformed" from a damaged page is an integrity failure too, not a crash.
    const mapped = asVaultError(error);
    if (mapped instanceof VaultError && mapped.code === 'INTEGRITY') {
      return { ok: false, entries, where: 'vault', problem: mapped.message };
    }
    throw error;
  }
}

/**
 * SQLite's own check of the file's pages and indexes: a damaged index could otherwise answer a
 * lookup wrongly while every row still opens. Run first, so a broken file is named as such.
 */
function verifyStructure(session: VaultSession): void {
  const problems = integrityProblems(session.db);
  if (problems.length > 0) {
    throw new Problem('vault file', `fails SQLite's integrity check (${problems[0]})`);
  }
}

/** Entries between two progress reports: the store's iterator reads pages of .all(), no cursor. */
const PROGRESS_EVERY = 1000;

async function verifyTrail(
  session: VaultSession,
  members: ReadonlyMap<string, MemberRow>,
  progress: (count: number) => void | Promise<void>,
): Promise<{ entries: number; checkpoints: number; root: string }> {
  const checkpoints = auditStore.checkpoints(session.db);
  let nextCheckpoint = 0;
  const frontier = new Frontier();
  let expectedSeq = 1;
  for (const row of auditStore.iterateEntries(session.db, PROGRESS_EVERY)) {
    const where = `audit entry #${row.seq}`;
    if (row.seq !== expectedSeq) {
      throw new Problem(
        row.seq > expectedSeq ? `audit entry #${expectedSeq}` : where,
        row.seq > expectedSeq ? 'is missing (the sequence jumps)' : 'is out of order',
      );
    }
    const leaf = recomputeLeaf(session, row, where);
    if (!bytesEqual(leaf, row.leaf_hash)) throw new Problem(where, 'does not match its leaf hash');
    frontier.append(leaf);
    while (
      nextCheckpoint < checkpoints.length &&
      checkpoints[nextCheckpoint]!.size === frontier.size
    ) {
      checkCheckpoint(session, members, checkpoints[nextCheckpoint]!, frontier.root());
      nextCheckpoint += 1;
    }
    const pending = checkpoints[nextCheckpoint];
    if (pending && pending.size < frontier.size) {
      throw new Problem(`checkpoint at size ${pending.size}`, 'is out of order');
    }
    expectedSeq += 1;
    const reported = progress(frontier.size);
    if (reported) await reported;
  }
  if (nextCheckpoint < checkpoints.length) {
    throw new Problem(
      `checkpoint at size ${checkpoints[nextCheckpoint]!.size}`,
      `covers entries that are missing (the trail has ${frontier.size})`,
    );
  }
  const latest = checkpoints.at(-1);
  if (!latest || latest.size !== frontier.size) {
    throw new Problem(
      `audit entry #${(latest?.size ?? 0) + 1}`,
      'and those after it are not covered by a signed checkpoint',
    );
  }
  const stored = new Frontier(
    auditStore
      .frontier(session.db)
      .map((row) => ({ level: row.level, hash: new Uint8Array(row.hash) })),
  );
  if (stored.size !== frontier.size || !bytesEqual(stored.root(), frontier.root())) {
    throw new Problem('merkle_frontier', 'does not match the entries');
  }
  return { entries: frontier.size, checkpoints: checkpoints.length, root: toHex(frontier.root()) };
}

function recomputeLeaf(session: VaultSession, row: AuditEntryRow, where: string): Uint8Array {
  const kind = auditKindSchema.safeParse(row.kind);
  if (!kind.success) throw new Problem(where, 'has an unknown kind');
  let details;
  try {
    details = openRow(session.keys.vault, auditEntryAddress(row), row.sealed, auditDetailsSchema);
  } catch (error) {
    if (error instanceof VaultError) throw new Problem(where, 'does not match what was written');
    throw error;
  }
  return entryLeafHash({
    seq: row.seq,
    at: row.at,
    kind: kind.data,
    actor: row.actor_id,
    account: row.account_id,
    details,
  });
}

function checkCheckpoint(
  session: VaultSession,
  members: ReadonlyMap<string, MemberRow>,
  checkpoint: { size: number; root: Uint8Array; signer_id: string; signature: Uint8Array },
  root: Uint8Array,
): void {
  const where = `checkpoint at size ${checkpoint.size}`;
  if (!bytesEqual(checkpoint.root, root))
    throw new Problem(where, 'does not match the entries it covers');
  const signer = members.get(checkpoint.signer_id);
  if (!signer) throw new Problem(where, 'is signed by someone who is not a member');
  const body = checkpointBody(session.vaultId, checkpoint.size, root);
  if (!verifySignature(signer.sign_public_key, body, checkpoint.signature)) {
    throw new Problem(where, 'has a signature that does not verify');
  }
}

/** Every certificate verifies, and chains through leads back to the self-signed founder. */
function verifyMembers(session: VaultSession, members: ReadonlyMap<string, MemberRow>): void {
  const header = readHeader(session.db);
  if (!header) throw new Problem('vault_header', 'is missing');
  if (!headerMacMatches(session.keys.vault, header)) {
    throw new Problem('vault_header', 'does not match what was written');
  }
  const founder = members.get(header.founder_id);
  if (founder?.certified_by !== founder?.id || !founder) {
    throw new Problem('vault_header', 'names a founder whose certificate is not self-signed');
  }
  for (const row of members.values()) {
    const where = `members row ${row.id}`;
    try {
      openMember(session.keys.vault, row);
    } catch (error) {
      if (error instanceof VaultError) throw new Problem(where, 'does not match what was written');
      throw error;
    }
    const certifier = members.get(row.certified_by);
    if (!certifier || roleOf(certifier) !== 'lead')
      throw new Problem(where, 'was not certified by a lead');
    const valid = certificateValid(
      certifier.sign_public_key,
      {
        vault: session.vaultId,
        member: row.id,
        role: roleOf(row),
        boxPublicKey: row.box_public_key,
        signPublicKey: row.sign_public_key,
        certifiedBy: row.certified_by,
        certifiedAt: row.certified_at,
      },
      row.certificate,
    );
    if (!valid) throw new Problem(where, 'has a certificate that does not verify');
  }
}

/** Open every sealed registry row this member's keys reach: a changed byte anywhere shows here. */
function verifyRegistry(session: VaultSession): void {
  const { db } = session;
  const readsCredentials = holdsTeamKey(session.member.role);
  const members = new Map(memberStore.all(db).map((row) => [row.id, row]));
  const teamGeneration = readHeader(db)?.team_generation ?? -1;
  for (const account of accountStore.all(db)) {
    asProblem(`accounts row ${account.id}`, () => openAccountProfile(session, account));
    checkWraps(db, account.id, members, teamGeneration);
    if (readsCredentials && accountStore.credential(db, account.id)) {
      asProblem(`credentials row ${account.id}`, () => openCredential(session, account.id));
    }
  }
  const accountIds = new Set(accountStore.all(db).map((account) => account.id));
  for (const wrap of accountStore.allWraps(db)) {
    if (!accountIds.has(wrap.account_id)) {
      throw new Problem(
        `account_key_wraps row ${wrap.account_id}/${wrap.holder}`,
        'is for no account',
      );
    }
  }
  for (const table of REGISTRY_TABLES) {
    const bad = table.firstBadRow(db, session.keys.vault);
    if (bad) throw new Problem(bad, 'does not match what was written');
  }
  for (const rotation of accountStore.allRotations(db)) {
    asProblem(`rotations row ${rotation.id}`, () => openRotationRecord(session, rotation));
  }
  for (const due of accountStore.allRotationDue(db)) {
    asProblem(`rotation_due row ${due.id}`, () => openRotationDue(session, due));
  }
}

/**
 * Every account key is wrapped for the team and, besides, only for current administrators, all
 * for the credential's current key. (An administrator's sealed box itself opens only for them.)
 */
function checkWraps(
  db: VaultSession['db'],
  accountId: string,
  members: ReadonlyMap<string, MemberRow>,
  teamGeneration: number,
): void {
  const credential = accountStore.credential(db, accountId);
  const wraps = accountStore.wrapsFor(db, accountId);
  // A requested account has neither credentials nor wraps yet (9.6); one without the other is damage.
  if (!credential && wraps.length === 0) return;
  if (!credential) throw new Problem(`credentials row ${accountId}`, 'is missing');
  if (!wraps.some((wrap) => wrap.holder === 'team')) {
    throw new Problem(`account_key_wraps row ${accountId}/team`, 'is missing');
  }
  for (const wrap of wraps) {
    const where = `account_key_wraps row ${accountId}/${wrap.holder}`;
    if (wrap.key_id !== credential.key_id) throw new Problem(where, 'is for another key');
    if (wrap.holder === 'team') {
      if (wrap.team_generation !== teamGeneration)
        throw new Problem(where, 'is sealed to an old team key');
      continue;
    }
    const member = members.get(wrap.holder);
    if (
      !member ||
      member.removed_at !== null ||
      roleOf(member) !== 'admin' ||
      wrap.team_generation !== null
    ) {
      throw new Problem(where, 'is not for a current administrator');
    }
  }
}

function asProblem(where: string, check: () => unknown): void {
  try {
    check();
  } catch (error) {
    if (error instanceof VaultError && error.code === 'INTEGRITY') {
      throw new Problem(where, 'does not match what was written');
    }
    throw error;
  }
}

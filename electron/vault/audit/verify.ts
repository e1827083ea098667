import { holdsTeamKey } from '../../../shared/domain/roles.ts';
import { bytesEqual, toHex } from '../crypto/hash.ts';
import { BatchOpener } from '../crypto/batch-open.ts';
import { SignatureChecks } from '../crypto/signature-checks.ts';
import { ErrorCode } from '../../../shared/errors.ts';
import { VaultError } from '../errors.ts';
import type { AuditDetails } from '../../../shared/domain/audit.ts';
import { headerMacMatches } from '../keyring.ts';
import { chainStore } from '../store/chain-store.ts';
import {
  ChainProblem,
  grantHolders,
  statementHash,
  validateChain,
  type TrustState,
} from '../trust/chain.ts';
import { trustRoot } from '../trust/session-trust.ts';
import type { VaultSession } from '../session.ts';
import { auditStore, type AuditEntryRow } from '../store/audit-store.ts';
import { asVaultError, integrityProblems, integrityProblemsAside } from '../store/connection.ts';
import { readHeader, type HeaderRow } from '../store/header-store.ts';
import { vaultDefaultKdf } from '../trust/default-kdf.ts';
import { memberStore, type MemberRow } from '../store/member-store.ts';
import { accountStore } from '../store/account-store.ts';
import { canonicalJson } from '../canonical-json.ts';
import { REGISTRY_TABLES } from '../store/registry-tables.ts';
import { thirdPartyAppProblem } from '../domain/third-party-apps.ts';
import {
  computeDashboardSummary,
  dashboardSummaryTable,
  hasDashboardSummaryTable,
  storedDashboardSummary,
  SUMMARY_DISAGREES,
} from '../store/dashboard-summary.ts';
import { openMember } from '../domain/member-records.ts';
import { openAccountProfile } from '../domain/accounts.ts';
import { openCredential } from '../domain/credentials.ts';
import { openRotationRecord } from '../domain/rotations.ts';
import { openRotationDue } from '../domain/rotation-due.ts';
import { entryLeafHash, knownKind } from './entry.ts';
import { checkpointBody } from './checkpoint.ts';
import { CheckpointSigners } from './checkpoint-signers.ts';
import { openAuditDetailsWith } from '../store/audit-entry-codec.ts';
import { committedStateProblem } from './state-check.ts';
import { Frontier } from './merkle.ts';
import { TrailChecks } from './trail-checks.ts';
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
  options: { onProgress?: ProgressReporter; trailWorkers?: boolean } = {},
): Promise<VerifyReport> {
  let entries = 0;
  const trailWorkers =
    session.db.dialect !== 'postgres' &&
    (options.trailWorkers ?? trailLengthOrNone(session) >= TRAIL_WORKERS_FROM);
  // A trail read on workers has SQLite's check of the file run beside it, on a thread of its own
  // (issue 17); its verdict is taken before any other, so a broken file is named as such, as when
  // the check ran first. Otherwise the check runs first, here.
  const structure = trailWorkers ? structureAside(session) : undefined;
  try {
    if (!structure) verifyStructure(session);
    // Who is a member, and with which key, is the signed chain's word from the pinned root (ADR 0010).
    const chain = verifyChain(session);
    const signers = new Map(
      [...chain.members.values(), ...chain.removed.values()].map((m) => [m.id, m.signPublicKey]),
    );
    const members = new Map(memberStore.all(session.db).map((row) => [row.id, row]));
    const total = auditStore.lastSeq(session.db);
    const report = options.onProgress ?? (() => undefined);
    const statementEntries: { seq: number; details: AuditDetails }[] = [];
    // Awaited only at a page's end: a promise for each of a million entries would be waste.
    const witness = new CheckpointSigners((id) => nameIn(session, members, id));
    // A removal takes effect at the trail entry that records its chain statement.
    const removalAt = new Map([...chain.removed.values()].map((m) => [m.removedSeq, m.id]));
    const result = await verifyTrail(
      session,
      signers,
      { witness, removalAt },
      (count) => {
        entries = count;
        return count % PROGRESS_EVERY === 0 || count === total ? report(count, total) : undefined;
      },
      statementEntries,
      trailWorkers,
    );
    verifyStatementEntries(session, statementEntries);
    verifyState(session, signers);
    verifyMembers(session, members, chain);
    verifyRegistry(session, chain);
    verifyThirdPartyApps(session, chain);
    await structure?.verdict();
    return { ok: true, ...result };
  } catch (found) {
    let error = found;
    if (structure) {
      // What SQLite's check finds came first: the report is the one it gave when it ran first.
      try {
        await structure.verdict();
      } catch (first) {
        error = first;
        entries = 0;
      }
    }
    if (error instanceof Problem)
      return { ok: false, entries, where: error.where, problem: error.problem };
    // SQLite's "malformed" from a damaged page is an integrity failure too, not a crash.
    const mapped = asVaultError(error);
    if (mapped instanceof VaultError && mapped.code === ErrorCode.INTEGRITY) {
      return { ok: false, entries, where: 'vault', problem: mapped.message };
    }
    throw error;
  }
}

/** A member's name for a problem's wording; their id if their row is gone or does not open. */
function nameIn(
  session: VaultSession,
  members: ReadonlyMap<string, MemberRow>,
  id: string,
): string {
  const row = members.get(id);
  if (!row) return `member ${id}`;
  try {
    return openMember(session.keys.vault, row).name;
  } catch {
    return `member ${id}`;
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

/**
 * verifyStructure run beside the trail: SQLite's check on a worker thread with its own read-only
 * connection, started now. `verdict` throws what verifyStructure would have thrown: its Problem,
 * or, if the worker could not answer, whatever the check on this connection gives (run then).
 */
function structureAside(session: VaultSession): { verdict: () => Promise<void> } {
  const aside = integrityProblemsAside(session.path);
  let settled: Promise<void> | undefined;
  const verdict = async () => {
    const problems = (await aside) ?? integrityProblems(session.db);
    if (problems.length > 0) {
      throw new Problem('vault file', `fails SQLite's integrity check (${problems[0]})`);
    }
  };
  return { verdict: () => (settled ??= verdict()) };
}

/** The trail's length, to choose how to read it; 0 if the file will not say (its check will). */
function trailLengthOrNone(session: VaultSession): number {
  try {
    return auditStore.lastSeq(session.db);
  } catch {
    return 0;
  }
}

/**
 * A trail at least this long is read and opened on worker threads (trail-checks.ts); a shorter
 * one here, where starting the workers would cost more than they save. Tests choose.
 */
const TRAIL_WORKERS_FROM = 20_000;

/** Entries between two progress reports: the store's iterator reads pages of .all(), no cursor. */
const PROGRESS_EVERY = 1000;

/**
 * The trail in order, with checkpoint signatures checked on worker threads (issue 17) and the first
 * problem still the one named: a problem found here is reported once every signature queued before
 * it is known good, since a bad one among them came first. Details open through one BatchOpener.
 */
async function verifyTrail(
  session: VaultSession,
  signers: ReadonlyMap<string, Uint8Array>,
  who: { witness: CheckpointSigners; removalAt: ReadonlyMap<number, string> },
  progress: (count: number) => void | Promise<void>,
  statementEntries: { seq: number; details: AuditDetails }[],
  trailWorkers: boolean,
): Promise<{ entries: number; checkpoints: number; root: string }> {
  const signatures = new SignatureChecks<number>();
  const opener = new BatchOpener(session.keys.vault);
  const trail =
    session.db.dialect === 'postgres' || !trailWorkers
      ? undefined
      : new TrailChecks(session.path, session.keys.vault);
  try {
    let result;
    try {
      result = await verifyTrailInOrder(session, signers, who, progress, statementEntries, {
        signatures,
        opener,
        ...(trail ? { trail } : {}),
      });
    } catch (error) {
      if (!(error instanceof Problem)) throw error;
      const earlier = await signatures.firstFailure();
      throw earlier === undefined ? error : badSignature(earlier);
    }
    const bad = await signatures.firstFailure();
    if (bad !== undefined) throw badSignature(bad);
    return result;
  } finally {
    opener.close();
    await Promise.all([signatures.close(), trail?.close()]);
  }
}

const badSignature = (size: number) =>
  new Problem(`checkpoint at size ${size}`, 'has a signature that does not verify');

async function verifyTrailInOrder(
  session: VaultSession,
  signers: ReadonlyMap<string, Uint8Array>,
  who: { witness: CheckpointSigners; removalAt: ReadonlyMap<number, string> },
  progress: (count: number) => void | Promise<void>,
  statementEntries: { seq: number; details: AuditDetails }[],
  tools: { signatures: SignatureChecks<number>; opener: BatchOpener; trail?: TrailChecks },
): Promise<{ entries: number; checkpoints: number; root: string }> {
  const checkpoints = auditStore.checkpoints(session.db);
  const stateSince = readHeader(session.db)?.state_since ?? null;
  let nextCheckpoint = 0;
  const frontier = new Frontier();
  let expectedSeq = 1;
  /** One entry in order; `leafOf` gives its leaf, checked against the stored one, or throws. */
  const entry = (seq: number, actor: string, leafOf: () => Uint8Array): void | Promise<void> => {
    const where = `audit entry #${seq}`;
    if (seq !== expectedSeq) {
      throw new Problem(
        seq > expectedSeq ? `audit entry #${expectedSeq}` : where,
        seq > expectedSeq ? 'is missing (the sequence jumps)' : 'is out of order',
      );
    }
    const leaf = leafOf();
    const late = who.witness.entry(seq, actor);
    if (late) throw new Problem(where, late);
    const statement = statementEntries.at(-1);
    if (statement?.seq === seq) {
      const leaver = who.removalAt.get(Number(statement.details['seq']));
      if (leaver !== undefined) who.witness.removed(leaver, seq);
    }
    frontier.append(leaf);
    while (
      nextCheckpoint < checkpoints.length &&
      checkpoints[nextCheckpoint]!.size === frontier.size
    ) {
      const checkpoint = checkpoints[nextCheckpoint]!;
      checkCheckpoint(session, signers, checkpoint, frontier.root(), stateSince, tools.signatures);
      const resigned = who.witness.checkpoint(checkpoint.signer_id);
      if (resigned) throw new Problem(`checkpoint at size ${checkpoint.size}`, resigned);
      // A bad signature the workers have already found, with all before it good: stop here.
      const bad = tools.signatures.settledFailure();
      if (bad !== undefined) throw badSignature(bad);
      nextCheckpoint += 1;
    }
    const pending = checkpoints[nextCheckpoint];
    if (pending && pending.size < frontier.size) {
      throw new Problem(`checkpoint at size ${pending.size}`, 'is out of order');
    }
    expectedSeq += 1;
    return progress(frontier.size);
  };
  /** A row read here: its leaf recomputed from its opened details, as it always was. */
  const rowEntry = (row: AuditEntryRow) =>
    entry(row.seq, row.actor_id, () => {
      const where = `audit entry #${row.seq}`;
      const leaf = recomputeLeaf(session, tools.opener, row, where, statementEntries);
      if (!bytesEqual(leaf, row.leaf_hash))
        throw new Problem(where, 'does not match its leaf hash');
      return leaf;
    });
  let readUpTo = 0;
  // A vault file's trail is read and opened on worker threads, as far as it went when the verify
  // began; a server vault's, and anything appended since, here (the server answers through its
  // own worker already, and a second connection there would need its own credentials).
  if (tools.trail) {
    const total = auditStore.lastSeq(session.db);
    for await (const page of tools.trail.pages(total)) {
      if ('unread' in page) {
        for (const row of auditStore.entriesBetween(session.db, page.after, page.upTo)) {
          const reported = rowEntry(row);
          if (reported) await reported;
        }
        continue;
      }
      const statements = page.statements.values();
      let statement = statements.next();
      for (let i = 0; i < page.seqs.length; i++) {
        const seq = page.seqs[i]!;
        let reported;
        if (page.passed[i] === 1) {
          reported = entry(seq, page.actors[i]!, () => {
            if (!statement.done && statement.value.seq === seq) {
              statementEntries.push(statement.value);
              statement = statements.next();
            }
            return page.leaves.subarray(i * 32, i * 32 + 32);
          });
        } else {
          // The workers did not pass it: read and checked here, so its problem is named as ever.
          const row = auditStore.entry(session.db, seq);
          if (!row) throw new Problem(`audit entry #${seq}`, 'is missing (the sequence jumps)');
          reported = rowEntry(row);
        }
        if (reported) await reported;
      }
    }
    readUpTo = total;
  }
  for (const row of auditStore.iterateEntries(session.db, PROGRESS_EVERY, readUpTo)) {
    const reported = rowEntry(row);
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

function recomputeLeaf(
  session: VaultSession,
  opener: BatchOpener,
  row: AuditEntryRow,
  where: string,
  statementEntries: { seq: number; details: AuditDetails }[],
): Uint8Array {
  const kind = knownKind(row.kind);
  if (kind === undefined) throw new Problem(where, 'has an unknown kind');
  let details;
  try {
    details = openAuditDetailsWith(opener, session.keys.vault, row);
  } catch (error) {
    if (error instanceof VaultError) throw new Problem(where, 'does not match what was written');
    throw error;
  }
  if (kind === 'chain.statement') statementEntries.push({ seq: row.seq, details });
  return entryLeafHash({
    seq: row.seq,
    at: row.at,
    kind,
    actor: row.actor_id,
    account: row.account_id,
    details,
  });
}

/** The checkpoint's root here; its signature is queued on `signatures` (badSignature if not). */
function checkCheckpoint(
  session: VaultSession,
  signers: ReadonlyMap<string, Uint8Array>,
  checkpoint: {
    size: number;
    root: Uint8Array;
    signer_id: string;
    signature: Uint8Array;
    state?: Uint8Array | null;
  },
  root: Uint8Array,
  stateSince: number | null,
  signatures: SignatureChecks<number>,
): void {
  const where = `checkpoint at size ${checkpoint.size}`;
  if (!bytesEqual(checkpoint.root, root))
    throw new Problem(where, 'does not match the entries it covers');
  const signer = signers.get(checkpoint.signer_id);
  if (!signer) throw new Problem(where, 'is signed by someone who is not a member');
  if (stateSince !== null && checkpoint.size >= stateSince && !checkpoint.state) {
    throw new Problem(
      where,
      `does not commit to the vault's state, as every checkpoint from size ${stateSince} must`,
    );
  }
  const body = checkpointBody(session.vaultId, checkpoint.size, root, checkpoint.state);
  signatures.add(signer, body, checkpoint.signature, checkpoint.size);
}

/**
 * The rows of every state table are what the latest checkpoint (its signature checked with the
 * trail) commits to (ADR 0020): a row deleted, inserted, restored or rolled back names its table.
 */
function verifyState(session: VaultSession, signers: ReadonlyMap<string, Uint8Array>): void {
  const problem = committedStateProblem(session.db, (id) => signers.get(id));
  if (problem) throw new Problem(problem.where, problem.problem);
}

/**
 * The chain validates from the root pinned in this member's slot, every grant signature included,
 * and the header names the chain's team key.
 */
function verifyChain(session: VaultSession): TrustState {
  const header = readHeader(session.db);
  if (!header) throw new Problem('vault_header', 'is missing');
  if (!headerMacMatches(session.keys.vault, header)) {
    throw new Problem('vault_header', 'does not match what was written');
  }
  let state: TrustState;
  try {
    state = validateChain(
      trustRoot(session),
      session.vaultId,
      chainStore.all(session.db, session.keys.vault),
      {
        eager: true,
      },
    );
  } catch (error) {
    if (error instanceof ChainProblem) throw new Problem(error.where, error.problem);
    throw error;
  }
  if (
    header.team_generation !== state.team.generation ||
    !bytesEqual(header.team_public_key, state.team.publicKey)
  ) {
    throw new Problem('vault_header', 'names a team key the signed membership chain does not');
  }
  // The header's copy of the default key derivation is under K_vault, which every member holds;
  // a lead's is in the chain (ADR 0030). New slots never take an unsigned one, and verify says so.
  if (state.defaultKdf && !headerDefaultIsSigned(state, header)) {
    const signed = state.defaultKdf;
    throw new Problem(
      'vault_header',
      `names a default key derivation for new key slots that no lead signed (a lead signed ${signed.memoryKiB / 1024} MiB, ${signed.passes} passes); new slots take that or the app's default, whichever is stronger`,
    );
  }
  return state;
}

function headerDefaultIsSigned(state: TrustState, header: HeaderRow): boolean {
  try {
    return vaultDefaultKdf(state, header).signed;
  } catch {
    return false; // below the floor or unreadable: not what a lead signed
  }
}

/**
 * One `chain.statement` entry for each statement, in order, naming its hash: a chain cut back, or
 * a statement that never entered the trail, shows here.
 */
function verifyStatementEntries(
  session: VaultSession,
  entries: readonly { seq: number; details: AuditDetails }[],
): void {
  const rows = chainStore.all(session.db, session.keys.vault);
  rows.forEach((row, index) => {
    const entry = entries[index];
    if (
      entry?.details['seq'] !== row.seq ||
      entry.details['hash'] !== toHex(statementHash(row.statement))
    ) {
      throw new Problem(
        `membership_chain statement #${row.seq}`,
        'is not the one the audit trail records',
      );
    }
  });
  const extra = entries[rows.length];
  if (extra) {
    throw new Problem(
      `audit entry #${extra.seq}`,
      'records a chain statement that is missing from membership_chain',
    );
  }
}

/**
 * Every members row is a member of the chain, current or removed, with the chain's role and keys;
 * every member of the chain has its row. A planted, restored or re-sealed row is named here.
 */
function verifyMembers(
  session: VaultSession,
  members: ReadonlyMap<string, MemberRow>,
  chain: TrustState,
): void {
  for (const row of members.values()) {
    const where = `members row ${row.id}`;
    let profile;
    try {
      profile = openMember(session.keys.vault, row);
    } catch (error) {
      if (error instanceof VaultError) throw new Problem(where, 'does not match what was written');
      throw error;
    }
    const current = chain.members.get(row.id);
    const held = current ?? chain.removed.get(row.id);
    if (!held) throw new Problem(where, 'is not in the signed membership chain');
    if (
      held.role !== profile.role ||
      !bytesEqual(held.certifiedBoxPublicKey, row.box_public_key) ||
      !bytesEqual(held.signPublicKey, row.sign_public_key)
    ) {
      throw new Problem(where, 'differs from the signed membership chain');
    }
    if ((current === undefined) !== (row.removed_at !== null)) {
      throw new Problem(
        where,
        current
          ? 'is marked removed, but the chain holds a current member'
          : 'is of a removed member',
      );
    }
    if (current === undefined && memberStore.slot(session.db, row.id)) {
      throw new Problem(`key_slots row ${row.id}`, 'is of a removed member');
    }
  }
  for (const id of [...chain.members.keys(), ...chain.removed.keys()]) {
    if (!members.has(id)) throw new Problem(`members row ${id}`, 'is missing');
  }
}

/** Open every sealed registry row this member's keys reach: a changed byte anywhere shows here. */
function verifyRegistry(session: VaultSession, chain: TrustState): void {
  const { db } = session;
  const readsCredentials = holdsTeamKey(session.member.role);
  const teamGeneration = chain.team.generation;
  for (const account of accountStore.all(db)) {
    asProblem(`accounts row ${account.id}`, () => openAccountProfile(session, account));
    checkWraps(db, account.id, chain, teamGeneration);
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
  verifyDashboardSummary(session);
  for (const rotation of accountStore.allRotations(db)) {
    asProblem(`rotations row ${rotation.id}`, () => openRotationRecord(session, rotation));
  }
  for (const due of accountStore.allRotationDue(db)) {
    asProblem(`rotation_due row ${due.id}`, () => openRotationDue(session, due));
  }
}

/**
 * The first screen's summary (ADR 0027) opens and says what the registry says: made again from the
 * rows it summarises, it must be the same. A member who can seal rows could otherwise re-seal a
 * summary that hides an open lost-device incident and re-sign the state around it.
 */
function verifyDashboardSummary(session: VaultSession): void {
  const { db } = session;
  if (!hasDashboardSummaryTable(db)) return;
  const bad = dashboardSummaryTable.firstBadRow(db, session.keys.vault);
  if (bad) throw new Problem(bad, 'does not match what was written');
  let stored;
  try {
    stored = storedDashboardSummary(db, session.keys.vault);
  } catch (error) {
    if (error instanceof VaultError && error.code === ErrorCode.INTEGRITY) {
      throw new Problem(
        'dashboard_summary row current',
        'was not made from the registry as it stands (an older or edited copy of the row)',
      );
    }
    throw error;
  }
  if (!stored) return;
  const recomputed = computeDashboardSummary(db, session.keys.vault);
  if (canonicalJson(stored) !== canonicalJson(recomputed)) {
    throw new Problem('dashboard_summary row current', SUMMARY_DISAGREES);
  }
}

/**
 * Every account key is wrapped for the team and, besides, only for current administrators, all
 * for the credential's current key. (An administrator's sealed box itself opens only for them.)
 */
function checkWraps(
  db: VaultSession['db'],
  accountId: string,
  chain: TrustState,
  teamGeneration: number,
): void {
  const granted = new Set(grantHolders(chain, accountId).map((member) => member.id));
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
    // Only a current admin with a signed grant holds a wrap (ADR 0010).
    if (!granted.has(wrap.holder) || wrap.team_generation !== null) {
      throw new Problem(where, 'is not for a current administrator');
    }
  }
}

/**
 * 6.3: every app the trail added is still registered, and one Corporate Communications added was
 * removed, if at all, by the lead or the DMT as the signed chain holds the remover's role.
 */
function verifyThirdPartyApps(session: VaultSession, chain: TrustState): void {
  const roleOf = (id: string) => (chain.members.get(id) ?? chain.removed.get(id))?.role;
  const problem = thirdPartyAppProblem(session, roleOf);
  if (problem) throw new Problem(problem.where, problem.problem);
}

function asProblem(where: string, check: () => unknown): void {
  try {
    check();
  } catch (error) {
    if (error instanceof VaultError && error.code === ErrorCode.INTEGRITY) {
      throw new Problem(where, 'does not match what was written');
    }
    throw error;
  }
}

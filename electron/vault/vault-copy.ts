import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ErrorCode } from '../../shared/errors.ts';
import { isServerUrl, redactServerUrl } from '../../shared/vault-location.ts';
import { verifyVault } from './audit/verify.ts';
import { copiedTrailProblem } from './audit/copied-trail.ts';
import type { NewAuditEntry } from './audit/log.ts';
import { stateProblem } from './audit/state-check.ts';
import { bytesEqual, toHex } from './crypto/hash.ts';
import { invalidInput, VaultError } from './errors.ts';
import type { VaultSession } from './session.ts';
import { schemaVersion, SCHEMA_VERSION } from './store/migrate.ts';
import { storedHead } from './store/trail-head.ts';
import { copySnapshot, type Head } from './store/vault-copy-writer.ts';
import { pendingServerFailedUnlocks } from './store/vault-rows.ts';
import { trustedState } from './trust/session-trust.ts';

export interface CopyReport {
  /** Where the copy is, fit to show (a server URL without its password). */
  readonly destination: string;
  readonly entries: number;
  readonly root: string;
  readonly rows: number;
  /** Failed unlocks the server recorded after the copy began: they stay there (unauthenticated). */
  readonly failedUnlocksLeft: number;
}

export interface CopyOptions {
  /**
   * Told after each table is written, before the destination is checked and committed: the
   * fault tests stop the server there, mid-copy. Nothing else needs it.
   */
  readonly onTableCopied?: (table: string) => void;
  /**
   * Told once the source has verified, before the copy's entry and the snapshot: the attack tests
   * change a row there, as another workstation, the server's operator or anyone with the file
   * could at that moment. Nothing else needs it.
   */
  readonly onVerified?: () => void | Promise<void>;
}

/** Verifications tried while other members write, before the copy gives up. */
const ATTEMPTS = 3;

/**
 * `custodian vault copy` (issue 14, ADR 0032): the open vault, verified as the acting member
 * sees it, copied row for row into a new vault file or an empty database. Nothing is opened or
 * sealed again on the way: the copy holds the same sealed blobs, ids, trail and checkpoints, so it
 * says exactly what the source said, tampering included, and `audit verify` of it gives the same
 * answer. A source that fails verification is refused (an integrity error, exit 2) before anything
 * is written: a "backup" that carries an operator's edit would look like evidence of a clean vault
 * to whoever finds it later.
 *
 * The destination is written in one step: a file under a temporary name, flushed, checked, then
 * linked into place; a database in one transaction that makes the schema and fills it, checked
 * before it commits. Either way it is checked against the verified source before anyone can see
 * it: every table the same rows (a digest of every cell), the state digests what the latest
 * checkpoint signs, and that checkpoint the one the source verified to.
 *
 * Lead only (the contract): a copy is a second vault with the same id, which every workstation
 * that opens both will see as a fork (ADR 0024); moving the team is a lead's decision.
 */
export async function copyVault(
  session: VaultSession,
  destination: string,
  options: CopyOptions = {},
): Promise<CopyReport> {
  refuseUnusableDestination(session, destination);
  const verified = await verifiedHead(session, destination);
  await options.onVerified?.();
  // The copy's own entry (a copy of every sealed row and key wrap is an event an auditor must
  // see, 6.5) and the session's lock go in now, in one write, so the copy carries the record of
  // its making and ends as this session leaves the source, and the head this workstation keeps
  // (ADR 0024) is the copy's: the copier's own next open of the copy is no fork. Nothing else is
  // written by this session after it (the router then ends it).
  // That write checks the rows against the signed state first (keepCheckingState): an edit made
  // since the verification, stored digests patched to match, is refused here rather than signed
  // into the source by the copier's checkpoint (found in review).
  try {
    session.recordLockNow(copiedEntry(destination, verified));
  } catch (error) {
    if (error instanceof VaultError && error.code === ErrorCode.INTEGRITY) {
      throw new VaultError(
        ErrorCode.INTEGRITY,
        `${error.message} ${session.db.location} changed after it was verified, so it was not copied and nothing was signed; nothing was written to ${shown(destination)}.`,
      );
    }
    throw error;
  }
  const head = storedHead(session.db)!;
  if (head.size !== verified.size + 2) throw changedMeanwhile(session, destination);
  const signers = trustedState(session);
  const copied = copySnapshot(session.db, destination, head, {
    sourcePath: session.path,
    verified,
    stateProblem,
    trailProblem: (db) =>
      copiedTrailProblem(db, {
        vaultId: session.vaultId,
        vaultKey: session.keys.vault,
        signerKey: (id) => (signers.members.get(id) ?? signers.removed.get(id))?.signPublicKey,
        verified,
      }),
    onTableCopied: options.onTableCopied,
    changedMeanwhile: () => changedMeanwhile(session, destination),
    changedSinceVerified: (found) => changedSinceVerified(session, destination, found),
  });
  const failedUnlocksLeft =
    session.db.dialect === 'postgres' ? pendingServerFailedUnlocks(session.db) : 0;
  return {
    destination: shown(destination),
    entries: head.size,
    root: toHex(head.root),
    rows: copied,
    failedUnlocksLeft,
  };
}

/**
 * Verify the source in full, and again if another member wrote meanwhile, until its head stood
 * still across one whole verification: that head is what the copy is of.
 */
async function verifiedHead(session: VaultSession, destination: string): Promise<Head> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    const before = storedHead(session.db);
    const report = await verifyVault(session);
    if (!report.ok) {
      throw new VaultError(
        ErrorCode.INTEGRITY,
        `${session.db.location} does not verify (${report.where} ${report.problem}), so it was not copied: a copy would carry the same fault and look like a sound backup. Nothing was written to ${shown(destination)}. Run \`custodian audit verify\` on it, and tell Information Security.`,
      );
    }
    if (!before || schemaVersion(session.db) !== SCHEMA_VERSION) {
      throw new VaultError(
        ErrorCode.INTEGRITY,
        `${session.db.location} has no signed checkpoint of the current format to copy from; nothing was written.`,
      );
    }
    const after = storedHead(session.db);
    if (after && after.size === before.size && bytesEqual(after.root, before.root)) return before;
  }
  throw changedMeanwhile(session, destination);
}

/**
 * The source's own record of the copy (`vault.copied`), written before the snapshot. Who and when
 * are the entry's actor and time; its details say only which kind of store the copy went to and
 * which verified head it is of, never the path or the URL: the trail is exported to Information
 * Security and to hearings (CSV, PDF), and a folder or a server's address there would tell every
 * reader where a whole copy of the registry lies (and a path can name a person). The lead who made
 * it was shown where; the entry is there for the auditor to ask them.
 */
function copiedEntry(destination: string, verified: Head): NewAuditEntry {
  return {
    kind: 'vault.copied',
    details: {
      to: isServerUrl(destination) ? 'server' : 'file',
      verifiedEntries: verified.size,
      verifiedRoot: toHex(verified.root),
    },
  };
}

/** The copy's own check found an edit made to the source after its verification (exit 2). */
function changedSinceVerified(
  session: VaultSession,
  destination: string,
  found: { where: string; problem: string },
): VaultError {
  return new VaultError(
    ErrorCode.INTEGRITY,
    `${session.db.location} changed after it was verified: in the copy, ${found.where} ${found.problem}. The copy was not kept; nothing was written to ${shown(destination)}. Someone with access to the vault file or the database wrote to it outside Custodian: run \`custodian audit verify\` on it, and tell Information Security.`,
  );
}

function changedMeanwhile(session: VaultSession, destination: string): VaultError {
  return new VaultError(
    ErrorCode.IN_USE,
    `${session.db.location} changed while it was being copied (other members are writing); nothing was written to ${shown(destination)}. Try again when the team is quieter.`,
  );
}

function shown(location: string): string {
  return isServerUrl(location) ? redactServerUrl(location) : location;
}

/** Refused before the verification's cost: the source itself, or a file that exists. */
function refuseUnusableDestination(session: VaultSession, destination: string): void {
  if (isServerUrl(destination)) {
    if (isServerUrl(session.path) && sameServerVault(session.path, destination)) {
      throw invalidInput(
        `${shown(destination)} is the vault being copied; nothing was written. Name an empty database.`,
      );
    }
    return;
  }
  if (!isServerUrl(session.path) && resolve(session.path) === resolve(destination)) {
    throw invalidInput(`${destination} is the vault being copied; nothing was written.`);
  }
  if (existsSync(destination)) {
    throw new VaultError(
      ErrorCode.EXISTS,
      `${destination} already exists; nothing was written, and it was left as it is. A copy never replaces a file: name a new file, or move that one aside first.`,
    );
  }
  if (!existsSync(dirname(resolve(destination)))) {
    throw invalidInput(
      `The folder ${dirname(destination)} does not exist; nothing was written. Create it or name another.`,
    );
  }
}

function sameServerVault(a: string, b: string): boolean {
  return redactServerUrl(a) === redactServerUrl(b);
}

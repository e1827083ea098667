import { rmSync } from 'node:fs';
import { openTeamKeyGrant, wrapTeamSecretKey, type VaultKeyGrant } from './store/key-wrap-codec.ts';
import { holdsTeamKey } from '../../shared/domain/roles.ts';
import { memberNameSchema } from '../../shared/domain/accounts.ts';
import { OpenFailed } from './crypto/aead.ts';
import { bytesEqual, toHex } from './crypto/hash.ts';
import { DEFAULT_KDF, kdfParamsSchema, kdfRefusal, type KdfParams } from './crypto/kdf.ts';
import { boxPublicKeyOf, newBoxKeyPair, type BoxKeyPair } from './crypto/keys.ts';
import { randomBytes, randomId } from './crypto/random.ts';
import { readySodium } from './crypto/sodium.ts';
import { memberName, memberRow, openMember, sealMember } from './domain/member-records.ts';
import { authFailed, integrityError, invalidInput, VaultError } from './errors.ts';
import { ErrorCode } from '../../shared/errors.ts';
import {
  headerMac,
  headerMacMatches,
  legacyReuseKey,
  memberNameTagUnder,
  nameBoundSlotKey,
  newMemberKeys,
  newVaultKey,
  openVaultKeys,
  sealSlotUnder,
  sealVaultKeys,
  signCertificate,
  vaultKeyCommitment,
  wipeMemberKeys,
  type MemberKeys,
  type SlotKeys,
  type VaultKeys,
} from './keyring.ts';
import { VaultSession, type Clock } from './session.ts';
import { asVaultError, type Db, type WritableDb } from './store/connection.ts';
import { openVault } from './store/open-vault.ts';
import { isServerUrl } from '../../shared/vault-location.ts';
import { removeServerVault } from './store/postgres/pg-schema.ts';
import {
  insertHeader,
  readHeader,
  setHeaderMac,
  setStateSince,
  type HeaderRow,
} from './store/header-store.ts';
import {
  FIRST_SCREEN_TABLES,
  REGISTRY_STATE_TABLES,
  STATE_TABLES,
  stateDigestStore,
  type StateTable,
} from './store/state-digest.ts';
import {
  checkDashboardSummaryAgainstRegistry,
  storedDashboardSummary,
} from './store/dashboard-summary.ts';
import { checkCommittedState, precomputeState } from './audit/state-check.ts';
import { recomputeWhatMoved } from './store/postgres/state-fingerprint.ts';
import { keepCheckingState } from './trust/keep-checking-state.ts';
import { auditStore } from './store/audit-store.ts';
import { migrate, POSTGRES_MIGRATIONS, SCHEMA_VERSION, schemaVersion } from './store/migrate.ts';
import { memberStore, ROLES_SEALED_FORMAT, type MemberRow } from './store/member-store.ts';
import { addDecoyTeamGrants, sealLegacyRoles } from './trust/role-sealing.ts';
import {
  acquireWriterLock,
  heartbeatAgeMs,
  noWriterLock,
  type LockInfo,
  type WriterLock,
} from './store/writer-lock.ts';
import {
  clearFailedUnlocks,
  clearServerFailedUnlocks,
  readFailedUnlocks,
  recordFailedUnlock,
} from './store/failed-unlocks.ts';
import { auditedTransaction } from './audit/log.ts';
import type { SecretBytes } from './crypto/secret-bytes.ts';
import { chainStore } from './store/chain-store.ts';
import { genesisFor } from './trust/genesis.ts';
import { catchUpKeys, startEpoch } from './trust/epoch.ts';
import { scrubFile } from './store/scrub-file.ts';
import { attachTrust, recordHead, recordStatement, trustedState } from './trust/session-trust.ts';
import { establishTrust, startSessionTrust, type UnlockTrust } from './trust/unlock-trust.ts';
import { vaultKeyStore } from './store/vault-key-store.ts';
import { readsOnly } from './readers.ts';
import { reuseLabelsSettled, settleReuseLabels } from './domain/reuse-relabel.ts';
import { checkNewPassphrase } from './domain/new-passphrase.ts';
import { keptCheckpointOf } from './audit/kept-checkpoint.ts';
import type { KeptCheckpointFolder } from './kept-checkpoints.ts';
import { fileTrailHead, storedFrontier, storedHead } from './store/trail-head.ts';
import {
  checkKeptHead,
  isRestore,
  keepCheckingHead,
  memberNamer,
  restoreDetails,
} from './trust/kept-head.ts';
import { findSlot, slotRow } from './slot-lookup.ts';
import { wipeAll } from './crypto/secret-bytes.ts';

export interface CreateVaultOptions {
  readonly founderName: string;
  readonly passphrase: string;
  readonly kdf?: KdfParams;
  readonly clock?: Clock;
  /** This workstation's kept checkpoints (ADR 0024): the new vault's first one is kept there. */
  readonly keptCheckpoints?: KeptCheckpointFolder;
}

export interface UnlockOptions {
  readonly memberName: string;
  readonly passphrase: string;
  readonly clock?: Clock;
  /** How long to wait for another process's writer lock before reporting "in use". */
  readonly lockWaitMs?: number;
  /**
   * Take over a lock left by another workstation that has been silent past the stated timeout
   * (issue 14, ADR 0025): a lead only, after the warning the refusal without it gave; audited.
   */
  readonly takeOverStaleLock?: boolean;
  /**
   * This workstation's kept checkpoints (issue 14, ADR 0024): the vault's head must extend the one
   * kept, at unlock and whenever another writer has committed. The router always gives it; only
   * tests of the core leave it out.
   */
  readonly keptCheckpoints?: KeptCheckpointFolder;
  /**
   * A lead restored a backup on purpose: an older (or other) history than was kept here is
   * accepted, recorded in the trail with the reason and both checkpoints, and then kept instead.
   */
  readonly acceptRestore?: { readonly reason: string };
  /**
   * The console (ADR 0027): check the small tables the first screen and the unlock's own write
   * read at once, and the registry's large tables before the session's next write and before the
   * router serves anything but the first screen. Only where the unlock's write reads nothing else;
   * an upgrade or a relabel checks everything first, as without it.
   */
  readonly deferStateCheck?: boolean;
}

/**
 * Create a vault: a random vault id, K_vault, the team key pair and a founding member with role
 * `lead`, whose certificate is self-signed. Returns the founder's unlocked session.
 */
export async function createVault(
  path: string,
  options: CreateVaultOptions,
): Promise<VaultSession> {
  await readySodium();
  const founderName = parseMemberName(options.founderName);
  checkNewPassphrase(options.passphrase, [founderName]);
  const refusal = kdfRefusal(options.kdf ?? DEFAULT_KDF);
  if (refusal) throw invalidInput(refusal);
  const kdf = kdfParamsSchema.parse(options.kdf ?? DEFAULT_KDF);
  const clock = options.clock ?? (() => new Date());
  const keys = newMemberKeys(newVaultKey());
  const team = newBoxKeyPair();
  const founderId = randomId();
  const vaultId = randomId();
  const now = clock().toISOString();
  // The founder's self-signed genesis statement roots the chain; their slot pins its key (ADR 0010).
  const genesis = genesisFor(
    vaultId,
    now,
    founderId,
    keys,
    team.publicKey,
    vaultKeyCommitment(keys),
    kdf,
  );
  const nameSalt = randomBytes(32);
  const slotKey = await nameBoundSlotKey(
    { nameSalt, name: founderName, passphrase: options.passphrase },
    kdf,
  );
  const slot = sealSlotUnder(
    slotKey.kek,
    founderId,
    keys,
    { ...slotKey, version: 1 },
    { root: keys.signing.publicKey, head: genesis.state.head },
  );

  // A server vault has no lock file: the log head row every write locks first replaces it.
  const server = isServerUrl(path);
  const lock = server ? noWriterLock(path) : await acquireWriterLock(path);
  let db: Db | undefined;
  try {
    db = openVault(path, { create: true });
    migrate(db);
    const header: HeaderRow = {
      vault_id: vaultId,
      created_at: now,
      founder_id: founderId,
      // Salts the name-bound slots' derivation (ADR 0022); alone, it confirms no name.
      name_salt: Buffer.from(nameSalt),
      default_kdf: JSON.stringify(kdf),
      team_public_key: Buffer.from(team.publicKey),
      team_generation: 1,
      mac: null,
      // Every checkpoint of a new vault commits to its state (ADR 0020).
      state_since: 1,
    };
    header.mac = Buffer.from(headerMac(keys.vault, header));
    const member = founderRow(header, founderId, founderName, keys);
    const founder = { memberId: founderId, signing: keys.signing };
    auditedTransaction(
      db,
      { vaultId, vaultKey: keys.vault, actor: founder },
      now,
      (database, audit) => {
        insertHeader(database, header);
        memberStore.insert(database, member);
        memberStore.upsertSlot(database, slotRow(founderId, slot));
        memberStore.upsertTeamGrant(database, {
          member_id: founderId,
          generation: 1,
          sealed_box: wrapTeamSecretKey(keys.box.publicKey, team.secretKey),
        });
        vaultKeyStore.upsert(database, {
          member_id: founderId,
          epoch: 1,
          sealed_box: sealVaultKeys(keys.box.publicKey, keys),
        });
        audit({
          kind: 'vault.created',
          details: { founder: founderName, role: 'lead', format: 1 },
        });
        chainStore.append(database, keys.vault, genesis.row);
        recordStatement({ audit }, genesis.row, genesis.statement);
      },
    );
    const session = new VaultSession({
      db,
      path,
      vaultId,
      member: { id: founderId, name: founderName, role: 'lead' },
      keys,
      team,
      lock,
      clock,
    });
    attachTrust(session, {
      root: keys.signing.publicKey,
      state: genesis.state,
      slot: slotKey,
    });
    if (options.keptCheckpoints) {
      // The vault's first checkpoint is this workstation's first kept one: no first use to trust.
      const head = storedHead(db)!;
      options.keptCheckpoints.keep(
        vaultId,
        keptCheckpointOf(vaultId, head, keys.signing.publicKey, now, storedFrontier(db)),
      );
      keepCheckingHead(session, options.keptCheckpoints);
    }
    keepCheckingState(session, (id) => genesis.state.members.get(id)?.signPublicKey);
    session.followKeysWith((held, heldTeam) => catchUpKeys(session, held, heldTeam));
    return session;
  } catch (error) {
    if (db && server) {
      // What this creation made in the (empty) database goes again: it holds nothing yet.
      removeServerVault(db, vaultId, POSTGRES_MIGRATIONS);
      db.close();
    } else if (db) {
      db.close();
      removeVaultFiles(path);
    }
    lock.release();
    slotKey.kek.wipe();
    wipeMemberKeys(keys);
    team.secretKey.wipe();
    throw error;
  }
}

/** A vault that failed half-way through creation is removed: it holds nothing yet. */
function removeVaultFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
}

function founderRow(
  header: HeaderRow,
  founderId: string,
  name: string,
  keys: MemberKeys,
): MemberRow {
  const certificate = signCertificate(keys.signing, {
    vault: header.vault_id,
    member: founderId,
    role: 'lead',
    boxPublicKey: keys.box.publicKey,
    signPublicKey: keys.signing.publicKey,
    certifiedBy: founderId,
    certifiedAt: header.created_at,
  });
  return memberRow(
    keys.vault,
    {
      id: founderId,
      name_tag: Buffer.from(memberNameTagUnder(keys.vault, name)),
      box_public_key: Buffer.from(keys.box.publicKey),
      sign_public_key: Buffer.from(keys.signing.publicKey),
      removed_at: null,
      version: 1,
    },
    {
      name,
      role: 'lead',
      certifiedBy: founderId,
      certifiedAt: header.created_at,
      certificate: toHex(certificate),
    },
  );
}

/**
 * Unlock as a named member. An unknown name and a wrong passphrase take the same path: one
 * Argon2id derivation and one failed open, then the same error. Nothing is written unless the
 * unlock succeeds, so a wrong passphrase leaves the file byte for byte as it was.
 */
export async function unlockVault(path: string, options: UnlockOptions): Promise<VaultSession> {
  await readySodium();
  const clock = options.clock ?? (() => new Date());
  const db = openVault(path, { create: false });
  let keys: MemberKeys | undefined;
  let kek: SecretBytes | undefined;
  let team: BoxKeyPair | undefined;
  let lock: WriterLock | undefined;
  try {
    const header = readHeader(db);
    if (!header) {
      throw new VaultError(
        ErrorCode.INTEGRITY,
        `${path} is not a Custodian vault, or its header is damaged; nothing was changed.`,
      );
    }
    // While Argon2id runs on its own thread, the state digests are recomputed from the rows on
    // this one (ADR 0020): the unlock costs the longer of the two, not their sum. A stranger's
    // name costs the same derivations and the same pass, so the time tells them nothing.
    const firstTables = options.deferStateCheck ? FIRST_SCREEN_TABLES : STATE_TABLES;
    const [found, precomputed] = await whileDeriving(
      findSlot(db, header, options.memberName, options.passphrase),
      () => precomputeState(db, firstTables),
    );
    const member = found ? memberStore.byId(db, found.memberId) : undefined;
    if (!found || !member || member.removed_at !== null) {
      found?.key.kek.wipe();
      if (found) wipeAll(found.opened.keys.box.secretKey, found.opened.keys.signing.secretKey);
      found?.opened.legacyVaultKey?.wipe();
      // A name-bound slot cannot say whose it would have been: the report names no one (ADR 0022).
      recordFailedUnlock(db, path, null, clock().toISOString());
      throw authFailed();
    }
    const opened = found.opened;
    kek = found.key.kek;
    const legacySlot = opened.legacyVaultKey !== undefined;
    const grant = vaultKeyStore.exists(db) ? vaultKeyStore.grant(db, member.id) : undefined;
    // K_vault by grant (from key epochs on, ADR 0019) or, in a vault from before them, the slot's.
    const vaultKeys = grant
      ? openVaultKeyGrant(member.id, opened.keys, grant.sealed_box)
      : legacyVaultKeys(member.id, opened.legacyVaultKey);
    if (grant) opened.legacyVaultKey?.wipe();
    keys = { ...opened.keys, ...vaultKeys };

    const headerSealed = checkHeaderMac(db, header, keys);
    const profile = openMember(keys.vault, member);
    // The role is the signed chain's, never the row's (issue 13, attack 11; ADR 0010).
    const trust = establishTrust(db, header, member, opened.trust, keys.vault);
    checkKeysBelongTo(member, keys, trust);
    checkVaultKey(member.id, trust, grant, keys);
    const role = trust.role;
    team = holdsTeamKey(role) ? openTeamKey(db, header, member.id, keys) : undefined;

    const vaultKey = keys.vault;
    // A server vault's writers take turns on its log head row (ADR 0014): no lock file.
    lock =
      db.dialect === 'postgres' || readsOnly(db, role, header, options)
        ? noWriterLock(path)
        : await acquireWriterLock(path, {
            waitMs: options.lockWaitMs ?? 0,
            member: member.id,
            nameOf: (id) => memberName({ db, keys: { vault: vaultKey } }, id),
            ...(options.takeOverStaleLock ? { takeOver: { byLead: role === 'lead' } } : {}),
          });
    // Rows deleted, restored or rolled back without a signing key stop the unlock here, before
    // anything is sealed to anyone (issue 13, attack 8; ADR 0020). Under the writer lock, so no
    // other session's write lands between the check and this one's.
    // `tables` beyond the first are the registry's, once its check has run before the write.
    const checkState = (tables: readonly StateTable[]) => {
      if (trust.kind !== 'chain') return;
      // On a server, the rows read are recorded with their fingerprint, so the session's later checks
      // read again only the tables that move (ADR 0034); this first one reads every row. On a file,
      // the rows read while the key was derived stand for as long as no other connection wrote.
      checkCommittedState(db, signerKeyIn(trust), precomputed, tables, recomputeWhatMoved);
    };
    checkState(firstTables);
    // A vault restored from an older copy, or a fork, stops here, before anything is written
    // (issue 14, ADR 0024); a head that extends the kept checkpoint is kept from now on.
    const headAtUnlock = options.keptCheckpoints
      ? checkKeptHead(
          fileTrailHead(db),
          {
            folder: options.keptCheckpoints,
            vaultId: header.vault_id,
            signerKey: trust.kind === 'chain' ? signerKeyIn(trust) : null,
            nameOf: memberNamer(db, keys.vault),
            now: () => clock().toISOString(),
          },
          { acceptRestore: options.acceptRestore !== undefined },
        )
      : undefined;
    const restore = isRestore(headAtUnlock) ? headAtUnlock : undefined;
    // Read out here: a closure that named `options` would keep the passphrase alive for as long
    // as the session (V8 keeps one context per scope; tests/attacks/keys-left-in-memory-after-lock).
    const restoreReason = options.acceptRestore?.reason ?? '';
    if (restore && trust.role !== 'lead') {
      throw new VaultError(
        ErrorCode.FORBIDDEN,
        `Not permitted: only a lead can accept a restored copy of the vault; you are ${trust.role}. Nothing was changed.`,
      );
    }
    const formatBefore = schemaVersion(db);
    migrate(db);
    const session = new VaultSession({
      db,
      path,
      vaultId: header.vault_id,
      member: { id: member.id, name: profile.name, role },
      keys,
      team,
      lock,
      clock,
    });
    if (options.keptCheckpoints) {
      keepCheckingHead(
        session,
        options.keptCheckpoints,
        trust.kind === 'chain' ? signerKeyIn(trust) : null,
      );
      if (headAtUnlock?.kind === 'first-use') markedFirstUse.add(session);
    }
    const failed = readFailedUnlocks(db, path);
    const slotKey = found.key;
    // The registry's own tables: checked now, before the unlock's write, unless that write reads
    // none of them (no upgrade, no re-seal, no relabel, a summary in place), when the check waits
    // for the session's next request (ADR 0027).
    // With them, the summary the first screen showed is made again from them, as `audit verify`
    // does: a member could have sealed a false one and signed the state around it (review of
    // ADR 0027). The key is the session's at the time: a key epoch may have replaced it.
    const registryCheck =
      trust.kind === 'chain' && options.deferStateCheck
        ? () => {
            checkCommittedState(
              db,
              signerKeyIn(trust),
              undefined,
              REGISTRY_STATE_TABLES,
              recomputeWhatMoved,
            );
            checkDashboardSummaryAgainstRegistry(db, session.keys.vault);
          }
        : undefined;
    // A summary not made from the registry's signed digests (an older row signed back into the
    // state by a member) stops the unlock here, naming it.
    const summary = storedDashboardSummary(db, keys.vault);
    const unlockReadsOnlyItsOwn =
      trust.kind === 'chain' &&
      formatBefore === SCHEMA_VERSION &&
      // Rows still in clear are sealed by this unlock's write, which then re-takes every digest
      // and signs them: the registry is checked first, or a member could launder an edit through
      // someone else's signature (found in review).
      memberStore.legacyRows(db).length === 0 &&
      !chainStore.hasLegacy(db) &&
      header.state_since != null &&
      trust.state.vaultKey !== undefined &&
      !legacySlot &&
      !found.upgraded &&
      summary !== undefined &&
      reuseLabelsSettled(db, keys.vault, team !== undefined);
    const registryCheckedNow = registryCheck !== undefined && !unlockReadsOnlyItsOwn;
    if (registryCheckedNow) registryCheck();
    session.write((context) => {
      const { audit } = context;
      // The same check again, now that this write holds the writer's lock (the file's transaction,
      // the server's log head): an insider who edited the vault since the check above (sqlite3,
      // psql) would otherwise have this write's checkpoint sign a state nobody checked under it.
      // On a file it reads the rows again only if another connection wrote meanwhile.
      checkState(registryCheckedNow ? STATE_TABLES : firstTables);
      // Roles and certificates still in clear (a vault from before format 9) are sealed first,
      // before anything else reads or writes a members row (ADR 0028).
      const sealedRoles = sealLegacyRoles(context.db, keys!.vault);
      // The first unlock after the upgrade to format 7 makes the vault's first state commitment.
      if (stateDigestStore.exists(db) && readHeader(db)?.state_since == null) {
        beginStateCommitment(context.db, keys!.vault);
      } else if (
        (formatBefore < ROLES_SEALED_FORMAT || sealedRoles) &&
        stateDigestStore.exists(db)
      ) {
        // Migrations 008 and 009 rebuilt key_slots, members and membership_chain from rows this
        // unlock has just checked against the signed state (and 009's rows were sealed just now):
        // the digests are taken again from them, and this write's checkpoint signs them.
        stateDigestStore.replaceAll(context.db, stateDigestStore.recompute(context.db));
      }
      // Member rows found by a tag under the clear name salt get one under K_vault (ADR 0022).
      if (formatBefore < NAME_BOUND_FORMAT) retagMembers(context.db, keys!.vault);
      // On the server, the attempts go from their table in this same transaction.
      clearServerFailedUnlocks(context.db, failed.length);
      for (const attempt of failed) {
        audit({
          kind: 'session.unlock-failed',
          // A report, not a fact: nothing authenticates the side file's lines (ADR 0009).
          details:
            attempt === 'unreadable'
              ? { unauthenticated: true, recorded: 'an unreadable line in the failed-unlock file' }
              : {
                  unauthenticated: true,
                  attemptedAt: attempt.at,
                  host: attempt.host,
                  pid: attempt.pid,
                  member: attempt.member,
                },
        });
      }
      // A vault from before format 4 gets its header MAC now, from the header as it stands.
      if (!headerSealed) setHeaderMac(context.db, headerMac(keys!.vault, header));
      startSessionTrust(session, context, trust, header, slotKey);
      if (sealedRoles) addDecoyTeamGrants(session, context.db);
      // The clear roles and statements are gone from the rows; VACUUM takes them from the file.
      let rebuildFile = sealedRoles;
      if (!trustedState(session, db).vaultKey) {
        // The first unlock after the upgrade to key epochs: everything moves to a new K_vault,
        // and the file is rebuilt, since its free pages predate secure_delete (ADR 0019).
        startEpoch(session, context, 'upgraded-to-key-epochs');
        rebuildFile = true;
      }
      if (rebuildFile) session.onWriteEnd({ commit: () => scrubFile(db, { vacuum: true }) });
      // A slot from before format 6 still holds an old K_vault, and one from before format 8 is
      // salted: either is sealed again, name-bound and in the binary form.
      if (legacySlot || found.upgraded) recordHead(session, context.db);
      settleReuseLabels(session, context);
      const previous = lock?.tookOverFrom;
      if (previous) {
        // Who was shut out, and how long they had been silent: the trail says the lead did it.
        audit({
          kind: 'session.lock-taken-over',
          // The lead and the moment are vouched for by the entry itself; who held the lock is
          // only what its file said, and anyone who can write the folder can write that file.
          details: {
            claimedBy:
              'the lock file (unauthenticated: anyone who can write the vault folder can write it)',
            host: previous.host,
            pid: previous.pid,
            member: previous.member ?? null,
            since: previous.since,
            heartbeat: previous.heartbeat ?? null,
            silentForSeconds: silentForSeconds(previous),
          },
        });
      }
      // Never silently: the restore, its reason and both checkpoints go in the trail first.
      if (restore) {
        audit({
          kind: 'vault.restore-accepted',
          details: restoreDetails(restore, restoreReason),
        });
      }
      audit({ kind: 'session.unlocked', details: { role } });
    });
    if (restore && options.keptCheckpoints) {
      // Only now, with the restore in the trail, is the kept checkpoint set back to this history.
      const head = storedHead(db)!;
      const kept = keptCheckpointOf(
        header.vault_id,
        head,
        keys.signing.publicKey,
        clock().toISOString(),
        storedFrontier(db),
      );
      options.keptCheckpoints.replace(header.vault_id, kept);
      acceptedRestores.set(session, {
        keptSize: restore.kept?.size ?? 0,
        shownSize: restore.head?.size ?? 0,
      });
    }
    if (registryCheck && unlockReadsOnlyItsOwn) session.deferStateCheck(registryCheck);
    // The rows are checked again from here on: a server's on every catch-up (ADR 0031), a file's
    // whenever another connection wrote to it (an insider's sqlite3 included).
    if (trust.kind === 'chain') keepCheckingState(session, signerKeyIn(trust));
    session.followKeysWith((held, heldTeam) => catchUpKeys(session, held, heldTeam));
    // Only once the attempts are in the signed trail is their side file removed.
    if (failed.length > 0) clearFailedUnlocks(db, path);
    return session;
  } catch (error) {
    if (keys) wipeMemberKeys(keys);
    kek?.wipe();
    team?.secretKey.wipe();
    lock?.release();
    db.close();
    // A damaged page surfaces as SQLite's "malformed": say what it means for a vault.
    throw asVaultError(error);
  }
}

/**
 * Sessions whose unlock found no checkpoint kept for the vault on this workstation, and so trusted
 * it as it stood (first use): the router says so, once, to the person unlocking.
 */
const markedFirstUse = new WeakSet<VaultSession>();

export function trustedOnFirstUse(session: VaultSession): boolean {
  return markedFirstUse.has(session);
}

/** Sessions whose unlock accepted a restored copy (recorded in the trail, kept checkpoint reset). */
const acceptedRestores = new WeakMap<VaultSession, { keptSize: number; shownSize: number }>();

export function acceptedRestore(
  session: VaultSession,
): { keptSize: number; shownSize: number } | null {
  return acceptedRestores.get(session) ?? null;
}

/** A current member's signing key as the validated chain holds it: a removed one signs nothing after. */
function signerKeyIn(trust: UnlockTrust & { kind: 'chain' }) {
  return (memberId: string): Uint8Array | undefined =>
    trust.state.members.get(memberId)?.signPublicKey;
}

/**
 * From the next checkpoint on, every one commits to the state (ADR 0020): the digests are computed
 * from the rows as they stand, which this member has just checked against the chain, and the header
 * records where the commitments begin, under its MAC.
 */
function beginStateCommitment(db: WritableDb, vaultKey: SecretBytes): void {
  const since = auditStore.lastSeq(db) + 1;
  setStateSince(db, since, headerMac(vaultKey, { ...readHeader(db)!, state_since: since }));
  stateDigestStore.replaceAll(db, stateDigestStore.recompute(db));
}

/**
 * Run `work` on this thread while `deriving` (the key derivation, on a worker thread) runs, and
 * give both results. If `work` throws, the derivation is still awaited, so nothing is left running.
 */
async function whileDeriving<T, U>(deriving: Promise<T>, work: () => U): Promise<[T, U]> {
  let done: U;
  try {
    done = work();
  } catch (error) {
    await deriving.catch(() => undefined);
    throw error;
  }
  return [await deriving, done];
}

/** The format (migration 008) from which slots are name-bound and member tags under K_vault. */
const NAME_BOUND_FORMAT = 8;

/**
 * At the first unlock after migration 008: give every current member row the name tag under
 * K_vault in place of the one under the clear name salt, sealed again to bind it. Members are few.
 */
function retagMembers(db: WritableDb, vaultKey: SecretBytes): void {
  for (const row of memberStore.all(db)) {
    if (row.name_tag === null) continue;
    const profile = openMember(vaultKey, row);
    const tag = Buffer.from(memberNameTagUnder(vaultKey, profile.name));
    if (bytesEqual(tag, row.name_tag)) continue;
    const next = { ...row, name_tag: tag, version: row.version + 1 };
    memberStore.retag(db, { ...next, sealed: sealMember(vaultKey, next, profile) });
  }
}

/** The format (migration 004) from which the header carries a MAC. */
const HEADER_MAC_FORMAT = 4;

/**
 * False for a vault from before format 4 (no MAC yet: this unlock adds it after migrating);
 * throws if the MAC is missing or differs. Lowering the format number to dodge this fails the
 * schema check on open, since the file then has a column its claimed format lacks.
 */
function checkHeaderMac(db: Db, header: HeaderRow, keys: MemberKeys): boolean {
  if (schemaVersion(db) < HEADER_MAC_FORMAT) return false;
  if (!headerMacMatches(keys.vault, header)) throw integrityError('vault_header');
  return true;
}

/**
 * The slot's key pairs must be the member's as the chain holds them (the X25519 key changes at a
 * passphrase change, ADR 0019), or, before the chain exists, as their row holds them.
 */
function checkKeysBelongTo(member: MemberRow, keys: MemberKeys, trust: UnlockTrust): void {
  const held = trust.kind === 'chain' ? trust.state.members.get(member.id) : undefined;
  const box = held ? held.boxPublicKey : member.box_public_key;
  const sign = held ? held.signPublicKey : member.sign_public_key;
  if (!bytesEqual(keys.box.publicKey, box) || !bytesEqual(keys.signing.publicKey, sign)) {
    throw integrityError(`members row ${member.id}`, 'does not match its key slot');
  }
}

/** Open the member's grant of the current epoch's K_vault (sealed to their X25519 key). */
function openVaultKeyGrant(memberId: string, keys: SlotKeys, sealedBox: VaultKeyGrant): VaultKeys {
  try {
    return openVaultKeys(keys.box, sealedBox);
  } catch (error) {
    if (error instanceof OpenFailed) throw integrityError(`vault_key_grants row ${memberId}`);
    throw error;
  }
}

/** A vault from before key epochs: the K_vault the member's slot holds, and its reuse key. */
function legacyVaultKeys(memberId: string, vaultKey: SecretBytes | undefined): VaultKeys {
  if (!vaultKey) throw integrityError(`vault_key_grants row ${memberId}`, 'is missing');
  return { vault: vaultKey, reuse: legacyReuseKey(vaultKey) };
}

/**
 * Anyone can seal a key to a member's public key, so a grant proves nothing by opening: its keys
 * must be the ones the chain's current epoch commits to. Before the vault's first epoch, K_vault
 * must have come from the member's own slot, which only their passphrase opens.
 */
function checkVaultKey(
  memberId: string,
  trust: UnlockTrust,
  grant: { epoch: number } | undefined,
  keys: VaultKeys,
): void {
  const epoch = trust.kind === 'chain' ? trust.state.vaultKey : undefined;
  const where = `vault_key_grants row ${memberId}`;
  if (!epoch) {
    if (grant) throw integrityError(where, 'exists before the vault has a key epoch');
    return;
  }
  if (!grant) throw integrityError(where, 'is missing');
  if (grant.epoch !== epoch.epoch || !bytesEqual(vaultKeyCommitment(keys), epoch.commitment)) {
    throw integrityError(where, "is not the signed membership chain's current key epoch");
  }
}

/** Unwrap the team key and check it is the vault's current one (a swapped grant is caught here). */
export function openTeamKey(
  db: Db,
  header: HeaderRow,
  memberId: string,
  keys: MemberKeys,
): BoxKeyPair {
  const grant = memberStore.teamGrant(db, memberId);
  if (grant?.generation !== header.team_generation) {
    throw integrityError(`team_key_grants row ${memberId}`, 'is missing or out of date');
  }
  let secretKey;
  try {
    secretKey = openTeamKeyGrant(keys.box, grant.sealed_box);
  } catch (error) {
    if (error instanceof OpenFailed) throw integrityError(`team_key_grants row ${memberId}`);
    throw error;
  }
  const publicKey = boxPublicKeyOf(secretKey);
  if (!bytesEqual(publicKey, header.team_public_key)) {
    secretKey.wipe();
    throw integrityError(`team_key_grants row ${memberId}`, 'does not hold the vault team key');
  }
  return { publicKey, secretKey };
}

export function parseMemberName(name: string): string {
  const parsed = memberNameSchema.safeParse(name);
  if (!parsed.success)
    throw invalidInput(`Member name: ${parsed.error.issues[0]?.message ?? 'invalid'}.`);
  return parsed.data;
}

/** How long a taken-over lock had been silent, in whole seconds; null when there was no telling. */
function silentForSeconds(previous: LockInfo): number | null {
  const age = heartbeatAgeMs(previous);
  return Number.isFinite(age) ? Math.round(age / 1000) : null;
}

import { accountLabel, accountRecordSchema } from '../../../shared/domain/accounts.ts';
import { openTeamKeyGrant } from '../store/key-wrap-codec.ts';
import { accountLookupTag } from '../crypto/fingerprint.ts';
import { ErrorCode } from '../../../shared/errors.ts';
import { OpenFailed } from '../crypto/aead.ts';
import { bytesEqual, fromUtf8, toHex } from '../crypto/hash.ts';
import { boxPublicKeyOf, type BoxKeyPair } from '../crypto/keys.ts';
import { wipeAll, type SecretBytes } from '../crypto/secret-bytes.ts';
import { integrityError, VaultError } from '../errors.ts';
import {
  headerMac,
  memberNameTagUnder,
  newVaultKey,
  openVaultKeys,
  sealVaultKeys,
  vaultKeyCommitment,
  type MemberKeys,
  type VaultKeys,
} from '../keyring.ts';
import type { KeyUpdate, VaultSession, WriteContext } from '../session.ts';
import { memberProfileSchema } from '../store/member-profile.ts';
import { memberStore } from '../store/member-store.ts';
import type { Db } from '../store/connection.ts';
import { scrubFile } from '../store/scrub-file.ts';
import { readHeader, setHeaderMac } from '../store/header-store.ts';
import { resealVaultRows, type KeyedColumn } from '../store/reseal.ts';
import { vaultKeyStore } from '../store/vault-key-store.ts';
import { chainStore } from '../store/chain-store.ts';
import { appendStatement, trustedState } from './session-trust.ts';

/** Why an epoch starts, for the trail. */
export type EpochCause = 'member-removed' | 'passphrase-changed' | 'upgraded-to-key-epochs';

/** The accounts' lookup tag is keyed by K_vault: re-keyed with the row it belongs to. */
const accountLookupColumn: KeyedColumn = {
  table: 'accounts',
  column: 'handle_tag',
  value: (plaintext, key) => {
    const record = accountRecordSchema.parse(JSON.parse(fromUtf8(plaintext)));
    return Buffer.from(accountLookupTag(key, accountLabel(record)));
  },
};

/** The members rows' name tag is keyed by K_vault too (ADR 0022); a removed member's stays empty. */
const memberNameColumn: KeyedColumn = {
  table: 'members',
  column: 'name_tag',
  value: (plaintext, key, row) =>
    row['name_tag'] === null
      ? null
      : Buffer.from(
          memberNameTagUnder(key, memberProfileSchema.parse(JSON.parse(fromUtf8(plaintext))).name),
        ),
};

/**
 * Start a new key epoch inside the caller's write (ADR 0019): a new K_vault, every K_vault row
 * re-sealed under it (and the accounts' lookup tags re-keyed), the header MAC made under it, a
 * signed `vault-key.rotated` statement committing to it, and one grant of it to each current
 * member of the chain, sealed to their X25519 key. From here on the session writes under it; a
 * removed member, or whoever holds an old passphrase, opens nothing written from now on.
 * After the write commits, the WAL is checkpointed and truncated, so no copy of an old page
 * (an old slot, rows under the old key) stays in the -wal file; `secure_delete` (connection.ts)
 * has already zeroed what was deleted from the pages themselves.
 */
export function startEpoch(session: VaultSession, context: WriteContext, cause: EpochCause): void {
  const { db } = context;
  const previous = session.keys;
  const next: VaultKeys = { vault: newVaultKey(), reuse: previous.reuse };
  let rows: number;
  try {
    rows = resealVaultRows(
      db,
      previous.vault,
      next.vault,
      [accountLookupColumn, memberNameColumn],
      (table, id) => integrityError(`${table} row ${id}`),
    );
    setHeaderMac(db, headerMac(next.vault, readHeader(db)!));
  } catch (error) {
    next.vault.wipe();
    throw error;
  }
  session.replaceKeysInWrite({ vault: next.vault });
  const epoch = (trustedState(session, db).vaultKey?.epoch ?? 0) + 1;
  appendStatement(session, context, {
    kind: 'vault-key.rotated',
    epoch,
    vaultKeyCommitment: toHex(vaultKeyCommitment(next)),
  });
  grantVaultKeys(session, db, epoch, next);
  context.audit({ kind: 'vault-key.rotated', details: { epoch, cause, rowsResealed: rows } });
  session.onWriteEnd({ commit: () => scrubFile(db) });
}

/** The epoch's keys to every current member of the chain, with the chain's X25519 keys. */
function grantVaultKeys(session: VaultSession, db: Db, epoch: number, keys: VaultKeys): void {
  vaultKeyStore.deleteAll(db);
  for (const member of trustedState(session, db).members.values()) {
    vaultKeyStore.upsert(db, {
      member_id: member.id,
      epoch,
      sealed_box: sealVaultKeys(member.boxPublicKey, keys),
    });
  }
}

/** A new member's grant of the current epoch's keys (inside the write that adds them). */
export function grantVaultKeysTo(
  session: VaultSession,
  db: Db,
  memberId: string,
  boxPublicKey: Uint8Array,
): void {
  const epoch = trustedState(session, db).vaultKey?.epoch;
  if (epoch === undefined) throw integrityError('membership_chain', 'records no key epoch');
  vaultKeyStore.upsert(db, {
    member_id: memberId,
    epoch,
    sealed_box: sealVaultKeys(boxPublicKey, session.keys),
  });
}

/**
 * What a session does when another connection's commit moved the chain (ADR 0019): a new key
 * epoch's K_vault from the member's grant, a new team key from their team grant, each checked
 * against the signed chain (its commitment, its public key) before the session uses it. A member
 * the chain no longer holds is refused: someone removed them while their session was open.
 */
export function catchUpKeys(
  session: VaultSession,
  keys: MemberKeys,
  team: BoxKeyPair | undefined,
): KeyUpdate {
  const { db } = session;
  const where = `vault_key_grants row ${session.member.id}`;
  // Another session's key epoch re-sealed the chain (with every K_vault row) under a K_vault this
  // one does not hold yet: read it with the one the member's grant now holds. Opening proves
  // nothing; the statements' signatures and the epoch's commitment, checked below, do.
  let granted: VaultKeys | undefined;
  if (!chainStore.lastOpensWith(db, keys.vault)) {
    const grant = vaultKeyStore.grant(db, session.member.id);
    // A removed member's grant is withheld from the new epoch: they cannot even read the chain.
    if (!grant) throw noLongerMember();
    granted = openOrIntegrity(where, () => openVaultKeys(keys.box, grant.sealed_box));
  }
  let state;
  try {
    state = trustedState(session, db, granted?.vault ?? keys.vault);
  } catch (error) {
    if (granted) wipeAll(granted.vault, granted.reuse);
    throw error;
  }
  if (!state.members.has(session.member.id)) {
    if (granted) wipeAll(granted.vault, granted.reuse);
    throw noLongerMember();
  }
  const update: { vault?: SecretBytes; team?: BoxKeyPair } = {};
  const epoch = state.vaultKey;
  if (epoch && !bytesEqual(vaultKeyCommitment(keys), epoch.commitment)) {
    const grant = vaultKeyStore.grant(db, session.member.id);
    if (grant?.epoch !== epoch.epoch) {
      if (granted) wipeAll(granted.vault, granted.reuse);
      throw integrityError(where, 'is missing or out of date');
    }
    const opened =
      granted ?? openOrIntegrity(where, () => openVaultKeys(keys.box, grant.sealed_box));
    if (!bytesEqual(vaultKeyCommitment(opened), epoch.commitment)) {
      wipeAll(opened.vault, opened.reuse);
      throw integrityError(where, "is not the signed membership chain's current key epoch");
    }
    opened.reuse.wipe();
    update.vault = opened.vault;
  } else if (granted) {
    // The chain opened under the grant's key, yet the epoch is the one this session holds.
    wipeAll(granted.vault, granted.reuse);
    throw integrityError('membership_chain', 'is sealed under a key that is not the current epoch');
  }
  if (team && !bytesEqual(team.publicKey, state.team.publicKey)) {
    const where = `team_key_grants row ${session.member.id}`;
    const grant = memberStore.teamGrant(db, session.member.id);
    if (grant?.generation !== state.team.generation) {
      throw integrityError(where, 'is missing or out of date');
    }
    const secretKey = openOrIntegrity(where, () => openTeamKeyGrant(keys.box, grant.sealed_box));
    if (!bytesEqual(boxPublicKeyOf(secretKey), state.team.publicKey)) {
      secretKey.wipe();
      throw integrityError(where, 'does not hold the team key the chain names');
    }
    update.team = { publicKey: state.team.publicKey, secretKey };
  }
  return update;
}

const noLongerMember = () =>
  new VaultError(
    ErrorCode.FORBIDDEN,
    'You are no longer a member of this vault: a lead removed you while it was open. Lock it; nothing was changed.',
  );

function openOrIntegrity<T>(where: string, openIt: () => T): T {
  try {
    return openIt();
  } catch (error) {
    if (error instanceof OpenFailed) throw integrityError(where);
    throw error;
  }
}

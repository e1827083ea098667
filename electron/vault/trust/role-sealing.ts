import { decoyTeamGrant } from '../store/key-wrap-codec.ts';
import type { SecretBytes } from '../crypto/secret-bytes.ts';
import { openMember, sealMember } from '../domain/member-records.ts';
import type { VaultSession } from '../session.ts';
import { chainStore } from '../store/chain-store.ts';
import type { WritableDb } from '../store/connection.ts';
import { readHeader } from '../store/header-store.ts';
import { memberStore } from '../store/member-store.ts';
import { trustedState } from './session-trust.ts';
import { VaultError } from '../errors.ts';
import { ErrorCode } from '../../../shared/errors.ts';

/**
 * At the first unlock after migration 009 (ADR 0028), inside its write and before anything else
 * touches a members row: every row's role and certificate, still in the legacy clear columns, go
 * into its sealed blob, and every chain statement with its signature into a sealed blob of its
 * own; the clear copies are emptied. Nothing changes meaning (the same statements, signatures
 * and certificates), so the chain validates as before. Returns whether anything was sealed, so
 * the caller takes the state digests again and scrubs the old text from the file.
 */
export function sealLegacyRoles(db: WritableDb, vaultKey: SecretBytes): boolean {
  let sealed = 0;
  for (const row of memberStore.legacyRows(db)) {
    let profile;
    try {
      profile = openMember(vaultKey, row);
    } catch (error) {
      // Not a row this K_vault sealed (one restored from an old copy, say): not this unlock's to
      // seal; left as it is, it decides nothing, and `audit verify` names it.
      if (error instanceof VaultError && error.code === ErrorCode.INTEGRITY) continue;
      throw error;
    }
    const next = {
      ...row,
      legacy_role: null,
      legacy_certified_by: null,
      legacy_certified_at: null,
      legacy_certificate: null,
      version: row.version + 1,
    };
    memberStore.sealLegacy(db, { ...next, sealed: sealMember(vaultKey, next, profile) });
    sealed += 1;
  }
  const statements = chainStore.sealLegacy(db, vaultKey);
  return sealed + statements > 0;
}

/**
 * A vault from before format 9 has team_key_grants rows only for lead and dmt members: each
 * other current member of the chain gets a decoy of the same length (key-wrap-codec.ts), so the
 * rows no longer tell which members hold the team key. Inside the same unlock's write.
 */
export function addDecoyTeamGrants(session: VaultSession, db: WritableDb): void {
  const generation = readHeader(db)!.team_generation;
  for (const member of trustedState(session, db).members.values()) {
    if (memberStore.teamGrant(db, member.id)) continue;
    memberStore.upsertTeamGrant(db, {
      member_id: member.id,
      generation,
      sealed_box: decoyTeamGrant(member.boxPublicKey),
    });
  }
}

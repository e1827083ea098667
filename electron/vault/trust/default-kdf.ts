import {
  DEFAULT_KDF,
  raisedByUnsignedDefault,
  strongerKdf,
  type KdfParams,
} from '../crypto/kdf-params.ts';
import { headerMac, storedKdf } from '../keyring.ts';
import type { VaultSession, WriteContext } from '../session.ts';
import { readHeader, setDefaultKdf, type HeaderRow } from '../store/header-store.ts';
import type { TrustState } from './chain.ts';
import { appendStatement, ownSlotKdf, trustedState } from './session-trust.ts';

/**
 * The vault's default key derivation for new key slots (ADR 0030). The header holds a copy under
 * a MAC every member can make (K_vault), so it is used only when it is what a lead signed in the
 * membership chain; otherwise it is not used at all and new slots take the stronger of the app's
 * default and the value a lead last signed (issue 13, attack 10). `signed` says which.
 */
export interface VaultDefaultKdf {
  readonly kdf: KdfParams;
  readonly signed: boolean;
}

/** Two parameter sets are the same setting (both Argon2id; the header keeps JSON, the chain an object). */
export function sameKdf(a: KdfParams, b: KdfParams): boolean {
  return a.memoryKiB === b.memoryKiB && a.passes === b.passes && a.parallelism === b.parallelism;
}

/** The default as the chain and the header agree on it, or the fallback (see VaultDefaultKdf). */
export function vaultDefaultKdf(state: TrustState, header: HeaderRow): VaultDefaultKdf {
  // Read through the floor and the ceiling first: a header below the floor is an edit, refused.
  const inHeader = storedKdf(header.default_kdf, 'vault_header');
  const signed = state.defaultKdf;
  if (signed && sameKdf(signed, inHeader)) return { kdf: signed, signed: true };
  return { kdf: strongerKdf(DEFAULT_KDF, signed ?? DEFAULT_KDF), signed: false };
}

/**
 * What a slot made now for someone else (a new member) takes: the vault's default, and never
 * less than the acting member's own slot, whose parameters their passphrase proved at unlock.
 */
export function kdfForNewSlot(session: VaultSession): KdfParams {
  const header = readHeader(session.db)!;
  return strongerKdf(vaultDefaultKdf(trustedState(session), header).kdf, ownSlotKdf(session));
}

/**
 * Inside a lead's unlock write, for a chain from before ADR 0030 (no signed default): the lead
 * signs the header's default, raised to their own slot's where it is weaker (a member may have
 * lowered the header within the floor before any lead signed it) and held to the stronger of the
 * app's default and their own slot's where it is above that (a member may as well have raised it
 * to the ceiling, so that every later slot pays it: raisedByUnsignedDefault), and the header is
 * set to what was signed. Members of other roles leave it for a lead; until then new slots take the fallback.
 * Returns whether it signed (and so recorded the new chain head in the lead's slot).
 */
export function signDefaultKdfIfUnsigned(session: VaultSession, context: WriteContext): boolean {
  if (session.member.role !== 'lead') return false;
  const state = trustedState(session, context.db);
  if (state.defaultKdf) return false;
  const header = readHeader(context.db)!;
  const own = ownSlotKdf(session);
  signDefaultKdf(session, context, raisedByUnsignedDefault(own, headerKdfOr(header, own)));
  return true;
}

/**
 * Sign `kdf` as the vault's default for new slots (a `kdf-default.set` statement; the chain lets
 * only a lead make it) and set the header's copy to it, re-MACed, in the caller's write.
 */
export function signDefaultKdf(session: VaultSession, context: WriteContext, kdf: KdfParams): void {
  appendStatement(session, context, { kind: 'kdf-default.set', defaultKdf: kdf });
  const header = readHeader(context.db)!;
  const json = JSON.stringify(kdf);
  if (json !== header.default_kdf) {
    setDefaultKdf(
      context.db,
      json,
      headerMac(session.keys.vault, { ...header, default_kdf: json }),
    );
  }
}

/** The header's default, or `otherwise` if it is unreadable or outside the floor and ceiling. */
function headerKdfOr(header: HeaderRow, otherwise: KdfParams): KdfParams {
  try {
    return storedKdf(header.default_kdf, 'vault_header');
  } catch {
    // An edited header must not stop a lead's unlock: what is signed is their own slot's.
    return otherwise;
  }
}

import { openSealed, sealTo, type BoxKeyPair } from '../crypto/keys.ts';
import type { SecretBytes } from '../crypto/secret-bytes.ts';
import { randomBytes } from '../crypto/random.ts';

/**
 * The key-wrap tables' one codec (issue 12 item 4): a key sealed to one public key with
 * libsodium's sealed box, as `account_key_wraps.sealed_box` (an account key, to the team key or an
 * administrator), `team_key_grants.sealed_box` (the team secret key, to a lead or dmt member) and
 * `vault_key_grants.sealed_box` (the epoch's K_vault, through keyring.ts) hold it.
 *
 * A sealed box has no associated data: anyone may seal to a public key, so a wrap proves nothing
 * of who wrote it. What makes one trusted is elsewhere: the signed chain says who may hold which
 * key (trust/), the key id in the row names the key (a wrap opened for another account opens a
 * key its credential refuses), and a vault-key grant must match the chain's commitment. The type
 * says which key a blob holds, so an account key's wrap cannot be written where a team-key grant
 * goes, nor opened as one, without the compiler saying so.
 */
declare const wrapOf: unique symbol;
export type WrappedKey<Kind extends WrappedKeyKind> = Buffer & { readonly [wrapOf]: Kind };
export type WrappedKeyKind = 'account-key' | 'team-secret-key' | 'vault-keys';

export type AccountKeyWrap = WrappedKey<'account-key'>;
export type TeamKeyGrant = WrappedKey<'team-secret-key'>;
export type VaultKeyGrant = WrappedKey<'vault-keys'>;

function wrap<Kind extends WrappedKeyKind>(
  recipientPublicKey: Uint8Array,
  plaintext: Uint8Array,
): WrappedKey<Kind> {
  const sealed = sealTo(recipientPublicKey, plaintext);
  return Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength) as WrappedKey<Kind>;
}

/** An account key sealed to the team's or an administrator's X25519 public key. */
export function wrapAccountKey(recipientPublicKey: Uint8Array, key: SecretBytes): AccountKeyWrap {
  return wrap(recipientPublicKey, key.reveal());
}

/** The team secret key sealed to a lead's or dmt member's X25519 public key. */
export function wrapTeamSecretKey(recipientPublicKey: Uint8Array, key: SecretBytes): TeamKeyGrant {
  return wrap(recipientPublicKey, key.reveal());
}

/**
 * A team_key_grants row for a member whose role holds no team key (admin, security): 32 random
 * bytes sealed to them, the length of a real grant. Every member has a row, so which members
 * hold the team key (and so which are lead or dmt) is not read off the file (ADR 0028). Nothing
 * opens it: the team key is opened only for a role the signed chain says holds it.
 */
export function decoyTeamGrant(recipientPublicKey: Uint8Array): TeamKeyGrant {
  const filler = randomBytes(32);
  try {
    return wrap(recipientPublicKey, filler);
  } finally {
    filler.fill(0);
  }
}

/** An epoch's keys (keyring.ts lays them out) sealed to a member's X25519 public key. */
export function wrapVaultKeys(recipientPublicKey: Uint8Array, keys: Uint8Array): VaultKeyGrant {
  return wrap(recipientPublicKey, keys);
}

/**
 * Opening, one function a kind: each takes only its own kind of wrap. Each throws OpenFailed
 * (crypto/aead.ts) if the wrap was sealed to another key pair or is damaged; the caller wipes
 * what it returns.
 */
export function openAccountKeyWrap(pair: BoxKeyPair, wrapped: AccountKeyWrap): SecretBytes {
  return openSealed(pair, wrapped);
}

export function openTeamKeyGrant(pair: BoxKeyPair, wrapped: TeamKeyGrant): SecretBytes {
  return openSealed(pair, wrapped);
}

export function openVaultKeyGrant(pair: BoxKeyPair, wrapped: VaultKeyGrant): SecretBytes {
  return openSealed(pair, wrapped);
}

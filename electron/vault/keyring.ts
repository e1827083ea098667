import { z } from 'zod';
import { canonicalJson } from './canonical-json.ts';
import { newSymmetricKey, open, OpenFailed, seal } from './crypto/aead.ts';
import { bytesEqual, hmacSha256, hmacSha256Key, sha256, toHex, utf8 } from './crypto/hash.ts';
import {
  deriveKek,
  KDF_CEILING_TEXT,
  kdfParamsSchema,
  type KdfParams,
  type PassphraseInput,
} from './crypto/kdf.ts';
import { integrityError } from './errors.ts';
import {
  boxPublicKeyOf,
  newBoxKeyPair,
  newSigningKeyPair,
  signingPublicKeyOf,
  type BoxKeyPair,
  type SigningKeyPair,
} from './crypto/keys.ts';
import { SecretBytes, wipeAll } from './crypto/secret-bytes.ts';
import { sodium } from './crypto/sodium.ts';
import { openVaultKeyGrant, wrapVaultKeys, type VaultKeyGrant } from './store/key-wrap-codec.ts';
import { associatedData } from './store/sealed-row.ts';

// Certificates moved to their own module so the offline verifier can check them without the
// keyring; re-exported for the code that already imports them from here.
export {
  certificateBytes,
  certificateValid,
  signCertificate,
  type CertificateBody,
} from './member-certificate.ts';
/**
 * The key hierarchy (DESIGN.md "Keys"; ADR 0019): a member's passphrase opens their slot, which
 * holds their X25519 and Ed25519 secret keys. K_vault (the current key epoch's) and the reuse
 * key reach a member sealed to their X25519 public key (`vault_key_grants`), as the team key
 * (lead/dmt) and account keys do, so a new epoch can give every current member the new K_vault
 * without their passphrases, and withhold it from a leaver.
 */
export interface MemberKeys {
  readonly box: BoxKeyPair;
  readonly signing: SigningKeyPair;
  /** The current epoch's K_vault: seals metadata and audit details. */
  readonly vault: SecretBytes;
  /**
   * Once the key of the reuse fingerprint. Reuse labels are now keyed by the team secret
   * (domain/reuse-labels.ts, issue 13 attack 9) and nothing reads this key; it stays only because
   * the vault-key grant and the epoch's commitment carry it. Drop it at the next format change.
   */
  readonly reuse: SecretBytes;
}

/** A member's own key pairs: what their slot holds. */
export type SlotKeys = Pick<MemberKeys, 'box' | 'signing'>;

/** An epoch's shared keys, as a vault-key grant carries them. */
export type VaultKeys = Pick<MemberKeys, 'vault' | 'reuse'>;

export function newMemberKeys(
  vaultKey: SecretBytes,
  reuse: SecretBytes = newSymmetricKey(),
): MemberKeys {
  return { box: newBoxKeyPair(), signing: newSigningKeyPair(), vault: vaultKey, reuse };
}

export function newVaultKey(): SecretBytes {
  return newSymmetricKey();
}

/**
 * The reuse key of a vault from before key epochs (the K_vault subkey its old fingerprints were
 * made with), carried into its first grant. Unused since reuse labels are team-keyed; see `reuse`.
 */
export function legacyReuseKey(vaultKey: SecretBytes): SecretBytes {
  return new SecretBytes(hmacSha256(vaultKey.reveal(), utf8('custodian/reuse-fingerprint/v1')));
}

/**
 * What the chain records of an epoch's keys: a hash under a label. K_vault is 256 random bits,
 * so the commitment tells nothing; a K_vault sealed to a member by anyone else (anyone can seal to
 * a public key) does not match it and is refused at unlock.
 */
export function vaultKeyCommitment(keys: VaultKeys): Uint8Array {
  return sha256(
    utf8('custodian/vault-key-commitment/v1\n'),
    keys.vault.reveal(),
    keys.reuse.reveal(),
  );
}

/** K_vault and the reuse key sealed to a member's X25519 key (a vault-key grant). */
export function sealVaultKeys(publicKey: Uint8Array, keys: VaultKeys): VaultKeyGrant {
  const both = new Uint8Array(64);
  both.set(keys.vault.reveal(), 0);
  both.set(keys.reuse.reveal(), 32);
  try {
    return wrapVaultKeys(publicKey, both);
  } finally {
    sodium.memzero(both);
  }
}

/** Open a vault-key grant; throws OpenFailed if it is not sealed to this key pair or is damaged. */
export function openVaultKeys(pair: BoxKeyPair, sealedBox: VaultKeyGrant): VaultKeys {
  const both = openVaultKeyGrant(pair, sealedBox);
  try {
    const bytes = both.reveal();
    if (bytes.length !== 64) throw new OpenFailed();
    return {
      vault: new SecretBytes(bytes.slice(0, 32)),
      reuse: new SecretBytes(bytes.slice(32, 64)),
    };
  } finally {
    both.wipe();
  }
}

export function wipeMemberKeys(keys: MemberKeys): void {
  wipeAll(keys.box.secretKey, keys.signing.secretKey, keys.vault, keys.reuse);
}

/** A slot sealed before format 6: JSON with base64 keys, K_vault among them (read, never written). */
const legacySlotSchema = z.object({
  boxSecretKey: z.base64(),
  signSecretKey: z.base64(),
  vaultKey: z.base64(),
  trustRoot: z.hex().length(64).optional(),
  chainHead: z.object({ seq: z.number().int().min(1), hash: z.hex().length(64) }).optional(),
});

/**
 * What a slot pins of the membership chain (ADR 0010). Sealed under the member's own KEK, so no
 * one without their passphrase can change which root they trust or make them forget a head.
 */
export interface SlotTrust {
  readonly root: Uint8Array;
  readonly head: { readonly seq: number; readonly hash: Uint8Array };
}

/**
 * How a slot is found and its key derived (issue 13, attack 14). A slot from before format 8 has
 * a random `salt` in clear and is found by the member's name tag; from format 8 on a slot is
 * name-bound: its Argon2id salt comes from the vault's name salt and the member's name and is
 * never stored, and it is found by `lookupTag`, which only the right name with the right
 * passphrase derives. So the file confirms no guessed name without the passphrase as well.
 */
export type SlotLocator =
  | { readonly salt: Uint8Array; readonly lookupTag: null }
  | { readonly salt: null; readonly lookupTag: Uint8Array };

export type SealedSlot = SlotLocator & {
  readonly kdf: string;
  readonly version: number;
  readonly sealed: Uint8Array;
};

/** What a session keeps to re-seal its member's slot without the passphrase: wiped at lock. */
export type SlotKey = SlotLocator & { readonly kek: SecretBytes; readonly kdf: string };

function slotAddress(memberId: string, slot: Omit<SealedSlot, 'sealed'>) {
  return {
    table: 'key_slots',
    id: memberId,
    version: slot.version,
    // The locator is bound, so a tag moved to another slot makes it fail to open.
    clear:
      slot.salt !== null
        ? { kdf: slot.kdf, salt: slot.salt }
        : { kdf: slot.kdf, lookup_tag: slot.lookupTag },
  };
}

/**
 * Key-derivation parameters as stored in the file (the header's default, a slot's own). Below the
 * floor, or unreadable, they are damage or an attack (issue 13, attack 10), never a reason to
 * derive more cheaply.
 */
export function storedKdf(json: string, where: string): KdfParams {
  let parsed: ReturnType<typeof kdfParamsSchema.safeParse> | undefined;
  try {
    parsed = kdfParamsSchema.safeParse(JSON.parse(json));
  } catch {
    // fall through to the integrity error
  }
  if (parsed?.success) return parsed.data;
  // Refused before any derivation: a setting above the ceiling would hold every unlock for as
  // long as its writer liked (THREAT-MODEL, "A malicious insider"), one below the floor would
  // make the next slot cheap to guess (issue 13, attack 10).
  const above = parsed?.error.issues.some((issue) => issue.message.includes('ceiling'));
  throw integrityError(
    where,
    above
      ? `asks for key derivation above the ceiling (${KDF_CEILING_TEXT}); nothing was derived from it`
      : 'has unreadable key-derivation parameters, or ones below the floor',
  );
}

/** Seal a new member's keys in a name-bound slot under a key derived from their passphrase. */
export async function sealSlot(
  memberId: string,
  keys: SlotKeys,
  owner: SlotOwner,
  kdf: KdfParams,
  version: number,
  trust?: SlotTrust,
): Promise<SealedSlot> {
  const key = await nameBoundSlotKey(owner, kdf);
  try {
    return sealSlotUnder(key.kek, memberId, keys, { ...key, version }, trust);
  } finally {
    key.kek.wipe();
  }
}

/** Who a name-bound slot is for: the vault's name salt, the member's name and their passphrase. */
export interface SlotOwner {
  readonly nameSalt: Uint8Array;
  readonly name: string;
  readonly passphrase: PassphraseInput;
}

/** The Argon2id salt of a name-bound slot: never stored, so a guessed name is tested only with a passphrase. */
function nameBoundSalt(nameSalt: Uint8Array, name: string): Uint8Array {
  return hmacSha256(nameSalt, utf8(`custodian/slot-salt/v1\n${normalisedName(name)}`)).slice(0, 16);
}

/**
 * A name-bound slot's key and lookup tag (ADR 0022): one Argon2id derivation from the passphrase
 * with the name's salt, split by HMAC into the key the slot is sealed under and the tag it is
 * found by. Whoever derives the tag has derived the key: the tag tests a (name, passphrase) guess
 * at the cost of Argon2id, as the sealed slot itself always did, and a name alone tests nothing.
 */
export async function nameBoundSlotKey(owner: SlotOwner, kdf: KdfParams): Promise<SlotKey> {
  const derived = await deriveKek(owner.passphrase, nameBoundSalt(owner.nameSalt, owner.name), kdf);
  try {
    const master = derived.reveal();
    return {
      kek: new SecretBytes(hmacSha256Key(master, utf8('custodian/slot-key/v1'))),
      kdf: JSON.stringify(kdf),
      salt: null,
      lookupTag: hmacSha256(master, utf8('custodian/slot-lookup/v1')),
    };
  } finally {
    derived.wipe();
  }
}

/** A salted slot (before format 8): opened with the KEK derived from its stored salt. */
export async function saltedSlotKek(
  passphrase: PassphraseInput,
  salt: Uint8Array,
  kdf: KdfParams,
): Promise<SecretBytes> {
  return deriveKek(passphrase, salt, kdf);
}

/**
 * The slot's plaintext, format 2 (issue 13, attack 13): bytes at fixed offsets, never a string,
 * so nothing of a secret key is left in the JS heap as base64 text.
 *   0       format (2)
 *   1       1 if the chain trust below is set, else 0
 *   2..34   X25519 secret key
 *   34..98  Ed25519 secret key
 *   98..130 trust root (Ed25519 public key)
 *   130..134 chain head seq (big-endian)
 *   134..166 chain head hash
 */
const SLOT_FORMAT = 2;
const SLOT_BYTES = 166;

/** Seal a slot under a KEK already derived (the unlock's, to record a new chain head). */
export function sealSlotUnder(
  kek: SecretBytes,
  memberId: string,
  keys: SlotKeys,
  slot: Omit<SealedSlot, 'sealed'>,
  trust?: SlotTrust,
): SealedSlot {
  const contents = new Uint8Array(SLOT_BYTES);
  contents[0] = SLOT_FORMAT;
  contents.set(keys.box.secretKey.reveal(), 2);
  contents.set(keys.signing.secretKey.reveal(), 34);
  if (trust) {
    contents[1] = 1;
    contents.set(trust.root, 98);
    new DataView(contents.buffer).setUint32(130, trust.head.seq);
    contents.set(trust.head.hash, 134);
  }
  try {
    const sealed = seal(kek, contents, associatedData(slotAddress(memberId, slot)));
    return { ...slot, sealed } as SealedSlot;
  } finally {
    sodium.memzero(contents);
  }
}

/** What a slot opens to: the member's key pairs, its trust, and (a slot from before format 6) K_vault. */
export interface OpenedSlot {
  readonly keys: SlotKeys;
  readonly trust: SlotTrust | undefined;
  /** Only in a slot sealed before key epochs: the K_vault it held, for the upgrade. */
  readonly legacyVaultKey: SecretBytes | undefined;
}

/**
 * Open a salted slot with a passphrase. Returns undefined for a wrong passphrase (or an altered
 * slot: the two cannot be told apart, by design of the AEAD).
 */
export async function openSlot(
  memberId: string,
  slot: SealedSlot & { salt: Uint8Array },
  kdf: KdfParams,
  passphrase: PassphraseInput,
): Promise<OpenedSlot | undefined> {
  const kek = await saltedSlotKek(passphrase, slot.salt, kdf);
  const opened = openSlotWith(kek, memberId, slot);
  kek.wipe();
  return opened;
}

/**
 * Open a slot under a KEK already derived. Returns undefined if it does not open (a wrong
 * passphrase, or an altered slot). The KEK stays the caller's: the session keeps it to re-seal
 * the slot with a new chain head (ADR 0010) and wipes it at lock.
 */
export function openSlotWith(
  kek: SecretBytes,
  memberId: string,
  slot: SealedSlot,
): OpenedSlot | undefined {
  let plaintext: Uint8Array;
  try {
    plaintext = open(kek, slot.sealed, associatedData(slotAddress(memberId, slot)));
  } catch (error) {
    if (error instanceof OpenFailed) return undefined;
    throw error;
  }
  try {
    return plaintext[0] === SLOT_FORMAT ? binarySlot(plaintext) : legacySlot(plaintext);
  } finally {
    sodium.memzero(plaintext);
  }
}

function binarySlot(plaintext: Uint8Array): OpenedSlot | undefined {
  if (plaintext.length !== SLOT_BYTES) return undefined;
  const trust =
    plaintext[1] === 1
      ? {
          root: plaintext.slice(98, 130),
          head: {
            seq: new DataView(plaintext.buffer, plaintext.byteOffset).getUint32(130),
            hash: plaintext.slice(134, 166),
          },
        }
      : undefined;
  return {
    keys: keyPairsFrom(plaintext.slice(2, 34), plaintext.slice(34, 98)),
    trust,
    legacyVaultKey: undefined,
  };
}

/** A slot from before format 6: read once, at the unlock that upgrades it to the binary form. */
function legacySlot(plaintext: Uint8Array): OpenedSlot | undefined {
  let parsed;
  try {
    parsed = legacySlotSchema.safeParse(JSON.parse(Buffer.from(plaintext).toString('utf8')));
  } catch {
    return undefined;
  }
  if (!parsed.success) return undefined;
  const { trustRoot, chainHead } = parsed.data;
  const trust =
    trustRoot && chainHead
      ? {
          root: new Uint8Array(Buffer.from(trustRoot, 'hex')),
          head: { seq: chainHead.seq, hash: new Uint8Array(Buffer.from(chainHead.hash, 'hex')) },
        }
      : undefined;
  return {
    keys: keyPairsFrom(
      new Uint8Array(Buffer.from(parsed.data.boxSecretKey, 'base64')),
      new Uint8Array(Buffer.from(parsed.data.signSecretKey, 'base64')),
    ),
    trust,
    legacyVaultKey: new SecretBytes(new Uint8Array(Buffer.from(parsed.data.vaultKey, 'base64'))),
  };
}

function keyPairsFrom(boxSecretKey: Uint8Array, signSecretKey: Uint8Array): SlotKeys {
  const boxSecret = new SecretBytes(boxSecretKey);
  const signSecret = new SecretBytes(signSecretKey);
  return {
    box: { publicKey: boxPublicKeyOf(boxSecret), secretKey: boxSecret },
    signing: { publicKey: signingPublicKeyOf(signSecret), secretKey: signSecret },
  };
}

/** Names compare case- and width-insensitively. */
function normalisedName(name: string): string {
  return name.normalize('NFKC').trim().toLowerCase();
}

/**
 * The name tag of a member row before format 8: HMAC keyed by the header's name salt, which is
 * in clear, so one HMAC confirmed a guessed name (issue 13, attack 14). Read only to find a slot
 * not yet upgraded (`key_slots.legacy_name_tag`), never written.
 */
export function memberNameTag(nameSalt: Uint8Array, name: string): Uint8Array {
  return hmacSha256(nameSalt, utf8(normalisedName(name)));
}

/**
 * A member row's name tag from format 8 on: under a K_vault subkey, so only a member finds a
 * member by name or refuses a duplicate without opening every row; re-keyed at each epoch.
 */
export function memberNameTagUnder(vaultKey: SecretBytes, name: string): Uint8Array {
  const subkey = hmacSha256(vaultKey.reveal(), utf8('custodian/member-name/v1'));
  try {
    return hmacSha256(subkey, utf8(normalisedName(name)));
  } finally {
    subkey.fill(0);
  }
}

/** The header columns a MAC covers: all of them but the MAC itself. */
export interface HeaderFields {
  readonly vault_id: string;
  readonly created_at: string;
  readonly founder_id: string;
  readonly name_salt: Uint8Array;
  readonly default_kdf: string;
  readonly team_public_key: Uint8Array;
  readonly team_generation: number;
  /** The checkpoint size from which checkpoints commit to the state (format 7, ADR 0020). */
  readonly state_since?: number | null;
}

/**
 * HMAC-SHA256 of the vault header under a K_vault subkey. Every member holds K_vault, so every
 * unlock can check it; without K_vault nobody can forge it, so whoever only has the file cannot
 * lower the KDF default for new members or swap the team public key new account keys are sealed to.
 */
export function headerMac(vaultKey: SecretBytes, header: HeaderFields): Uint8Array {
  const subkey = hmacSha256(vaultKey.reveal(), utf8('custodian/vault-header/v1'));
  try {
    const body = canonicalJson({
      vaultId: header.vault_id,
      createdAt: header.created_at,
      founderId: header.founder_id,
      nameSalt: toHex(header.name_salt),
      defaultKdf: header.default_kdf,
      teamPublicKey: toHex(header.team_public_key),
      teamGeneration: header.team_generation,
      // Only once set, so a header MACed before format 7 still matches; once set, nobody without
      // K_vault can clear it to switch the state check off.
      ...(header.state_since != null ? { stateSince: header.state_since } : {}),
    });
    return hmacSha256(subkey, utf8(body));
  } finally {
    subkey.fill(0);
  }
}

/** Whether the header carries its MAC and the MAC matches: checked at unlock and by verify. */
export function headerMacMatches(
  vaultKey: SecretBytes,
  header: HeaderFields & { readonly mac: Uint8Array | null },
): boolean {
  return header.mac instanceof Uint8Array && bytesEqual(headerMac(vaultKey, header), header.mac);
}

import { z } from 'zod';
import { canonicalJson } from './canonical-json.ts';
import { newSymmetricKey, OpenFailed } from './crypto/aead.ts';
import { bytesEqual, hmacSha256, toHex, utf8 } from './crypto/hash.ts';
import { deriveKek, kdfParamsSchema, strongerKdf, type KdfParams } from './crypto/kdf.ts';
import { integrityError } from './errors.ts';
import {
  boxPublicKeyOf,
  newBoxKeyPair,
  newSigningKeyPair,
  signingPublicKeyOf,
  type BoxKeyPair,
  type SigningKeyPair,
} from './crypto/keys.ts';
import { randomBytes } from './crypto/random.ts';
import { SecretBytes, wipeAll } from './crypto/secret-bytes.ts';
import { openKeySlot, sealKeySlot } from './store/key-slot-codec.ts';

// Certificates moved to their own module so the offline verifier can check them without the
// keyring; re-exported for the code that already imports them from here.
export {
  certificateBytes,
  certificateValid,
  signCertificate,
  type CertificateBody,
} from './member-certificate.ts';
/**
 * The key hierarchy (DESIGN.md "Keys"): a member's passphrase opens their slot, which holds their
 * X25519 and Ed25519 secret keys and K_vault. The team key (lead/dmt) and account keys reach a
 * member sealed to their X25519 public key, never through the slot.
 */
export interface MemberKeys {
  readonly box: BoxKeyPair;
  readonly signing: SigningKeyPair;
  readonly vault: SecretBytes;
}

export function newMemberKeys(vaultKey: SecretBytes): MemberKeys {
  return { box: newBoxKeyPair(), signing: newSigningKeyPair(), vault: vaultKey };
}

export function newVaultKey(): SecretBytes {
  return newSymmetricKey();
}

export function wipeMemberKeys(keys: MemberKeys): void {
  wipeAll(keys.box.secretKey, keys.signing.secretKey, keys.vault);
}

const slotContentsSchema = z.object({
  boxSecretKey: z.base64(),
  signSecretKey: z.base64(),
  vaultKey: z.base64(),
  // ADR 0010: the chain's root key and the last head this member validated. Absent in a slot
  // sealed before format 5 (trusted on first use, then written in at that unlock).
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

export interface SealedSlot {
  readonly kdf: string;
  readonly salt: Uint8Array;
  readonly version: number;
  readonly sealed: Uint8Array;
}

/**
 * Key-derivation parameters as stored in the file (the header's default, a slot's own). Below the
 * floor, or unreadable, they are damage or an attack (issue 13, attack 10), never a reason to
 * derive more cheaply.
 */
export function storedKdf(json: string, where: string): KdfParams {
  try {
    const parsed = kdfParamsSchema.safeParse(JSON.parse(json));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through to the integrity error
  }
  throw integrityError(where, 'has unreadable key-derivation parameters, or ones below the floor');
}

/**
 * What an unlock of an unknown name derives with: the strongest of the default and every slot's
 * parameters, so a failed unlock costs at least as much as a real one and timing does not tell
 * whether a name is a member (issue 13, attack 14).
 */
export function unknownMemberKdf(
  defaultKdf: string,
  slots: readonly { member_id: string; kdf: string }[],
): KdfParams {
  return slots.reduce(
    (strongest, slot) =>
      strongerKdf(strongest, storedKdf(slot.kdf, `key_slots row ${slot.member_id}`)),
    storedKdf(defaultKdf, 'vault_header'),
  );
}

/** Seal a member's keys under a key derived from their passphrase, with fresh salt. */
export async function sealSlot(
  memberId: string,
  keys: MemberKeys,
  passphrase: string,
  kdf: KdfParams,
  version: number,
  trust?: SlotTrust,
): Promise<SealedSlot> {
  const { kek, salt } = await newSlotKek(passphrase, kdf);
  try {
    return sealSlotUnder(kek, memberId, keys, { kdf: JSON.stringify(kdf), salt, version }, trust);
  } finally {
    kek.wipe();
  }
}

/** A fresh salt and the key it derives from the passphrase: for a slot the session will re-seal. */
export async function newSlotKek(
  passphrase: string,
  kdf: KdfParams,
): Promise<{ kek: SecretBytes; salt: Uint8Array }> {
  const salt = randomBytes(16);
  return { kek: await deriveKek(passphrase, salt, kdf), salt };
}

/** Seal a slot under a KEK already derived (the unlock's, to record a new chain head). */
export function sealSlotUnder(
  kek: SecretBytes,
  memberId: string,
  keys: MemberKeys,
  slot: Omit<SealedSlot, 'sealed'>,
  trust?: SlotTrust,
): SealedSlot {
  const contents = utf8(
    JSON.stringify({
      boxSecretKey: Buffer.from(keys.box.secretKey.reveal()).toString('base64'),
      signSecretKey: Buffer.from(keys.signing.secretKey.reveal()).toString('base64'),
      vaultKey: Buffer.from(keys.vault.reveal()).toString('base64'),
      ...(trust
        ? {
            trustRoot: toHex(trust.root),
            chainHead: { seq: trust.head.seq, hash: toHex(trust.head.hash) },
          }
        : {}),
    }),
  );
  try {
    return { ...slot, sealed: sealKeySlot(kek, memberId, slot, contents) };
  } finally {
    contents.fill(0);
  }
}

/**
 * Open a slot with a passphrase. Returns undefined for a wrong passphrase (or an altered slot:
 * the two cannot be told apart, by design of the AEAD).
 */
export async function openSlot(
  memberId: string,
  slot: SealedSlot,
  kdf: KdfParams,
  passphrase: string,
): Promise<MemberKeys | undefined> {
  const opened = await openSlotKeepingKek(memberId, slot, kdf, passphrase);
  opened?.kek.wipe();
  return opened?.keys;
}

/**
 * Open a slot and keep its KEK, so the session can re-seal the slot with a new chain head
 * (ADR 0010) without asking for the passphrase again. The caller wipes the KEK at lock.
 */
export async function openSlotKeepingKek(
  memberId: string,
  slot: SealedSlot,
  kdf: KdfParams,
  passphrase: string,
): Promise<{ keys: MemberKeys; trust: SlotTrust | undefined; kek: SecretBytes } | undefined> {
  const kek = await deriveKek(passphrase, slot.salt, kdf);
  let plaintext: Uint8Array;
  try {
    plaintext = openKeySlot(kek, memberId, slot);
  } catch (error) {
    kek.wipe();
    if (error instanceof OpenFailed) return undefined;
    throw error;
  }
  const parsed = slotContentsSchema.safeParse(JSON.parse(Buffer.from(plaintext).toString('utf8')));
  plaintext.fill(0);
  if (!parsed.success) {
    kek.wipe();
    return undefined;
  }
  const { trustRoot, chainHead } = parsed.data;
  const trust =
    trustRoot && chainHead
      ? {
          root: new Uint8Array(Buffer.from(trustRoot, 'hex')),
          head: { seq: chainHead.seq, hash: new Uint8Array(Buffer.from(chainHead.hash, 'hex')) },
        }
      : undefined;
  return { keys: keysFrom(parsed.data), trust, kek };
}

function keysFrom(parsed: z.infer<typeof slotContentsSchema>): MemberKeys {
  const boxSecret = new SecretBytes(new Uint8Array(Buffer.from(parsed.boxSecretKey, 'base64')));
  const signSecret = new SecretBytes(new Uint8Array(Buffer.from(parsed.signSecretKey, 'base64')));
  return {
    box: { publicKey: boxPublicKeyOf(boxSecret), secretKey: boxSecret },
    signing: { publicKey: signingPublicKeyOf(signSecret), secretKey: signSecret },
    vault: new SecretBytes(new Uint8Array(Buffer.from(parsed.vaultKey, 'base64'))),
  };
}

/**
 * The lookup tag for a member name: HMAC keyed by the vault's name salt, so the file does not
 * list members' names in clear. Names compare case- and width-insensitively.
 */
export function memberNameTag(nameSalt: Uint8Array, name: string): Uint8Array {
  return hmacSha256(nameSalt, utf8(name.normalize('NFKC').trim().toLowerCase()));
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

import { open, seal } from '../crypto/aead.ts';
import type { SecretBytes } from '../crypto/secret-bytes.ts';
import { associatedData } from './sealed-row.ts';

/**
 * The key_slots table's codec. A slot is sealed under the member's KEK (from their passphrase),
 * not K_vault, and holds key material whose encoding the keyring owns (keyring.ts); this binds
 * those bytes to the slot's row, its version and its clear KDF parameters and salt, so a slot
 * moved to another member, rolled back a version, or given cheaper KDF parameters does not open.
 * Never log what goes in or comes out: it is key material.
 */
export interface KeySlotAddressed {
  readonly kdf: string;
  readonly salt: Uint8Array;
  readonly version: number;
}

function keySlotAssociatedData(memberId: string, slot: KeySlotAddressed): Uint8Array {
  return associatedData({
    table: 'key_slots',
    id: memberId,
    version: slot.version,
    clear: { kdf: slot.kdf, salt: slot.salt },
  });
}

/** Seal a slot's contents under the KEK. The caller zeroes `contents`. */
export function sealKeySlot(
  kek: SecretBytes,
  memberId: string,
  slot: KeySlotAddressed,
  contents: Uint8Array,
): Uint8Array {
  return seal(kek, contents, keySlotAssociatedData(memberId, slot));
}

/**
 * Open a slot's contents; throws OpenFailed for a wrong KEK or an altered slot (the two cannot
 * be told apart, by design of the AEAD). The caller zeroes what it returns.
 */
export function openKeySlot(
  kek: SecretBytes,
  memberId: string,
  slot: KeySlotAddressed & { readonly sealed: Uint8Array },
): Uint8Array {
  return open(kek, slot.sealed, keySlotAssociatedData(memberId, slot));
}

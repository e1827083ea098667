import { bytesEqual } from './crypto/hash.ts';
import {
  kdfCost,
  MAXIMUM_UNLOCK_COST_KIB_PASSES,
  raisedByUnsignedDefault,
  type KdfParams,
} from './crypto/kdf.ts';
import { integrityError } from './errors.ts';
import {
  memberNameTag,
  nameBoundSlotKey,
  openSlotWith,
  saltedSlotKek,
  storedKdf,
  type OpenedSlot,
  type SealedSlot,
  type SlotKey,
} from './keyring.ts';
import type { Db } from './store/connection.ts';
import type { HeaderRow } from './store/header-store.ts';
import { memberStore, type KeySlotRow } from './store/member-store.ts';

/** A slot found and opened by a name and passphrase. */
export interface FoundSlot {
  readonly memberId: string;
  readonly row: KeySlotRow;
  readonly opened: OpenedSlot;
  /** The key the session re-seals the slot under: name-bound, even if the slot was salted. */
  readonly key: SlotKey;
  /** A salted slot (before format 8) to be sealed again, name-bound, in the unlock's write. */
  readonly upgraded: boolean;
}

export function sealedSlotOf(row: KeySlotRow): SealedSlot {
  const common = { kdf: row.kdf, version: row.version, sealed: new Uint8Array(row.sealed) };
  return row.salt !== null
    ? { ...common, salt: new Uint8Array(row.salt), lookupTag: null }
    : { ...common, salt: null, lookupTag: new Uint8Array(row.lookup_tag ?? []) };
}

/**
 * Find and open the slot of `name` with `passphrase` (issue 13, attack 14; ADR 0022). The file
 * names no member, so the name alone finds nothing: one Argon2id derivation for each set of
 * parameters the vault's slots use (one, unless some slot is older than a raised default), with
 * the name's salt, and the slot whose lookup tag matches is theirs. Every call makes the same
 * derivations whoever asks, so a stranger's name, a member's wrong passphrase and a right one
 * cost the same, and the strongest slot's derivation is always among them. A slot from before
 * format 8 is still found by its member's old name tag, and derived with its own salt in place
 * of the derivation at its parameters; once opened, it gets its name-bound key (one more
 * derivation, once), and the unlock seals it again with that.
 */
export async function findSlot(
  db: Db,
  header: HeaderRow,
  name: string,
  passphrase: string,
): Promise<FoundSlot | undefined> {
  const slots = memberStore.slots(db);
  const owner = { nameSalt: header.name_salt, name, passphrase };
  const legacyTag = memberNameTag(header.name_salt, name);
  const legacy = slots.find(
    (slot) => slot.legacy_name_tag !== null && bytesEqual(slot.legacy_name_tag, legacyTag),
  );
  let found: FoundSlot | undefined;
  for (const kdf of derivationsFor(header, slots)) {
    const text = JSON.stringify(kdf);
    if (legacy && !found && JSON.stringify(slotKdf(legacy)) === text) {
      found = await openSalted(legacy, kdf, passphrase, header, name);
      continue;
    }
    const key = await nameBoundSlotKey(owner, kdf);
    const row = slots.find(
      (slot) =>
        slot.lookup_tag !== null &&
        bytesEqual(slot.lookup_tag, key.lookupTag!) &&
        JSON.stringify(slotKdf(slot)) === text,
    );
    const opened =
      row && !found ? openSlotWith(key.kek, row.member_id, sealedSlotOf(row)) : undefined;
    if (row && opened) {
      found = { memberId: row.member_id, row, opened, key, upgraded: false };
    } else {
      key.kek.wipe();
    }
  }
  return found;
}

/** The parameters of every slot, once each, strongest first; the header's default if none. */
function derivationsFor(header: HeaderRow, slots: readonly KeySlotRow[]): KdfParams[] {
  const byText = new Map<string, KdfParams>();
  for (const slot of slots) {
    const kdf = slotKdf(slot);
    byText.set(JSON.stringify(kdf), kdf);
  }
  if (byText.size === 0) {
    const kdf = storedKdf(header.default_kdf, 'vault_header');
    byText.set(JSON.stringify(kdf), kdf);
  }
  const settings = [...byText.values()].sort((a, b) => kdfCost(b) - kdfCost(a));
  // Each setting is under the ceiling (storedKdf); many of them would add up to the same
  // slow-down as one above it, so the whole unlock is held to a ceiling too, checked before
  // the first derivation.
  const total = settings.reduce((sum, kdf) => sum + kdfCost(kdf), 0);
  if (total > MAXIMUM_UNLOCK_COST_KIB_PASSES) {
    throw integrityError(
      'key_slots',
      `ask for ${settings.length} different key derivations, more in all than an unlock makes (${MAXIMUM_UNLOCK_COST_KIB_PASSES / 1024 / 1024} GiB × passes); nothing was derived from them`,
    );
  }
  return settings;
}

function slotKdf(slot: KeySlotRow): KdfParams {
  return storedKdf(slot.kdf, `key_slots row ${slot.member_id}`);
}

async function openSalted(
  row: KeySlotRow,
  kdf: KdfParams,
  passphrase: string,
  header: HeaderRow,
  name: string,
): Promise<FoundSlot | undefined> {
  const kek = await saltedSlotKek(passphrase, new Uint8Array(row.salt!), kdf);
  let opened: OpenedSlot | undefined;
  try {
    opened = openSlotWith(kek, row.member_id, sealedSlotOf(row));
  } finally {
    kek.wipe();
  }
  if (!opened) return undefined;
  // Never weaker than what protected it, nor than the vault's default; but the header's default is
  // not authenticated yet (a member may have set it to the ceiling), so it raises the slot at most
  // to the app's default (raisedByUnsignedDefault; ADR 0030).
  const strength = raisedByUnsignedDefault(kdf, storedKdf(header.default_kdf, 'vault_header'));
  const key = await nameBoundSlotKey({ nameSalt: header.name_salt, name, passphrase }, strength);
  return { memberId: row.member_id, row, opened, key, upgraded: true };
}

/** A sealed slot as the key_slots row that stores it. */
export function slotRow(memberId: string, slot: SealedSlot): Omit<KeySlotRow, 'legacy_name_tag'> {
  return {
    member_id: memberId,
    kdf: slot.kdf,
    salt: slot.salt && Buffer.from(slot.salt),
    lookup_tag: slot.lookupTag && Buffer.from(slot.lookupTag),
    version: slot.version,
    sealed: Buffer.from(slot.sealed),
  };
}

import type { VaultSession } from '../session.ts';
import { settingsTable } from '../store/registry-tables.ts';
import { invalidInput } from '../errors.ts';
import { DEFAULT_KDF, kdfParamsSchema, KDF_CEILING_TEXT, MINIMUM_KDF } from '../crypto/kdf.ts';
import { readHeader } from '../store/header-store.ts';
import { signDefaultKdf, vaultDefaultKdf } from '../trust/default-kdf.ts';
import { trustedState } from '../trust/session-trust.ts';

/** Until the lead sets one: five minutes (issue 6). */
export const DEFAULT_AUTO_LOCK_MINUTES = 5;
const GROUP = 'console';

/** The idle time, in minutes, before the console locks itself. */
export function autoLockMinutes(session: VaultSession): number {
  return (
    settingsTable.get(session.db, session.keys.vault, GROUP)?.value.autoLockMinutes ??
    DEFAULT_AUTO_LOCK_MINUTES
  );
}

/** Set the idle lock (1 to 60 minutes; the lead asks, settings.set); old and new values are audited. */
export function setAutoLockMinutes(session: VaultSession, minutes: number): number {
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 60) {
    throw invalidInput('The auto-lock time must be a whole number of minutes from 1 to 60.');
  }
  return session.write(({ db, now, audit }) => {
    const before = autoLockMinutes(session);
    const existing = settingsTable.get(db, session.keys.vault, GROUP);
    const value = { ...(existing?.value ?? {}), autoLockMinutes: minutes };
    if (existing)
      settingsTable.update(db, session.keys.vault, existing, { updated_at: now }, value);
    else settingsTable.insert(db, session.keys.vault, GROUP, { updated_at: now }, value);
    audit({
      kind: 'settings.changed',
      details: { group: GROUP, changed: [`autoLockMinutes: ${before} -> ${minutes}`] },
    });
    return minutes;
  });
}

/** The default key derivation for new key slots, and whether it is the one a lead signed (ADR 0030). */
export function defaultKeyDerivation(session: VaultSession): {
  memoryMib: number;
  passes: number;
  signed: boolean;
} {
  const { kdf, signed } = vaultDefaultKdf(trustedState(session), readHeader(session.db)!);
  return { memoryMib: kdf.memoryKiB / 1024, passes: kdf.passes, signed };
}

/**
 * Set the vault's default key derivation for new key slots (the lead asks, settings.set; ADR
 * 0030): signed by the lead in the membership chain, so a member who rewrites the header's copy
 * (under K_vault, which every member holds) cannot make later slots cheaper to guess. Slots
 * already made keep theirs until their member changes passphrase, which never lowers them.
 */
export function setDefaultKeyDerivation(
  session: VaultSession,
  wanted: { memoryMib: number; passes: number },
): void {
  const kdf = { ...DEFAULT_KDF, memoryKiB: wanted.memoryMib * 1024, passes: wanted.passes };
  if (!kdfParamsSchema.safeParse(kdf).success) {
    throw invalidInput(
      `The default key derivation must be between the floor (${MINIMUM_KDF.memoryKiB / 1024} MiB, ${MINIMUM_KDF.passes} passes) and the ceiling (${KDF_CEILING_TEXT}); the app's default is ${DEFAULT_KDF.memoryKiB / 1024} MiB, ${DEFAULT_KDF.passes} passes. Nothing was changed.`,
    );
  }
  const before = defaultKeyDerivation(session);
  session.write((context) => {
    signDefaultKdf(session, context, kdf);
    context.audit({
      kind: 'settings.changed',
      details: {
        group: 'key-derivation',
        changed: [
          `default: ${before.memoryMib} MiB, ${before.passes} passes${before.signed ? '' : ' (unsigned)'} -> ${wanted.memoryMib} MiB, ${wanted.passes} passes`,
        ],
      },
    });
  });
}

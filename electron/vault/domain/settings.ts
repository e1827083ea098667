import type { VaultSession } from '../session.ts';
import { settingsTable } from '../store/registry-tables.ts';
import { invalidInput } from '../errors.ts';

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

import {
  APP_ADDER_NAMES,
  thirdPartyAppSchema,
  type AppAdder,
  type AppReach,
  type ThirdPartyApp,
} from '../../../shared/domain/policy-records.ts';
import { holdsTeamKey, type Role } from '../../../shared/domain/roles.ts';
import type { AuditDetails } from '../../../shared/domain/audit.ts';
import { entryLeafHash } from '../audit/entry.ts';
import { ProvenEntries } from '../audit/entry-proof.ts';
import { bytesEqual } from '../crypto/hash.ts';
import { randomId } from '../crypto/random.ts';
import { forbidden, integrityError, invalidInput, notFound, VaultError } from '../errors.ts';
import type { VaultSession } from '../session.ts';
import { auditStore, type AuditEntryRow } from '../store/audit-store.ts';
import { openAuditDetails } from '../store/audit-entry-codec.ts';
import type { Db } from '../store/connection.ts';
import type { OpenedRecord } from '../store/sealed-records.ts';
import { thirdPartyAppsTable } from '../store/registry-tables.ts';
import { ErrorCode } from '../../../shared/errors.ts';
import { resolveAccount } from './accounts.ts';
import { parseDate, parseInput } from './input.ts';
import { recordAtVersion } from './record-versions.ts';
import { requireRegistryChange } from './registry-access.ts';
import { trustedState } from '../trust/session-trust.ts';

export type ThirdPartyAppRecord = OpenedRecord<
  {
    account_id: string;
    added_on: string;
    added_seq: number;
    removed_on: string | null;
    removed_seq: number | null;
  },
  ThirdPartyApp
>;

/**
 * Record an application added to a social media account (6.3, 10.2): which app, who added it,
 * on what day and what it can reach ("granting access to account information to a third party
 * provider"), and whether its small print has been read. The audit entry that records it is the
 * record of who added it: the row points at that entry, and removal asks the trail, not the row.
 */
export function addThirdPartyApp(
  session: VaultSession,
  input: {
    account: string;
    name: string;
    addedBy: AppAdder;
    addedByName: string;
    addedOn: string;
    reaches: readonly AppReach[];
    termsReadOn?: string;
    notes?: string;
  },
): ThirdPartyAppRecord {
  const account = resolveAccount(session, input.account);
  requireRegistryChange(session, 'Recording a third-party app', { accounts: [account.id] });
  const addedOn = parseDate(input.addedOn, 'Added on');
  const today = session.clock().toISOString().slice(0, 10);
  if (addedOn > today) throw invalidInput(`Added on (${addedOn}) is in the future.`);
  const termsReadOn =
    input.termsReadOn === undefined ? undefined : parseDate(input.termsReadOn, 'Terms read on');
  if (termsReadOn !== undefined && termsReadOn > today)
    throw invalidInput(`Terms read on (${termsReadOn}) is in the future.`);
  const value = parseInput(
    thirdPartyAppSchema,
    {
      name: input.name,
      addedBy: input.addedBy,
      addedByName: input.addedByName,
      reaches: [...new Set(input.reaches)],
      ...(termsReadOn ? { termsReadOn } : {}),
      ...(input.notes?.trim() ? { notes: input.notes } : {}),
      recordedBy: session.member.name,
    },
    'Third-party app',
  );
  return session.write(({ db, audit }) => {
    const id = randomId();
    const seq = audit({
      kind: 'third-party-app.added',
      account: account.id,
      details: {
        app: id,
        name: value.name,
        addedBy: value.addedBy,
        addedByName: value.addedByName,
        addedOn,
        reaches: value.reaches,
      },
    });
    return thirdPartyAppsTable.insert(
      db,
      session.keys.vault,
      id,
      {
        account_id: account.id,
        added_on: addedOn,
        added_seq: seq,
        removed_on: null,
        removed_seq: null,
      },
      value,
    );
  });
}

/**
 * Record that an app was removed from the account. 6.3: "Any applications added to social media
 * accounts by Corporate Communications must not be deleted" — so one that Corporate
 * Communications added is removed only by Corporate Communications (the lead and the DMT, 10.2).
 * Who added it is read from the trail entry the row points at, proven against the checkpoint its
 * writer signed, so a member who re-seals the row, or the entry and its leaf hash, to say
 * otherwise changes nothing (tests/attacks).
 */
export function removeThirdPartyApp(
  session: VaultSession,
  input: { app: string; reason: string; expectedVersion?: number },
): ThirdPartyAppRecord {
  const app = thirdPartyAppsTable.get(session.db, session.keys.vault, input.app);
  if (!app) throw notFound(`No third-party app ${input.app}; see \`custodian app list\`.`);
  requireRegistryChange(session, 'Removing a third-party app', {
    accounts: [app.clear.account_id],
  });
  if (app.clear.removed_on !== null)
    throw invalidInput(`${app.value.name} was already removed on ${app.clear.removed_on}.`);
  if (addedByCorporateCommunications(session.db, app, provenDetails(session))) {
    requireCorporateCommunications(session.member.role, app.value.name);
  }
  const value = parseInput(
    thirdPartyAppSchema,
    { ...app.value, removedBy: session.member.name, removeReason: input.reason },
    'Removal',
  );
  return session.write(({ db, now, audit }) => {
    const current = recordAtVersion(session, db, thirdPartyAppsTable, app, input.expectedVersion, {
      label: app.value.name,
      changes: { 'third-party-app.removed': 'removed' },
      field: 'app',
      missing: 'The app is no longer in the vault; nothing was saved.',
    });
    const seq = audit({
      kind: 'third-party-app.removed',
      account: app.clear.account_id,
      details: { app: app.id, name: app.value.name, reason: value.removeReason ?? '' },
    });
    return thirdPartyAppsTable.update(
      db,
      session.keys.vault,
      current,
      { ...current.clear, removed_on: now.slice(0, 10), removed_seq: seq },
      value,
    );
  });
}

/** 6.3: whether this member may remove an app Corporate Communications added. */
export function mayRemoveCorporateApp(role: Role): boolean {
  return holdsTeamKey(role);
}

function requireCorporateCommunications(role: Role, name: string): void {
  if (!mayRemoveCorporateApp(role))
    throw forbidden(
      `${name} was added by Corporate Communications, and policy 6.3 says apps they add must not be deleted by others. Ask the Digital Media Team if it must go`,
    );
}

export function listThirdPartyApps(
  session: VaultSession,
  filter: { account?: string } = {},
): ThirdPartyAppRecord[] {
  if (filter.account === undefined) return thirdPartyAppsTable.all(session.db, session.keys.vault);
  const account = resolveAccount(session, filter.account);
  return thirdPartyAppsTable.all(session.db, session.keys.vault, {
    column: 'account_id',
    equals: account.id,
  });
}

/** How an entry's details are read: proven against a signed root, or checked against its leaf. */
type EntryDetails = (entry: AuditEntryRow) => AuditDetails;

/**
 * Who added the app, as the trail entry that recorded it says: that entry must be an addition of
 * this app, its details must be what the trail holds (`detailsOf`), and the row must say the same.
 * Anything else is tampering, named.
 */
export function addedByOnTrail(
  db: Db,
  app: ThirdPartyAppRecord,
  detailsOf: EntryDetails,
): AppAdder {
  const where = `third_party_apps row ${app.id}`;
  const entry = auditStore.entry(db, app.clear.added_seq);
  if (entry?.kind !== 'third-party-app.added')
    throw integrityError(where, 'does not point at the audit entry that added it');
  const details = detailsOf(entry);
  if (details['app'] !== app.id)
    throw integrityError(
      where,
      `does not match audit entry #${entry.seq}, which added another app`,
    );
  if (details['addedBy'] !== app.value.addedBy)
    throw integrityError(
      where,
      `says it was added by ${APP_ADDER_NAMES[app.value.addedBy]}, but audit entry #${entry.seq} says otherwise`,
    );
  return app.value.addedBy;
}

/**
 * 6.3: whether Corporate Communications added the app, by the trail: the entry the row points at,
 * or any other entry that recorded this app's addition (a row pointed at a later entry someone
 * appended to say otherwise still names the first).
 */
export function addedByCorporateCommunications(
  db: Db,
  app: ThirdPartyAppRecord,
  detailsOf: EntryDetails,
): boolean {
  if (addedByOnTrail(db, app, detailsOf) === 'corporate-communications') return true;
  return auditStore.appAdditions(db).some((entry) => {
    const details = detailsOf(entry);
    return details['app'] === app.id && details['addedBy'] === 'corporate-communications';
  });
}

/**
 * For the removal decision: each entry proven against the signed checkpoint its own writer signed,
 * with their key from the signed membership chain (current or since removed), so neither sealed
 * details nor a `leaf_hash` column rewritten with K_vault can change whose the app is
 * (tests/attacks/member-rewrites-app-addition-entry-and-its-leaf-hash.test.ts).
 */
function provenDetails(session: VaultSession): EntryDetails {
  const chain = trustedState(session);
  const proven = new ProvenEntries(
    session.db,
    { id: session.vaultId, key: session.keys.vault },
    (id) => (chain.members.get(id) ?? chain.removed.get(id))?.signPublicKey,
  );
  return (entry) => proven.details(entry);
}

/**
 * An entry's details checked against its own leaf hash only: enough for showing whose an app is
 * (the list) and for `audit verify`, which has already held every leaf to the signed roots before
 * it asks; never for a decision on its own.
 */
export function leafCheckedDetails(session: Pick<VaultSession, 'keys'>): EntryDetails {
  return (entry) => {
    const details = openAuditDetails(session.keys.vault, entry);
    const leaf = entryLeafHash({
      seq: entry.seq,
      at: entry.at,
      kind: entry.kind as 'third-party-app.added',
      actor: entry.actor_id,
      account: entry.account_id,
      details,
    });
    if (!bytesEqual(leaf, entry.leaf_hash))
      throw integrityError(`audit entry #${entry.seq}`, 'does not match its leaf hash');
    return details;
  };
}

/**
 * For `audit verify` (6.3): every app the trail says was added is still in the registry, as
 * added; and every removal of one Corporate Communications added was made by the lead or the
 * DMT, as the signed chain holds the remover's role. A row deleted with sqlite3 — even by a member
 * who then signs the state as theirs — or a removal written into a row by someone else is named.
 */
export function thirdPartyAppProblem(
  session: VaultSession,
  roleOf: (memberId: string) => Role | undefined,
): { where: string; problem: string } | undefined {
  const { db } = session;
  const trailDetails = leafCheckedDetails(session);
  try {
    for (const entry of auditStore.appAdditions(db)) {
      const details = trailDetails(entry);
      const id = String(details['app']);
      const app = thirdPartyAppsTable.get(db, session.keys.vault, id);
      if (!app || app.clear.added_seq !== entry.seq)
        return {
          where: `third_party_apps row ${id}`,
          problem: `is missing: audit entry #${entry.seq} recorded ${String(details['name'])} added to the account, and no row holds it`,
        };
      const addedBy = addedByOnTrail(db, app, trailDetails);
      if (app.clear.removed_seq === null) continue;
      const removal = auditStore.entry(db, app.clear.removed_seq);
      if (removal?.kind !== 'third-party-app.removed' || trailDetails(removal)['app'] !== app.id)
        return {
          where: `third_party_apps row ${id}`,
          problem: 'is marked removed, but not by an audit entry that removed it',
        };
      const role = roleOf(removal.actor_id);
      if (addedBy === 'corporate-communications' && (!role || !mayRemoveCorporateApp(role)))
        return {
          where: `third_party_apps row ${id}`,
          problem: `was added by Corporate Communications and removed by a member who is not in it (audit entry #${removal.seq}; policy 6.3)`,
        };
    }
  } catch (error) {
    if (error instanceof VaultError && error.code === ErrorCode.INTEGRITY)
      return { where: 'third_party_apps', problem: error.message };
    throw error;
  }
  return undefined;
}

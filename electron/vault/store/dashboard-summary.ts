import { z } from 'zod';
import { accountLabel } from '../../../shared/domain/accounts.ts';
import { dayOf } from '../../../shared/domain/dates.ts';
import {
  NOTIFY_PARTIES,
  type Incident,
  type NotifyParty,
} from '../../../shared/domain/registry.ts';
import { canonicalJson } from '../canonical-json.ts';
import type { SecretBytes } from '../crypto/secret-bytes.ts';
import { accountCodec } from './account-codecs.ts';
import { accountStore } from './account-store.ts';
import { readTransaction, type Db, type WritableDb } from './connection.ts';
import { tableExists } from './dialect.ts';
import { toHex } from '../crypto/hash.ts';
import { integrityError } from '../errors.ts';
import { devicesTable, incidentsTable, quietPeriodsTable } from './registry-tables.ts';
import type { OpenedRecord } from './sealed-records.ts';
import { SealedTable } from './sealed-records.ts';
import { stateDigestStore, type StateTable } from './state-digest.ts';

/**
 * What the dashboard's first screen shows before health is evaluated (issue 17; ADR 0027): the
 * accounts registered, each open lost-device incident with what is left to do (10.1), and every
 * quiet period not yet ended (6.6). Health findings depend on the day and come after the first
 * paint; nothing here does, so it can be kept up to date by the writes alone.
 */
const shownSchema = z.object({
  accounts: z.number().int().min(0),
  openIncidents: z.array(
    z.object({
      device: z.string(),
      lostOn: z.string(),
      accountsLeft: z.number().int().min(0),
      partiesLeft: z.number().int().min(0),
    }),
  ),
  quietPeriods: z.array(
    z.object({
      id: z.string(),
      accounts: z.string(),
      authority: z.string(),
      reason: z.string(),
      since: z.string(),
    }),
  ),
});
export type DashboardSummary = z.infer<typeof shownSchema>;

/**
 * As sealed: what is shown, and the state digest (ADR 0020) of each table it was made from when it
 * was made. A summary copied back from an older file, or kept while its tables moved on, no longer
 * matches the digests that the signed checkpoint covers, so it is refused (see `currentSummary`),
 * even after a member re-signs the state around it.
 */
const dashboardSummarySchema = shownSchema.extend({
  madeFrom: z.array(z.object({ table: z.string(), rows: z.number().int(), digest: z.string() })),
});
type SealedSummary = z.infer<typeof dashboardSummarySchema>;

/** Migration 010: one sealed row, under K_vault, bound to its id, version and `updated_at`. */
export const dashboardSummaryTable = new SealedTable<{ updated_at: string }, SealedSummary>(
  'dashboard_summary',
  ['updated_at'],
  dashboardSummarySchema,
);

const SUMMARY_ID = 'current';

/** The tables the summary is made from: a write that changes none of them leaves it as it is. */
const SOURCES: readonly StateTable[] = [
  'accounts',
  'rotations',
  'devices',
  'incidents',
  'quiet_periods',
];

const present = new WeakSet<Db>();

/** Whether the vault has the summary's table yet (migration 010). */
export function hasDashboardSummaryTable(db: Db): boolean {
  if (present.has(db)) return true;
  const found = tableExists(db, 'dashboard_summary');
  if (found) present.add(db);
  return found;
}

/** The state digests of the tables the summary is made from, as stored now. */
function sourceDigests(db: Db): SealedSummary['madeFrom'] {
  return SOURCES.map((table) => {
    const { rows, digest } = stateDigestStore.table(db, table);
    return { table, rows, digest: toHex(digest) };
  });
}

/**
 * The stored summary, if it was made from the tables as they stand; undefined before the first
 * write of a vault upgraded to format 10 (or of a vault whose summary a reader cannot store).
 * One read transaction, so a commit by another process cannot land between the two reads.
 * A summary that was not made from the current tables is an integrity error naming its row:
 * every write keeps it, so only an edit or a restore of the file leaves it behind.
 */
export function storedDashboardSummary(db: Db, key: SecretBytes): DashboardSummary | undefined {
  if (!hasDashboardSummaryTable(db)) return undefined;
  return readTransaction(db, () => {
    const stored = dashboardSummaryTable.get(db, key, SUMMARY_ID);
    if (!stored) return undefined;
    const { madeFrom, ...shown } = stored.value;
    if (canonicalJson(madeFrom) !== canonicalJson(sourceDigests(db))) {
      throw integrityError(
        `dashboard_summary row ${SUMMARY_ID}`,
        'was not made from the registry as it stands (an older or edited copy of the row)',
      );
    }
    return shown;
  });
}

/** What `audit verify` and the console's deferred state check say of a summary that is not the registry's. */
export const SUMMARY_DISAGREES =
  'disagrees with the registry it summarises (accounts, open lost-device incidents, quiet periods): the first screen may have shown something false';

/**
 * The stored summary, made again from the rows it summarises, must be the same (ADR 0027). Any
 * member can seal a row and re-sign the state around it, so a summary sealed to hide an open
 * lost-device incident (10.1) passes the state check; only making it again shows it. An integrity
 * error naming the row; nothing when the vault has no summary yet.
 */
export function checkDashboardSummaryAgainstRegistry(db: Db, key: SecretBytes): void {
  const stored = storedDashboardSummary(db, key);
  if (stored === undefined) return;
  if (canonicalJson(stored) !== canonicalJson(computeDashboardSummary(db, key))) {
    throw integrityError(`dashboard_summary row ${SUMMARY_ID}`, SUMMARY_DISAGREES);
  }
}

/**
 * Whether the signed state (its stored digest, which unlock held to the commitment) says the
 * summary row exists: one that vanished since is a deletion, not a vault without a summary yet.
 */
export function dashboardSummaryRecorded(db: Db): boolean {
  return hasDashboardSummaryTable(db) && stateDigestStore.table(db, 'dashboard_summary').rows > 0;
}

/**
 * Inside an audited write, before its checkpoint: if the write changed a table the summary is made
 * from (or the vault has no summary yet), make it again from those tables and store it with their
 * digests. Called by audit/log.ts for every transaction that appends entries, so no path that
 * changes the registry can leave the summary behind.
 */
export function keepDashboardSummary(db: WritableDb, key: SecretBytes, now: string): void {
  if (!hasDashboardSummaryTable(db)) return;
  const stored = dashboardSummaryTable.get(db, key, SUMMARY_ID);
  const changed = stateDigestStore.changedTables(db);
  if (stored && !SOURCES.some((table) => changed.has(table))) return;
  const summary = { ...computeDashboardSummary(db, key), madeFrom: sourceDigests(db) };
  if (!stored) dashboardSummaryTable.insert(db, key, SUMMARY_ID, { updated_at: now }, summary);
  else dashboardSummaryTable.update(db, key, stored, { updated_at: now }, summary);
}

/**
 * The summary from the rows it summarises: a count, the open incidents, the quiet periods not
 * ended, and the accounts and devices they name. Reads a few rows, never the whole registry.
 */
export function computeDashboardSummary(db: Db, key: SecretBytes): DashboardSummary {
  const labels = new Map<string, string>();
  const labelOf = (accountId: string): string => {
    let label = labels.get(accountId);
    if (label === undefined) {
      const row = accountStore.byId(db, accountId);
      label = row ? accountLabel(accountCodec.open(key, row)) : accountId;
      labels.set(accountId, label);
    }
    return label;
  };
  const openIncidents = incidentsTable
    .all(db, key, { column: 'resolved_at', is: null })
    .map((incident) => ({
      device:
        devicesTable.get(db, key, incident.clear.device_id)?.value.label ??
        incident.clear.device_id,
      lostOn: incident.clear.lost_on,
      accountsLeft: unansweredExposuresIn(db, incident).length,
      partiesLeft: missingNotificationsOf(incident).length,
    }));
  const quietPeriods = quietPeriodsTable
    .all(db, key, { column: 'ended_at', is: null })
    .map((quiet) => ({
      id: quiet.id,
      accounts:
        quiet.value.accountIds === 'all'
          ? 'every account'
          : quiet.value.accountIds.map(labelOf).join(', '),
      authority: quiet.value.authority,
      reason: quiet.value.reason,
      since: quiet.clear.declared_at,
    }));
  return { accounts: accountStore.count(db), openIncidents, quietPeriods };
}

type IncidentRecord = OpenedRecord<
  { device_id: string; lost_on: string; reported_at: string; resolved_at: string | null },
  Incident
>;

/**
 * Exposed accounts that still need a rotation (10.1), not judged safe. A rotation answers the loss
 * if it came after the report, or on a later day than the loss; one earlier on the day of the loss
 * may have come before it, so it does not count. The one statement of the rule (domain/devices.ts).
 */
export function unansweredExposuresIn(db: Db, incident: IncidentRecord): string[] {
  return incident.value.exposedAccountIds.filter((accountId) => {
    if (incident.value.notExposed[accountId] !== undefined) return false;
    return !accountStore
      .rotationsFor(db, accountId)
      .some((r) => r.at > incident.clear.reported_at || dayOf(r.at) > incident.clear.lost_on);
  });
}

/** The parties 10.1 names that have not been told yet. */
export function missingNotificationsOf(incident: IncidentRecord): NotifyParty[] {
  return NOTIFY_PARTIES.filter((party) => incident.value.notified[party] === undefined);
}

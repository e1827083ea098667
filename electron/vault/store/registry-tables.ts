import { healthSettingsSchema, type HealthSettings } from '../../../shared/domain/health.ts';
import {
  accountChangeSchema,
  deviceSchema,
  incidentSchema,
  membershipSchema,
  personSchema,
  quietPeriodSchema,
  type AccountChange,
  type Device,
  type Incident,
  type Membership,
  type Person,
  type QuietPeriod,
} from '../../../shared/domain/registry.ts';
import {
  complaintSchema,
  thirdPartyAppSchema,
  trialSchema,
  type Complaint,
  type ThirdPartyApp,
  type Trial,
} from '../../../shared/domain/policy-records.ts';
import { z } from 'zod';
import { SealedTable } from './sealed-records.ts';

/** The registry's tables (migration 002), each a SealedTable: clear ids and dates, sealed details. */
export const peopleTable = new SealedTable<{ created_at: string }, Person>(
  'people',
  ['created_at'],
  personSchema,
);

export const membershipsTable = new SealedTable<
  { account_id: string; person_id: string; granted_on: string; revoked_on: string | null },
  Membership
>('team_memberships', ['account_id', 'person_id', 'granted_on', 'revoked_on'], membershipSchema);

export const devicesTable = new SealedTable<{ owner_id: string; created_at: string }, Device>(
  'devices',
  ['owner_id', 'created_at'],
  deviceSchema,
);

export const incidentsTable = new SealedTable<
  { device_id: string; lost_on: string; reported_at: string; resolved_at: string | null },
  Incident
>('incidents', ['device_id', 'lost_on', 'reported_at', 'resolved_at'], incidentSchema);

export const quietPeriodsTable = new SealedTable<
  { declared_at: string; ended_at: string | null },
  QuietPeriod
>('quiet_periods', ['declared_at', 'ended_at'], quietPeriodSchema);

export const accountChangesTable = new SealedTable<
  { account_id: string; at: string; actor_id: string },
  AccountChange
>('account_changes', ['account_id', 'at', 'actor_id'], accountChangeSchema);

/**
 * Vault settings, one sealed row per group: 'health' holds threshold overrides, 'console' the
 * auto-lock time. Both groups share the row schema; each group's service writes only its fields.
 */
export const vaultSettingsSchema = healthSettingsSchema.extend({
  /** DESIGN.md / issue 6: the lead sets the idle time before the console locks itself. */
  autoLockMinutes: z.number().int().min(1).max(60).optional(),
  /**
   * 'reuse' (issue 13, attack 9): the team-key generation every reuse label was made under, and
   * the accounts whose password a member without the team key set, waiting for a label.
   */
  reuseGeneration: z.number().int().min(0).optional(),
  reusePending: z.array(z.string()).optional(),
});
export type VaultSettings = z.infer<typeof vaultSettingsSchema>;
export { healthSettingsSchema, type HealthSettings };

export const settingsTable = new SealedTable<{ updated_at: string }, VaultSettings>(
  'settings',
  ['updated_at'],
  vaultSettingsSchema,
);

export const healthSummarySchema = z.object({
  total: z.number().int(),
  counts: z.record(z.string(), z.record(z.string(), z.number().int())),
});
export type HealthSummary = z.infer<typeof healthSummarySchema>;

export const healthSummariesTable = new SealedTable<{ recorded_at: string }, HealthSummary>(
  'health_summaries',
  ['recorded_at'],
  healthSummarySchema,
);

/** Complaints and breaches about an account (6.4), with their referrals (migration 011). */
export const complaintsTable = new SealedTable<
  { account_id: string; received_on: string; closed_on: string | null },
  Complaint
>('complaints', ['account_id', 'received_on', 'closed_on'], complaintSchema);

/** Trials on new channels (3.4), requested through the DML (migration 011). */
export const trialsTable = new SealedTable<
  { requested_on: string; decided_on: string | null },
  Trial
>('channel_trials', ['requested_on', 'decided_on'], trialSchema);

/**
 * Applications added to accounts (6.3, 10.2; migration 011). `added_seq` and `removed_seq` name the
 * audit entries that recorded them: whose addition it was is read from the signed trail.
 */
export const thirdPartyAppsTable = new SealedTable<
  {
    account_id: string;
    added_on: string;
    added_seq: number;
    removed_on: string | null;
    removed_seq: number | null;
  },
  ThirdPartyApp
>(
  'third_party_apps',
  ['account_id', 'added_on', 'added_seq', 'removed_on', 'removed_seq'],
  thirdPartyAppSchema,
);

/** Every registry table, for `audit verify` to open row by row. */
export const REGISTRY_TABLES = [
  peopleTable,
  membershipsTable,
  devicesTable,
  incidentsTable,
  quietPeriodsTable,
  accountChangesTable,
  settingsTable,
  healthSummariesTable,
  complaintsTable,
  trialsTable,
  thirdPartyAppsTable,
] as const;

import { z } from 'zod';
import { dateSchema } from './dates.ts';
import { textSchema } from './text.ts';

/**
 * The policy records issue 15 adds to the registry (migration 011): complaints and breaches
 * (6.4), new-channel trials (3.4) and third-party applications added to accounts (6.3, 10.2).
 * Each is sealed under K_vault like the rest of the registry: every member, `security` included,
 * reads them; nothing here opens an account.
 */

const text = (max: number, what: string) => textSchema(what, { max });

// ---- 6.4 Complaints and breaches ---------------------------------------------------------

/** 6.4: "serious complaints, issues, discrepancies or breach of this policy". */
export const COMPLAINT_KINDS = ['complaint', 'issue', 'discrepancy', 'breach'] as const;
export type ComplaintKind = (typeof COMPLAINT_KINDS)[number];

/** 6.4: "line management in the first instance and Information Security and/or Professional Standards". */
export const REFERRAL_BODIES = [
  'line-management',
  'information-security',
  'professional-standards',
] as const;
export type ReferralBody = (typeof REFERRAL_BODIES)[number];

export const REFERRAL_BODY_NAMES: Readonly<Record<ReferralBody, string>> = {
  'line-management': 'line management',
  'information-security': 'Information Security',
  'professional-standards': 'the Professional Standards Department',
};

export const COMPLAINT_KIND_NAMES: Readonly<Record<ComplaintKind, string>> = {
  complaint: 'Serious complaint',
  issue: 'Issue',
  discrepancy: 'Discrepancy',
  breach: 'Breach of the policy',
};

export const referralSchema = z.object({
  to: z.enum(REFERRAL_BODIES),
  on: dateSchema,
  /** Their reference (a ticket or case number), if they gave one. */
  reference: text(100, 'reference').optional(),
  referredBy: z.string(),
  outcome: text(2000, 'outcome').optional(),
  outcomeOn: dateSchema.optional(),
});
export type Referral = z.infer<typeof referralSchema>;

export const complaintSchema = z.object({
  kind: z.enum(COMPLAINT_KINDS),
  summary: text(2000, 'summary'),
  /** Who raised it (a member of the public, a colleague, the platform). */
  raisedBy: text(200, 'raised by').optional(),
  recordedBy: z.string(),
  referrals: z.array(referralSchema),
  /** Set when it is closed: what came of it, and who closed the record. */
  outcome: text(2000, 'outcome').optional(),
  closedBy: z.string().optional(),
});
export type Complaint = z.infer<typeof complaintSchema>;

/** A referral still waiting for the body's outcome: what "an open referral" means (6.4). */
export function isOpenReferral(referral: Referral): boolean {
  return referral.outcome === undefined;
}

// ---- 3.4 New-channel trials ----------------------------------------------------------------

/**
 * 3.4: a trial is requested through the DML, who approves or refuses it, or, when the policy may
 * not cover it, takes it to the Deputy Chief Constables, whose decision is recorded.
 */
export const TRIAL_STATUSES = ['requested', 'escalated', 'approved', 'refused'] as const;
export type TrialStatus = (typeof TRIAL_STATUSES)[number];

export const DML_DECISIONS = ['approve', 'refuse', 'escalate'] as const;
export type DmlDecision = (typeof DML_DECISIONS)[number];
export const DCC_DECISIONS = ['approve', 'refuse'] as const;
export type DccDecision = (typeof DCC_DECISIONS)[number];

const decisionSchema = <D extends readonly [string, ...string[]]>(decisions: D) =>
  z.object({
    decision: z.enum(decisions),
    /** Who decided: the DML's name, or the Deputy Chief Constable(s). */
    by: text(200, 'decided by'),
    on: dateSchema,
    note: text(2000, 'note'),
    recordedBy: z.string(),
  });

export const trialSchema = z.object({
  platform: text(100, 'platform'),
  purpose: text(2000, 'purpose'),
  requestedBy: text(200, 'requested by'),
  department: text(200, 'department').optional(),
  /** Whether the request is one the policy covers; one it may not is for the DCCs (3.4). */
  coveredByPolicy: z.boolean(),
  status: z.enum(TRIAL_STATUSES),
  recordedBy: z.string(),
  dml: decisionSchema(DML_DECISIONS).optional(),
  dcc: decisionSchema(DCC_DECISIONS).optional(),
});
export type Trial = z.infer<typeof trialSchema>;

// ---- 6.3 / 10.2 Third-party applications -----------------------------------------------------

/** Who added an app to the account: 6.3 protects those Corporate Communications added. */
export const APP_ADDERS = ['corporate-communications', 'account-team'] as const;
export type AppAdder = (typeof APP_ADDERS)[number];

export const APP_ADDER_NAMES: Readonly<Record<AppAdder, string>> = {
  'corporate-communications': 'Corporate Communications',
  'account-team': "the account's team",
};

/** 10.2: what an app is granted ("access to account information to a third party provider"). */
export const APP_REACH = [
  'read-posts',
  'publish',
  'direct-messages',
  'followers',
  'analytics',
  'media-ownership',
  'profile-settings',
] as const;
export type AppReach = (typeof APP_REACH)[number];

export const APP_REACH_NAMES: Readonly<Record<AppReach, string>> = {
  'read-posts': 'read posts and timeline',
  publish: 'post on the account',
  'direct-messages': 'read and send direct messages',
  followers: 'followers and contacts',
  analytics: 'analytics',
  'media-ownership': 'claim or reuse media uploaded through it',
  'profile-settings': 'change the profile or settings',
};

export const thirdPartyAppSchema = z.object({
  name: text(200, 'app name'),
  addedBy: z.enum(APP_ADDERS),
  /** The person who added it on the platform (a name as people say it). */
  addedByName: text(200, 'added by'),
  reaches: z.array(z.enum(APP_REACH)).min(1, 'name at least one thing the app can reach'),
  /** 10.2: "read the small print before signing up" — the day someone did. */
  termsReadOn: dateSchema.optional(),
  notes: text(2000, 'notes').optional(),
  recordedBy: z.string(),
  removedBy: z.string().optional(),
  removeReason: text(500, 'reason').optional(),
});
export type ThirdPartyApp = z.infer<typeof thirdPartyAppSchema>;

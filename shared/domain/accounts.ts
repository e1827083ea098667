import { z } from 'zod';
import { accountDetailsSchema } from './registry.ts';
import { textSchema } from './text.ts';

/** Platforms the force runs accounts on (policy 9.1). */
export const PLATFORMS = [
  'x',
  'facebook',
  'instagram',
  'vimeo',
  'youtube',
  'linkedin',
  'tiktok',
  'threads',
  'nextdoor',
  'other',
] as const;
export type Platform = (typeof PLATFORMS)[number];

export const FORCES = ['norfolk', 'suffolk'] as const;
export type Force = (typeof FORCES)[number];

/** Policy 9.5: new accounts belong to a department, specialist area, team or district; individual ones only if they predate January 2017. */
export const UNIT_TYPES = ['department', 'specialist', 'team', 'district', 'individual'] as const;
export type UnitType = (typeof UNIT_TYPES)[number];

/** Why a password changed (policy 9.9, 9.10, 10.1, 10.2). */
export const ROTATION_REASONS = [
  'scheduled',
  'membership-change',
  'lost-device',
  'compromise',
  'security-risk',
  'owner-change',
] as const;
export type RotationReason = (typeof ROTATION_REASONS)[number];

export const LIMITS = {
  handle: 100,
  unitName: 200,
  username: 320,
  password: 1024,
  reason: 500,
  memberName: 100,
} as const;

/** Trimmed, bounded, well-formed text without control characters (line breaks only if asked). */
const trimmed = (max: number, what: string, allowLineBreaks = false) =>
  textSchema(what, { max, controls: allowLineBreaks ? 'lines' : 'refuse' });

export const handleSchema = trimmed(LIMITS.handle, 'handle');
export const memberNameSchema = trimmed(LIMITS.memberName, 'member name');
/** A reason people type may run over several lines (it is free text in the audit trail). */
export const reasonSchema = trimmed(LIMITS.reason, 'reason', true);

/** A password is kept byte-exact (no trimming) but bounded. */
export const passwordSchema = textSchema('password', {
  max: LIMITS.password,
  trim: false,
  secret: true,
});

export const accountProfileSchema = z.object({
  platform: z.enum(PLATFORMS),
  handle: handleSchema,
  force: z.enum(FORCES),
  unitType: z.enum(UNIT_TYPES),
  unitName: trimmed(LIMITS.unitName, 'unit name'),
});
export type AccountProfile = z.infer<typeof accountProfileSchema>;

/** What an account row seals: who and what it is, plus the registry details (policy 9.x). */
export const accountRecordSchema = accountProfileSchema.extend(accountDetailsSchema.shape);
export type AccountRecord = z.infer<typeof accountRecordSchema>;

export const newAccountSchema = accountProfileSchema.extend({
  username: trimmed(LIMITS.username, 'username'),
});
export type NewAccount = z.infer<typeof newAccountSchema>;

/** An account as every member may see it: no credential in it. */
export interface AccountSummary extends AccountRecord {
  readonly id: string;
  /**
   * The account's version (its row's): raised by every change to the account or its credential.
   * A form sends it back as `expectedVersion`, so a change made since it opened is refused as a
   * conflict instead of overwritten (ADR 0023).
   */
  readonly version: number;
  readonly createdAt: string;
  /** Set while a rotation is owed (a leaver who knew the password, policy 10.2). */
  readonly rotationDueSince: string | null;
  readonly lastRotatedAt: string | null;
  /** 6.4: open complaints or breaches about the account, in the list only (absent: none). */
  readonly openComplaints?: number | undefined;
}

/** "platform:handle" is how people name an account on the command line. */
export function accountLabel(profile: Pick<AccountProfile, 'platform' | 'handle'>): string {
  return `${profile.platform}:${profile.handle}`;
}

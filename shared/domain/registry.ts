import { z } from 'zod';
import { dateSchema, dateTimeSchema } from './dates.ts';
import { textSchema } from './text.ts';

const text = (max: number, what: string) => textSchema(what, { max });

/** Account lifecycle (9.1-9.7 request and approval, 9.11-9.12 closure). */
export const ACCOUNT_STATUSES = [
  'requested',
  'approved',
  'active',
  'suspended',
  'closing',
  'closed',
] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export const TWO_FACTOR_METHODS = [
  'none',
  'authenticator-app',
  'sms',
  'security-key',
  'email',
] as const;
export type TwoFactorMethod = (typeof TWO_FACTOR_METHODS)[number];

const approvalSchema = z.object({ by: text(100, 'approver'), on: dateSchema });

/**
 * Everything about an account except its credentials. Sealed under K_vault: every member,
 * `security` included, reads it; nothing here opens the account.
 */
export const accountDetailsSchema = z.object({
  profileUrl: z.url().max(500).optional(),
  purpose: text(2000, 'purpose').optional(),
  aims: text(2000, 'aims and objectives').optional(),
  ownerId: z.string().optional(),
  lineManagerId: z.string().optional(),
  status: z.enum(ACCOUNT_STATUSES).optional(),
  createdOn: dateSchema.optional(),
  /** 9.5 / 9.16: an individual account set up before January 2017. */
  legacy: z.boolean().optional(),
  lastActivityOn: dateSchema.optional(),
  twoFactor: z.enum(TWO_FACTOR_METHODS).optional(),
  recoveryEmail: z.email().max(320).optional(),
  recoveryPhone: z
    .string()
    .regex(/^\+?[0-9 ()-]{6,20}$/, 'must be a phone number')
    .optional(),
  /** 9.8 / 9.16: the DMT has checked the recovery phone is a force-issued number. */
  recoveryPhoneIsForce: z.boolean().optional(),
  notes: text(5000, 'notes').optional(),
  /** 9.2 line manager and Head of Department, 9.5 Digital Media Lead. */
  approvals: z
    .object({
      lineManager: approvalSchema.optional(),
      headOfDepartment: approvalSchema.optional(),
      digitalMediaLead: approvalSchema.optional(),
      /** A legacy account may carry a recorded exemption instead (9.16). */
      exemption: text(500, 'exemption').optional(),
    })
    .optional(),
  /** Facts about the current password that need no key to judge (strength, reuse), set at every change. */
  passwordCheck: z
    .object({
      strength: z.number().int().min(0).max(4),
      /**
       * The reuse label (issue 13, attack 9): keyed by the team secret, absent until a lead or dmt
       * member has labelled a password an administrator set.
       */
      fingerprint: z.string().optional(),
      setOn: dateSchema,
    })
    .optional(),
  /** 9.11 / 9.12. */
  closure: z
    .object({
      consultedOn: dateSchema.optional(),
      publicNoticeOn: dateSchema.optional(),
      alternativeChannel: text(200, 'alternative channel').optional(),
      continuedById: z.string().optional(),
    })
    .optional(),
});
export type AccountDetails = z.infer<typeof accountDetailsSchema>;

export const FORCES_OR_OTHER = ['norfolk', 'suffolk'] as const;

/** The staff register (11.1 training, 12.1 line managers). */
export const personSchema = z.object({
  name: text(100, 'name'),
  staffNo: text(20, 'staff number').optional(),
  force: z.enum(FORCES_OR_OTHER).optional(),
  department: text(200, 'department').optional(),
  lineManagerId: z.string().optional(),
  role: text(100, 'role').optional(),
  masterclassOn: dateSchema.optional(),
  refresherOn: dateSchema.optional(),
  memberId: z.string().optional(),
  /** Off the register since (left the force, moved on), with why: given no access from then on. */
  retiredOn: dateSchema.optional(),
  retireReason: text(500, 'reason').optional(),
});
export type Person = z.infer<typeof personSchema>;

/** A grant of access (10.2) and, once it ends, its revoke. */
export const membershipSchema = z.object({
  grantedBy: z.string(),
  why: textSchema('why', { allowEmpty: true }).optional(),
  revokedBy: z.string().optional(),
  revokeWhy: textSchema('why', { allowEmpty: true }).optional(),
});
export type Membership = z.infer<typeof membershipSchema>;

export const DEVICE_KINDS = ['force', 'personal'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

export const deviceSchema = z.object({
  kind: z.enum(DEVICE_KINDS),
  label: text(200, 'label'),
  accountIds: z.array(z.string()),
  /** 12.1: the line manager keeps a record of personal devices used for corporate accounts. */
  lineManagerRecordOn: dateSchema.optional(),
  /** Taken out of use (wiped, returned, replaced): it reaches no account from this day. */
  retiredOn: dateSchema.optional(),
  retireReason: text(500, 'reason').optional(),
});
export type Device = z.infer<typeof deviceSchema>;

/** 10.1: ICT and Information Security immediately, then Corporate Communications. */
export const NOTIFY_PARTIES = ['ict', 'infosec', 'corporate-comms'] as const;
export type NotifyParty = (typeof NOTIFY_PARTIES)[number];

/** A reference a party gave when told of a loss (10.1): a ticket or case number, one line. */
export const referenceSchema = textSchema('reference', { max: 100, controls: 'refuse' });

export const incidentSchema = z.object({
  reportedBy: z.string(),
  exposedAccountIds: z.array(z.string()),
  /** Accounts judged not exposed after all, with the reason. */
  notExposed: z.record(z.string(), z.string()),
  notified: z.partialRecord(z.enum(NOTIFY_PARTIES), dateTimeSchema),
  /**
   * 10.1: the reference each party gave when told (an ICT ticket, an Information Security case
   * number), so the trail can be matched to their records. Older incidents have none.
   */
  references: z.partialRecord(z.enum(NOTIFY_PARTIES), referenceSchema).optional(),
});
export type Incident = z.infer<typeof incidentSchema>;

export const quietPeriodSchema = z.object({
  accountIds: z.union([z.literal('all'), z.array(z.string())]),
  authority: text(200, 'authority'),
  reason: text(500, 'reason'),
  declaredBy: z.string(),
  endedBy: z.string().optional(),
  /** 6.6: ending it needs an authority and a reason too (older records may lack them). */
  endAuthority: text(200, 'authority').optional(),
  endReason: text(500, 'reason').optional(),
});

/** What ending a quiet period records (6.6): on whose authority, and why. */
export const quietEndSchema = z.object({
  authority: text(200, 'authority'),
  reason: text(500, 'reason'),
});
export type QuietPeriod = z.infer<typeof quietPeriodSchema>;

/** An owner or name change (9.9), recorded when it happens. */
export const accountChangeSchema = z.object({
  field: z.enum(['handle', 'owner']),
  from: z.string(),
  to: z.string(),
  informed: z.array(z.string()),
});
export type AccountChange = z.infer<typeof accountChangeSchema>;

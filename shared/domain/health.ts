import { z } from 'zod';

/** Severity of a finding, least to most urgent. */
export const SEVERITIES = ['info', 'warning', 'action', 'breach'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type SubjectKind = 'account' | 'person' | 'device' | 'incident';

/**
 * One policy rule's verdict on one thing: which rule and clause, how urgent, since when, the
 * evidence in plain words and what to do next. No secret is ever in a finding.
 */
export interface Finding {
  /** The account concerned, if any (a training finding concerns a person, possibly no account). */
  readonly account: string | null;
  readonly subject: { readonly kind: SubjectKind; readonly id: string; readonly label: string };
  readonly rule: string;
  readonly clause: string;
  readonly severity: Severity;
  /** The date (YYYY-MM-DD) it became due. */
  readonly since: string;
  readonly evidence: string;
  readonly action: string;
}

/** Thresholds for the health rules, kept in vault settings; changing one is audited. */
export interface HealthThresholds {
  /** 9.13: guidance after 3 months unused, a reminder after 6, may be closed a month later. */
  readonly inactivityGuidanceMonths: number;
  readonly inactivityReminderMonths: number;
  readonly inactivityClosureMonths: number;
  /** 11.1: the refresher is annual; severity rises past these months since the last one. */
  readonly refresherDueMonths: number;
  readonly refresherActionMonths: number;
  readonly refresherBreachMonths: number;
  /** Below this zxcvbn score (0-4) a password is weak. */
  readonly minimumStrength: number;
  /** Off (null) by default: NIST SP 800-63B advises rotation on evidence, not on a calendar. */
  readonly maxPasswordAgeDays: number | null;
  /** Days an owed rotation (10.2) may wait before it is a breach. */
  readonly leaverRotationGraceDays: number;
  /** 9.8 / 9.16: e-mail domains that are the force's (a recovery address elsewhere is a finding). */
  readonly forceEmailDomains: readonly string[];
}

export const DEFAULT_THRESHOLDS: HealthThresholds = {
  inactivityGuidanceMonths: 3,
  inactivityReminderMonths: 6,
  inactivityClosureMonths: 7,
  refresherDueMonths: 12,
  refresherActionMonths: 15,
  refresherBreachMonths: 18,
  minimumStrength: 3,
  maxPasswordAgeDays: null,
  leaverRotationGraceDays: 7,
  // The forces' own domains and the PNN ones the policy's addresses use (9.3, 10.2).
  forceEmailDomains: [
    'norfolk.police.uk',
    'suffolk.police.uk',
    'norfolk.pnn.police.uk',
    'suffolk.pnn.police.uk',
  ],
};

const emailDomain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'must be an e-mail domain such as norfolk.police.uk',
  );

/** Health threshold overrides, as stored and as a lead changes them (partial: unset ones take the defaults). */
export const healthSettingsSchema = z.object({
  inactivityGuidanceMonths: z.number().int().min(1).max(60).optional(),
  inactivityReminderMonths: z.number().int().min(1).max(60).optional(),
  inactivityClosureMonths: z.number().int().min(1).max(60).optional(),
  refresherDueMonths: z.number().int().min(1).max(60).optional(),
  refresherActionMonths: z.number().int().min(1).max(60).optional(),
  refresherBreachMonths: z.number().int().min(1).max(60).optional(),
  minimumStrength: z.number().int().min(0).max(4).optional(),
  maxPasswordAgeDays: z.number().int().min(1).max(3650).nullable().optional(),
  leaverRotationGraceDays: z.number().int().min(0).max(365).optional(),
  forceEmailDomains: z.array(emailDomain).min(1).max(20).optional(),
});
export type HealthSettings = z.infer<typeof healthSettingsSchema>;

import { z } from 'zod';
import { COMPLAINT_KINDS, complaintSchema, REFERRAL_BODIES } from '../../domain/policy-records.ts';
import { REGISTRY_EDITORS } from '../../domain/roles.ts';
import { accountRef, ALL, channel, expectedVersion, ok } from './common.ts';

const complaintId = z.string().trim().min(1, 'Name the complaint (its id).').max(64);
const day = z.string().max(10);

/** A complaint as every member may read it (6.4): its account named, its open referrals counted. */
export const complaintViewSchema = complaintSchema.extend({
  id: z.string(),
  version: z.number().int(),
  accountId: z.string(),
  account: z.string(),
  receivedOn: z.string(),
  closedOn: z.string().nullable(),
  openReferrals: z.number().int(),
});

/**
 * Complaints and breaches (policy 6.4): recorded against an account, referred to line management
 * in the first instance and then Information Security and/or Professional Standards, each with its
 * date and outcome. Administrators only on the accounts they administer (the core's scope check).
 */
export const complaintsChannels = {
  'complaints.record': channel(() => ({
    request: z
      .object({
        account: accountRef,
        kind: z.enum(COMPLAINT_KINDS),
        summary: z.string().max(2000),
        receivedOn: day,
        raisedBy: z.string().max(200).optional(),
      })
      .strict(),
    response: z.object({ id: z.string() }),
    roles: REGISTRY_EDITORS,
  })),
  /** 6.4: line management first; then Information Security and/or Professional Standards. */
  'complaints.refer': channel(() => ({
    request: z
      .object({
        complaint: complaintId,
        to: z.enum(REFERRAL_BODIES),
        on: day,
        reference: z.string().max(100).optional(),
        expectedVersion,
      })
      .strict(),
    response: ok,
    roles: REGISTRY_EDITORS,
  })),
  'complaints.outcome': channel(() => ({
    request: z
      .object({
        complaint: complaintId,
        to: z.enum(REFERRAL_BODIES),
        outcome: z.string().max(2000),
        on: day,
        expectedVersion,
      })
      .strict(),
    response: ok,
    roles: REGISTRY_EDITORS,
  })),
  /** Closed only once referred to line management and every referral has its outcome (6.4). */
  'complaints.close': channel(() => ({
    request: z
      .object({
        complaint: complaintId,
        outcome: z.string().max(2000),
        on: day.optional(),
        expectedVersion,
      })
      .strict(),
    response: ok,
    roles: REGISTRY_EDITORS,
  })),
  'complaints.list': channel(() => ({
    request: z.object({ account: accountRef.optional() }).strict(),
    response: z.array(complaintViewSchema),
    roles: ALL,
  })),
} as const;

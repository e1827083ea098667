import { z } from 'zod';
import { DCC_DECISIONS, DML_DECISIONS, trialSchema } from '../../domain/policy-records.ts';
import { ALL, channel, expectedVersion, ok } from './common.ts';

const trialId = z.string().trim().min(1, 'Name the trial (its id).').max(64);

export const trialViewSchema = trialSchema.extend({
  id: z.string(),
  version: z.number().int(),
  requestedOn: z.string(),
  decidedOn: z.string().nullable(),
});

/**
 * Trials on new channels (policy 3.4): "all trials on new channels must be requested and approval
 * sought via the Digital Media Lead"; a request the policy may not cover goes from the DML to the
 * Deputy Chief Constables, whose decision the DML records. The DML is the vault's lead (9.5).
 */
export const trialsChannels = {
  'trials.request': channel(() => ({
    request: z
      .object({
        platform: z.string().max(100),
        purpose: z.string().max(2000),
        requestedBy: z.string().max(200),
        department: z.string().max(200).optional(),
        coveredByPolicy: z.boolean(),
      })
      .strict(),
    response: z.object({ id: z.string() }),
    roles: ['lead', 'dmt'],
  })),
  /** The DML approves, refuses, or takes a request the policy may not cover to the DCCs (3.4). */
  'trials.decide': channel(() => ({
    request: z
      .object({
        trial: trialId,
        decision: z.enum(DML_DECISIONS),
        note: z.string().max(2000),
        expectedVersion,
      })
      .strict(),
    response: ok,
    roles: ['lead'],
  })),
  /** The Deputy Chief Constables' decision on an escalated request, recorded by the DML (3.4). */
  'trials.dcc-decide': channel(() => ({
    request: z
      .object({
        trial: trialId,
        decision: z.enum(DCC_DECISIONS),
        by: z.string().max(200),
        on: z.string().max(10),
        note: z.string().max(2000),
        expectedVersion,
      })
      .strict(),
    response: ok,
    roles: ['lead'],
  })),
  'trials.list': channel(() => ({
    request: z.object({}).strict(),
    response: z.array(trialViewSchema),
    roles: ALL,
  })),
} as const;

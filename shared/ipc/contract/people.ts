import { z } from 'zod';
import { SEVERITIES } from '../../domain/health.ts';
import { REGISTRY_EDITORS } from '../../domain/roles.ts';
import { personSchema } from '../../domain/registry.ts';
import { empty, expectedVersion, ok, ALL, channel } from './common.ts';

/** The staff register and its training records (policy 11.1, 12.1). */
export const peopleChannels = {
  'people.list': channel(() => ({
    request: empty,
    response: z.array(
      z.object({
        id: z.string(),
        /** The record's version: `people.train` sends it back (ADR 0023). */
        version: z.number().int(),
        person: personSchema,
        /**
         * The person's 11.1 status from the health rule itself (electron/vault/health/rules/
         * training.ts): no account access yet, up to date, or overdue with the finding's severity.
         */
        training: z.object({
          status: z.enum(['no-access', 'up-to-date', 'overdue']),
          severity: z.enum(SEVERITIES).nullable(),
          summary: z.string(),
        }),
        /** Whether this member may record their training (10.2: an administrator, their teams). */
        canTrain: z.boolean(),
        /**
         * Whether this member may correct or retire the record (10.2, 9.14: an administrator only
         * when they administer every account the person has access to).
         */
        canEdit: z.boolean(),
      }),
    ),
    roles: ALL,
  })),
  'people.add': channel(() => ({
    request: personSchema
      .pick({
        name: true,
        staffNo: true,
        force: true,
        department: true,
        role: true,
        masterclassOn: true,
        refresherOn: true,
      })
      .extend({
        /** Their line manager, already registered: an id or a name. */
        lineManager: z.string().trim().min(1).max(100).optional(),
        /** The vault member this person is, by name. */
        member: z.string().trim().min(1).max(100).optional(),
      })
      .strict(),
    response: z.object({ id: z.string() }),
    roles: REGISTRY_EDITORS,
  })),
  'people.train': channel(() => ({
    request: z
      .object({
        person: z.string().min(1).max(100),
        masterclassOn: personSchema.shape.masterclassOn,
        refresherOn: personSchema.shape.refresherOn,
        expectedVersion,
      })
      .strict(),
    response: ok,
    roles: REGISTRY_EDITORS,
  })),
  /** Correct a person's record (9.9-style corrections are audited like every change). */
  'people.edit': channel(() => ({
    request: z
      .object({
        person: z.string().min(1).max(100),
        name: z.string().trim().min(1, 'A person needs a name.').max(100).optional(),
        staffNo: z.string().trim().min(1).max(20).optional(),
        department: z.string().trim().min(1).max(200).optional(),
        role: z.string().trim().min(1).max(100).optional(),
        expectedVersion,
      })
      .strict(),
    response: z.object({ name: z.string() }),
    roles: REGISTRY_EDITORS,
  })),
  /**
   * Take a person off the register with the reason (left the force, moved on). Refused while they
   * have access to any account: remove it there first, so each account is made rotation due (10.2).
   */
  'people.retire': channel(() => ({
    request: z
      .object({
        person: z.string().min(1).max(100),
        reason: z.string().trim().min(1, 'Say why the person leaves the register.').max(500),
        on: z.string().max(10).optional(),
      })
      .strict(),
    response: z.object({ name: z.string(), retiredOn: z.string() }),
    roles: ['lead', 'dmt'],
  })),
} as const;

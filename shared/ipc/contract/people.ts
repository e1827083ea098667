import { z } from 'zod';
import { SEVERITIES } from '../../domain/health.ts';
import { REGISTRY_EDITORS } from '../../domain/roles.ts';
import { personSchema } from '../../domain/registry.ts';
import { empty, expectedVersion, ok, ALL, channel } from './common.ts';

/** The staff register and its training records (policy 11.1, 12.1). */
export const peopleChannels = {
  'people.list': channel({
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
      }),
    ),
    roles: ALL,
  }),
  'people.add': channel({
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
  }),
  'people.train': channel({
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
  }),
} as const;

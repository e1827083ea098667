import { z } from 'zod';
import { REGISTRY_EDITORS } from '../../domain/roles.ts';
import { DEVICE_KINDS, NOTIFY_PARTIES } from '../../domain/registry.ts';
import { accountRef, empty, expectedVersion, ALL, channel } from './common.ts';

/** An incident with its accounts named (platform:handle) rather than by id. */
const incidentViewSchema = z.object({
  id: z.string(),
  deviceId: z.string(),
  lostOn: z.string(),
  resolvedAt: z.string().nullable(),
  reportedBy: z.string(),
  exposed: z.array(z.string()),
  awaitingRotation: z.array(z.string()),
  notExposed: z.record(z.string(), z.string()),
  notified: z.partialRecord(z.enum(NOTIFY_PARTIES), z.string()),
  /** The reference each party gave (a ticket or case number), where one was recorded. */
  references: z.partialRecord(z.enum(NOTIFY_PARTIES), z.string()),
  awaitingNotification: z.array(z.enum(NOTIFY_PARTIES)),
});

/** Devices that reach accounts and lost-device incidents (policy 10.1, 12.1). */
export const devicesChannels = {
  /** Devices that can reach accounts (10.1, 12.1) and every lost-device incident, open first. */
  'devices.list': channel(() => ({
    request: empty,
    response: z.object({
      devices: z.array(
        z.object({
          id: z.string(),
          /** The record's version: `devices.edit` sends it back (ADR 0023). */
          version: z.number().int(),
          label: z.string(),
          kind: z.enum(DEVICE_KINDS),
          owner: z.string(),
          ownerId: z.string(),
          accounts: z.array(z.object({ id: z.string(), label: z.string() })),
          /** 12.1: when the line manager's record of a personal device was made. */
          lineManagerRecordOn: z.string().nullable(),
          /** Out of service since (with why): it reaches no account and is not reported lost. */
          retiredOn: z.string().nullable(),
          retireReason: z.string().nullable(),
          /** The day it was lost while its incident is open (10.1): shown as lost, not reported again. */
          lostOn: z.string().nullable(),
          /**
           * Its latest loss once that incident is resolved (10.1): the device is still lost (shown
           * so, and offered Retire rather than a second report), though nothing is left to do.
           */
          lostResolved: z.object({ lostOn: z.string(), resolvedAt: z.string() }).nullable(),
          /**
           * Whether this member may edit, retire or report it lost (10.2: an administrator, their
           * accounts only).
           */
          canEdit: z.boolean(),
        }),
      ),
      incidents: z.array(
        z.object({
          id: z.string(),
          device: z.string(),
          lostOn: z.string(),
          reportedAt: z.string(),
          resolvedAt: z.string().nullable(),
          reportedBy: z.string(),
          exposed: z.array(
            z.object({
              id: z.string(),
              label: z.string(),
              answered: z.boolean(),
              /** Why it was judged not exposed (10.1), if it was; otherwise a rotation answered it. */
              notExposed: z.string().nullable(),
            }),
          ),
          notified: z.partialRecord(z.enum(NOTIFY_PARTIES), z.string()),
          /** The reference each party gave when told (a ticket or case number). */
          references: z.partialRecord(z.enum(NOTIFY_PARTIES), z.string()),
          /** Whether this member may record its notifications (as for the device). */
          canEdit: z.boolean(),
        }),
      ),
    }),
    roles: ALL,
  })),
  /** Record a device that reaches accounts: force-owned (10.1) or personal (12.1). */
  'devices.add': channel(() => ({
    request: z
      .object({
        owner: z.string().min(1).max(100),
        kind: z.enum(DEVICE_KINDS),
        label: z
          .string()
          .trim()
          .min(1, 'Name the device (e.g. "iPhone 15, asset 40213").')
          .max(200),
        accounts: z.array(accountRef).max(500),
        lineManagerRecordOn: z.string().max(10).optional(),
      })
      .strict(),
    response: z.object({ id: z.string() }),
    roles: REGISTRY_EDITORS,
  })),
  /** Correct a device's record; `lineManagerRecordOn: null` clears a 12.1 date entered by mistake. */
  'devices.edit': channel(() => ({
    request: z
      .object({
        device: z.string().min(1).max(200),
        owner: z.string().min(1).max(100).optional(),
        kind: z.enum(DEVICE_KINDS).optional(),
        label: z.string().trim().min(1).max(200).optional(),
        accounts: z.array(accountRef).max(500).optional(),
        lineManagerRecordOn: z.string().max(10).nullable().optional(),
        expectedVersion,
      })
      .strict(),
    /** The device's label after the change. */
    response: z.object({ label: z.string() }),
    roles: REGISTRY_EDITORS,
  })),
  /** Take a device out of service with the reason; its record and incidents are kept. */
  'devices.retire': channel(() => ({
    request: z
      .object({
        device: z.string().min(1).max(200),
        reason: z.string().trim().min(1, 'Say why the device is retired.').max(500),
        on: z.string().max(10).optional(),
      })
      .strict(),
    response: z.object({ label: z.string(), retiredOn: z.string() }),
    roles: REGISTRY_EDITORS,
  })),
  'devices.report-lost': channel(() => ({
    request: z
      .object({ device: z.string().min(1).max(200), lostOn: z.string().max(10).optional() })
      .strict(),
    response: z.object({ incident: z.string() }),
    roles: REGISTRY_EDITORS,
  })),
  'incidents.notify': channel(() => ({
    request: z
      .object({
        incident: z.string().min(1).max(100),
        party: z.enum(NOTIFY_PARTIES),
        at: z.string().max(40).optional(),
        /** The ticket or case number they gave, to match the trail to their records. */
        reference: z.string().max(100, 'A reference is at most 100 characters.').optional(),
      })
      .strict(),
    /** Whether that was the last thing left: every party told, every exposed account answered. */
    response: z.object({ resolved: z.boolean() }),
    roles: REGISTRY_EDITORS,
  })),
  /** One lost-device incident as the CLI shows it: what was exposed, who is told, what is left. */
  'incidents.show': channel(() => ({
    request: z.object({ incident: z.string().min(1).max(200) }).strict(),
    response: incidentViewSchema,
    roles: ALL,
  })),
  'incidents.list': channel(() => ({
    request: empty,
    response: z.array(incidentViewSchema),
    roles: ALL,
  })),
  /** An exposed account judged not exposed after all, with the reason (10.1). */
  'incidents.not-exposed': channel(() => ({
    request: z
      .object({
        incident: z.string().min(1).max(200),
        account: accountRef,
        reason: z.string().max(500, 'The reason is at most 500 characters.'),
      })
      .strict(),
    response: z.object({ resolved: z.boolean() }),
    roles: ['lead', 'dmt'],
  })),
} as const;

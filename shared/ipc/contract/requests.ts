import { z } from 'zod';
import { LIMITS, passwordSchema, accountProfileSchema, PLATFORMS } from '../../domain/accounts.ts';
import { accountRef, ok, channel } from './common.ts';

/** Requests for new accounts and their approvals (policy 9.1-9.6). */
export const requestsChannels = {
  /** 9.1-9.3: a request with who asks, the purpose and its aims; individual accounts are refused (9.5). */
  'requests.create': channel(() => ({
    request: accountProfileSchema
      .extend({
        requester: z.string().trim().min(1).max(100),
        purpose: z.string().trim().min(1).max(2000),
        aims: z.string().trim().min(1).max(2000),
        /** Their line manager (9.2), by name. */
        lineManager: z.string().trim().min(1).max(100).optional(),
      })
      .strict(),
    response: z.object({ id: z.string() }),
    roles: ['lead', 'dmt'],
  })),
  /** 9.2 line manager and Head of Department, then 9.5 the Digital Media Lead (a lead) decides. */
  'requests.approve': channel(() => ({
    request: z
      .object({
        account: accountRef,
        approver: z.enum(['line-manager', 'head-of-department', 'dml']),
        by: z.string().trim().min(1).max(100),
        refuse: z.string().trim().min(1).max(500).optional(),
        suggest: z.enum(PLATFORMS).optional(),
        /** The day of the decision (YYYY-MM-DD); today if absent. */
        on: z.string().max(10).optional(),
      })
      .strict(),
    /** Where the request stands now (requested, approved, refused, active...). */
    response: z.object({ status: z.string().nullable() }),
    roles: ['lead', 'dmt'],
  })),
  /** 9.6 and 9.8: Corporate Communications set it up and register the login. */
  'requests.set-up': channel(() => ({
    request: z
      .object({
        account: accountRef,
        username: z.string().trim().min(1).max(LIMITS.username),
        password: passwordSchema,
        /** The day it was created on the platform; today if absent. */
        on: z.string().max(10).optional(),
      })
      .strict(),
    response: ok,
    roles: ['lead', 'dmt'],
  })),
} as const;

import { z } from 'zod';
import { LIMITS } from '../../domain/accounts.ts';
import { SEVERITIES } from '../../domain/health.ts';
import { ROLES, type Role } from '../../domain/roles.ts';

/** The pieces several features' channels share; each feature's channels live in its own file. */

export const path = z
  .string()
  .trim()
  .min(1, 'Choose a vault file.')
  .max(4096, 'The path is too long.')
  .refine((p) => !p.includes('\0'), 'A path cannot contain a NUL character.');
/** An opaque handle for a file main's chooser returned (electron/vault/file-handles.ts): never a path. */
export const fileHandle = z
  .string()
  .regex(/^fh-[0-9a-f]{32}$/, 'Choose the file first (with "Choose…", or by typing its path).');
export const passphrase = z
  .string()
  .min(1, 'Enter the passphrase.')
  .max(1024, 'The passphrase is too long.');
export const accountRef = z
  .string()
  .trim()
  .min(1)
  .max(LIMITS.handle + 20);

/**
 * The version of the record the form was opened on (ADR 0023): a change made since is refused as
 * CONFLICT, naming who made it, and nothing is saved. Left out (a one-shot CLI command that loaded
 * nothing), the version the request itself read is used.
 */
export const expectedVersion = z.number().int().min(1).optional();

export const empty = z.object({}).strict();
export const ok = z.object({}).strict();

export const memberSchema = z.object({ id: z.string(), name: z.string(), role: z.enum(ROLES) });

export const findingSchema = z.object({
  account: z.string().nullable(),
  subject: z.object({
    kind: z.enum(['account', 'person', 'device', 'incident']),
    id: z.string(),
    label: z.string(),
  }),
  rule: z.string(),
  clause: z.string(),
  severity: z.enum(SEVERITIES),
  since: z.string(),
  evidence: z.string(),
  action: z.string(),
});

export const ALL: readonly Role[] = ROLES;
export const READERS: readonly Role[] = ['lead', 'dmt', 'admin'];

export interface ChannelSpec {
  readonly request: z.ZodType;
  readonly response: z.ZodType;
  /** `null`: the channel needs no unlocked session (create, unlock, status). */
  readonly roles: readonly Role[] | null;
}

/**
 * Checks a channel's shape while keeping its exact schema types for the derived types. Built on
 * first use: zod makes each schema at some cost, and a CLI command touches a few of the 78
 * channels, where building them all at start cost 50-70 ms of every command (issue 17).
 */
export const channel = <const S extends ChannelSpec>(make: () => S): S => {
  let built: S | undefined;
  const spec = () => (built ??= make());
  return {
    get request() {
      return spec().request;
    },
    get response() {
      return spec().response;
    },
    get roles() {
      return spec().roles;
    },
  } as S;
};

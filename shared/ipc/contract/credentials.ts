import { z } from 'zod';
import { LIMITS, passwordSchema, reasonSchema, ROTATION_REASONS } from '../../domain/accounts.ts';
import { REVEAL_FIELDS } from '../../domain/credentials.ts';
import { accountRef, ALL, empty, expectedVersion, ok, READERS, channel } from './common.ts';

/** Reading and rotating an account's credentials: each with a reason, each audited (6.5, 9.9). */
export const credentialsChannels = {
  /**
   * Returns a secret: only to roles that may read credentials, only with a reason (6.5). The
   * password unless another field is asked for; recovery codes come one per line (9.8). A refusal
   * for the role is itself audited, as for copy and TOTP (issue 11).
   */
  'credentials.reveal': channel(() => ({
    request: z
      .object({
        account: accountRef,
        field: z.enum(REVEAL_FIELDS).optional(),
        reason: reasonSchema,
      })
      .strict(),
    response: z.object({
      field: z.enum(REVEAL_FIELDS),
      value: z.string(),
      /** 6.6: the account's quiet periods in force, as "do not post" notices. */
      doNotPost: z.array(z.string()),
    }),
    roles: READERS,
  })),
  /** The current TOTP code (a secret for 30 s): with a reason, audited like a reveal. */
  'credentials.totp': channel(() => ({
    request: z.object({ account: accountRef, reason: reasonSchema }).strict(),
    response: z.object({
      code: z.string(),
      secondsLeft: z.number(),
      doNotPost: z.array(z.string()),
    }),
    roles: READERS,
  })),
  /** The copy happens in main; the secret never crosses to the renderer. */
  'credentials.copy': channel(() => ({
    request: z
      .object({
        account: accountRef,
        /** `totp` copies the current code (KeePassXC's Ctrl+T). */
        field: z.enum(['username', 'password', 'totp']),
        reason: reasonSchema,
      })
      .strict(),
    response: z.object({ clearsInSeconds: z.number() }),
    roles: READERS,
  })),
  /**
   * What became of the last secret copied: still there, cleared after its 30 s, or left alone
   * because something else was copied since. Says nothing of what the clipboard holds.
   */
  'credentials.clipboard': channel(() => ({
    request: empty,
    response: z.object({ state: z.enum(['holding', 'cleared', 'left-alone', 'none']) }),
    roles: ALL,
  })),
  'credentials.rotate': channel(() => ({
    request: z
      .object({
        account: accountRef,
        reason: z.enum(ROTATION_REASONS),
        password: passwordSchema,
        informed: z.array(z.string().trim().min(1).max(200)).max(50),
        expectedVersion,
      })
      .strict(),
    response: z.object({ rotationId: z.string() }),
    roles: READERS,
  })),
  /**
   * Set the login username, the TOTP secret or the recovery codes, or clear the TOTP secret;
   * every field not named is kept (9.8, 9.9). The secrets travel in, never back out.
   */
  'credentials.set-extras': channel(() => ({
    request: z
      .object({
        account: accountRef,
        username: z.string().max(LIMITS.username).optional(),
        totpSecret: z.string().max(1024).optional(),
        clearTotp: z.literal(true).optional(),
        // Generous bounds: the core says how many codes, and how long, a platform's list may be.
        recoveryCodes: z.array(z.string().max(1000)).max(1000).optional(),
        expectedVersion,
      })
      .strict(),
    response: ok,
    roles: READERS,
  })),
} as const;

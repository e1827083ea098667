import { copyCredentialField, currentTotpCode, revealCredentialField } from '../domain/reveal.ts';
import { rotatePassword } from '../domain/rotations.ts';
import { resolveAccount } from '../domain/accounts.ts';
import { doNotPostNotices } from '../domain/quiet-periods.ts';
import type { CredentialAttempt } from '../domain/refused-attempts.ts';
import type { Channel, RequestOf } from '../../../shared/ipc/contract.ts';
import { definedOnly, type HandlerContext, type Handlers } from './types.ts';
import { setCredentialExtras } from '../domain/credential-extras.ts';

/** Reveal, copy, TOTP and rotation: each with a reason, each audited (6.5, 9.9, 9.10). */
export function credentialsHandlers(ctx: HandlerContext): Handlers<'credentials'> {
  return {
    'credentials.totp': (r) => {
      const session = ctx.session();
      const now = session.clock();
      const code = currentTotpCode(session, r.account, r.reason, now).expose();
      return {
        code,
        secondsLeft: 30 - (Math.floor(now.getTime() / 1000) % 30),
        doNotPost: doNotPostNotices(session, resolveAccount(session, r.account).id),
      };
    },
    'credentials.reveal': (r) => {
      const session = ctx.session();
      const field = r.field ?? 'password';
      const value = revealCredentialField(session, r.account, field, r.reason).expose();
      return {
        field,
        value,
        doNotPost: doNotPostNotices(session, resolveAccount(session, r.account).id),
      };
    },
    'credentials.copy': (r) => {
      const secret = copyCredentialField(ctx.session(), r.account, r.field, r.reason);
      return { clearsInSeconds: ctx.clipboard.place(secret.expose()) };
    },
    'credentials.clipboard': () => ({ state: ctx.clipboard.state }),
    'credentials.set-extras': (r) => {
      const { account, ...extras } = r;
      setCredentialExtras(ctx.session(), account, definedOnly(extras));
      return {};
    },
    'credentials.rotate': (r) =>
      rotatePassword(ctx.session(), r.account, {
        reason: r.reason,
        password: r.password,
        informed: r.informed,
        ...(r.expectedVersion === undefined ? {} : { expectedVersion: r.expectedVersion }),
      }),
  };
}

/**
 * What a request for a secret asked, for the audit entry written when the router refuses it for
 * the member's role (issue 11): security staff see attempts, not only successes. Undefined for
 * every channel that hands out no secret.
 */
export function refusedAttemptOf(
  channel: Channel,
  request: unknown,
): { account: string; attempt: CredentialAttempt } | undefined {
  switch (channel) {
    case 'credentials.reveal': {
      const r = request as RequestOf<'credentials.reveal'>;
      return {
        account: r.account,
        attempt: { asked: 'reveal', field: r.field ?? 'password', reason: r.reason },
      };
    }
    case 'credentials.copy': {
      const r = request as RequestOf<'credentials.copy'>;
      return { account: r.account, attempt: { asked: 'copy', field: r.field, reason: r.reason } };
    }
    case 'credentials.totp': {
      const r = request as RequestOf<'credentials.totp'>;
      return { account: r.account, attempt: { asked: 'totp', field: null, reason: r.reason } };
    }
    default:
      return undefined;
  }
}

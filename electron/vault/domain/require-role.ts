import { ErrorCode } from '../../../shared/errors.ts';
import type { Role } from '../../../shared/domain/roles.ts';
import { VaultError } from '../errors.ts';
import type { VaultSession } from '../session.ts';

/**
 * A role check inside the core, for the one caller that still reaches the domain without the
 * router: the CLI's `account import`, which streams a file larger than a contract request
 * (issue 12 item 1, what remains). Every other operation's roles are the contract's `roles`,
 * checked once by the router; do not add callers, add a contract entry.
 */
export function requireRole(session: VaultSession, allowed: readonly Role[], what: string): void {
  if (!allowed.includes(session.member.role)) {
    throw new VaultError(
      ErrorCode.FORBIDDEN,
      `Not permitted: ${what} needs the role ${allowed.join(' or ')}; you are ${session.member.role}.`,
    );
  }
}

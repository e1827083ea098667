import { credentialEvidence } from './credential-evidence.ts';
import { Secret } from 'otpauth';
import { newAccountSchema } from '../../../shared/domain/accounts.ts';
import { invalidInput } from '../errors.ts';
import type { VaultSession } from '../session.ts';
import { resolveAccount } from './accounts.ts';
import { changeCredential, openCredential } from './credentials.ts';
import { accountAtVersion } from './conflicts.ts';
import { normaliseTotp } from '../import/totp.ts';

/** What `setCredentialExtras` may change; each field left out is kept as it is. */
export interface CredentialExtras {
  /** The login username, when the platform's changed (9.9: registered at the time of its change). */
  readonly username?: string;
  readonly totpSecret?: string;
  /** Remove the TOTP secret (the platform's 2FA was turned off or moved to another method). */
  readonly clearTotp?: boolean;
  readonly recoveryCodes?: readonly string[];
  /** The account's version the form was opened on (ADR 0023); without it, the one read here. */
  readonly expectedVersion?: number;
}

/**
 * Set the username, the TOTP secret or the recovery codes (9.8: what is needed to recover the
 * account), or clear the TOTP secret. Not a rotation: the password is unchanged, but the
 * credential is re-sealed under a fresh key. Only the fields named change.
 */
export function setCredentialExtras(
  session: VaultSession,
  reference: string,
  extras: CredentialExtras,
): void {
  const account = resolveAccount(session, reference);
  if (extras.totpSecret !== undefined && extras.clearTotp) {
    throw invalidInput('Give a TOTP secret or clear it, not both; nothing was changed.');
  }
  // Base32 or an otpauth:// URI (KeePassXC's and Bitwarden's exports), kept as the base32 secret.
  const totpSecret =
    extras.totpSecret === undefined ? undefined : totpSecretFrom(extras.totpSecret);
  const username = extras.username === undefined ? undefined : parseUsername(extras.username);
  const codes = extras.recoveryCodes?.map((code) => code.trim()).filter((code) => code.length > 0);
  if (codes && (codes.length > 50 || codes.some((code) => code.length > 100))) {
    throw invalidInput('Recovery codes: at most 50, each at most 100 characters.');
  }
  if (username === undefined && totpSecret === undefined && !extras.clearTotp && !codes) {
    throw invalidInput(
      'Nothing to change: give a username, a TOTP secret, recovery codes, or clear the TOTP secret.',
    );
  }
  session.write((context) => {
    // The member's right to it first: a conflict says who changed the account and when, which
    // is not an outsider's to learn by sending a wrong version (review of issue 14).
    openCredential(session, account.id);
    accountAtVersion(session, context.db, account.id, extras.expectedVersion ?? account.version);
    changeCredential(session, context, account.id, () => ({
      ...(username !== undefined ? { username } : {}),
      ...(totpSecret !== undefined ? { totpSecret } : {}),
      ...(extras.clearTotp ? { totpSecret: null } : {}),
      ...(codes ? { recoveryCodes: codes } : {}),
    }));
    context.audit({
      kind: 'credential.extras-set',
      account: account.id,
      details: {
        username: username !== undefined,
        totp: totpSecret !== undefined,
        totpCleared: extras.clearTotp === true,
        recoveryCodes: codes?.length ?? null,
        ...credentialEvidence(context.db, account.id),
      },
    });
  });
}

function parseUsername(username: string): string {
  const parsed = newAccountSchema.shape.username.safeParse(username);
  if (!parsed.success)
    throw invalidInput(`Username: ${parsed.error.issues[0]?.message ?? 'invalid'}.`);
  return parsed.data;
}

/**
 * The base32 secret from what a member pasted: the base32 text the platform showed, or an
 * `otpauth://totp/…` URI as KeePassXC and Bitwarden export it (import/totp.ts reads both, and
 * refuses codes that are not 6 digits, SHA-1, every 30 seconds). No message holds the secret.
 */
function totpSecretFrom(text: string): string {
  const result = normaliseTotp(text, '', 'set');
  if (result === null) {
    throw invalidInput(
      'The TOTP secret is empty: paste the base32 secret or the otpauth:// link; nothing was changed.',
    );
  }
  if ('error' in result) throw invalidInput(`${result.error}; nothing was changed.`);
  return parseTotpSecret(result.secret).base32;
}

export function parseTotpSecret(secret: string): Secret {
  try {
    const parsed = Secret.fromBase32(secret.replace(/\s+/g, '').toUpperCase());
    if (parsed.bytes.length < 10) throw new Error('short');
    return parsed;
  } catch {
    throw invalidInput(
      'The TOTP secret must be the base32 text the platform showed (at least 16 characters).',
    );
  }
}

import { holdsTeamKey } from '../../../shared/domain/roles.ts';
import { openAccountKeyWrap, wrapAccountKey } from '../store/key-wrap-codec.ts';
import { newSymmetricKey, OpenFailed } from '../crypto/aead.ts';
import { randomId } from '../crypto/random.ts';
import type { SecretBytes } from '../crypto/secret-bytes.ts';
import { forbidden, integrityError, invalidInput } from '../errors.ts';
import type { VaultSession, WriteContext } from '../session.ts';
import { accountStore, type KeyWrapRow } from '../store/account-store.ts';
import { readHeader } from '../store/header-store.ts';
import { credentialCodec } from '../store/account-codecs.ts';
import { credentialSchema, type OpenedCredential } from '../store/account-records.ts';
import { openAccountProfile, writeAccountRecord } from './accounts.ts';
import { awaitLabel, labelFor } from './reuse-labels.ts';
import { scoreFor, type PasswordScore } from './password-score.ts';
import { credentialRecipients } from '../trust/session-trust.ts';

export type { OpenedCredential };

/**
 * Write an account's credential under a fresh account key, wrapped for the team key and for the
 * account's current administrators. A fresh key per write means a leaver who kept an old account
 * key cannot read what the rotation that answers their leaving wrote.
 */
export function writeCredential(
  session: VaultSession,
  { db, now }: WriteContext,
  accountId: string,
  credential: OpenedCredential,
  options: {
    /**
     * The password's score, worked out before the transaction (password-score.ts); without it
     * zxcvbn runs here, inside the transaction.
     */
    readonly knownStrength?: PasswordScore | undefined;
    /** Only other fields changed (extras edited): the password's check and date stay. */
    readonly passwordUnchanged?: boolean;
  } = {},
): void {
  const previous = accountStore.credential(db, accountId);
  // Whom to seal to comes from the signed chain, never from wrap rows or member rows (ADR 0010).
  const { team, administrators } = credentialRecipients(session, db, accountId);
  const key = newSymmetricKey();
  try {
    const unsealed = {
      account_id: accountId,
      key_id: randomId(),
      updated_at: now,
      version: (previous?.version ?? 0) + 1,
    };
    accountStore.upsertCredential(db, credentialCodec.seal(key, unsealed, credential));
    const wraps: KeyWrapRow[] = [
      {
        account_id: accountId,
        holder: 'team',
        key_id: unsealed.key_id,
        team_generation: team.generation,
        sealed_box: wrapAccountKey(team.publicKey, key),
      },
    ];
    for (const member of administrators) {
      wraps.push({
        account_id: accountId,
        holder: member.id,
        key_id: unsealed.key_id,
        team_generation: null,
        sealed_box: wrapAccountKey(member.boxPublicKey, key),
      });
    }
    accountStore.replaceWraps(db, accountId, wraps);
  } finally {
    key.wipe();
  }
  if (!options.passwordUnchanged) {
    recordPasswordCheck(
      session,
      { db, now },
      accountId,
      credential.password,
      options.knownStrength,
    );
  } else {
    // The account row's version is the version of the account and its credential together
    // (ADR 0023): a change of the login details raises it too, so a form opened before it is stale.
    const row = accountStore.byId(db, accountId);
    if (!row) throw integrityError(`accounts row ${accountId}`, 'is missing');
    writeAccountRecord(session, db, row, openAccountProfile(session, row));
  }
}

/**
 * What a change sets; every field it leaves out keeps its value (issue 11: no operation may drop a
 * credential field it was not asked to change, 9.8). `totpSecret: null` clears the secret.
 */
export type CredentialChange = Partial<Omit<OpenedCredential, 'totpSecret'>> & {
  readonly totpSecret?: string | null;
};

/**
 * Re-seal an account's credential with a change applied to what it holds now, under a fresh key
 * (see writeCredential). Inside a write transaction. The change is computed from the current
 * credential, and merged onto it, so a field the caller does not name cannot be lost.
 */
export function changeCredential(
  session: VaultSession,
  context: WriteContext,
  accountId: string,
  change: (current: OpenedCredential) => CredentialChange,
  /** The new password's score, when the change sets one and it was worked out before the write. */
  knownStrength?: PasswordScore,
): void {
  const current = openCredential(session, accountId);
  const { totpSecret, ...fields } = change(current);
  const next: OpenedCredential = { ...current };
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined) Object.assign(next, { [name]: value });
  }
  if (totpSecret === null) delete next.totpSecret;
  else if (totpSecret !== undefined) next.totpSecret = totpSecret;
  writeCredential(session, context, accountId, credentialSchema.parse(next), {
    passwordUnchanged: next.password === current.password,
    knownStrength,
  });
}

/**
 * Strength and reuse label of the new password, kept under K_vault for health (no key needed to
 * judge them). The label is made only by a member holding the team key; an administrator's
 * password waits for one (reuse-labels.ts, issue 13 attack 9).
 */
function recordPasswordCheck(
  session: VaultSession,
  context: Pick<WriteContext, 'db' | 'now'>,
  accountId: string,
  password: string,
  knownStrength: PasswordScore | undefined,
): void {
  const { db, now } = context;
  const row = accountStore.byId(db, accountId);
  if (!row) throw integrityError(`accounts row ${accountId}`, 'is missing');
  const record = openAccountProfile(session, row);
  const label = labelFor(session, db, password);
  writeAccountRecord(session, db, row, {
    ...record,
    passwordCheck: {
      strength: scoreFor(knownStrength, password, [record.handle, record.unitName]),
      ...(label === undefined ? {} : { fingerprint: label }),
      setOn: now.slice(0, 10),
    },
  });
  if (label === undefined) awaitLabel(session, context, accountId);
}

/**
 * The account key, through the team key (lead, dmt) or the member's own wrap (the account's
 * administrators). A `security` member holds neither, so this fails for them by construction.
 * Core only: the caller wipes it, and it never leaves the process.
 */
export function accountKey(session: VaultSession, accountId: string, keyId: string): SecretBytes {
  const team = holdsTeamKey(session.member.role) ? session.team : undefined;
  const holder = team ? 'team' : session.member.id;
  const wrap = accountStore.wrap(session.db, accountId, holder);
  // Every account has a team wrap, so a missing one is damage; a missing admin wrap is a role limit.
  if (!wrap && team) throw integrityError(`account_key_wraps row ${accountId}/team`, 'is missing');
  if (!wrap)
    throw forbidden(
      "this account's credentials are open to the Digital Media Team and its administrators only",
    );
  if (wrap.key_id !== keyId)
    throw integrityError(`account_key_wraps row ${accountId}/${wrap.holder}`, 'is for another key');
  if (team && wrap.team_generation !== readHeader(session.db)?.team_generation) {
    throw integrityError(`account_key_wraps row ${accountId}/team`, 'is sealed to an old team key');
  }
  try {
    return openAccountKeyWrap(team ?? session.keys.box, wrap.sealed_box);
  } catch (error) {
    if (error instanceof OpenFailed)
      throw integrityError(`account_key_wraps row ${accountId}/${wrap.holder}`);
    throw error;
  }
}

export function openCredential(session: VaultSession, accountId: string): OpenedCredential {
  // No role check: the contract's roles decide who asks, and the keys who can open (accountKey:
  // a security member holds neither the team key nor a wrap of their own).
  const row = accountStore.credential(session.db, accountId);
  if (!row) {
    // A requested account has none until it is set up (9.6); every other account must (9.8).
    if (accountStore.wrapsFor(session.db, accountId).length === 0) {
      throw invalidInput(
        'No username or password is registered for this account yet (policy 9.8).',
      );
    }
    throw integrityError(`credentials row ${accountId}`, 'is missing');
  }
  const key = accountKey(session, accountId, row.key_id);
  try {
    return credentialCodec.open(key, row);
  } finally {
    key.wipe();
  }
}

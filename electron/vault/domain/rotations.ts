import { credentialEvidence } from './credential-evidence.ts';
import {
  passwordSchema,
  ROTATION_REASONS,
  type RotationReason,
} from '../../../shared/domain/accounts.ts';
import { randomId } from '../crypto/random.ts';
import { invalidInput } from '../errors.ts';
import type { VaultSession } from '../session.ts';
import { accountStore, type RotationRow } from '../store/account-store.ts';
import { rotationCodec } from '../store/account-codecs.ts';
import type { RotationRecord } from '../store/account-records.ts';
import { resolveAccount } from './accounts.ts';
import { accountAtVersion } from './conflicts.ts';
import { changeCredential, openCredential } from './credentials.ts';
import { listIncidents, settleIncidentsFor, unansweredExposures } from './devices.ts';
import { scoreForAccount } from './password-score.ts';
import { resolveRotationDue } from './rotation-due.ts';

export interface RotationInput {
  readonly reason: RotationReason;
  readonly password: string;
  /** People told of the change (policy 9.10). */
  readonly informed?: readonly string[];
  /**
   * The account's version the rotate form was opened on (ADR 0023): another change since is a
   * conflict. Without it, the version this call read before its transaction.
   */
  readonly expectedVersion?: number;
}

export function openRotationRecord(session: VaultSession, row: RotationRow): RotationRecord {
  return rotationCodec.open(session.keys.vault, row);
}

/**
 * Change an account's password (policy 9.9, 9.10, 10.2): the old one goes into the history, the
 * rotation is recorded with its reason, and any rotation owed by a leaver is resolved by it.
 */
export function rotatePassword(
  session: VaultSession,
  reference: string,
  input: RotationInput,
): { rotationId: string } {
  const password = passwordSchema.safeParse(input.password);
  if (!password.success)
    throw invalidInput(`Password: ${password.error.issues[0]?.message ?? 'invalid'}.`);
  if (!ROTATION_REASONS.includes(input.reason))
    throw invalidInput(`The rotation reason must be one of ${ROTATION_REASONS.join(', ')}.`);
  // The account is read before the transaction (below): with the keys of now.
  session.catchUp();
  const account = resolveAccount(session, reference);
  // Before the transaction: zxcvbn was 44 of a rotation's 51 ms, all of it inside (issue 17).
  const strength = scoreForAccount(session, account, password.data);
  return session.write((context) => {
    const { db, now, audit } = context;
    // The member's right to it first: a conflict says who changed the account and when, which
    // is not an outsider's to learn by sending a wrong version (review of issue 14).
    openCredential(session, account.id);
    accountAtVersion(session, db, account.id, input.expectedVersion ?? account.version);
    changeCredential(
      session,
      context,
      account.id,
      (current) => {
        if (current.password === password.data) {
          throw invalidInput(
            'The new password is the same as the current one; choose a different one.',
          );
        }
        return {
          password: password.data,
          setAt: now,
          history: [
            ...current.history,
            { password: current.password, setAt: current.setAt, replacedAt: now },
          ],
        };
      },
      strength,
    );
    const unsealed = {
      id: randomId(),
      account_id: account.id,
      at: now,
      actor_id: session.member.id,
      version: 1,
    };
    // The findings this rotation answers: owed rotations (leavers, 10.2) and lost devices (10.1).
    const answers = [
      ...accountStore.openRotationDue(db, account.id).map((due) => `rotation-due:${due.id}`),
      ...listIncidents(session)
        .filter(
          (incident) =>
            incident.clear.resolved_at === null &&
            unansweredExposures(session, incident).includes(account.id),
        )
        .map((incident) => `incident:${incident.id}`),
    ];
    const record = { reason: input.reason, informed: [...(input.informed ?? [])], answers };
    accountStore.insertRotation(db, rotationCodec.seal(session.keys.vault, unsealed, record));
    resolveRotationDue(session, context, account.id, unsealed.id);
    settleIncidentsFor(session, context, account.id);
    audit({
      kind: 'credential.rotated',
      account: account.id,
      details: {
        rotation: unsealed.id,
        reason: input.reason,
        informed: record.informed,
        answers,
        ...credentialEvidence(db, account.id),
      },
    });
    return { rotationId: unsealed.id };
  });
}

export function rotationCount(session: VaultSession, accountId: string): number {
  return accountStore.rotationsFor(session.db, accountId).length;
}

import { z } from 'zod';
import {
  passwordSchema,
  ROTATION_REASONS,
  type RotationReason,
} from '../../../shared/domain/accounts.ts';
import { randomId } from '../crypto/random.ts';
import { forbidden, invalidInput } from '../errors.ts';
import type { VaultSession } from '../session.ts';
import { accountStore } from '../store/account-store.ts';
import { openRow, sealRow } from '../store/sealed-row.ts';
import { resolveAccount } from './accounts.ts';
import { changeCredential } from './credentials.ts';
import { listIncidents, settleIncidentsFor, unansweredExposures } from './devices.ts';
import { resolveRotationDue } from './rotation-due.ts';

export interface RotationInput {
  readonly reason: RotationReason;
  readonly password: string;
  /** People told of the change (policy 9.10). */
  readonly informed?: readonly string[];
}

const rotationRecordSchema = z.object({
  reason: z.string(),
  informed: z.array(z.string()),
  answers: z.array(z.string()),
});

export function rotationAddress(row: {
  id: string;
  account_id: string;
  at: string;
  actor_id: string;
  version: number;
}) {
  return {
    table: 'rotations',
    id: row.id,
    version: row.version,
    clear: { account_id: row.account_id, at: row.at, actor_id: row.actor_id },
  };
}

export function openRotationRecord(
  session: VaultSession,
  row: Parameters<typeof rotationAddress>[0] & { sealed: Buffer },
) {
  return openRow(session.keys.vault, rotationAddress(row), row.sealed, rotationRecordSchema);
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
  if (session.member.role === 'security')
    throw forbidden('security members never change credentials');
  const password = passwordSchema.safeParse(input.password);
  if (!password.success)
    throw invalidInput(`Password: ${password.error.issues[0]?.message ?? 'invalid'}.`);
  if (!ROTATION_REASONS.includes(input.reason))
    throw invalidInput(`The rotation reason must be one of ${ROTATION_REASONS.join(', ')}.`);
  const account = resolveAccount(session, reference);
  return session.write((context) => {
    const { db, now, audit } = context;
    changeCredential(session, context, account.id, (current) => {
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
    });
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
    accountStore.insertRotation(db, {
      ...unsealed,
      sealed: Buffer.from(sealRow(session.keys.vault, rotationAddress(unsealed), record)),
    });
    resolveRotationDue(session, context, account.id, unsealed.id);
    settleIncidentsFor(session, context, account.id);
    audit({
      kind: 'credential.rotated',
      account: account.id,
      details: { rotation: unsealed.id, reason: input.reason, informed: record.informed, answers },
    });
    return { rotationId: unsealed.id };
  });
}

export function rotationCount(session: VaultSession, accountId: string): number {
  return accountStore.rotationsFor(session.db, accountId).length;
}

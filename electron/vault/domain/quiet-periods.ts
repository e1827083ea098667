import type { QuietPeriod } from '../../../shared/domain/registry.ts';
import { quietEndSchema, quietPeriodSchema } from '../../../shared/domain/registry.ts';
import { randomId } from '../crypto/random.ts';
import { invalidInput, notFound } from '../errors.ts';
import type { VaultSession } from '../session.ts';
import type { OpenedRecord } from '../store/sealed-records.ts';
import { quietPeriodsTable } from '../store/registry-tables.ts';
import { requireRegistryChange } from './registry-access.ts';
import { resolveAccount } from './accounts.ts';
import { parseInput } from './input.ts';

export type QuietPeriodRecord = OpenedRecord<
  { declared_at: string; ended_at: string | null },
  QuietPeriod
>;

/**
 * A major incident's quiet period (6.6): the named accounts (or all) show "do not post", with the
 * authority for it, until the lead or DMT ends it. Declaring and ending are both audited.
 */
export function declareQuietPeriod(
  session: VaultSession,
  input: { accounts: 'all' | readonly string[]; authority: string; reason: string },
): QuietPeriodRecord {
  requireRegistryChange(session, 'Declaring a quiet period');
  const accountIds =
    input.accounts === 'all'
      ? 'all'
      : [...new Set(input.accounts.map((a) => resolveAccount(session, a).id))];
  if (accountIds !== 'all' && accountIds.length === 0)
    throw invalidInput('Name the accounts, or use --all.');
  const value = parseInput(
    quietPeriodSchema,
    {
      accountIds,
      authority: input.authority,
      reason: input.reason,
      declaredBy: session.member.name,
    },
    'Quiet period',
  );
  return session.write(({ db, now, audit }) => {
    const record = quietPeriodsTable.insert(
      db,
      session.keys.vault,
      randomId(),
      { declared_at: now, ended_at: null },
      value,
    );
    audit({
      kind: 'quiet-period.declared',
      details: {
        quietPeriod: record.id,
        accounts: accountIds === 'all' ? ['all'] : accountIds,
        authority: value.authority,
      },
    });
    return record;
  });
}

/**
 * End a quiet period (6.6). Like declaring it, ending needs the authority (the SIO who lifts it,
 * say) and a reason, both kept on the record and in the audit entry: posting resumes on someone's
 * documented say-so, not one click.
 */
export function endQuietPeriod(
  session: VaultSession,
  input: { id: string; authority: string; reason: string },
): QuietPeriodRecord {
  requireRegistryChange(session, 'Ending a quiet period');
  const end = quietEndSchema.safeParse({ authority: input.authority, reason: input.reason });
  if (!end.success) {
    throw invalidInput(
      'Ending a quiet period needs the authority that lifts it and a reason, as declaring one does (policy 6.6).',
    );
  }
  const id = input.id;
  const record = quietPeriodsTable.get(session.db, session.keys.vault, id);
  if (!record) throw notFound(`No quiet period ${id}; see \`custodian quiet list\`.`);
  if (record.clear.ended_at !== null)
    throw invalidInput(`That quiet period already ended at ${record.clear.ended_at}.`);
  return session.write(({ db, now, audit }) => {
    const ended = quietPeriodsTable.update(
      db,
      session.keys.vault,
      record,
      { ...record.clear, ended_at: now },
      {
        ...record.value,
        endedBy: session.member.name,
        endAuthority: end.data.authority,
        endReason: end.data.reason,
      },
    );
    audit({
      kind: 'quiet-period.ended',
      details: { quietPeriod: record.id, authority: end.data.authority, reason: end.data.reason },
    });
    return ended;
  });
}

export function listQuietPeriods(session: VaultSession): QuietPeriodRecord[] {
  return quietPeriodsTable.all(session.db, session.keys.vault);
}

/** The quiet periods in force for an account at a moment (6.6 "do not post"). */
export function quietPeriodsFor(
  session: VaultSession,
  accountId: string,
  at: string,
): QuietPeriodRecord[] {
  return listQuietPeriods(session).filter(
    (q) =>
      inForce(q, at) && (q.value.accountIds === 'all' || q.value.accountIds.includes(accountId)),
  );
}

/** Declared by `at` and not yet ended then. */
export function inForce(quiet: QuietPeriodRecord, at: string): boolean {
  return (
    quiet.clear.declared_at <= at && (quiet.clear.ended_at === null || quiet.clear.ended_at > at)
  );
}

/** The "do not post" notices for an account now (6.6): shown with every reveal, copy and code. */
export function doNotPostNotices(session: VaultSession, accountId: string): string[] {
  return quietPeriodsFor(session, accountId, session.clock().toISOString()).map(
    (q) => `Do not post: quiet period ordered by ${q.value.authority} (${q.value.reason}).`,
  );
}

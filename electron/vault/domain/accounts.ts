import {
  accountLabel,
  type AccountProfile,
  type AccountRecord,
  type AccountSummary,
} from '../../../shared/domain/accounts.ts';
import { accountLookupTag } from '../crypto/fingerprint.ts';
import { randomId } from '../crypto/random.ts';
import { invalidInput, notFound } from '../errors.ts';
import type { VaultSession, WriteContext } from '../session.ts';
import { accountStore, type AccountRow } from '../store/account-store.ts';
import { accountCodec } from '../store/account-codecs.ts';

export function openAccountProfile(session: VaultSession, row: AccountRow): AccountRecord {
  return accountCodec.open(session.keys.vault, row);
}

/**
 * Rewrite an account's sealed record (a new row version) over the version `row` was read at;
 * another version there is a conflict (ADR 0023). Inside a write transaction.
 */
export function writeAccountRecord(
  session: VaultSession,
  db: WriteContext['db'],
  row: AccountRow,
  record: AccountRecord,
): void {
  const next = { ...row, handle_tag: tagOf(session, record), version: row.version + 1 };
  accountStore.update(db, accountCodec.seal(session.keys.vault, next, record), row.version);
}

function tagOf(
  session: VaultSession,
  profile: Pick<AccountProfile, 'platform' | 'handle'>,
): Buffer {
  return Buffer.from(accountLookupTag(session.keys.vault, accountLabel(profile)));
}

/** The account with this platform and handle (case-insensitive), found by its lookup tag. */
export function findByHandle(
  session: VaultSession,
  profile: Pick<AccountProfile, 'platform' | 'handle'>,
): AccountRow | undefined {
  return accountStore.byHandleTag(session.db, tagOf(session, profile));
}

/**
 * Insert an account record, refusing a second account with the same platform and handle. Inside
 * a write transaction; the caller registers credentials (or not, for a request) and audits.
 */
export function insertAccountRecord(
  session: VaultSession,
  db: WriteContext['db'],
  now: string,
  record: AccountRecord,
): string {
  if (findByHandle(session, record)) {
    throw invalidInput(`${accountLabel(record)} is already registered; nothing was added.`);
  }
  const unsealed = {
    id: randomId(),
    handle_tag: tagOf(session, record),
    created_at: now,
    created_by: session.member.id,
    version: 1,
  };
  accountStore.insert(db, accountCodec.seal(session.keys.vault, unsealed, record));
  return unsealed.id;
}

/** Every account as every member may see it: two queries for the rotation columns, not two an account. */
export function listAccounts(session: VaultSession): AccountSummary[] {
  const state = accountStore.rotationStateByAccount(session.db);
  return accountStore.all(session.db).map((row) => ({
    id: row.id,
    version: row.version,
    ...openAccountProfile(session, row),
    createdAt: row.created_at,
    rotationDueSince: state.get(row.id)?.dueSince ?? null,
    lastRotatedAt: state.get(row.id)?.lastRotatedAt ?? null,
  }));
}

export function summarise(session: VaultSession, row: AccountRow): AccountSummary {
  const profile = openAccountProfile(session, row);
  const due = accountStore.openRotationDue(session.db, row.id);
  const rotations = accountStore.rotationsFor(session.db, row.id);
  return {
    id: row.id,
    version: row.version,
    ...profile,
    createdAt: row.created_at,
    rotationDueSince: due[0]?.raised_at ?? null,
    lastRotatedAt: rotations.at(-1)?.at ?? null,
  };
}

const ACCOUNT_ID = /^[0-9a-f]{32}$/;

/** An account named by its id or as platform:handle. */
export function resolveAccount(session: VaultSession, reference: string): AccountRow {
  if (ACCOUNT_ID.test(reference)) {
    const row = accountStore.byId(session.db, reference);
    if (row) return row;
  }
  const colon = reference.indexOf(':');
  if (colon > 0) {
    const row = findByHandle(session, {
      platform: reference.slice(0, colon) as AccountProfile['platform'],
      handle: reference.slice(colon + 1),
    });
    if (row) return row;
  }
  throw notFound(
    // Said to the console and the CLI alike: both list the accounts by platform:handle.
    `No account "${reference}". Name it by id or as platform:handle, as the account list shows it (the Accounts view, or \`custodian account list\`).`,
  );
}

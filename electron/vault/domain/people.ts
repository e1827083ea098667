import { personSchema, type Person } from '../../../shared/domain/registry.ts';
import { randomId } from '../crypto/random.ts';
import { invalidInput, notFound } from '../errors.ts';
import type { VaultSession } from '../session.ts';
import type { OpenedRecord } from '../store/sealed-records.ts';
import { peopleTable } from '../store/registry-tables.ts';
import { membershipsTable } from '../store/registry-tables.ts';
import { requireRegistryChange } from './registry-access.ts';
import { parseDate, parseInput } from './input.ts';
import { dayOf } from '../../../shared/domain/dates.ts';
import { registryConflict } from './conflicts.ts';

export type PersonRecord = OpenedRecord<{ created_at: string }, Person>;

/** The staff register (11.1, 12.1): who administers, posts, manages and trains. */
export function addPerson(session: VaultSession, input: Person): PersonRecord {
  // A new person touches no account yet: any role that edits the registry may add them (10.2).
  requireRegistryChange(session, 'Adding a person');
  const person = parseInput(personSchema, input, 'Person');
  if (person.lineManagerId) resolvePerson(session, person.lineManagerId);
  return session.write(({ db, now, audit }) => {
    const record = peopleTable.insert(
      db,
      session.keys.vault,
      randomId(),
      { created_at: now },
      person,
    );
    audit({ kind: 'person.added', details: { person: record.id, name: person.name } });
    return record;
  });
}

/** Record a masterclass or refresher (11.1). */
export function recordTraining(
  session: VaultSession,
  reference: string,
  training: { masterclassOn?: string; refresherOn?: string },
  /** The version the form was opened on (ADR 0023); without it, the record as it is now. */
  expectedVersion?: number,
): PersonRecord {
  const person = resolvePerson(session, reference);
  requireRegistryChange(session, 'Recording training', {
    personOn: currentAccountsOf(session, person.id),
  });
  parseInput(personSchema, { ...person.value, ...training }, 'Training');
  return session.write(({ db, audit }) => {
    // The record is read again inside the transaction (issue 14), and the training set on what it
    // holds now: a change another process made since `person` was read is kept, not overwritten.
    const current = peopleTable.get(db, session.keys.vault, person.id);
    if (!current) throw notFound('The person is no longer in the register; nothing was saved.');
    if (expectedVersion !== undefined && current.version !== expectedVersion) {
      throw registryConflict(session, db, {
        label: current.value.name,
        id: current.id,
        version: current.version,
        changes: { 'person.trained': 'recorded training for' },
        field: 'person',
      });
    }
    const value = parseInput(personSchema, { ...current.value, ...training }, 'Training');
    const updated = peopleTable.update(db, session.keys.vault, current, current.clear, value);
    audit({ kind: 'person.trained', details: { person: person.id, ...training } });
    return updated;
  });
}

/** What `editPerson` may correct; each field left out is kept. */
export interface PersonChanges {
  readonly name?: string;
  readonly staffNo?: string;
  readonly department?: string;
  readonly role?: string;
}

/**
 * Correct a person's record (a misspelt name, a new staff number or department). The change is
 * made on the record as it is in the transaction, refused as a conflict if it changed since the
 * form opened (ADR 0023), and audited with the fields changed.
 */
export function editPerson(
  session: VaultSession,
  reference: string,
  changes: PersonChanges,
  expectedVersion?: number,
): PersonRecord {
  const person = resolvePerson(session, reference);
  requireRegistryChange(session, 'Changing a person', {
    personRecordOn: recordAccountsOf(session, person.id),
  });
  const given = Object.fromEntries(
    Object.entries(changes).filter(([, value]) => value !== undefined),
  ) as PersonChanges;
  if (Object.keys(given).length === 0) throw invalidInput('Nothing to change; nothing was saved.');
  parseInput(personSchema, { ...person.value, ...given }, 'Person');
  return session.write(({ db, audit }) => {
    const current = peopleTable.get(db, session.keys.vault, person.id);
    if (!current) throw notFound('The person is no longer in the register; nothing was saved.');
    if (expectedVersion !== undefined && current.version !== expectedVersion) {
      throw registryConflict(session, db, {
        label: current.value.name,
        id: current.id,
        version: current.version,
        changes: { 'person.updated': 'changed', 'person.trained': 'recorded training for' },
        field: 'person',
      });
    }
    const value = parseInput(personSchema, { ...current.value, ...given }, 'Person');
    const updated = peopleTable.update(db, session.keys.vault, current, current.clear, value);
    audit({
      kind: 'person.updated',
      details: { person: person.id, changed: Object.keys(given), name: value.name },
    });
    return updated;
  });
}

/**
 * Take a person off the register (left the force, moved on), with the reason. Refused while they
 * still have access to an account: each access is removed first, on the account, so that each
 * account is made rotation due as 10.2 asks. Their record and history are kept.
 */
export function retirePerson(
  session: VaultSession,
  reference: string,
  input: { reason: string; on?: string },
): PersonRecord {
  const person = resolvePerson(session, reference);
  requireRegistryChange(session, 'Retiring a person', {
    personRecordOn: recordAccountsOf(session, person.id),
  });
  if (person.value.retiredOn !== undefined) {
    throw invalidInput(
      `${person.value.name} was already retired on ${person.value.retiredOn}; nothing was recorded.`,
    );
  }
  return session.write(({ db, now, audit }) => {
    const current = peopleTable.get(db, session.keys.vault, person.id);
    if (!current) throw notFound('The person is no longer in the register; nothing was saved.');
    const access = currentAccountsOf(session, person.id);
    if (access.length > 0) {
      throw invalidInput(
        `${current.value.name} still has access to ${access.length === 1 ? 'an account' : `${access.length} accounts`}: remove it on each account first (10.2: each removal makes the account rotation due); nothing was recorded.`,
      );
    }
    const retiredOn = input.on === undefined ? dayOf(now) : parseDate(input.on, 'The date');
    const value = parseInput(
      personSchema,
      { ...current.value, retiredOn, retireReason: input.reason },
      'Retirement',
    );
    const updated = peopleTable.update(db, session.keys.vault, current, current.clear, value);
    audit({
      kind: 'person.retired',
      details: { person: person.id, retiredOn, reason: value.retireReason ?? '' },
    });
    return updated;
  });
}

export function listPeople(session: VaultSession): PersonRecord[] {
  return peopleTable.all(session.db, session.keys.vault);
}

/** A person named by id or by an unambiguous name (case-insensitive). */
export function resolvePerson(session: VaultSession, reference: string): PersonRecord {
  const byId = peopleTable.get(session.db, session.keys.vault, reference);
  if (byId) return byId;
  const wanted = reference.trim().toLowerCase();
  const matches = listPeople(session).filter((p) => p.value.name.toLowerCase() === wanted);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw invalidInput(
      `"${reference}" names ${matches.length} people; use the person's id (see \`custodian person list\`).`,
    );
  }
  throw notFound(
    `No person "${reference}" in the staff register; add them with \`custodian person add\`.`,
  );
}

/**
 * The accounts whose administrators a person's record belongs to (10.2, 9.14): every account they
 * have had access to, ended or not. A person is retired only once their access has ended, so the
 * accounts they reach now would make the "every account" rule hold for anyone retirable (review).
 */
export function recordAccountsOf(session: VaultSession, personId: string): string[] {
  const accounts = membershipsTable
    .all(session.db, session.keys.vault, { column: 'person_id', equals: personId })
    .map((m) => m.clear.account_id);
  return [...new Set(accounts)];
}

/**
 * Every person's accounts, now and ever (as `currentAccountsOf` and `recordAccountsOf`), from one
 * read of the memberships: for the people list, which asks both of every person.
 */
export function accessByPerson(
  session: VaultSession,
): Map<string, { readonly now: string[]; readonly ever: string[] }> {
  const access = new Map<string, { now: string[]; ever: string[] }>();
  for (const m of membershipsTable.all(session.db, session.keys.vault)) {
    let person = access.get(m.clear.person_id);
    if (!person) access.set(m.clear.person_id, (person = { now: [], ever: [] }));
    if (m.clear.revoked_on === null) person.now.push(m.clear.account_id);
    if (!person.ever.includes(m.clear.account_id)) person.ever.push(m.clear.account_id);
  }
  return access;
}

/** The accounts a person has access to now (their current team memberships, 10.2). */
export function currentAccountsOf(session: VaultSession, personId: string): string[] {
  return membershipsTable
    .all(session.db, session.keys.vault, { column: 'person_id', equals: personId })
    .filter((m) => m.clear.revoked_on === null)
    .map((m) => m.clear.account_id);
}

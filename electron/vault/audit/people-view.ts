import {
  UNAUTHENTICATED_KINDS,
  UNAUTHENTICATED_REPORT_NOTE,
  type AuditEntry,
} from '../../../shared/domain/audit.ts';
import { accountLabel } from '../../../shared/domain/accounts.ts';
import { assertNever } from '../../../shared/errors.ts';
import { toHex } from '../crypto/hash.ts';
import { openAccountProfile } from '../domain/accounts.ts';
import { openMember } from '../domain/member-records.ts';
import type { VaultSession } from '../session.ts';
import { accountStore } from '../store/account-store.ts';
import { memberStore } from '../store/member-store.ts';
import {
  complaintsTable,
  devicesTable,
  incidentsTable,
  peopleTable,
  thirdPartyAppsTable,
  trialsTable,
} from '../store/registry-tables.ts';
import {
  APP_ADDER_NAMES,
  COMPLAINT_KIND_NAMES,
  REFERRAL_BODY_NAMES,
} from '../../../shared/domain/policy-records.ts';
import { LEAF_SALT } from './entry.ts';
import type { PeopleRow } from './people-row.ts';

type NamedKind =
  'member' | 'account' | 'person' | 'device' | 'incident' | 'complaint' | 'trial' | 'app';

/**
 * Detail fields that hold ids, and what each names. The case file and the console show the name
 * (issue 16: the PDF showed people as ids); the CSV keeps the ids it always had, byte for byte.
 */
const NAMED_DETAILS: Readonly<Record<string, NamedKind>> = {
  member: 'member',
  requester: 'member',
  person: 'person',
  owner: 'person',
  continuedBy: 'person',
  device: 'device',
  incident: 'incident',
  accounts: 'account',
  exposed: 'account',
  complaint: 'complaint',
  trial: 'trial',
  app: 'app',
};

/**
 * Detail values written as the policy's words rather than its ids (6.4's bodies, 6.3's adders):
 * shown with `names`, kept as they are in the CSV. A value not in the list is left as it is.
 */
const WORDED_VALUES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  to: REFERRAL_BODY_NAMES,
  addedBy: APP_ADDER_NAMES,
};

const nameCache = new WeakMap<VaultSession, Map<string, string>>();

/** A readable name for an id, or the id itself when the row is gone (it never throws). */
function nameOf(session: VaultSession, kind: NamedKind, id: string): string {
  let cache = nameCache.get(session);
  if (!cache) nameCache.set(session, (cache = new Map<string, string>()));
  const key = `${kind}:${id}`;
  let name = cache.get(key);
  if (name === undefined) {
    name = lookUpName(session, kind, id) ?? id;
    cache.set(key, name);
  }
  return name;
}

function lookUpName(session: VaultSession, kind: NamedKind, id: string): string | undefined {
  const { db } = session;
  const vaultKey = session.keys.vault;
  switch (kind) {
    case 'member': {
      const row = memberStore.byId(db, id);
      return row ? openMember(vaultKey, row).name : undefined;
    }
    case 'account': {
      const row = accountStore.byId(db, id);
      return row ? accountLabel(openAccountProfile(session, row)) : undefined;
    }
    case 'person':
      return peopleTable.get(db, vaultKey, id)?.value.name;
    case 'device':
      return devicesTable.get(db, vaultKey, id)?.value.label;
    case 'incident': {
      const incident = incidentsTable.get(db, vaultKey, id);
      if (!incident) return undefined;
      const device = nameOf(session, 'device', incident.clear.device_id);
      return `loss of ${device} on ${incident.clear.lost_on}`;
    }
    case 'complaint': {
      const complaint = complaintsTable.get(db, vaultKey, id);
      if (!complaint) return undefined;
      return `${COMPLAINT_KIND_NAMES[complaint.value.kind]} received ${complaint.clear.received_on}`;
    }
    case 'trial': {
      const trial = trialsTable.get(db, vaultKey, id);
      return trial
        ? `${trial.value.platform} trial requested ${trial.clear.requested_on}`
        : undefined;
    }
    case 'app':
      return thirdPartyAppsTable.get(db, vaultKey, id)?.value.name;
    default:
      return assertNever(kind);
  }
}

function detailValue(
  session: VaultSession,
  key: string,
  value: AuditEntry['details'][string],
  names: boolean,
): string {
  const kind = names ? NAMED_DETAILS[key] : undefined;
  const words = names ? WORDED_VALUES[key] : undefined;
  const worded = (item: string) => (words && Object.hasOwn(words, item) ? words[item]! : item);
  const name = (item: string) => (kind ? nameOf(session, kind, item) : worded(item));
  if (Array.isArray(value)) return value.map(name).join(', ');
  return typeof value === 'string' ? name(value) : String(value);
}

/** One detail of an entry as people read it: its name and its value in words. */
export interface DetailField {
  readonly name: string;
  readonly value: string;
}

/**
 * An entry's details in words, the reason apart. With `names` (the PDF and the console) the
 * people, devices and accounts a detail refers to are shown by name, and a detail with no value
 * is left out rather than shown as "refused: null" (issue 15); without it (the CSV) every detail
 * keeps its id and its place, as the CSV always had them.
 */
export function detailFields(
  session: VaultSession,
  details: AuditEntry['details'],
  { names = false }: { names?: boolean } = {},
): DetailField[] {
  return (
    Object.entries(details)
      // The leaf salt is there for the hash, not for a reader (entry.ts LEAF_SALT).
      .filter(([key, value]) => key !== 'reason' && key !== LEAF_SALT && !(names && value === null))
      .map(([key, value]) => ({ name: key, value: detailValue(session, key, value, names) }))
  );
}

/**
 * An entry in words. `names` (the PDF and the console) shows the people, devices and accounts a
 * detail refers to by name; without it (the CSV) details keep their ids.
 */
export function describeForPeople(
  session: VaultSession,
  entry: AuditEntry & { leaf: Uint8Array },
  { names = false }: { names?: boolean } = {},
): PeopleRow {
  const { reason } = entry.details;
  const fields = detailFields(session, entry.details, { names })
    .map(({ name, value }) => `${name}: ${value}`)
    .join('; ');
  // Said in words on every row of its kind, old vaults' entries included (ADR 0009).
  const details = UNAUTHENTICATED_KINDS.has(entry.kind)
    ? `${UNAUTHENTICATED_REPORT_NOTE} ${fields}`
    : fields;
  return {
    seq: entry.seq,
    at: entry.at,
    event: entry.kind,
    actor: nameOf(session, 'member', entry.actor),
    account: entry.account ? nameOf(session, 'account', entry.account) : '',
    reason: typeof reason === 'string' ? reason : '',
    details,
    leaf: toHex(entry.leaf),
  };
}

import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../shared/domain/roles.ts';
import { readySodium } from '../../electron/vault/crypto/sodium.ts';
import { addMember } from '../../electron/vault/domain/members.ts';
import { certificateValid } from '../../electron/vault/member-certificate.ts';
import { createVault } from '../../electron/vault/vault.ts';
import { FORMAT_4_FIXTURE, PASSPHRASES, TEST_KDF, tempDir, unlockAs } from '../helpers/vault.ts';

/**
 * Issue 13, attack 14 (roles): someone with the file and the source but no passphrase asks "is
 * this member a lead?" and reads the answer off the file. It was there four ways: `members.role`
 * in clear; the membership chain's statements in clear canonical JSON naming each role; each
 * member's certificate (a clear Ed25519 signature over their id, role and keys, with its certifier
 * and time in clear) checked against a guessed role; and `team_key_grants` rows for lead and dmt
 * members only. The role, the certificate and the chain are now sealed under K_vault and padded,
 * and every member has a team grant row (ADR 0028). What the trail's clear actor and kind still
 * tell is in docs/THREAT-MODEL.md: this test gives both members the same trail.
 */

/** Every table's rows as an offline reader gets them: every column, nothing opened. */
function clearRows(path: string): Map<string, Record<string, unknown>[]> {
  const db = new Database(path, { readonly: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all() as { name: string }[];
    return new Map(
      tables.map(({ name }) => [
        name,
        db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[],
      ]),
    );
  } finally {
    db.close();
  }
}

/** The vault file and its WAL, as bytes. */
function fileBytes(path: string): Buffer {
  const parts = [readFileSync(path)];
  if (existsSync(`${path}-wal`)) parts.push(readFileSync(`${path}-wal`));
  return Buffer.concat(parts);
}

/** A role as any encoding the vault has used would write it: JSON, SQL text, UTF-16. */
function roleSpellings(role: Role): Buffer[] {
  return [
    Buffer.from(`"${role}"`),
    Buffer.from(`'${role}'`),
    Buffer.from(`"role":"${role}"`),
    Buffer.from(`"${role}"`, 'utf16le'),
  ];
}

/** Every clear column value that names a role, as `table.column`. */
function clearRoleValues(path: string): string[] {
  const found: string[] = [];
  for (const [table, rows] of clearRows(path)) {
    for (const row of rows) {
      for (const [column, value] of Object.entries(row)) {
        if (column === 'sealed' || column === 'sealed_box') continue;
        const text = typeof value === 'string' ? value : Buffer.isBuffer(value) ? '' : '';
        if (ROLES.some((role) => text === role || text.includes(`"${role}"`))) {
          found.push(`${table}.${column}`);
        }
      }
    }
  }
  return found;
}

/**
 * The guesser's certificate check: every clear 64-byte value in the file tried as a certificate
 * of every member, by each member who added someone (the actor of a clear `member.added` or
 * `vault.created` entry), at each such entry's clear time, for each role. Returns the roles a
 * signature confirmed, by member id.
 */
function rolesConfirmedByCertificates(path: string, vaultId: string): Map<string, Role> {
  const rows = clearRows(path);
  const members = (rows.get('members') ?? []) as {
    id: string;
    box_public_key: Buffer;
    sign_public_key: Buffer;
  }[];
  const signatures: Buffer[] = [];
  for (const tableRows of rows.values()) {
    for (const row of tableRows) {
      for (const [column, value] of Object.entries(row)) {
        if (column !== 'sealed' && Buffer.isBuffer(value) && value.length === 64) {
          signatures.push(value);
        }
      }
    }
  }
  const adds = (
    (rows.get('audit_entries') ?? []) as { kind: string; actor_id: string; at: string }[]
  ).filter((entry) => entry.kind === 'member.added' || entry.kind === 'vault.created');
  const confirmed = new Map<string, Role>();
  for (const member of members) {
    for (const add of adds) {
      const certifier = members.find((m) => m.id === add.actor_id);
      if (!certifier) continue;
      for (const role of ROLES) {
        const body = {
          vault: vaultId,
          member: member.id,
          role,
          boxPublicKey: member.box_public_key,
          signPublicKey: member.sign_public_key,
          certifiedBy: certifier.id,
          certifiedAt: add.at,
        };
        if (
          signatures.some((signature) =>
            certificateValid(certifier.sign_public_key, body, signature),
          )
        ) {
          confirmed.set(member.id, role);
        }
      }
    }
  }
  return confirmed;
}

/** A row's shape without its values: which columns are empty, and each value's type and length. */
function shape(row: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [column, value] of Object.entries(row ?? {})) {
    out[column] =
      value === null
        ? 'null'
        : Buffer.isBuffer(value)
          ? `blob ${value.length}`
          : typeof value === 'string'
            ? `text ${value.length}`
            : typeof value;
  }
  return out;
}

describe("a member's role cannot be read or confirmed from the file without a key (issue 13, attack 14)", () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  let vaultId: string;
  let ids: { lead: string; security: string };
  beforeEach(async () => {
    await readySodium();
    ({ dir, cleanup } = tempDir());
    path = `${dir}/team.vault`;
    const founder = await createVault(path, {
      founderName: 'Lena Lead',
      passphrase: PASSPHRASES.lead,
      kdf: TEST_KDF,
    });
    vaultId = founder.vaultId;
    // Names of one length, so that nothing but the role could make their rows differ.
    const kim = await addMember(founder, {
      name: 'Kim Okafor',
      role: 'lead',
      passphrase: 'kim passphrase 123',
    });
    const joe = await addMember(founder, {
      name: 'Joe Barnes',
      role: 'security',
      passphrase: 'joe passphrase 123',
    });
    await addMember(founder, { name: 'Dev Dmt', role: 'dmt', passphrase: PASSPHRASES.dmt });
    await addMember(founder, { name: 'Ada Admin', role: 'admin', passphrase: PASSPHRASES.admin });
    founder.close();
    ids = { lead: kim.id, security: joe.id };
    // The founder's own next unlock settles the reuse labels once (a team-key holder's job, and
    // an entry of theirs: THREAT-MODEL says what actors and kinds tell).
    (await unlockAs(path, 'Lena Lead', PASSPHRASES.lead)).close();
    // Each of the two does the same thing: unlocks once.
    (await unlockAs(path, 'Kim Okafor', 'kim passphrase 123')).close();
    (await unlockAs(path, 'Joe Barnes', 'joe passphrase 123')).close();
  });
  afterEach(() => cleanup());

  it('no role is spelled anywhere in the file or its WAL, nor held by any clear column', () => {
    const bytes = fileBytes(path);
    for (const role of ROLES) {
      for (const spelling of roleSpellings(role)) {
        expect(bytes.indexOf(spelling), `${role} as ${spelling.toString('hex')}`).toBe(-1);
      }
    }
    expect(clearRoleValues(path)).toEqual([]);
  });

  it('no clear signature confirms a guessed role as a certificate', () => {
    expect(rolesConfirmedByCertificates(path, vaultId)).toEqual(new Map());
  });

  it('a lead and a security member who did the same things have rows of the same shape everywhere', () => {
    const rows = clearRows(path);
    const of = (table: string, column: string, id: string) =>
      (rows.get(table) ?? []).filter((row) => row[column] === id).map(shape);
    for (const [table, column] of [
      ['members', 'id'],
      ['key_slots', 'member_id'],
      ['vault_key_grants', 'member_id'],
      ['team_key_grants', 'member_id'],
      ['account_key_wraps', 'holder'],
      ['audit_entries', 'actor_id'],
    ] as const) {
      expect(of(table, column, ids.lead), table).toEqual(of(table, column, ids.security));
    }
    // The chain: every statement sealed to one length, whatever its kind or the role it names.
    const chain = rows.get('membership_chain') ?? [];
    expect(chain.length).toBeGreaterThan(4);
    expect(new Set(chain.map((row) => JSON.stringify(shape({ ...row, seq: 0 }))))).toHaveProperty(
      'size',
      1,
    );
  });

  it('a format-4 vault with members of every role, once upgraded, spells no role either', async () => {
    const old = `${dir}/old.vault`;
    copyFileSync(FORMAT_4_FIXTURE, old);
    expect(clearRoleValues(old)).not.toEqual([]);
    (await unlockAs(old, 'Lena Lead', PASSPHRASES.lead)).close();
    const bytes = fileBytes(old);
    for (const role of ROLES) {
      for (const spelling of roleSpellings(role)) {
        expect(bytes.indexOf(spelling), `${role} as ${spelling.toString('hex')}`).toBe(-1);
      }
    }
    expect(clearRoleValues(old)).toEqual([]);
    const oldVaultId = (clearRows(old).get('vault_header')![0] as { vault_id: string }).vault_id;
    expect(rolesConfirmedByCertificates(old, oldVaultId)).toEqual(new Map());
  });
});

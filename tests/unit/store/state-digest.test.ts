import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Frontier } from '../../../electron/vault/audit/merkle.ts';
import { verifyVault } from '../../../electron/vault/audit/verify.ts';
import { MultisetHash, rowElement } from '../../../electron/vault/crypto/multiset-hash.ts';
import { changeHandleOrOwner } from '../../../electron/vault/domain/account-registry.ts';
import {
  grantAdministrator,
  revokeAdministrator,
} from '../../../electron/vault/domain/administrators.ts';
import {
  addDevice,
  reportLostDevice,
  resolveIncident,
} from '../../../electron/vault/domain/devices.ts';
import {
  addMember,
  changeOwnPassphrase,
  findMemberByName,
  removeMember,
} from '../../../electron/vault/domain/members.ts';
import { addPerson } from '../../../electron/vault/domain/people.ts';
import { declareQuietPeriod } from '../../../electron/vault/domain/quiet-periods.ts';
import { rotatePassword } from '../../../electron/vault/domain/rotations.ts';
import { grantAccess, revokeAccess } from '../../../electron/vault/domain/teams.ts';
import { healthReport, setHealthThresholds } from '../../../electron/vault/health/service.ts';
import { recordComplaint } from '../../../electron/vault/domain/complaints.ts';
import { requestTrial } from '../../../electron/vault/domain/trials.ts';
import { addThirdPartyApp } from '../../../electron/vault/domain/third-party-apps.ts';
import {
  stateCommitment,
  stateDigestStore,
  STATE_TABLES,
} from '../../../electron/vault/store/state-digest.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../../helpers/vault.ts';

const row = fc.array(
  fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.uint8Array({ maxLength: 40 })),
  { maxLength: 6 },
);

describe('the multiset hash of a table (ADR 0020)', () => {
  it('does not depend on the order rows are added in, and removing a row undoes adding it', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 12 }), row, (rows, extra) => {
        const forward = new MultisetHash();
        for (const cells of rows) forward.add(rowElement('t', cells));
        const backward = new MultisetHash();
        for (const cells of [...rows].reverse()) backward.add(rowElement('t', cells));
        expect(forward.bytes()).toEqual(backward.bytes());
        const withExtra = new MultisetHash(forward.bytes());
        withExtra.add(rowElement('t', extra));
        expect(withExtra.bytes()).not.toEqual(forward.bytes());
        withExtra.remove(rowElement('t', extra));
        expect(withExtra.bytes()).toEqual(forward.bytes());
      }),
    );
  });

  it('tells apart cells that would run together, blobs from text, and tables', () => {
    const element = (table: string, cells: Parameters<typeof rowElement>[1]) =>
      Buffer.from(rowElement(table, cells)).toString('hex');
    const seen = new Set([
      element('t', ['ab', 'c']),
      element('t', ['a', 'bc']),
      element('t', [Buffer.from('ab'), 'c']),
      element('t', ['ab', Buffer.from('c')]),
      element('t', [1, null]),
      element('t', ['1', null]),
      element('u', ['ab', 'c']),
    ]);
    expect(seen.size).toBe(7);
  });
});

describe('the stored state digests follow every write (ADR 0020)', () => {
  const dir = tempDir();
  const path = `${dir.dir}/every-write.vault`;
  let accounts: string[];

  beforeAll(async () => {
    ({ accounts } = await populatedVault(path));
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      await addMember(lead, { name: 'Dora Leaver', role: 'dmt', passphrase: 'dora passphrase 1' });
      grantAdministrator(lead, accounts[0]!, findMemberByName(lead, 'Ada Admin').id);
      addPerson(lead, { name: 'Kay Patel', masterclassOn: '2025-01-01' });
      grantAccess(lead, { account: accounts[0]!, person: 'Kay Patel', on: '2026-01-01' });
      revokeAccess(lead, { account: accounts[0]!, person: 'Kay Patel' });
      addDevice(lead, {
        owner: 'Kay Patel',
        kind: 'force',
        label: 'Phone',
        accounts: [accounts[1]!],
      });
      reportLostDevice(lead, { device: 'Phone' });
      resolveIncident(lead, 'Phone');
      declareQuietPeriod(lead, { accounts: 'all', authority: 'Gold', reason: 'Major incident' });
      changeHandleOrOwner(lead, accounts[1]!, { owner: 'Kay Patel' });
      setHealthThresholds(lead, { inactivityGuidanceMonths: 2 });
      healthReport(lead);
      // Migration 011's policy records (6.4, 3.4, 6.3): state tables too, re-sealed with the rest.
      recordComplaint(lead, {
        account: accounts[0]!,
        kind: 'breach',
        summary: 'Password shared on a sticky note',
        receivedOn: '2026-01-02',
      });
      requestTrial(lead, {
        platform: 'Bluesky',
        purpose: 'Reach younger audiences',
        requestedBy: 'Insp. Reed',
        coveredByPolicy: true,
      });
      addThirdPartyApp(lead, {
        account: accounts[0]!,
        name: 'Hootsuite',
        addedBy: 'corporate-communications',
        addedByName: 'Corporate Communications',
        addedOn: '2026-01-02',
        reaches: ['publish'],
      });
      // A removal re-seals every K_vault row under a new key epoch (store/reseal.ts).
      removeMember(lead, 'Dora Leaver');
      rotatePassword(lead, accounts[0]!, { reason: 'membership-change', password: 'after-Dora-1' });
      revokeAdministrator(lead, accounts[0]!, findMemberByName(lead, 'Ada Admin').id);
      // So does a passphrase change, with new member keys, wraps and team key.
      await changeOwnPassphrase(lead, 'a new lead passphrase 2');
    } finally {
      lead.close();
    }
  });
  afterAll(() => dir.cleanup());

  it('every table the digest covers has rows, and the stored digests are the recomputed ones', async () => {
    const session = await unlockAs(path, 'Lena Lead', 'a new lead passphrase 2');
    try {
      const stored = stateDigestStore.stored(session.db);
      expect(stored).toEqual(stateDigestStore.recompute(session.db));
      const empty = stored.filter((digest) => digest.rows === 0).map((digest) => digest.table);
      expect(empty).toEqual([]);
      expect(stored.map((digest) => digest.table)).toEqual([...STATE_TABLES]);
      expect(await verifyVault(session)).toMatchObject({ ok: true });
    } finally {
      session.close();
    }
  });

  it('the trail cut back to an earlier checkpoint, rows left as they are, is refused at unlock', async () => {
    const db = new Database(path);
    db.transaction(() => {
      // Back to the last checkpoint before the latest change of the state (the passphrase
      // change): what comes after goes, and the tree's edge is rebuilt to match.
      const keep = db
        .prepare(
          `SELECT MAX(size) FROM audit_checkpoints WHERE state IS NOT
             (SELECT state FROM audit_checkpoints ORDER BY size DESC LIMIT 1)`,
        )
        .pluck()
        .get() as number;
      db.prepare('DELETE FROM audit_entries WHERE seq > ?').run(keep);
      db.prepare('DELETE FROM audit_checkpoints WHERE size > ?').run(keep);
      const frontier = new Frontier();
      for (const leaf of db
        .prepare('SELECT leaf_hash FROM audit_entries ORDER BY seq')
        .pluck()
        .all() as Buffer[])
        frontier.append(new Uint8Array(leaf));
      db.prepare('DELETE FROM merkle_frontier').run();
      const node = db.prepare('INSERT INTO merkle_frontier (level, hash) VALUES (?, ?)');
      for (const { level, hash } of frontier.nodes) node.run(level, Buffer.from(hash));
    })();
    db.close();
    await expect(unlockAs(path, 'Lena Lead', 'a new lead passphrase 2')).rejects.toMatchObject({
      code: 'INTEGRITY',
      message: expect.stringContaining('state_digests'),
    });
  });
});

describe('state tables added after format 7 (migration 011; ADR 0020 addendum)', () => {
  const zero = () => ({ rows: 0, digest: new MultisetHash().bytes() });
  const withComplaints = (rows: number, digest: Uint8Array) =>
    STATE_TABLES.map((table) =>
      table === 'complaints' ? { table, rows, digest } : { table, ...zero() },
    );
  const before = STATE_TABLES.filter(
    (t) => !['complaints', 'channel_trials', 'third_party_apps'].includes(t),
  ).map((table) => ({ table, ...zero() }));

  it('while empty they are left out, so a checkpoint signed before them still matches', () => {
    expect(stateCommitment(withComplaints(0, zero().digest))).toEqual(stateCommitment(before));
  });

  it('once they hold a row they are committed, and emptying them again changes the commitment', () => {
    const one = new MultisetHash();
    one.add(rowElement('complaints', ['c1', 'a1', '2026-01-01', null, 1, Buffer.from('x')]));
    const holding = stateCommitment(withComplaints(1, one.bytes()));
    expect(holding).not.toEqual(stateCommitment(before));
    expect(stateCommitment(withComplaints(0, zero().digest))).not.toEqual(holding);
  });
});

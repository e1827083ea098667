import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyVault } from '../../../electron/vault/audit/verify.ts';
import { addPerson, listPeople } from '../../../electron/vault/domain/people.ts';
import { randomId } from '../../../electron/vault/crypto/random.ts';
import { peopleTable } from '../../../electron/vault/store/registry-tables.ts';
import type { VaultSession } from '../../../electron/vault/session.ts';
import { PASSPHRASES, newVault, tempDir, unlockAs } from '../../helpers/vault.ts';

// A write inside a write is a savepoint of the outer one (session.ts). Each inner write that
// appends entries signs its own checkpoint over its changes, so an outer write that only groups
// such writes (the scale bench's people, tests/bench/scale.ts) changes nothing without its entry;
// a change the outer write makes itself, with no entry, is still refused (DESIGN.md).
describe('an outer write around audited inner writes', () => {
  let dir: { dir: string; cleanup: () => void };
  let path: string;
  let session: VaultSession;
  beforeEach(async () => {
    dir = tempDir();
    path = join(dir.dir, 'team.vault');
    session = await newVault(path);
  });
  afterEach(() => {
    session.close();
    dir.cleanup();
  });

  it('commits the inner writes, each with its entry, and the trail verifies', async () => {
    session.write(() => {
      addPerson(session, { name: 'Priya Patel' });
      addPerson(session, { name: 'Tom Reed' });
    });
    session.close();
    session = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    expect(listPeople(session).map((person) => person.value.name)).toEqual(
      expect.arrayContaining(['Priya Patel', 'Tom Reed']),
    );
    const report = await verifyVault(session);
    expect(report.ok, report.ok ? '' : `${report.where} ${report.problem}`).toBe(true);
  });

  it('still refuses a change the outer write makes itself without an entry', () => {
    expect(() =>
      session.write(({ db, now }) => {
        addPerson(session, { name: 'Priya Patel' });
        peopleTable.insert(
          db,
          session.keys.vault,
          randomId(),
          { created_at: now },
          {
            name: 'Unrecorded Person',
          },
        );
      }),
    ).toThrow(/without an audit entry/);
    expect(listPeople(session).map((person) => person.value.name)).not.toContain('Priya Patel');
  });
});

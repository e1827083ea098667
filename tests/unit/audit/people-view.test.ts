import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detailFields } from '../../../electron/vault/audit/people-view.ts';
import type { VaultSession } from '../../../electron/vault/session.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../../helpers/vault.ts';

/** An entry's details as the console and the PDF show them, and as the CSV keeps them. */
describe('detailFields', () => {
  let dir: { dir: string; cleanup: () => void };
  let session: VaultSession;

  beforeAll(async () => {
    dir = tempDir();
    await populatedVault(`${dir.dir}/team.vault`);
    session = await unlockAs(`${dir.dir}/team.vault`, 'Lena Lead', PASSPHRASES.lead);
  });
  afterAll(() => {
    session.close();
    dir.cleanup();
  });

  // An approval's details as requests.ts records them: "refused" and "suggested" are null when
  // the request was approved as asked.
  const approval = () => ({
    approver: 'DML',
    by: '2026-11-30',
    refused: null,
    suggested: null,
    member: session.member.id,
    reason: 'agreed at the DML meeting',
  });

  it('for people: names instead of ids, and no "refused: null" fragments (issue 15)', () => {
    expect(detailFields(session, approval(), { names: true })).toEqual([
      { name: 'approver', value: 'DML' },
      { name: 'by', value: '2026-11-30' },
      { name: 'member', value: 'Lena Lead' },
    ]);
  });

  it('for the CSV: every detail in its place with its id, as it always was', () => {
    expect(detailFields(session, approval())).toEqual([
      { name: 'approver', value: 'DML' },
      { name: 'by', value: '2026-11-30' },
      { name: 'refused', value: 'null' },
      { name: 'suggested', value: 'null' },
      { name: 'member', value: session.member.id },
    ]);
  });
});

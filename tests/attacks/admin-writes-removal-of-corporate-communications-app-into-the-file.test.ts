import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyVault } from '../../electron/vault/audit/verify.ts';
import { grantAdministrator } from '../../electron/vault/domain/administrators.ts';
import { findMemberByName } from '../../electron/vault/domain/members.ts';
import { addThirdPartyApp } from '../../electron/vault/domain/third-party-apps.ts';
import { thirdPartyAppsTable } from '../../electron/vault/store/registry-tables.ts';
import { sealRow } from '../../electron/vault/store/sealed-row.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';
import { appendAsHolderOf, editVault, resignStateAs, signingKeysOf, insiderDb } from './insider.ts';

/**
 * Policy 6.3 once more: refused by the core, the account's administrator writes the removal of a
 * Corporate Communications app into the file themselves — a well-formed removal entry of their
 * own appended to the trail with the real appender, the row re-sealed as removed pointing at it,
 * and the state signed as theirs. Every seal, leaf and signature checks out; what gives it away is
 * who removed it: `audit verify` names the row, a removal by a member the signed chain holds as
 * an administrator, not as Corporate Communications.
 */
describe('a removal of a Corporate Communications app written into the file by an administrator is named (6.3)', () => {
  let dir: { dir: string; cleanup: () => void };
  let path: string;
  let x: string;
  let app: string;

  beforeEach(async () => {
    dir = tempDir();
    path = `${dir.dir}/app-removal.vault`;
    [x] = (await populatedVault(path)).accounts as [string];
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      grantAdministrator(lead, x, findMemberByName(lead, 'Ada Admin').id);
      app = addThirdPartyApp(lead, {
        account: x,
        name: 'Orlo',
        addedBy: 'corporate-communications',
        addedByName: 'Corporate Communications',
        addedOn: '2026-10-01',
        reaches: ['publish'],
      }).id;
    } finally {
      lead.close();
    }
  });
  afterEach(() => dir.cleanup());

  it('audit verify names the row and the removal entry', async () => {
    const keys = await signingKeysOf(path, { name: 'Ada Admin', passphrase: PASSPHRASES.admin });
    const now = new Date().toISOString();
    appendAsHolderOf(
      path,
      keys,
      [
        {
          kind: 'third-party-app.removed',
          account: x,
          details: { app, name: 'Orlo', reason: 'x' },
        },
      ],
      now,
    );
    const file = insiderDb(path);
    const seq = (file.prepare('SELECT MAX(seq) AS seq FROM audit_entries').get() as { seq: number })
      .seq;
    file.close();
    const ada = await unlockAs(path, 'Ada Admin', PASSPHRASES.admin);
    let sealed: Buffer;
    let version: number;
    const clear = { removed_on: now.slice(0, 10), removed_seq: seq };
    try {
      const row = thirdPartyAppsTable.get(ada.db, ada.keys.vault, app)!;
      version = row.version + 1;
      sealed = sealRow(
        ada.keys.vault,
        { table: 'third_party_apps', id: app, version, clear: { ...row.clear, ...clear } },
        { ...row.value, removedBy: 'Ada Admin', removeReason: 'x' },
      );
    } finally {
      ada.close();
    }
    editVault(
      path,
      'UPDATE third_party_apps SET removed_on = ?, removed_seq = ?, version = ?, sealed = ? WHERE id = ?',
      clear.removed_on,
      clear.removed_seq,
      version,
      sealed,
      app,
    );
    resignStateAs(path, keys);

    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      const report = await verifyVault(lead);
      expect(report).toMatchObject({ ok: false, where: `third_party_apps row ${app}` });
      expect(report.ok ? '' : report.problem).toMatch(
        new RegExp(`removed by a member who is not in it \\(audit entry #${seq}; policy 6\\.3\\)`),
      );
    } finally {
      lead.close();
    }
  });
});

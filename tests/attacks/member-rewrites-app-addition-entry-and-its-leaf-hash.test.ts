import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/errors.ts';
import { checkpointBody } from '../../electron/vault/audit/checkpoint.ts';
import { entryLeafHash } from '../../electron/vault/audit/entry.ts';
import { MerkleTree } from '../../electron/vault/audit/merkle.ts';
import { sign } from '../../electron/vault/crypto/keys.ts';
import { removeThirdPartyApp } from '../../electron/vault/domain/third-party-apps.ts';
import {
  openAuditDetails,
  sealAuditDetails,
} from '../../electron/vault/store/audit-entry-codec.ts';
import type { AuditEntryRow } from '../../electron/vault/store/audit-store.ts';
import { thirdPartyAppsTable } from '../../electron/vault/store/registry-tables.ts';
import { sealRow } from '../../electron/vault/store/sealed-row.ts';
import { PASSPHRASES, tempDir, unlockAs } from '../helpers/vault.ts';
import {
  corporateCommunicationsAppVault,
  editVault,
  resignStateAs,
  signingKeysOf,
  insiderDb,
} from './insider.ts';
import { stateColumns } from '../../electron/vault/store/dialect.ts';

/**
 * Policy 6.3 ("Any applications added to social media accounts by Corporate Communications must
 * not be deleted"), a third time. Who added an app is the word of the trail entry that recorded
 * it, but the entry's `leaf_hash` is a column like any other: an administrator holding K_vault
 * re-seals that entry's details to say the account team added it, writes the matching leaf hash
 * into the column, re-seals the app's row to agree, and signs the edited state as theirs. Every
 * seal opens and every hash the row can be compared with agrees. What they cannot write is the
 * lead's signature on the checkpoint that added the entry: the core proves the entry against that
 * signed root (an RFC 6962 inclusion proof) and refuses, writing nothing.
 */
describe('an app addition rewritten in the trail, leaf hash and all, is still Corporate Communications’ (6.3)', () => {
  let dir: { dir: string; cleanup: () => void };
  let path: string;
  let app: string;

  beforeEach(async () => {
    dir = tempDir();
    path = `${dir.dir}/app-leaf.vault`;
    app = await corporateCommunicationsAppVault(path);
  });
  afterEach(() => dir.cleanup());

  /**
   * Ada re-seals the addition entry (and the app's row) as the account team's, writes the matching
   * leaf hash, and signs the edited state. With `ownCheckpoint`, she also names herself the entry's
   * actor and signs a checkpoint of her own at the entry, over the rewritten leaves, so that the
   * first checkpoint covering it is hers (review of the first fix: the covering checkpoint alone
   * was proof enough). Then she tries the removal.
   */
  async function rewriteAndRemove(ownCheckpoint: boolean): Promise<void> {
    const ada = { name: 'Ada Admin', passphrase: PASSPHRASES.admin };
    const keys = await signingKeysOf(path, ada);
    const session = await unlockAs(path, ada.name, ada.passphrase);
    let rowSealed: Buffer;
    try {
      const row = thirdPartyAppsTable.get(session.db, session.keys.vault, app)!;
      rowSealed = sealRow(
        session.keys.vault,
        { table: 'third_party_apps', id: app, version: row.version, clear: row.clear },
        { ...row.value, addedBy: 'account-team', addedByName: 'PC Lowe' },
      );
    } finally {
      session.close();
    }
    // The addition entry, re-sealed and re-hashed as the account team's.
    const raw = insiderDb(path);
    try {
      const entry = raw
        .prepare(
          `SELECT ${stateColumns(raw, 'audit_entries')} FROM audit_entries WHERE kind = 'third-party-app.added'`,
        )
        .get() as AuditEntryRow;
      const actor = ownCheckpoint ? keys.memberId : entry.actor_id;
      const details = {
        ...openAuditDetails(keys.vaultKey, entry),
        addedBy: 'account-team',
        addedByName: 'PC Lowe',
      };
      const leaf = Buffer.from(
        entryLeafHash({
          seq: entry.seq,
          at: entry.at,
          kind: 'third-party-app.added',
          actor,
          account: entry.account_id,
          details,
        }),
      );
      const sealed = Buffer.from(
        sealAuditDetails(keys.vaultKey, { ...entry, actor_id: actor, leaf_hash: leaf }, details),
      );
      raw
        .prepare('UPDATE audit_entries SET actor_id = ?, leaf_hash = ?, sealed = ? WHERE seq = ?')
        .run(actor, leaf, sealed, entry.seq);
      if (ownCheckpoint) {
        const leaves = (
          raw
            .prepare('SELECT leaf_hash FROM audit_entries WHERE seq <= ? ORDER BY seq')
            .all(entry.seq) as { leaf_hash: Buffer }[]
        ).map((row) => new Uint8Array(row.leaf_hash));
        const root = new MerkleTree(leaves).root();
        const state = new Uint8Array(
          (
            raw
              .prepare('SELECT state FROM audit_checkpoints WHERE size >= ? ORDER BY size LIMIT 1')
              .get(entry.seq) as { state: Buffer }
          ).state,
        );
        raw
          .prepare(
            `INSERT INTO audit_checkpoints (size, root, signer_id, signature, state) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (size) DO UPDATE SET root = excluded.root, signer_id = excluded.signer_id,
               signature = excluded.signature, state = excluded.state`,
          )
          .run(
            entry.seq,
            Buffer.from(root),
            keys.memberId,
            Buffer.from(sign(keys.signing, checkpointBody(keys.vaultId, entry.seq, root, state))),
            Buffer.from(state),
          );
      }
    } finally {
      raw.close();
    }
    editVault(path, 'UPDATE third_party_apps SET sealed = ? WHERE id = ?', rowSealed, app);
    resignStateAs(path, keys);

    const again = await unlockAs(path, ada.name, ada.passphrase);
    try {
      expect(() => removeThirdPartyApp(again, { app, reason: 'Ours now' })).toThrow(
        expect.objectContaining({
          code: ErrorCode.INTEGRITY,
          message: expect.stringMatching(/audit entry #\d+.*signed checkpoint/),
        }),
      );
      expect(thirdPartyAppsTable.get(again.db, again.keys.vault, app)!.clear.removed_on).toBeNull();
    } finally {
      again.close();
    }
  }

  it('the core proves the addition against the lead’s signed checkpoint and refuses the removal', async () => {
    await rewriteAndRemove(false);
  });

  it('a checkpoint of her own at the entry does not prove it: the latest signed head does not hold it', async () => {
    await rewriteAndRemove(true);
  });

  it('an untouched addition is proven and the DMT may still remove it (10.2)', async () => {
    const dev = await unlockAs(path, 'Dev Dmt', PASSPHRASES.dmt);
    try {
      const removed = removeThirdPartyApp(dev, { app, reason: 'Contract ended' });
      expect(removed.clear.removed_on).not.toBeNull();
    } finally {
      dev.close();
    }
  });
});

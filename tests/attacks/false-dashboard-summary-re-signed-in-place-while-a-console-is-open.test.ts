import { afterAll, describe, expect, it } from 'vitest';
import { checkpointBody } from '../../electron/vault/audit/checkpoint.ts';
import { sign } from '../../electron/vault/crypto/keys.ts';
import type { WritableDb } from '../../electron/vault/store/connection.ts';
import { dashboardSummaryTable } from '../../electron/vault/store/dashboard-summary.ts';
import { stateCommitment, stateDigestStore } from '../../electron/vault/store/state-digest.ts';
import { consoleRouter, unlockAt } from '../helpers/router.ts';
import { PASSPHRASES, tempDir } from '../helpers/vault.ts';
import { editVault, onServer, signingKeysOf, withInsiderDb, type SigningKeys } from './insider.ts';
import { populatedVaultWithALostPhone } from '../helpers/lost-phone.ts';

/**
 * Issue 14 (found in review of ADR 0035). An open console checks the dashboard summary against the
 * registry (ADR 0027), and the head against what this workstation kept, when another connection
 * has committed. On a server that is told by the head stamp (pg-connection.ts), which was the
 * commit count and the latest checkpoint's size and root. A member with psql seals a summary that
 * hides an open lost-device incident (10.1), moves the summary's digest to match, re-signs the
 * latest checkpoint in place (same size and root, the new state commitment, their own signature:
 * checkpointBody signs the state, so this is a well-formed checkpoint) and puts the commit count
 * back. The stamp did not move, so the console showed the lie until the next unlock. The stamp
 * now hashes the latest checkpoint's state, signer and signature too (LATEST_SIGNED), and the
 * console refuses it. On a file SQLite's data_version moves on any write, so it was refused there
 * already.
 */
describe('a false dashboard summary re-signed in place while a console is open', () => {
  const dir = tempDir();
  let path = '';

  async function vaultWithLostPhone(name: string): Promise<void> {
    path = `${dir.dir}/${name}.vault`;
    await populatedVaultWithALostPhone(path);
  }
  afterAll(() => dir.cleanup());

  /** The member's edit: the summary sealed false, its digest moved, the latest checkpoint re-signed. */
  function sealFalseSummaryInPlace(member: SigningKeys): void {
    const server = onServer(path);
    const commitsBefore = server
      ? withInsiderDb(
          path,
          (db) =>
            (
              db.prepare('SELECT commits FROM log_head WHERE singleton = 1').get() as {
                commits: number | string;
              }
            ).commits,
        )
      : undefined;
    withInsiderDb(path, (db) => {
      db.inWriteTransaction(() => {
        const writable = db as unknown as WritableDb;
        const stored = dashboardSummaryTable.get(writable, member.vaultKey, 'current')!;
        expect(stored.value.openIncidents.length).toBeGreaterThan(0);
        // `tracked`: the row sealed again and state_digests moved from its old row to the new.
        dashboardSummaryTable.update(writable, member.vaultKey, stored, stored.clear, {
          ...stored.value,
          openIncidents: [],
        });
        const latest = writable
          .prepare('SELECT size, root FROM audit_checkpoints ORDER BY size DESC LIMIT 1')
          .get() as { size: number | string; root: Buffer };
        const state = stateCommitment(stateDigestStore.stored(writable));
        const signature = sign(
          member.signing,
          checkpointBody(member.vaultId, Number(latest.size), new Uint8Array(latest.root), state),
        );
        writable
          .prepare(
            'UPDATE audit_checkpoints SET state = ?, signer_id = ?, signature = ? WHERE size = ?',
          )
          .run(Buffer.from(state), member.memberId, Buffer.from(signature), latest.size);
      });
    });
    // The insider connection's write counted itself on the head: put the count back.
    if (server) {
      editVault(path, 'UPDATE log_head SET commits = ? WHERE singleton = 1', commitsBefore);
    }
  }

  async function attack(refreshBefore: boolean): Promise<void> {
    const router = consoleRouter({ live: true });
    expect(await unlockAt(router, path, 'Lena Lead', PASSPHRASES.lead)).toMatchObject({ ok: true });
    const honest = await router.invoke('dashboard.get', {});
    expect(honest).toMatchObject({ ok: true });
    expect((honest as { value: { openIncidents: unknown[] } }).value.openIncidents).toHaveLength(1);
    expect(await router.invoke('dashboard.health', {})).toMatchObject({ ok: true });

    const sam = await signingKeysOf(path, {
      name: 'Sam Security',
      passphrase: PASSPHRASES.security,
    });
    // A console read in between, so the session has looked at the head after Sam's unlock.
    expect(await router.invoke('dashboard.get', {})).toMatchObject({ ok: true });
    // B: the console's live refresh has run too since Sam's unlock (a poll, a notification).
    if (refreshBefore) {
      expect(await router.invoke('vault.refresh', {})).toMatchObject({ ok: true });
    }
    sealFalseSummaryInPlace(sam);

    await router.invoke('vault.refresh', {});
    const shown = await router.invoke('dashboard.get', {});
    // What must hold: the console never shows the summary with the lost phone hidden.
    expect(shown).not.toMatchObject({ ok: true, value: { openIncidents: [] } });
    expect(shown).toMatchObject({ ok: false });

    // A console unlocked afresh refuses it once its deferred registry check runs (ADR 0027): the
    // gap is the open console's alone.
    const fresh = consoleRouter();
    expect(await unlockAt(fresh, path, 'Ada Admin', PASSPHRASES.admin)).toMatchObject({ ok: true });
    expect(await fresh.invoke('dashboard.health', {})).toMatchObject({
      ok: false,
      error: { code: 'INTEGRITY' },
    });
  }

  // A read turn between the member's unlock and the edit takes up the move their unlock made.
  it('A: after a read turn, vault.refresh or the next dashboard.get refuses it', async () => {
    await vaultWithLostPhone('after-a-read');
    await attack(false);
  }, 120_000);

  // And a refresh too (the gate on the head stamp is older than ADR 0035's folding of LiveRefresh).
  it('B: after a read turn and a refresh, vault.refresh or the next dashboard.get refuses it', async () => {
    await vaultWithLostPhone('after-a-refresh');
    await attack(true);
  }, 120_000);
});

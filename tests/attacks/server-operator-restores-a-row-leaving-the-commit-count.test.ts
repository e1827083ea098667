import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCredential } from '../../electron/vault/domain/credentials.ts';
import { rotatePassword } from '../../electron/vault/domain/rotations.ts';
import { KeptCheckpointFolder } from '../../electron/vault/kept-checkpoints.ts';
import { unlockVault } from '../../electron/vault/vault.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { custodian } from '../helpers/cli.ts';
import {
  postgresUnavailable,
  startThrowawayCluster,
  type ThrowawayCluster,
} from '../helpers/postgres-cluster.ts';
import { PASSPHRASES, populatedVault, unlockAs } from '../helpers/vault.ts';

/**
 * Issue 14, review finding: on the server, "has anyone committed since?" was the log head's
 * `commits` column, a plain number the operator can leave as it is while editing rows with psql.
 * A session trusted the state it had checked (and an unlock its digests computed during the key
 * derivation) for as long as that number stood still. Here the operator puts back the credential
 * row a rotation replaced (policy 10.2: the old password, known to a leaver, shown as current) and
 * rolls the trail back to an older snapshot, both without touching the count. The next open, and
 * an open session's next read, must refuse (exit 2 in the CLI), naming what was changed.
 */
const unavailable = postgresUnavailable();

interface OldRows {
  account: { version: string; sealed: Buffer };
  credential: { key_id: string; updated_at: string; version: string; sealed: Buffer };
  wraps: { holder: string; key_id: string; team_generation: string | null; sealed_box: Buffer }[];
}

describe.skipIf(unavailable !== null)(
  unavailable ?? 'a server operator who edits rows and leaves the commit count as it was',
  () => {
    let cluster: ThrowawayCluster;
    let n = 0;
    beforeAll(() => {
      cluster = startThrowawayCluster({ fsync: false });
    }, 60_000);
    afterAll(() => cluster.stop());

    async function asOperator<T = unknown>(url: string, sql: string, params: unknown[] = []) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query(sql, params)).rows as T[];
      } finally {
        await client.end();
      }
    }

    const commits = async (url: string) =>
      (await asOperator<{ commits: string }>(url, 'SELECT commits FROM log_head'))[0]!.commits;

    /** A vault whose first account was rotated, and the credential row from before the rotation. */
    async function rotatedVault(): Promise<{ url: string; account: string; old: OldRows }> {
      const name = `v${++n}`;
      cluster.createDatabase(name);
      const url = cluster.urlFor(name);
      const { accounts } = await populatedVault(url);
      const account = accounts[0]!;
      const [credential] = await asOperator<OldRows['credential']>(
        url,
        'SELECT key_id, updated_at, version, sealed FROM credentials WHERE account_id = $1',
        [account],
      );
      const [accountRow] = await asOperator<OldRows['account']>(
        url,
        'SELECT version, sealed FROM accounts WHERE id = $1',
        [account],
      );
      const wraps = await asOperator<OldRows['wraps'][number]>(
        url,
        'SELECT holder, key_id, team_generation, sealed_box FROM account_key_wraps WHERE account_id = $1',
        [account],
      );
      const lead = await unlockAs(url, 'Lena Lead', PASSPHRASES.lead);
      try {
        rotatePassword(lead, account, { password: 'Rotated-After-Leaver-7', reason: 'scheduled' });
      } finally {
        lead.close();
      }
      return { url, account, old: { account: accountRow!, credential: credential!, wraps } };
    }

    /**
     * The operator's edit: the account's rows from before the rotation back in place (its row, its
     * credential and its key wraps, sealed blobs and versions, so they open as they did), the log
     * head's count left alone.
     */
    async function restoreOldCredential(url: string, account: string, old: OldRows) {
      const before = await commits(url);
      const { credential } = old;
      await asOperator(url, 'UPDATE accounts SET version = $2, sealed = $3 WHERE id = $1', [
        account,
        old.account.version,
        old.account.sealed,
      ]);
      await asOperator(
        url,
        'UPDATE credentials SET key_id = $2, updated_at = $3, version = $4, sealed = $5 WHERE account_id = $1',
        [account, credential.key_id, credential.updated_at, credential.version, credential.sealed],
      );
      for (const wrap of old.wraps) {
        await asOperator(
          url,
          'UPDATE account_key_wraps SET key_id = $3, team_generation = $4, sealed_box = $5 WHERE account_id = $1 AND holder = $2',
          [account, wrap.holder, wrap.key_id, wrap.team_generation, wrap.sealed_box],
        );
      }
      expect(await commits(url)).toBe(before);
    }

    it("an open session's next read refuses the restored credential as damage, naming its table", async () => {
      const { url, account, old } = await rotatedVault();
      const dev = await unlockAs(url, 'Dev Dmt', PASSPHRASES.dmt);
      try {
        expect(openCredential(dev, account).password).toBe('Rotated-After-Leaver-7');
        await restoreOldCredential(url, account, old);
        // A new turn, as the console's next request is.
        await new Promise((resolve) => setImmediate(resolve));
        let shown: string | undefined;
        let refused: unknown;
        try {
          shown = openCredential(dev, account).password;
        } catch (error) {
          refused = error;
        }
        expect(shown).toBeUndefined();
        expect(refused).toMatchObject({
          code: ErrorCode.INTEGRITY,
          message: expect.stringMatching(/accounts|credentials/),
        });
      } finally {
        dev.abandon();
      }
    });

    it('an open session refuses to write on top of the restored credential', async () => {
      const { url, account, old } = await rotatedVault();
      const dev = await unlockAs(url, 'Dev Dmt', PASSPHRASES.dmt);
      try {
        await restoreOldCredential(url, account, old);
        expect(() =>
          rotatePassword(dev, account, { password: 'Written-On-Top-8', reason: 'scheduled' }),
        ).toThrow(expect.objectContaining({ code: ErrorCode.INTEGRITY }));
      } finally {
        dev.abandon();
      }
      const [row] = await asOperator<{ version: string }>(
        url,
        'SELECT version FROM credentials WHERE account_id = $1',
        [account],
      );
      expect(row!.version).toBe(old.credential.version);
    });

    it('the next open refuses it with exit 2, naming the table', async () => {
      const { url, account, old } = await rotatedVault();
      await restoreOldCredential(url, account, old);
      const result = await custodian(['reveal', url, 'x:NorfolkPolice', '--reason', 'audit'], {
        CUSTODIAN_USER: 'Dev Dmt',
        CUSTODIAN_PASSPHRASE: PASSPHRASES.dmt,
      });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(/the (accounts|credentials) table/);
      expect(result.stdout).not.toContain('first-Password-1');
    });

    it("the trail rolled back under an open session (checkpoints and entries, count kept) is refused at the session's next read", async () => {
      const { url, account } = await rotatedVault();
      const folder = mkdtempSync(join(tmpdir(), 'custodian-kept-'));
      try {
        const kept = new KeptCheckpointFolder(folder);
        const dev = await unlockVault(url, {
          memberName: 'Dev Dmt',
          passphrase: PASSPHRASES.dmt,
          keptCheckpoints: kept,
        });
        try {
          openCredential(dev, account);
          // The operator drops the session's own unlock (the last checkpoint and the entry it
          // signed; the state is the same at the checkpoint before): an older snapshot of the
          // trail, every row of it genuine and signed, under the commit count as it was.
          const before = await commits(url);
          const [latest] = await asOperator<{ size: string }>(
            url,
            'SELECT max(size) AS size FROM audit_checkpoints',
          );
          const [earlier] = await asOperator<{ previous: string }>(
            url,
            'SELECT max(size) AS previous FROM audit_checkpoints WHERE size < $1',
            [latest!.size],
          );
          await asOperator(url, 'DELETE FROM audit_checkpoints WHERE size > $1', [
            earlier!.previous,
          ]);
          await asOperator(url, 'DELETE FROM audit_entries WHERE seq > $1', [earlier!.previous]);
          expect(await commits(url)).toBe(before);
          await new Promise((resolve) => setImmediate(resolve));
          expect(() => openCredential(dev, account)).toThrow(
            expect.objectContaining({
              code: ErrorCode.INTEGRITY,
              message: expect.stringMatching(/older history than this workstation has seen/),
            }),
          );
        } finally {
          dev.abandon();
        }
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });
  },
);

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revealPassword } from '../../electron/vault/domain/reveal.ts';
import { custodian } from '../helpers/cli.ts';
import {
  postgresUnavailable,
  startThrowawayCluster,
  type ThrowawayCluster,
} from '../helpers/postgres-cluster.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';

/**
 * Issue 14, ADR 0032: a server operator edits rows on the server, then asks for (or waits for) a
 * backup. `custodian vault copy` verifies the source in full before it copies: an edit the
 * unlock's checks already see is refused there, and one only the full verification sees (an old
 * trail entry, unsealed by nothing at unlock) is refused by it. Either way no file is made, so no
 * "server backup" exists that looks like a clean vault to whoever finds it later (exit 2).
 */
const unavailable = postgresUnavailable();
const LEAD = { CUSTODIAN_USER: 'Lena Lead', CUSTODIAN_PASSPHRASE: PASSPHRASES.lead };

describe.skipIf(unavailable !== null)(
  unavailable ?? 'a tampered server is not copied into a clean-looking backup',
  () => {
    let cluster: ThrowawayCluster;
    let dir: string;
    let cleanup: () => void;
    let n = 0;
    beforeAll(() => {
      cluster = startThrowawayCluster({ fsync: false });
      ({ dir, cleanup } = tempDir());
    }, 60_000);
    afterAll(() => {
      cleanup();
      cluster.stop();
    });

    async function serverVault(): Promise<{ url: string; account: string }> {
      const name = `v${++n}`;
      cluster.createDatabase(name);
      const url = cluster.urlFor(name);
      const { accounts } = await populatedVault(url);
      return { url, account: accounts[0]! };
    }

    async function asOperator(url: string, sql: string): Promise<number> {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query(sql)).rowCount ?? 0;
      } finally {
        await client.end();
      }
    }

    function expectNoBackup(backup: string): void {
      expect(existsSync(backup)).toBe(false);
      expect(readdirSync(dir).filter((name) => name.includes('backup'))).toEqual([]);
    }

    it('a reveal erased from the trail (its entry given another entry’s sealed details) is refused by the verification, and no file is made', async () => {
      const { url, account } = await serverVault();
      const dev = await unlockAs(url, 'Dev Dmt', PASSPHRASES.dmt);
      try {
        revealPassword(dev, account, 'posting for the operation');
      } finally {
        dev.close();
      }
      // The operator hides the reveal (6.5): its entry now carries an earlier entry's details.
      const changed = await asOperator(
        url,
        `UPDATE audit_entries SET sealed = (SELECT sealed FROM audit_entries WHERE seq = 2)
         WHERE seq = (SELECT max(seq) FROM audit_entries WHERE kind = 'credential.revealed')`,
      );
      expect(changed).toBe(1);
      const backup = join(dir, 'backup-trail.vault');
      const copy = await custodian(['vault', 'copy', url, backup], {
        ...LEAD,
        CUSTODIAN_CHECKPOINT_DIR: join(dir, 'kept-trail'),
      });
      expect(copy.code).toBe(2);
      expect(copy.stderr).toMatch(/does not verify \(audit entry #\d+ .*so it was not copied/);
      expect(copy.stderr).toMatch(/Nothing was written to .*backup-trail\.vault/);
      expectNoBackup(backup);
    });

    it('a credential rolled back on the server is refused at the unlock before the copy, and no file is made', async () => {
      const { url, account } = await serverVault();
      const changed = await asOperator(
        url,
        `UPDATE credentials SET sealed = overlay(sealed placing '\\x00'::bytea from 40 for 1) WHERE account_id = '${account}'`,
      );
      expect(changed).toBe(1);
      const backup = join(dir, 'backup-state.vault');
      const copy = await custodian(['vault', 'copy', url, backup], {
        ...LEAD,
        CUSTODIAN_CHECKPOINT_DIR: join(dir, 'kept-state'),
      });
      expect(copy.code).toBe(2);
      expect(copy.stderr).toMatch(/credentials/);
      expectNoBackup(backup);
    });
  },
);

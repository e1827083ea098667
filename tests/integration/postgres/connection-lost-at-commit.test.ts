import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyVault } from '../../../electron/vault/audit/verify.ts';
import { openCredential } from '../../../electron/vault/domain/credentials.ts';
import { rotatePassword } from '../../../electron/vault/domain/rotations.ts';
import { auditStore } from '../../../electron/vault/store/audit-store.ts';
import { ErrorCode } from '../../../shared/errors.ts';
import { custodian } from '../../helpers/cli.ts';
import {
  postgresUnavailable,
  startThrowawayCluster,
  type ThrowawayCluster,
} from '../../helpers/postgres-cluster.ts';
import { PASSPHRASES, populatedVault, unlockAs } from '../../helpers/vault.ts';

/**
 * Issue 14: "a connection lost during COMMIT is resolved on reconnect ('saved' or 'not saved',
 * never unknown)". Between the workstation and the server runs a process that passes the wire
 * protocol through and cuts the connection at one write's COMMIT: either the COMMIT never reaches
 * the server, or it does and the answer is lost. The client asks the server on a new connection
 * what became of the transaction, and the person is told which; either way nothing is
 * half-written and the trail verifies.
 */
const unavailable = postgresUnavailable();
const PROXY = fileURLToPath(new URL('../../helpers/commit-cutting-proxy.mjs', import.meta.url));

describe.skipIf(unavailable !== null)(
  unavailable ?? 'a connection lost at COMMIT is resolved as saved or not saved',
  () => {
    let cluster: ThrowawayCluster;
    let direct: string;
    let viaProxy: string;
    let proxyDir: string;
    let proxy: ChildProcess;
    let output = '';
    let accounts: string[];
    beforeAll(async () => {
      cluster = startThrowawayCluster({ fsync: false });
      cluster.createDatabase('team');
      direct = cluster.urlFor('team');
      ({ accounts } = await populatedVault(direct));
      proxyDir = mkdtempSync(join(tmpdir(), 'custodian-proxy-'));
      proxy = spawn(process.execPath, [PROXY, proxyDir, join(cluster.socketDir, '.s.PGSQL.5432')]);
      proxy.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      await until(() => output.includes('ready'));
      viaProxy = `postgresql:///team?host=${encodeURIComponent(proxyDir)}&user=custodian_test`;
    }, 120_000);
    afterAll(() => {
      proxy.kill();
      rmSync(proxyDir, { recursive: true, force: true });
      cluster.stop();
    });
    afterEach(() => {
      output = '';
    });

    async function until(condition: () => boolean): Promise<void> {
      const deadline = Date.now() + 10_000;
      while (!condition()) {
        if (Date.now() > deadline) throw new Error(`the proxy said only: ${output}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }

    const arm = (when: 'before' | 'after' | 'late', nth = 1) =>
      proxy.stdin!.write(`arm ${when} ${nth}\n`);

    /** What the server holds, read on a connection of its own. */
    async function onTheServer(): Promise<{
      password: string;
      entries: number;
      rotations: number;
    }> {
      const lead = await unlockAs(direct, 'Lena Lead', PASSPHRASES.lead);
      try {
        expect(await verifyVault(lead)).toMatchObject({ ok: true });
        return {
          password: openCredential(lead, accounts[0]!).password,
          rotations: (
            lead.db
              .prepare('SELECT COUNT(*) AS n FROM rotations WHERE account_id = ?')
              .get(accounts[0]!) as { n: number }
          ).n,
          // Less the lead's own unlock, just written.
          entries: auditStore.countEntries(lead.db) - 1,
        };
      } finally {
        lead.close();
      }
    }

    it('the answer to COMMIT lost: the rotation is reported saved, is there whole, and the session goes on', async () => {
      const dev = await unlockAs(viaProxy, 'Dev Dmt', PASSPHRASES.dmt);
      let entries: number;
      try {
        entries = auditStore.countEntries(dev.db);
        arm('after');
        rotatePassword(dev, accounts[0]!, { password: 'Saved-Despite-Cut-5', reason: 'scheduled' });
        await until(() => output.includes('cut after'));
        // The session's connection is the new one: it reads, and writes again.
        expect(openCredential(dev, accounts[0]!).password).toBe('Saved-Despite-Cut-5');
      } finally {
        dev.close();
      }
      const server = await onTheServer();
      expect(server.password).toBe('Saved-Despite-Cut-5');
      // The rotation's entries and the session's lock, nothing twice.
      expect(server.entries).toBeGreaterThan(entries + 1);
    });

    it('COMMIT lost on its way: the rotation is reported not saved, and nothing of it is there', async () => {
      const before = await onTheServer();
      const dev = await unlockAs(viaProxy, 'Dev Dmt', PASSPHRASES.dmt);
      try {
        arm('before');
        expect(() =>
          rotatePassword(dev, accounts[0]!, { password: 'Never-Saved-Cut-6', reason: 'scheduled' }),
        ).toThrow(
          expect.objectContaining({
            code: ErrorCode.STORAGE,
            message: expect.stringMatching(/lost while saving.*confirms the change was not saved/),
          }),
        );
        await until(() => output.includes('cut before'));
        // Told, the person tries again, on the same session.
        rotatePassword(dev, accounts[0]!, { password: 'Saved-On-Retry-7', reason: 'scheduled' });
      } finally {
        dev.close();
      }
      const after = await onTheServer();
      expect(after.password).toBe('Saved-On-Retry-7');
      // One rotation more, the retry's: none of the lost one's rows.
      expect(after.rotations).toBe(before.rotations + 1);
    });

    it('COMMIT still on its way when the client asks: the server process holding the write is ended, the rotation is reported not saved, and the late COMMIT saves nothing', async () => {
      // The case a loaded machine made of `arm after` while the proxy cut the client at once
      // (the flaky failure of issue 14): the client asks before the server has read the COMMIT,
      // finds the transaction in progress, and ends its old server process, so "not saved" is
      // true, and stays true when the COMMIT arrives.
      const before = await onTheServer();
      const dev = await unlockAs(viaProxy, 'Dev Dmt', PASSPHRASES.dmt);
      try {
        arm('late');
        expect(() =>
          rotatePassword(dev, accounts[0]!, {
            password: 'Arrived-Late-Cut-8',
            reason: 'scheduled',
          }),
        ).toThrow(
          expect.objectContaining({
            code: ErrorCode.STORAGE,
            message: expect.stringMatching(/lost while saving.*confirms the change was not saved/),
          }),
        );
        await until(() => output.includes('cut late'));
        // The proxy has passed the COMMIT on, and the server process it went to is gone.
        await until(() => output.includes('late delivered'));
      } finally {
        dev.close();
      }
      const after = await onTheServer();
      expect(after.password).toBe(before.password);
      expect(after.rotations).toBe(before.rotations);
    });

    it('the CLI says which: exit 0 with its usual answer when saved, a STORAGE refusal saying "not saved" when not', async () => {
      const env = { CUSTODIAN_USER: 'Dev Dmt', CUSTODIAN_PASSPHRASE: PASSPHRASES.dmt };
      const rotate = () =>
        custodian(
          ['rotate', viaProxy, 'x:NorfolkPolice', '--reason', 'scheduled', '--generate'],
          env,
        );
      // The unlock's own write is the first COMMIT, the rotation's the second.
      arm('after', 2);
      const saved = await rotate();
      expect(saved.code, saved.stderr).toBe(0);
      await until(() => output.includes('cut after'));
      output = '';
      const before = await onTheServer();
      arm('before', 2);
      const lost = await rotate();
      await until(() => output.includes('cut before'));
      expect(lost.code).not.toBe(0);
      expect(lost.stderr).toMatch(/lost while saving.*not saved: nothing was changed/);
      const after = await onTheServer();
      expect(after.password).toBe(before.password);
    });

    it('a server that cannot be reached is a clear message, and nothing is changed', async () => {
      const before = await onTheServer();
      const gone = `postgresql:///team?host=${encodeURIComponent(join(proxyDir, 'nowhere'))}&user=custodian_test`;
      const result = await custodian(
        ['rotate', gone, 'x:NorfolkPolice', '--reason', 'scheduled', '--generate'],
        { CUSTODIAN_USER: 'Dev Dmt', CUSTODIAN_PASSPHRASE: PASSPHRASES.dmt },
      );
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/cannot be reached .*nothing was changed/);
      const after = await onTheServer();
      expect(after.password).toBe(before.password);
      expect(after.rotations).toBe(before.rotations);
    });
  },
);

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyVault } from '../../../electron/vault/audit/verify.ts';
import { openCredential } from '../../../electron/vault/domain/credentials.ts';
import { rotatePassword } from '../../../electron/vault/domain/rotations.ts';
import { auditStore } from '../../../electron/vault/store/audit-store.ts';
import { ErrorCode } from '../../../shared/errors.ts';
import {
  postgresUnavailable,
  startThrowawayCluster,
  type ThrowawayCluster,
} from '../../helpers/postgres-cluster.ts';
import { PASSPHRASES, populatedVault, unlockAs } from '../../helpers/vault.ts';

// Issue 14: "the server unreachable: a clear message, nothing changed, nothing half-written".
const unavailable = postgresUnavailable();

describe.skipIf(unavailable !== null)(
  unavailable ?? 'a server that goes away under an open session',
  () => {
    let cluster: ThrowawayCluster;
    let url: string;
    let accounts: string[];
    beforeAll(async () => {
      cluster = startThrowawayCluster();
      cluster.createDatabase('team');
      url = cluster.urlFor('team');
      ({ accounts } = await populatedVault(url));
    }, 120_000);
    afterAll(() => cluster.stop());

    it('a rotation while the server is down is a clear STORAGE error at once; after recovery nothing of it is there and the vault verifies', async () => {
      const dev = await unlockAs(url, 'Dev Dmt', PASSPHRASES.dmt);
      const before = auditStore.countEntries(dev.db);
      const password = openCredential(dev, accounts[0]!).password;
      cluster.kill();
      const started = Date.now();
      let refused: unknown;
      try {
        rotatePassword(dev, accounts[0]!, {
          password: 'Never-Saved-Password-9',
          reason: 'scheduled',
        });
      } catch (error) {
        refused = error;
      } finally {
        dev.abandon();
      }
      // Not a hang: the broken connection is reported as soon as it is used.
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(refused).toMatchObject({
        code: ErrorCode.STORAGE,
        message: expect.stringMatching(/cannot be reached .*nothing was changed/),
      });
      expect((refused as Error).message).not.toContain('Never-Saved');

      cluster.restart();
      const lead = await unlockAs(url, 'Lena Lead', PASSPHRASES.lead);
      try {
        // The lead's own unlock entry is the only one added since.
        expect(auditStore.countEntries(lead.db)).toBe(before + 1);
        expect(openCredential(lead, accounts[0]!).password).toBe(password);
        expect(await verifyVault(lead)).toMatchObject({ ok: true });
      } finally {
        lead.close();
      }
    });
  },
);

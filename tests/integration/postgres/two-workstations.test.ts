import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyVault } from '../../../electron/vault/audit/verify.ts';
import { openCredential } from '../../../electron/vault/domain/credentials.ts';
import { rotatePassword } from '../../../electron/vault/domain/rotations.ts';
import { accountStore } from '../../../electron/vault/store/account-store.ts';
import { auditStore } from '../../../electron/vault/store/audit-store.ts';
import { ErrorCode } from '../../../shared/errors.ts';
import {
  postgresUnavailable,
  startThrowawayCluster,
  type ThrowawayCluster,
} from '../../helpers/postgres-cluster.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../../helpers/vault.ts';

// Issue 14 on the server: several members at once, no lost update, one dense signed trail.
const unavailable = postgresUnavailable();
const CHILD = fileURLToPath(new URL('../../helpers/concurrent-writer-child.ts', import.meta.url));

interface Change {
  readonly account: string;
  readonly rotation: boolean;
  readonly value: string;
  readonly conflicts: string[];
}

describe.skipIf(unavailable !== null)(
  unavailable ?? 'a server vault written from two workstations',
  () => {
    let cluster: ThrowawayCluster;
    let dir: ReturnType<typeof tempDir>;
    let url: string;
    let accounts: string[];

    beforeAll(async () => {
      cluster = startThrowawayCluster({ fsync: false });
      cluster.createDatabase('shared');
      url = cluster.urlFor('shared');
      dir = tempDir();
      ({ accounts } = await populatedVault(url));
    }, 120_000);
    afterAll(() => {
      dir.cleanup();
      cluster.stop();
    });

    it('two open sessions: the second save on the version both read is a CONFLICT naming who rotated, and nothing of it is written', async () => {
      const lead = await unlockAs(url, 'Lena Lead', PASSPHRASES.lead);
      const dev = await unlockAs(url, 'Dev Dmt', PASSPHRASES.dmt);
      try {
        const id = accounts[0]!;
        const read = accountStore.byId(dev.db, id)!.version;
        expect(accountStore.byId(lead.db, id)!.version).toBe(read);
        rotatePassword(lead, id, {
          password: 'Lead-Rotated-Password-1',
          reason: 'scheduled',
          expectedVersion: read,
        });
        const entries = auditStore.countEntries(dev.db);
        let refused: unknown;
        try {
          rotatePassword(dev, id, {
            password: 'Dev-Rotated-Password-2',
            reason: 'scheduled',
            expectedVersion: read,
          });
        } catch (error) {
          refused = error;
        }
        expect(refused).toMatchObject({
          code: ErrorCode.CONFLICT,
          message: expect.stringMatching(
            /Lena Lead rotated x:NorfolkPolice at \d\d:\d\d UTC while you were editing; nothing was saved/,
          ),
        });
        expect(auditStore.countEntries(dev.db)).toBe(entries);
        expect(openCredential(dev, id).password).toBe('Lead-Rotated-Password-1');
        expect(accountStore.byId(dev.db, id)!.version).toBe(read + 1);
      } finally {
        dev.close();
        lead.close();
      }
    });

    it('two processes saving on the same accounts at once lose no update, and the trail is dense and verifies', async () => {
      const CHANGES = 8;
      const members = [
        ['Lena Lead', PASSPHRASES.lead],
        ['Dev Dmt', PASSPHRASES.dmt],
      ] as const;
      const before = await unlockAs(url, 'Lena Lead', PASSPHRASES.lead);
      const startVersion = new Map(
        accounts.map((id) => [id, accountStore.byId(before.db, id)!.version]),
      );
      before.close();
      const runs = await Promise.all(
        members.map(([member, passphrase], w) => {
          const scratch = join(dir.dir, `w${w}`);
          mkdirSync(scratch);
          return new Promise<Change[]>((resolve, reject) => {
            const child = spawn(
              process.execPath,
              ['--import', 'tsx', CHILD, url, `w${w}`, String(CHANGES), ...accounts],
              {
                env: {
                  PATH: process.env['PATH'] ?? '',
                  HOME: process.env['HOME'] ?? '/tmp',
                  CUSTODIAN_USER: member,
                  CUSTODIAN_PASSPHRASE: passphrase,
                  CUSTODIAN_WRITER_SCRATCH: scratch,
                  // Each process is a workstation with its own kept checkpoint.
                  CUSTODIAN_CHECKPOINT_DIR: join(scratch, 'kept'),
                },
                stdio: ['ignore', 'pipe', 'pipe'],
              },
            );
            let stdout = '';
            let stderr = '';
            child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
            child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
            child.on('error', reject);
            child.on('close', (code) => {
              if (code !== 0) reject(new Error(`writer w${w} exited ${String(code)}: ${stderr}`));
              else
                resolve(
                  stdout
                    .trimEnd()
                    .split('\n')
                    .map((line) => JSON.parse(line) as Change),
                );
            });
          });
        }),
      );
      const changes = runs.flat();
      expect(changes).toHaveLength(2 * CHANGES);
      for (const message of changes.flatMap((c) => c.conflicts)) {
        expect(message).toMatch(
          /(Lena Lead|Dev Dmt) (rotated|edited) .* while you were editing; nothing was saved/,
        );
      }
      const session = await unlockAs(url, 'Lena Lead', PASSPHRASES.lead);
      try {
        for (const id of accounts) {
          const mine = changes.filter((c) => c.account === id);
          const rotations = mine.filter((c) => c.rotation);
          expect(accountStore.byId(session.db, id)!.version).toBe(
            startVersion.get(id)! + mine.length,
          );
          const credential = openCredential(session, id);
          const known = new Set([
            credential.password,
            ...credential.history.map((h) => h.password),
          ]);
          expect(rotations.filter((r) => !known.has(r.value))).toEqual([]);
        }
        const numbers = auditStore
          .entriesPage(session.db, 0, auditStore.countEntries(session.db))
          .map((e) => e.seq)
          .sort((a, b) => a - b);
        expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, k) => k + 1));
        expect(await verifyVault(session)).toMatchObject({ ok: true });
      } finally {
        session.close();
      }
    }, 300_000);
  },
);

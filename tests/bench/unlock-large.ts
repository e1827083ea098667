import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DEFAULT_KDF } from '../../electron/vault/crypto/kdf.ts';
import { createAccountInTransaction } from '../../electron/vault/domain/account-creation.ts';
import { sqliteConnection } from '../../electron/vault/store/connection.ts';
import { stateDigestStore } from '../../electron/vault/store/state-digest.ts';
import { createVault, unlockVault } from '../../electron/vault/vault.ts';
import { stats } from './support.ts';

const PASSPHRASE = 'a benchmark passphrase';

/**
 * Unlock at the default KDF with 10,000 accounts (each with its credential, team wrap and audit
 * entries; BENCH_ACCOUNTS to change it): from format 7 the unlock recomputes every state table's
 * digest from its rows and compares it with the latest signed checkpoint's (ADR 0020). The
 * recomputation alone is timed beside it.
 */
export async function benchUnlockLarge(): Promise<void> {
  const accounts = Number(process.env['BENCH_ACCOUNTS'] ?? 10_000);
  const dir = mkdtempSync(join(tmpdir(), 'custodian-bench-'));
  const path = join(dir, 'bench.vault');
  try {
    const lead = await createVault(path, {
      founderName: 'Bench Lead',
      passphrase: PASSPHRASE,
      kdf: DEFAULT_KDF,
    });
    const buildStart = performance.now();
    for (let done = 0; done < accounts; done += 1_000) {
      lead.write((context) => {
        for (let i = done; i < Math.min(accounts, done + 1_000); i++) {
          createAccountInTransaction(
            lead,
            context,
            {
              platform: 'x',
              handle: `Account${i}`,
              force: 'norfolk',
              unitType: 'team',
              unitName: `Team ${i % 40}`,
              username: `user${i}`,
              password: `Bench-password-${i}-kept`,
            },
            {},
            { score: 3 },
          );
        }
      });
    }
    const buildMs = performance.now() - buildStart;
    lead.close();
    const unlocks: number[] = [];
    for (let i = 0; i < 7; i++) {
      const start = performance.now();
      const session = await unlockVault(path, { memberName: 'Bench Lead', passphrase: PASSPHRASE });
      unlocks.push(performance.now() - start);
      session.close();
    }
    const db = sqliteConnection(new Database(path, { readonly: true }));
    try {
      const count = (table: string) =>
        (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
      console.log(
        `unlock at ${accounts} accounts (${count('credentials')} credentials, ${count('account_key_wraps')} wraps, ${count('audit_entries')} audit entries; built in ${(buildMs / 1000).toFixed(1)} s), Argon2id ${DEFAULT_KDF.memoryKiB / 1024} MiB × ${DEFAULT_KDF.passes}`,
      );
      console.log(`  member unlock:                        ${stats(unlocks)}`);
      const recompute: number[] = [];
      for (let i = 0; i < 7; i++) {
        const start = performance.now();
        stateDigestStore.recompute(db);
        recompute.push(performance.now() - start);
      }
      console.log(`  of which the state digests recomputed: ${stats(recompute)}`);
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

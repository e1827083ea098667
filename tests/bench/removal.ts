import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MINIMUM_KDF } from '../../electron/vault/crypto/kdf.ts';
import { createAccountInTransaction } from '../../electron/vault/domain/account-creation.ts';
import { addMember, removeMember } from '../../electron/vault/domain/members.ts';
import { createVault } from '../../electron/vault/vault.ts';
import { stats } from './support.ts';

/**
 * Member removal re-seals every K_vault row under the new epoch's key (ADR 0019). At 1,000 and
 * 10,000 accounts (each with its credential, team wrap and audit entries), a dmt member is added
 * and removed three times; the removal alone is timed: chain statements, the team-key rotation
 * (every account's team wrap), the re-seal, rotation-due records and the WAL truncation.
 */
export async function benchRemoval(): Promise<void> {
  for (const accounts of [1_000, 10_000]) {
    const dir = mkdtempSync(join(tmpdir(), 'custodian-bench-'));
    try {
      const lead = await createVault(join(dir, 'bench.vault'), {
        founderName: 'Bench Lead',
        passphrase: 'a benchmark passphrase',
        kdf: MINIMUM_KDF,
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
      const removals: number[] = [];
      let rows = 0;
      for (let round = 0; round < 3; round++) {
        const name = `Leaving Dmt ${round}`;
        await addMember(lead, { name, role: 'dmt', passphrase: 'a leaving dmt passphrase' });
        const start = performance.now();
        removeMember(lead, name);
        removals.push(performance.now() - start);
        rows = (lead.db.prepare('SELECT COUNT(*) AS n FROM audit_entries').get() as { n: number })
          .n;
      }
      lead.close();
      console.log(
        `member removal at ${accounts} accounts (${rows} audit entries; built in ${(buildMs / 1000).toFixed(1)} s)`,
      );
      console.log(`  remove a dmt member:    ${stats(removals)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

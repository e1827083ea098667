import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_KDF } from '../../electron/vault/crypto/kdf.ts';
import { createAccount } from '../../electron/vault/domain/account-creation.ts';
import { grantAdministrator } from '../../electron/vault/domain/administrators.ts';
import { addMember } from '../../electron/vault/domain/members.ts';
import { createVault, unlockVault } from '../../electron/vault/vault.ts';
import { chainStore } from '../../electron/vault/store/chain-store.ts';
import type { VaultSession } from '../../electron/vault/session.ts';
import { validateChain } from '../../electron/vault/trust/chain.ts';
import { stats } from './support.ts';

/**
 * Unlock of a team-sized vault at the default key derivation (ADR 0010: the signed membership
 * chain is validated at every unlock): 12 members and 120 accounts, each granted to an admin, so
 * the chain holds 133 statements. The KDF dominates; the figure to compare is the median.
 */
/**
 * The chain's share of an unlock: opening (format 9: sealed under K_vault, ADR 0028) and
 * validating every statement from the root, through an unlocked session's connection and key.
 */
function chainValidation(session: VaultSession): number[] {
  const rows = chainStore.all(session.db, session.keys.vault);
  const genesis = JSON.parse(rows[0]!.statement) as { vault: string; signPublicKey: string };
  const root = new Uint8Array(Buffer.from(genesis.signPublicKey, 'hex'));
  const times: number[] = [];
  for (let i = 0; i < 21; i++) {
    const start = performance.now();
    validateChain(root, genesis.vault, chainStore.all(session.db, session.keys.vault));
    times.push(performance.now() - start);
  }
  return times;
}

export async function benchUnlockTeam(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'custodian-bench-'));
  const path = join(dir, 'team.vault');
  const passphrase = 'a benchmark passphrase';
  try {
    const lead = await createVault(path, { founderName: 'Bench Lead', passphrase });
    const admins: string[] = [];
    for (let i = 0; i < 11; i++) {
      const role = i < 3 ? 'dmt' : i < 9 ? 'admin' : 'security';
      const added = await addMember(lead, { name: `Member ${i}`, role, passphrase });
      if (role === 'admin') admins.push(added.id);
    }
    for (let i = 0; i < 120; i++) {
      const { id } = createAccount(lead, {
        platform: 'x',
        handle: `BenchAccount${i}`,
        force: 'norfolk',
        unitType: 'team',
        unitName: 'Bench',
        username: `bench-${i}`,
        password: `bench-Password-${i}-long`,
      });
      grantAdministrator(lead, id, admins[i % admins.length]!);
    }
    lead.close();
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const start = performance.now();
      const session = await unlockVault(path, { memberName: 'Member 0', passphrase });
      times.push(performance.now() - start);
      session.close();
    }
    console.log(
      `unlock of a 12-member, 120-grant vault (Argon2id ${DEFAULT_KDF.memoryKiB / 1024} MiB, ${DEFAULT_KDF.passes} passes)`,
    );
    console.log(`  dmt member unlock:      ${stats(times)}`);
    const session = await unlockVault(path, { memberName: 'Member 0', passphrase });
    try {
      console.log(`  of which the chain:     ${stats(chainValidation(session))}`);
    } finally {
      session.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

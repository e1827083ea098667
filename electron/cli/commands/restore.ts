import type { Command } from 'commander';
import { restoreVaultFile } from '../../vault/backup.ts';
import { asOption, type Io } from '../support.ts';
import { withVault } from '../vault-client.ts';

/**
 * `custodian restore` and `custodian accept-restore` (issue 14, ADR 0024): a backup restored on
 * purpose, told apart from a rollback. A workstation that kept a later checkpoint refuses an older
 * vault; a lead accepts it with a reason, which the unlock records in the trail together with both
 * checkpoints, and only then does the workstation keep the restored history.
 */
export function registerRestore(program: Command, io: Io): void {
  program
    .command('restore')
    .description(
      'put a backup in place of the vault (the replaced file is kept aside) and accept it, as a lead, with a reason',
    )
    .argument('<backup>', 'a backup made by `custodian backup` of this vault')
    .argument('<vault>')
    .requiredOption('--reason <text>', 'why the backup is restored (recorded in the audit trail)')
    .addOption(asOption())
    .action(async (backup: string, vault: string, options: { as?: string; reason: string }) => {
      const { replacedAs } = await restoreVaultFile(backup, vault);
      io.out(
        `Restored ${backup} over ${vault}; the vault it replaced is kept aside as ${replacedAs}.`,
      );
      await accept(io, vault, options);
    });

  program
    .command('accept-restore')
    .description(
      'accept, as a lead, a vault older than this workstation last saw (a backup restored on purpose)',
    )
    .argument('<vault>')
    .requiredOption('--reason <text>', 'why the backup was restored (recorded in the audit trail)')
    .addOption(asOption())
    .action((vault: string, options: { as?: string; reason: string }) =>
      accept(io, vault, options),
    );
}

async function accept(io: Io, vault: string, options: { as?: string; reason: string }) {
  let accepted: { keptSize: number; shownSize: number } | null = null;
  await withVault(vault, options, () => undefined, {
    acceptRestore: { reason: options.reason },
    onUnlocked: (unlocked) => (accepted = unlocked.acceptedRestore),
  });
  const restore = accepted as { keptSize: number; shownSize: number } | null;
  if (restore) {
    io.out(
      `Accepted: this workstation had kept ${restore.keptSize} entries; the restored vault shows ${restore.shownSize}. The restore, its reason and both checkpoints are recorded in the audit trail: tell Information Security, and run \`custodian audit verify\` on the vault.`,
    );
  } else {
    io.out(
      `${vault} extends what this workstation had kept: nothing to accept, and nothing was recorded.`,
    );
  }
}

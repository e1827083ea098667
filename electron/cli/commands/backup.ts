import type { Command } from 'commander';
import { backupVault } from '../../vault/backup.ts';
import type { Io } from '../support.ts';

/**
 * `custodian backup`: a consistent copy of the vault file. It opens no session (no member, no
 * passphrase, nothing decrypted), so there is no contract request to make: what it may read is
 * what the file system lets the person read.
 */
export function registerBackup(program: Command, io: Io): void {
  program
    .command('backup')
    .description('copy the vault to FILE, consistent even while it is open; secrets stay sealed')
    .argument('<vault>')
    .argument('<file>', 'the new backup file (never overwritten)')
    .action(async (vault: string, file: string) => {
      const { bytes } = await backupVault(vault, file);
      io.out(
        `Backed up ${vault} to ${file} (${bytes} bytes, integrity checked). To restore it: close Custodian and run \`custodian restore\` (a lead, with a reason).`,
      );
    });
}

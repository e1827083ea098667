import type { Command } from 'commander';
import { redactServerUrl } from '../../../shared/vault-location.ts';
import { asOption, type Io } from '../support.ts';
import { withVault } from '../vault-client.ts';

const COPY_HELP = `
SOURCE and DEST are each a vault file or a PostgreSQL URL: a file to a server moves a team onto
it; a server to a file is a backup that \`custodian audit verify\` accepts.

The source is unlocked as --as (a lead) and verified in full first (every entry, checkpoint,
signature, certificate and sealed row, and this workstation's kept checkpoint); a source that
does not verify is not copied (exit 2). Rows are copied as they are stored: sealed blobs, ids and
the signed trail, nothing opened or sealed again. DEST must not exist (a file) or be an empty
database; it is written in one step (a file under a temporary name, flushed, then put in place;
a database in one transaction) and checked against the source before anyone can see it.

The copy has the same vault id and history: keep using one of the two. Verify a backup from
another checkpoint folder, so this workstation does not take it as its vault's history:
  CUSTODIAN_CHECKPOINT_DIR=$(mktemp -d) custodian audit verify BACKUP --as NAME`;

/** `custodian vault copy` (issue 14, ADR 0032): through the contract's `vault.copy`, as a lead. */
export function registerVaultCopy(program: Command, io: Io): void {
  const vault = program.command('vault').description('the vault as a whole: copy it');
  vault
    .command('copy')
    .description('copy a verified vault between a file and a server (sealed, same ids, same trail)')
    .argument('<source>', 'the vault to copy: a file or a postgresql:// URL')
    .argument('<dest>', 'a new file, or the URL of an empty database')
    .addOption(asOption())
    .addHelpText('after', COPY_HELP)
    .action(async (source: string, dest: string, options: { as?: string }) => {
      const report = await withVault(source, options, async ({ call, file }) =>
        call('vault.copy', { to: await file(dest, 'new-vault') }),
      );
      io.out(
        `Copied ${redactServerUrl(source)} to ${report.destination}: ${report.rows} rows, ${report.entries} audit entries, checkpoint root ${report.root} (verified before and checked after).`,
      );
      if (report.failedUnlocksLeft > 0) {
        io.err(
          `note: ${report.failedUnlocksLeft} failed unlock attempt(s) recorded on the source after the copy began stay there; its next unlock records them in its trail.`,
        );
      }
      io.err(
        'note: the copy is the same vault (same id, same history). Keep using only one of the two; writes to both would fork it.',
      );
    });
}

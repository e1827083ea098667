import type { Command } from 'commander';
import { asOption, commaList, output, type Io } from '../support.ts';
import { invalidInput } from '../../vault/errors.ts';
import { withVault } from '../vault-client.ts';

type Json = { json?: boolean; as?: string };

/** `custodian quiet`: quiet periods during a major incident (quiet.*, policy 6.6). */
export function registerQuiet(program: Command, io: Io): void {
  const quiet = program
    .command('quiet')
    .description('quiet periods during a major incident (policy 6.6)');
  quiet
    .command('declare')
    .description('"do not post" on the named accounts, or all; prints its id')
    .argument('<vault>')
    .option('--all', 'every account')
    .option('--accounts <list>', 'comma-separated ids or platform:handle', commaList)
    .requiredOption('--authority <who>', 'who ordered it, e.g. "Gold Commander"')
    .requiredOption('--reason <text>')
    .addOption(asOption())
    .action(
      async (
        vault: string,
        o: { all?: boolean; accounts?: string[]; authority: string; reason: string; as?: string },
      ) => {
        await withVault(vault, o, async ({ call }) => {
          // Which of --all and --accounts is the command line's to say; the contract takes either.
          if (!o.all && (o.accounts ?? []).length === 0)
            throw invalidInput('Name the accounts, or use --all.');
          const accounts = o.all ? 'all' : (o.accounts ?? []);
          const { id } = await call('quiet.declare', {
            accounts,
            authority: o.authority,
            reason: o.reason,
          });
          io.out(id);
        });
      },
    );
  quiet
    .command('end')
    .description('end a quiet period: on whose authority and why, as declaring it (6.6; audited)')
    .argument('<vault>')
    .argument('<id>', 'as printed by `quiet declare` or `quiet list`')
    .requiredOption('--authority <who>', 'who lifted it, e.g. "SIO DCI Grey"')
    .requiredOption('--reason <text>', 'why posting may resume')
    .addOption(asOption())
    .action(
      async (vault: string, id: string, o: { authority: string; reason: string; as?: string }) => {
        await withVault(vault, o, async ({ call }) => {
          await call('quiet.end', { id, authority: o.authority, reason: o.reason });
          io.out('Quiet period ended; the accounts may post again.');
        });
      },
    );
  quiet
    .command('list')
    .argument('<vault>')
    .option('--json')
    .addOption(asOption())
    .action(async (vault: string, o: Json) => {
      await withVault(vault, o, async ({ call }) => {
        const rows = (await call('quiet.list', {})).map(({ id, declaredAt, endedAt, ...q }) => ({
          id,
          declaredAt,
          endedAt,
          ...q,
        }));
        output(io, o.json, rows, () =>
          rows.map(
            (q) =>
              `${q.id}\t${q.endedAt ? 'ended' : 'IN FORCE'}\t${q.authority}\t${q.accountIds === 'all' ? 'all accounts' : `${q.accountIds.length} account(s)`}`,
          ),
        );
      });
    });
}

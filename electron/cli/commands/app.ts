import type { Command } from 'commander';
import {
  APP_ADDERS,
  APP_REACH,
  type AppAdder,
  type AppReach,
} from '../../../shared/domain/policy-records.ts';
import { invalidInput } from '../../vault/errors.ts';
import {
  asOption,
  commaList,
  expected,
  expectedVersionOption,
  oneOf,
  output,
  type Io,
} from '../support.ts';
import { withVault } from '../vault-client.ts';

/** "publish,analytics" as reaches, each checked against the list (10.2). */
function reachList(value: string): AppReach[] {
  const items = commaList(value);
  const unknown = items.filter((item) => !(APP_REACH as readonly string[]).includes(item));
  if (unknown.length > 0)
    throw invalidInput(
      `--reaches: ${unknown.join(', ')} is not one of ${APP_REACH.join(', ')}. Nothing was changed.`,
    );
  return items as AppReach[];
}

/** `custodian app`: third-party applications added to accounts (apps.*, policy 6.3, 10.2). */
export function registerApp(program: Command, io: Io): void {
  const app = program
    .command('app')
    .description(
      'third-party applications added to accounts: which, who added it, when, what it can reach (policy 6.3, 10.2)',
    );
  app
    .command('add')
    .description('record an app added to an account; prints its id')
    .argument('<vault>')
    .argument('<account>', 'id or platform:handle')
    .requiredOption('--name <app>')
    .requiredOption(
      '--added-by <who>',
      `${APP_ADDERS.join('|')} (one Corporate Communications added cannot be deleted by others, 6.3)`,
      oneOf(APP_ADDERS, 'added-by'),
    )
    .requiredOption('--added-by-name <name>', 'the person who added it on the platform')
    .requiredOption('--added-on <date>', 'YYYY-MM-DD')
    .requiredOption('--reaches <list>', `comma-separated: ${APP_REACH.join(',')}`)
    .option('--terms-read-on <date>', 'the day someone read its small print (10.2)')
    .option('--notes <text>')
    .addOption(asOption())
    .action(
      async (
        vault: string,
        account: string,
        o: {
          name: string;
          addedBy: AppAdder;
          addedByName: string;
          addedOn: string;
          reaches: string;
          termsReadOn?: string;
          notes?: string;
          as?: string;
        },
      ) => {
        await withVault(vault, o, async ({ call }) => {
          const { id } = await call('apps.add', {
            account,
            name: o.name,
            addedBy: o.addedBy,
            addedByName: o.addedByName,
            addedOn: o.addedOn,
            reaches: reachList(o.reaches),
            ...(o.termsReadOn === undefined ? {} : { termsReadOn: o.termsReadOn }),
            ...(o.notes === undefined ? {} : { notes: o.notes }),
          });
          io.out(id);
        });
      },
    );
  app
    .command('remove')
    .description(
      'record that an app was removed (only Corporate Communications removes one they added, 6.3)',
    )
    .argument('<vault>')
    .argument('<app>', 'its id, as `app list` prints it')
    .requiredOption('--reason <text>')
    .addOption(expectedVersionOption('app list', 'record'))
    .addOption(asOption())
    .action(
      async (
        vault: string,
        id: string,
        o: { reason: string; expectedVersion?: number; as?: string },
      ) => {
        await withVault(vault, o, async ({ call }) => {
          await call('apps.remove', { app: id, reason: o.reason, ...expected(o) });
          io.out('Removal recorded.');
        });
      },
    );
  app
    .command('list')
    .argument('<vault>')
    .option('--account <account>', 'only this account (id or platform:handle)')
    .option('--json')
    .addOption(asOption())
    .action(async (vault: string, o: { account?: string; json?: boolean; as?: string }) => {
      await withVault(vault, o, async ({ call }) => {
        const rows = await call('apps.list', o.account === undefined ? {} : { account: o.account });
        output(io, o.json, rows, () =>
          rows.map(
            (a) =>
              `${a.id}\tv${a.version}\t${a.account}\t${a.name}\tadded ${a.addedOn} by ${a.addedByName}${a.protectedByPolicy ? ' (Corporate Communications: not to be deleted, 6.3)' : ''}\treaches ${a.reaches.join(',')}${a.removedOn ? `\tremoved ${a.removedOn}` : ''}`,
          ),
        );
      });
    });
}

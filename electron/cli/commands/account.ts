import type { Command } from 'commander';
import {
  accountLabel,
  FORCES,
  PLATFORMS,
  UNIT_TYPES,
  type Force,
  type Platform,
  type UnitType,
} from '../../../shared/domain/accounts.ts';
import { filterAccounts, NO_FILTERS, searchText } from '../../../shared/domain/account-search.ts';
import { asOption, newPassword, oneOf, type Io } from '../support.ts';
import { passwordFor, withVault } from '../vault-client.ts';

/** `custodian account`: register, list, and name administrators (accounts.*). */
export function registerAccount(program: Command, io: Io): Command {
  const account = program.command('account').description('social-media accounts');
  account
    .command('add')
    .description('register an account and its login (policy 9.8); prints its id')
    .argument('<vault>')
    .requiredOption('--platform <platform>', PLATFORMS.join('|'), oneOf(PLATFORMS, 'platform'))
    .requiredOption('--handle <handle>', 'the account handle')
    .requiredOption('--force <force>', FORCES.join('|'), oneOf(FORCES, 'force'))
    .requiredOption('--unit-type <type>', UNIT_TYPES.join('|'), oneOf(UNIT_TYPES, 'unit type'))
    .requiredOption('--unit <name>', 'department, area, team or district name')
    .requiredOption('--username <username>', 'login username')
    .option('--password-file <file>', 'read the password from this file')
    .option('--generate', 'generate a strong random password')
    .addOption(asOption())
    .action(
      async (
        vault: string,
        options: {
          platform: Platform;
          handle: string;
          force: Force;
          unitType: UnitType;
          unit: string;
          username: string;
          passwordFile?: string;
          generate?: boolean;
          as?: string;
        },
      ) => {
        const given = newPassword(options);
        await withVault(vault, options, async ({ call }) => {
          const password = await passwordFor(call, given);
          const { id } = await call('accounts.create', {
            platform: options.platform,
            handle: options.handle,
            force: options.force,
            unitType: options.unitType,
            unitName: options.unit,
            username: options.username,
            password,
          });
          io.out(id);
        });
      },
    );
  account
    .command('list')
    .argument('<vault>')
    .option('--search <words>', 'only accounts whose handle, unit, force or status hold every word')
    .addOption(asOption())
    .option('--json', 'machine-readable output')
    .action(async (vault: string, options: { as?: string; json?: boolean; search?: string }) => {
      await withVault(vault, options, async ({ call }) => {
        // The same matching as the console's search box (shared/domain/account-search.ts).
        const accounts = filterAccounts(
          (await call('accounts.list', {})).map((a) => ({ account: a, text: searchText(a) })),
          { ...NO_FILTERS, text: options.search ?? '' },
        );
        if (options.json) {
          io.out(JSON.stringify(accounts, null, 2));
          return;
        }
        for (const a of accounts) {
          const due = a.rotationDueSince
            ? `\trotation due since ${a.rotationDueSince.slice(0, 10)}`
            : '';
          io.out(`${a.id}\t${accountLabel(a)}\t${a.force}\t${a.unitType}: ${a.unitName}${due}`);
        }
      });
    });
  account
    .command('grant-admin')
    .description('make an admin member an administrator of an account (policy 10.2)')
    .argument('<vault>')
    .argument('<account>', 'account id or platform:handle')
    .requiredOption('--member <name>', 'the admin member')
    .addOption(asOption())
    .action(async (vault: string, reference: string, options: { member: string; as?: string }) => {
      await withVault(vault, options, async ({ call }) => {
        await call('accounts.grant-admin', { account: reference, member: options.member });
        io.out(`${options.member} now administers ${reference}.`);
      });
    });
  account
    .command('revoke-admin')
    .description(
      "end an administrator's grant (policy 10.2): their key for the account is removed, and the account becomes rotation due because they knew the password",
    )
    .argument('<vault>')
    .argument('<account>', 'account id or platform:handle')
    .requiredOption('--member <name>', 'the administrator whose grant ends')
    .addOption(asOption())
    .action(async (vault: string, reference: string, options: { member: string; as?: string }) => {
      await withVault(vault, options, async ({ call }) => {
        await call('accounts.revoke-admin', { account: reference, member: options.member });
        io.out(
          `${options.member} no longer administers ${reference}; it is rotation due (policy 10.2).`,
        );
      });
    });
  return account;
}

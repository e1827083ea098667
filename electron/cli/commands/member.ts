import { Option, type Command } from 'commander';
import { ROLES, type Role } from '../../../shared/domain/roles.ts';
import { readNewPassphrase } from '../prompt.ts';
import { asOption, type Io } from '../support.ts';
import { withVault } from '../vault-client.ts';

/** `custodian member`: vault members and their roles (members.*). */
export function registerMember(program: Command, io: Io): void {
  const member = program.command('member').description('vault members and their roles');
  member
    .command('add')
    .description('add a member (lead only)')
    .argument('<vault>')
    .requiredOption('--name <name>', "the new member's name")
    .addOption(new Option('--role <role>', 'their role').choices(ROLES).makeOptionMandatory())
    .addOption(asOption())
    .action(async (vault: string, options: { name: string; role: Role; as?: string }) => {
      await withVault(vault, options, async ({ call }) => {
        const passphrase = await readNewPassphrase(
          `New passphrase for ${options.name}: `,
          'CUSTODIAN_NEW_PASSPHRASE',
        );
        const added = await call('members.add', {
          name: options.name,
          role: options.role,
          passphrase,
        });
        io.out(`Added ${added.name} (${added.role}), member ${added.id}.`);
      });
    });
  member
    .command('remove')
    .description('remove a member (lead only); accounts they could read become rotation due')
    .argument('<vault>')
    .argument('<name>')
    .addOption(asOption())
    .action(async (vault: string, name: string, options: { as?: string }) => {
      await withVault(vault, options, async ({ call }) => {
        const { accountsMarked } = await call('members.remove', { name });
        io.out(`Removed ${name}; ${accountsMarked} account(s) marked rotation due (policy 10.2).`);
      });
    });
  member
    .command('list')
    .argument('<vault>')
    .addOption(asOption())
    .option('--json', 'machine-readable output')
    .action(async (vault: string, options: { as?: string; json?: boolean }) => {
      await withVault(vault, options, async ({ call }) => {
        const members = await call('members.list', {});
        if (options.json) io.out(JSON.stringify(members, null, 2));
        else
          for (const m of members)
            io.out(`${m.name}\t${m.role}${m.removedAt ? `\tremoved ${m.removedAt}` : ''}`);
      });
    });
  member
    .command('passphrase')
    .description('change your own passphrase')
    .argument('<vault>')
    .addOption(asOption())
    .action(async (vault: string, options: { as?: string }) => {
      await withVault(vault, options, async ({ call }) => {
        const passphrase = await readNewPassphrase('New passphrase: ', 'CUSTODIAN_NEW_PASSPHRASE');
        await call('members.change-passphrase', { passphrase });
        io.out('Passphrase changed.');
      });
    });
}

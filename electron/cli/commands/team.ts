import type { Command } from 'commander';
import { asOption, output, type Io } from '../support.ts';
import { withVault, type Call } from '../vault-client.ts';

type Change = { account: string; person: string; on?: string; why?: string };

/** `custodian team`: who has access to each account (team.*, policy 10.2). */
export function registerTeam(program: Command, io: Io): void {
  const team = program
    .command('team')
    .description(
      'who has access to each account (policy 10.2); an administrator changes only the accounts they administer',
    );
  /** `team add` and `team remove` take the same arguments; only the request and the reply differ. */
  const teamChange = (
    name: string,
    description: string,
    apply: (call: Call, change: Change) => Promise<string>,
  ) =>
    team
      .command(name)
      .description(description)
      .argument('<vault>')
      .argument('<account>', 'id or platform:handle')
      .requiredOption('--person <person>', 'id or name')
      .option('--on <date>', 'YYYY-MM-DD (default today)')
      .option('--why <text>')
      .addOption(asOption())
      .action(
        async (
          vault: string,
          account: string,
          o: { person: string; on?: string; why?: string; as?: string },
        ) => {
          await withVault(vault, o, async ({ call }) => {
            io.out(
              await apply(call, {
                account,
                person: o.person,
                ...(o.on ? { on: o.on } : {}),
                ...(o.why ? { why: o.why } : {}),
              }),
            );
          });
        },
      );
  teamChange('add', 'record that a person was given access', async (call, change) => {
    await call('team.grant', change);
    return `${change.person} has access to ${change.account}.`;
  });
  teamChange(
    'remove',
    'record that a person lost access; after the last rotation, the account becomes rotation due',
    async (call, change) => {
      const { rotationDue } = await call('team.revoke', change);
      return `${change.person}'s access to ${change.account} revoked.${rotationDue ? ' The account is now rotation due (policy 10.2).' : ''}`;
    },
  );
  team
    .command('list')
    .argument('<vault>')
    .argument('<account>')
    .option('--json')
    .addOption(asOption())
    .action(async (vault: string, account: string, o: { json?: boolean; as?: string }) => {
      await withVault(vault, o, async ({ call }) => {
        const rows = await call('team.list', { account });
        output(io, o.json, rows, () =>
          rows.map(
            (r) =>
              `${r.person}\tfrom ${r.grantedOn}${r.revokedOn ? `\tuntil ${r.revokedOn}` : '\tcurrent'}`,
          ),
        );
      });
    });
}

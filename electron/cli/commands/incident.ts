import type { Command } from 'commander';
import { NOTIFY_PARTIES, type NotifyParty } from '../../../shared/domain/registry.ts';
import { asOption, oneOf, output, type Io } from '../support.ts';
import { withVault } from '../vault-client.ts';

type Json = { json?: boolean; as?: string };

/** `custodian incident`: lost-device incidents (incidents.*, policy 10.1). */
export function registerIncident(program: Command, io: Io): void {
  const incident = program.command('incident').description('lost-device incidents (policy 10.1)');
  incident
    .command('show')
    .argument('<vault>')
    .argument('<incident>', 'id or the lost device label')
    .option('--json')
    .addOption(asOption())
    .action(async (vault: string, reference: string, o: Json) => {
      await withVault(vault, o, async ({ call }) => {
        const view = await call('incidents.show', { incident: reference });
        output(io, o.json, view, () => [
          `incident ${view.id}: device lost ${view.lostOn}, ${view.resolvedAt ? `resolved ${view.resolvedAt}` : 'open'}`,
          ...view.exposed.map(
            (label) =>
              `  exposed: ${label}${view.awaitingRotation.includes(label) ? ' (awaiting rotation)' : ''}`,
          ),
          ...NOTIFY_PARTIES.map((party) => {
            const told = view.notified[party];
            const reference = view.references[party];
            return `  ${party}: ${told ?? 'not yet told'}${reference ? ` (ref ${reference})` : ''}`;
          }),
        ]);
      });
    });
  incident
    .command('list')
    .argument('<vault>')
    .option('--json')
    .addOption(asOption())
    .action(async (vault: string, o: Json) => {
      await withVault(vault, o, async ({ call }) => {
        const views = await call('incidents.list', {});
        output(io, o.json, views, () =>
          views.map((v) => `${v.id}\tlost ${v.lostOn}\t${v.resolvedAt ? 'resolved' : 'open'}`),
        );
      });
    });
  incident
    .command('notify')
    .description('record that ICT, Information Security or Corporate Communications was told')
    .argument('<vault>')
    .argument('<incident>')
    .requiredOption('--party <party>', NOTIFY_PARTIES.join('|'), oneOf(NOTIFY_PARTIES, 'party'))
    .option('--at <datetime>', 'ISO 8601 with zone, e.g. 2026-03-02T09:15:00Z (default now)')
    .option('--reference <ticket>', 'the ticket or case number they gave (e.g. ICT-48213)')
    .addOption(asOption())
    .action(
      async (
        vault: string,
        reference: string,
        o: { party: NotifyParty; at?: string; reference?: string; as?: string },
      ) => {
        await withVault(vault, o, async ({ call }) => {
          const { resolved } = await call('incidents.notify', {
            incident: reference,
            party: o.party,
            ...(o.at ? { at: o.at } : {}),
            ...(o.reference ? { reference: o.reference } : {}),
          });
          io.out(`${o.party} notified.${resolved ? ' The incident is resolved.' : ''}`);
        });
      },
    );
  incident
    .command('not-exposed')
    .description('judge an exposed account not exposed after all, with the reason')
    .argument('<vault>')
    .argument('<incident>')
    .requiredOption('--account <account>')
    .requiredOption('--reason <text>')
    .addOption(asOption())
    .action(
      async (
        vault: string,
        reference: string,
        o: { account: string; reason: string; as?: string },
      ) => {
        await withVault(vault, o, async ({ call }) => {
          const { resolved } = await call('incidents.not-exposed', {
            incident: reference,
            account: o.account,
            reason: o.reason,
          });
          io.out(`Recorded.${resolved ? ' The incident is resolved.' : ''}`);
        });
      },
    );
}

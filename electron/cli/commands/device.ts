import type { Command } from 'commander';
import { DEVICE_KINDS, type DeviceKind } from '../../../shared/domain/registry.ts';
import { asOption, commaList, oneOf, output, type Io } from '../support.ts';
import { withVault } from '../vault-client.ts';

type Json = { json?: boolean; as?: string };

/** `custodian device`: devices that reach accounts, and reporting one lost (devices.*, 10.1, 12.1). */
export function registerDevice(program: Command, io: Io): void {
  const device = program
    .command('device')
    .description(
      'devices that reach accounts (policy 10.1, 12.1); an administrator records and reports only devices that reach accounts they administer',
    );
  device
    .command('add')
    .description('record a device; prints its id')
    .argument('<vault>')
    .requiredOption('--owner <person>', 'id or name')
    .requiredOption('--kind <kind>', DEVICE_KINDS.join('|'), oneOf(DEVICE_KINDS, 'kind'))
    .requiredOption('--label <label>', 'e.g. "iPhone 15, asset 40213"')
    .requiredOption(
      '--accounts <list>',
      'accounts it can reach: ids or platform:handle, comma-separated',
      commaList,
    )
    .option(
      '--line-manager-record <date>',
      "for a personal device, when the line manager's record was made (12.1)",
    )
    .addOption(asOption())
    .action(
      async (
        vault: string,
        o: {
          owner: string;
          kind: DeviceKind;
          label: string;
          accounts: string[];
          lineManagerRecord?: string;
          as?: string;
        },
      ) => {
        await withVault(vault, o, async ({ call }) => {
          const { id } = await call('devices.add', {
            owner: o.owner,
            kind: o.kind,
            label: o.label,
            accounts: o.accounts,
            ...(o.lineManagerRecord ? { lineManagerRecordOn: o.lineManagerRecord } : {}),
          });
          io.out(id);
        });
      },
    );
  device
    .command('edit')
    .description(
      "correct a device's record: label, kind, owner, accounts, and a personal device's line manager record (12.1)",
    )
    .argument('<vault>')
    .argument('<device>', 'id or label')
    .option('--owner <person>', 'id or name')
    .option('--kind <kind>', DEVICE_KINDS.join('|'), oneOf(DEVICE_KINDS, 'kind'))
    .option('--label <label>')
    .option('--accounts <list>', 'every account it can reach now, comma-separated', commaList)
    .option('--line-manager-record <date>', "when the line manager's record was made (12.1)")
    .option('--no-line-manager-record', 'clear a line manager record entered by mistake')
    .addOption(asOption())
    .action(
      async (
        vault: string,
        reference: string,
        o: {
          owner?: string;
          kind?: DeviceKind;
          label?: string;
          accounts?: string[];
          lineManagerRecord?: string | false;
          as?: string;
        },
      ) => {
        await withVault(vault, o, async ({ call }) => {
          const { label } = await call('devices.edit', {
            device: reference,
            ...(o.owner === undefined ? {} : { owner: o.owner }),
            ...(o.kind === undefined ? {} : { kind: o.kind }),
            ...(o.label === undefined ? {} : { label: o.label }),
            ...(o.accounts === undefined ? {} : { accounts: o.accounts }),
            ...(o.lineManagerRecord === undefined
              ? {}
              : {
                  lineManagerRecordOn: o.lineManagerRecord === false ? null : o.lineManagerRecord,
                }),
          });
          io.out(`${label} updated.`);
        });
      },
    );
  device
    .command('retire')
    .description('take a device out of service, with the reason; its record and incidents are kept')
    .argument('<vault>')
    .argument('<device>', 'id or label')
    .requiredOption('--reason <text>', 'e.g. "returned to ICT and wiped"')
    .option('--on <date>', 'YYYY-MM-DD (default today)')
    .addOption(asOption())
    .action(
      async (vault: string, reference: string, o: { reason: string; on?: string; as?: string }) => {
        await withVault(vault, o, async ({ call }) => {
          const { label, retiredOn } = await call('devices.retire', {
            device: reference,
            reason: o.reason,
            ...(o.on ? { on: o.on } : {}),
          });
          io.out(`${label} retired on ${retiredOn}.`);
        });
      },
    );
  device
    .command('list')
    .argument('<vault>')
    .option('--json')
    .addOption(asOption())
    .action(async (vault: string, o: Json) => {
      await withVault(vault, o, async ({ call }) => {
        // The device records as stored: their accounts by id, and no field that was never set.
        const rows = (await call('devices.list', {})).devices.map((d) => ({
          id: d.id,
          ownerId: d.ownerId,
          kind: d.kind,
          label: d.label,
          accountIds: d.accounts.map((a) => a.id),
          ...(d.lineManagerRecordOn === null ? {} : { lineManagerRecordOn: d.lineManagerRecordOn }),
          ...(d.retiredOn === null ? {} : { retiredOn: d.retiredOn }),
          ...(d.retireReason === null ? {} : { retireReason: d.retireReason }),
        }));
        output(io, o.json, rows, () =>
          rows.map((d) => `${d.id}\t${d.kind}\t${d.label}\t${d.accountIds.length} account(s)`),
        );
      });
    });
  device
    .command('lost')
    .description('report a lost device (10.1); prints the incident id and the exposed accounts')
    .argument('<vault>')
    .argument('<device>', 'id or label')
    .option('--on <date>', 'YYYY-MM-DD (default today)')
    .option('--json')
    .addOption(asOption())
    .action(async (vault: string, reference: string, o: Json & { on?: string }) => {
      await withVault(vault, o, async ({ call }) => {
        const { incident } = await call('devices.report-lost', {
          device: reference,
          ...(o.on ? { lostOn: o.on } : {}),
        });
        const view = await call('incidents.show', { incident });
        output(io, o.json, view, () => [
          view.id,
          ...view.exposed.map((label) => `exposed: ${label}`),
          'Report to ICT and Information Security now, then Corporate Communications (policy 10.1).',
        ]);
      });
    });
}

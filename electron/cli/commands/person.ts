import type { Command } from 'commander';
import { FORCES, type Force } from '../../../shared/domain/accounts.ts';
import { asOption, expected, expectedVersionOption, oneOf, output, type Io } from '../support.ts';
import { withVault } from '../vault-client.ts';

type Json = { json?: boolean; as?: string };

/** `custodian person`: the staff register and training (people.*, policy 11.1, 12.1). */
export function registerPerson(program: Command, io: Io): void {
  const person = program.command('person').description('the staff register (policy 11.1, 12.1)');
  person
    .command('add')
    .description('add a person; prints their id')
    .argument('<vault>')
    .requiredOption('--name <name>')
    .option('--staff-no <number>', 'staff or collar number')
    .option('--force <force>', FORCES.join('|'), oneOf(FORCES, 'force'))
    .option('--department <name>')
    .option('--line-manager <person>', 'id or name of their line manager (already registered)')
    .option('--role <role>', 'their job role')
    .option('--masterclass <date>', 'social media masterclass attended (YYYY-MM-DD, 11.1)')
    .option('--refresher <date>', 'last annual refresher (YYYY-MM-DD, 11.1)')
    .option('--member <name>', 'the vault member this person is, if any')
    .addOption(asOption())
    .action(
      async (
        vault: string,
        o: {
          name: string;
          staffNo?: string;
          force?: Force;
          department?: string;
          lineManager?: string;
          role?: string;
          masterclass?: string;
          refresher?: string;
          member?: string;
          as?: string;
        },
      ) => {
        await withVault(vault, o, async ({ call }) => {
          const { id } = await call('people.add', {
            name: o.name,
            ...(o.staffNo ? { staffNo: o.staffNo } : {}),
            ...(o.force ? { force: o.force } : {}),
            ...(o.department ? { department: o.department } : {}),
            ...(o.lineManager === undefined ? {} : { lineManager: o.lineManager }),
            ...(o.role ? { role: o.role } : {}),
            ...(o.masterclass ? { masterclassOn: o.masterclass } : {}),
            ...(o.refresher ? { refresherOn: o.refresher } : {}),
            ...(o.member === undefined ? {} : { member: o.member }),
          });
          io.out(id);
        });
      },
    );
  person
    .command('train')
    .description('record a masterclass or refresher (11.1)')
    .argument('<vault>')
    .argument('<person>', 'id or name')
    .option('--masterclass <date>')
    .option('--refresher <date>')
    .addOption(asOption())
    .action(
      async (
        vault: string,
        reference: string,
        o: { masterclass?: string; refresher?: string; as?: string },
      ) => {
        await withVault(vault, o, async ({ call }) => {
          await call('people.train', {
            person: reference,
            ...(o.masterclass ? { masterclassOn: o.masterclass } : {}),
            ...(o.refresher ? { refresherOn: o.refresher } : {}),
          });
          io.out(`Training recorded for ${reference}.`);
        });
      },
    );
  person
    .command('edit')
    .description("correct a person's record (name, staff number, department, role); audited")
    .argument('<vault>')
    .argument('<person>', 'id or name')
    .option('--name <name>')
    .option('--staff-no <number>', 'staff or collar number')
    .option('--department <name>')
    .option('--role <role>', 'their job role')
    .addOption(expectedVersionOption('person list', 'person'))
    .addOption(asOption())
    .action(
      async (
        vault: string,
        reference: string,
        o: {
          name?: string;
          staffNo?: string;
          department?: string;
          role?: string;
          expectedVersion?: number;
          as?: string;
        },
      ) => {
        await withVault(vault, o, async ({ call }) => {
          const { name } = await call('people.edit', {
            person: reference,
            ...(o.name === undefined ? {} : { name: o.name }),
            ...(o.staffNo === undefined ? {} : { staffNo: o.staffNo }),
            ...(o.department === undefined ? {} : { department: o.department }),
            ...(o.role === undefined ? {} : { role: o.role }),
            ...expected(o),
          });
          io.out(`${name}'s record changed and recorded.`);
        });
      },
    );
  person
    .command('retire')
    .description(
      'take a person off the register with the reason; refused while they have access to any account (10.2)',
    )
    .argument('<vault>')
    .argument('<person>', 'id or name')
    .requiredOption('--reason <text>', 'why they leave the register (left the force, moved on)')
    .option('--on <date>', 'the day they left (YYYY-MM-DD; default today)')
    .addOption(asOption())
    .action(
      async (vault: string, reference: string, o: { reason: string; on?: string; as?: string }) => {
        await withVault(vault, o, async ({ call }) => {
          const { name, retiredOn } = await call('people.retire', {
            person: reference,
            reason: o.reason,
            ...(o.on === undefined ? {} : { on: o.on }),
          });
          io.out(
            `${name} retired from the register on ${retiredOn}; their record and history are kept.`,
          );
        });
      },
    );
  person
    .command('list')
    .argument('<vault>')
    .option('--json')
    .addOption(asOption())
    .action(async (vault: string, o: Json) => {
      await withVault(vault, o, async ({ call }) => {
        const people = (await call('people.list', {})).map((p) => ({
          id: p.id,
          version: p.version,
          ...p.person,
        }));
        output(io, o.json, people, () =>
          people.map(
            (p) =>
              `${p.id}\t${p.name}\tmasterclass ${p.masterclassOn ?? 'none'}\trefresher ${p.refresherOn ?? 'none'}${p.retiredOn ? `\tretired ${p.retiredOn}` : ''}\tversion ${p.version}`,
          ),
        );
      });
    });
}

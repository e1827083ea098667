import type { Command } from 'commander';
import {
  FORCES,
  PLATFORMS,
  UNIT_TYPES,
  type Force,
  type Platform,
  type UnitType,
} from '../../../shared/domain/accounts.ts';
import { CONTRACT } from '../../../shared/ipc/contract.ts';
import { asOption, newPassword, oneOf, type Io } from '../support.ts';
import { passwordFor, withVault } from '../vault-client.ts';

/** Who records an approval (9.2, 9.5): the contract's list, so the usage message matches it. */
const APPROVERS = CONTRACT['requests.approve'].request.shape.approver.options;
type Approver = (typeof APPROVERS)[number];

/** `custodian request`: requests for new accounts and their approvals (requests.*, 9.1-9.6). */
export function registerRequest(program: Command, io: Io): void {
  const request = program
    .command('request')
    .description('requests for new accounts (policy 9.1-9.6)');
  request
    .command('add')
    .description('record a request; prints the account id')
    .argument('<vault>')
    .requiredOption('--platform <platform>', PLATFORMS.join('|'), oneOf(PLATFORMS, 'platform'))
    .requiredOption('--handle <handle>', 'proposed handle')
    .requiredOption('--force <force>', FORCES.join('|'), oneOf(FORCES, 'force'))
    .requiredOption('--unit-type <type>', UNIT_TYPES.join('|'), oneOf(UNIT_TYPES, 'unit type'))
    .requiredOption('--unit <name>')
    .requiredOption('--requester <person>')
    .requiredOption('--purpose <text>', '9.3')
    .requiredOption('--aims <text>', 'aims and objectives (9.3)')
    .option('--line-manager <person>')
    .addOption(asOption())
    .action(
      async (
        vault: string,
        o: {
          platform: Platform;
          handle: string;
          force: Force;
          unitType: UnitType;
          unit: string;
          requester: string;
          purpose: string;
          aims: string;
          lineManager?: string;
          as?: string;
        },
      ) => {
        await withVault(vault, o, async ({ call }) => {
          const { id } = await call('requests.create', {
            platform: o.platform,
            handle: o.handle,
            force: o.force,
            unitType: o.unitType,
            unitName: o.unit,
            requester: o.requester,
            purpose: o.purpose,
            aims: o.aims,
            ...(o.lineManager ? { lineManager: o.lineManager } : {}),
          });
          io.out(id);
        });
      },
    );
  request
    .command('approve')
    .description(
      'record an approval: line manager, Head of Department (9.2), then the DML (9.5); also for an account registered directly (9.8), whose approvals are recorded afterwards',
    )
    .argument('<vault>')
    .argument('<account>')
    .requiredOption('--approver <who>', APPROVERS.join('|'), oneOf(APPROVERS, 'approver'))
    .requiredOption('--by <name>', 'name of the person approving')
    .option('--on <date>')
    .option('--refuse <reason>', 'the DML refuses, with the reason')
    .option(
      '--suggest <platform>',
      'the DML suggests another platform',
      oneOf(PLATFORMS, 'platform'),
    )
    .addOption(asOption())
    .action(
      async (
        vault: string,
        reference: string,
        o: {
          approver: Approver;
          by: string;
          on?: string;
          refuse?: string;
          suggest?: Platform;
          as?: string;
        },
      ) => {
        await withVault(vault, o, async ({ call }) => {
          const { status } = await call('requests.approve', {
            account: reference,
            approver: o.approver,
            by: o.by,
            ...(o.on ? { on: o.on } : {}),
            ...(o.refuse ? { refuse: o.refuse } : {}),
            ...(o.suggest ? { suggest: o.suggest } : {}),
          });
          io.out(`Recorded; the request is ${status ?? 'active'}.`);
        });
      },
    );
  request
    .command('setup')
    .description('set up an approved account and register its login (9.6, 9.8)')
    .argument('<vault>')
    .argument('<account>')
    .requiredOption('--username <username>')
    .option('--password-file <file>')
    .option('--generate')
    .option('--on <date>', 'the day it was created on the platform')
    .addOption(asOption())
    .action(
      async (
        vault: string,
        reference: string,
        o: {
          username: string;
          passwordFile?: string;
          generate?: boolean;
          on?: string;
          as?: string;
        },
      ) => {
        const given = newPassword(o);
        await withVault(vault, o, async ({ call }) => {
          const password = await passwordFor(call, given);
          await call('requests.set-up', {
            account: reference,
            username: o.username,
            password,
            ...(o.on ? { on: o.on } : {}),
          });
          io.out(`${reference} is set up and active.`);
        });
      },
    );
}

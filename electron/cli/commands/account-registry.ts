import { Option, type Command } from 'commander';
import { momentText } from '../../../shared/domain/dates.ts';
import {
  ACCOUNT_STATUSES,
  TWO_FACTOR_METHODS,
  type AccountStatus,
  type TwoFactorMethod,
} from '../../../shared/domain/registry.ts';
import { asOption, expected, expectedVersionOption, output, type Io } from '../support.ts';
import { withVault } from '../vault-client.ts';

type Json = { json?: boolean; as?: string };

/**
 * `custodian account show|set|rename|activity|history|close`: an account's registry record
 * (accounts.*, policy 9.9-9.13, 10.2).
 */
export function registerAccountRegistry(account: Command, io: Io): void {
  account
    .command('show')
    .argument('<vault>')
    .argument('<account>')
    .option('--json')
    .addOption(asOption())
    .action(async (vault: string, reference: string, o: Json) => {
      await withVault(vault, o, async ({ call }) => {
        // The id first, as before the record's own fields.
        const { id, ...shown } = await call('accounts.show', { account: reference });
        const view = { id, ...shown };
        output(io, o.json, view, () =>
          Object.entries(view).map(
            ([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`,
          ),
        );
      });
    });
  account
    .command('set')
    .description('edit registry details (not the handle or owner: see rename)')
    .argument('<vault>')
    .argument('<account>')
    .option('--profile-url <url>')
    .option('--purpose <text>', 'purpose (9.3)')
    .option('--aims <text>', 'aims and objectives (9.3)')
    .addOption(
      new Option(
        '--status <status>',
        'suspend an active account or reinstate it (10.2); an account becomes approved and active only through `request approve` and `request setup` (9.2, 9.5, 9.6), and closed through `account close` (9.11)',
      ).choices(ACCOUNT_STATUSES),
    )
    .option('--created-on <date>')
    .option(
      '--legacy',
      'an individual account set up before January 2017 (9.5, 9.16); needs --created-on before 2017-01-01',
    )
    .option(
      '--exemption <text>',
      'recorded approval exemption, for a legacy account only (9.16); otherwise record the approvals with `request approve`',
    )
    .addOption(new Option('--two-factor <method>').choices(TWO_FACTOR_METHODS))
    .option(
      '--recovery-email <email>',
      "the platform's recovery e-mail: a force mailbox, or it is a finding (9.8, 9.16)",
    )
    .option('--recovery-phone <phone>', "the platform's recovery phone")
    .option(
      '--recovery-phone-force',
      'the recovery phone is a force-issued number (checked by the DMT); a new --recovery-phone without it is not (9.8, 9.16)',
    )
    .option('--line-manager <person>')
    .option('--notes <text>')
    .addOption(expectedVersionOption())
    .addOption(asOption())
    .action(
      async (
        vault: string,
        reference: string,
        o: {
          profileUrl?: string;
          purpose?: string;
          aims?: string;
          status?: AccountStatus;
          createdOn?: string;
          legacy?: boolean;
          exemption?: string;
          twoFactor?: TwoFactorMethod;
          recoveryEmail?: string;
          recoveryPhone?: string;
          recoveryPhoneForce?: boolean;
          lineManager?: string;
          notes?: string;
          expectedVersion?: number;
          as?: string;
        },
      ) => {
        await withVault(vault, o, async ({ call }) => {
          await call('accounts.set-details', {
            account: reference,
            ...(o.profileUrl ? { profileUrl: o.profileUrl } : {}),
            ...(o.purpose ? { purpose: o.purpose } : {}),
            ...(o.aims ? { aims: o.aims } : {}),
            ...(o.status ? { status: o.status } : {}),
            ...(o.createdOn ? { createdOn: o.createdOn } : {}),
            ...(o.legacy ? { legacy: true } : {}),
            ...(o.exemption ? { exemption: o.exemption } : {}),
            ...(o.twoFactor ? { twoFactor: o.twoFactor } : {}),
            ...(o.recoveryEmail ? { recoveryEmail: o.recoveryEmail } : {}),
            ...(o.recoveryPhone ? { recoveryPhone: o.recoveryPhone } : {}),
            ...(o.recoveryPhoneForce ? { recoveryPhoneIsForce: true } : {}),
            ...(o.lineManager ? { lineManager: o.lineManager } : {}),
            ...(o.notes ? { notes: o.notes } : {}),
            ...expected(o),
          });
          io.out(`Updated ${reference}.`);
        });
      },
    );
  account
    .command('rename')
    .description(
      'record a new handle or owner when it changes (9.9); an administrator only for accounts they administer (10.2)',
    )
    .argument('<vault>')
    .argument('<account>')
    .option('--handle <handle>')
    .option('--owner <person>')
    .option('--informed <names...>', 'people told of the change')
    .addOption(expectedVersionOption())
    .addOption(asOption())
    .action(
      async (
        vault: string,
        reference: string,
        o: {
          handle?: string;
          owner?: string;
          informed?: string[];
          expectedVersion?: number;
          as?: string;
        },
      ) => {
        await withVault(vault, o, async ({ call }) => {
          const { label } = await call('accounts.rename', {
            account: reference,
            ...(o.handle ? { handle: o.handle } : {}),
            ...(o.owner ? { owner: o.owner } : {}),
            informed: o.informed ?? [],
            ...expected(o),
          });
          io.out(`Recorded: ${label} (policy 9.9).`);
        });
      },
    );
  account
    .command('activity')
    .description(
      'record the last day the account was used (9.13); an administrator only for accounts they administer (10.2)',
    )
    .argument('<vault>')
    .argument('<account>')
    .requiredOption('--on <date>', 'YYYY-MM-DD')
    .addOption(expectedVersionOption())
    .addOption(asOption())
    .action(
      async (
        vault: string,
        reference: string,
        o: { on: string; expectedVersion?: number; as?: string },
      ) => {
        await withVault(vault, o, async ({ call }) => {
          await call('accounts.activity', { account: reference, on: o.on, ...expected(o) });
          io.out(`Activity on ${o.on} recorded.`);
        });
      },
    );
  account
    .command('history')
    .description(
      'rotations, name and owner changes, team changes and incidents, in the order the audit trail recorded them, each with its time (UTC)',
    )
    .argument('<vault>')
    .argument('<account>')
    .option('--json')
    .addOption(asOption())
    .action(async (vault: string, reference: string, o: Json) => {
      await withVault(vault, o, async ({ call }) => {
        const events = await call('accounts.history', { account: reference });
        output(io, o.json, events, () =>
          events.map((e) => `${momentText(e.at)}\t${e.kind}\t${e.summary}`),
        );
      });
    });
  account
    .command('close')
    .description('close (9.11) or hand over (9.12) an account')
    .argument('<vault>')
    .argument('<account>')
    .requiredOption('--consulted-on <date>', 'consultation with Corporate Communications (9.11)')
    .option('--notice-on <date>', 'when followers were told')
    .option('--alternative <channel>', 'the channel followers were pointed to')
    .option('--continued-by <person>', 'who continues the account instead (9.12)')
    .addOption(asOption())
    .action(
      async (
        vault: string,
        reference: string,
        o: {
          consultedOn: string;
          noticeOn?: string;
          alternative?: string;
          continuedBy?: string;
          as?: string;
        },
      ) => {
        await withVault(vault, o, async ({ call }) => {
          const { status } = await call('accounts.close', {
            account: reference,
            consultedOn: o.consultedOn,
            ...(o.noticeOn ? { publicNoticeOn: o.noticeOn } : {}),
            ...(o.alternative ? { alternativeChannel: o.alternative } : {}),
            ...(o.continuedBy ? { continuedBy: o.continuedBy } : {}),
          });
          io.out(
            status === 'closing'
              ? 'Closing: record the public notice and alternative channel to close it (9.11).'
              : `Account is ${status ?? 'active'}.`,
          );
        });
      },
    );
}

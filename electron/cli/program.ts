import { Command, Option } from 'commander';
import {
  accountLabel,
  FORCES,
  PLATFORMS,
  ROTATION_REASONS,
  UNIT_TYPES,
  type Force,
  type Platform,
  type RotationReason,
  type UnitType,
} from '../../shared/domain/accounts.ts';
import { filterAccounts, NO_FILTERS, searchText } from '../../shared/domain/account-search.ts';
import { REVEAL_FIELDS, type RevealField } from '../../shared/domain/credentials.ts';
import { ROLES, type Role } from '../../shared/domain/roles.ts';
import { verifyVault } from '../vault/audit/verify.ts';
import { backupVault } from '../vault/backup.ts';
import { isBelowDefault } from '../vault/crypto/kdf.ts';
import { createAccount } from '../vault/domain/account-creation.ts';
import { listAccounts } from '../vault/domain/accounts.ts';
import { grantAdministrator, revokeAdministrator } from '../vault/domain/administrators.ts';
import { revealCredentialField } from '../vault/domain/reveal.ts';
import { rotatePassword } from '../vault/domain/rotations.ts';
import { keyFingerprint } from '../vault/trust/chain.ts';
import {
  addMember,
  changeOwnPassphrase,
  findMemberByName,
  listMembers,
  removeMember,
} from '../vault/domain/members.ts';
import { createVault } from '../vault/vault.ts';
import { registerAuditCommands } from './commands/audit.ts';
import { registerHealthCommands } from './commands/health.ts';
import { registerRegistryCommands } from './commands/registry.ts';
import { EXIT, EXIT_CODES_HELP } from './exit-codes.ts';
import { readNewPassphrase } from './prompt.ts';
import {
  acting,
  asOption,
  console_,
  kdfFrom,
  newPassword,
  oneOf,
  positiveInt,
  warnDoNotPost,
  withSession,
  type Io,
} from './support.ts';

export function buildProgram(io: Io = console_): Command {
  const program = new Command('custodian')
    .description('Custodian: the Digital Media Team credential vault (command line).')
    .addHelpText('after', EXIT_CODES_HELP)
    .showHelpAfterError(false)
    .configureOutput({
      writeErr: (text) => io.err(text.trimEnd()),
      writeOut: (text) => io.out(text.trimEnd()),
    })
    // Set before any subcommand is added (commander copies it into each): a usage error throws a
    // CommanderError for runCli to report instead of calling process.exit from deep inside.
    .exitOverride();

  program
    .command('init')
    .description('create a vault; you become its founding lead')
    .argument('<vault>', 'path of the new vault file')
    .addOption(asOption())
    .option('--kdf-memory-mib <n>', 'Argon2id memory per unlock (default 256)', positiveInt)
    .option('--kdf-passes <n>', 'Argon2id passes (default 3)', positiveInt)
    .action(
      async (
        vault: string,
        options: { as?: string; kdfMemoryMib?: number; kdfPasses?: number },
      ) => {
        const founderName = acting(options);
        const kdf = kdfFrom(options);
        if (isBelowDefault(kdf)) {
          io.err(
            `warning: key derivation below the default (${kdf.memoryKiB / 1024} MiB, ${kdf.passes} passes).`,
          );
        }
        const passphrase = await readNewPassphrase(
          `New passphrase for ${founderName}: `,
          'CUSTODIAN_PASSPHRASE',
        );
        const session = await createVault(vault, { founderName, passphrase, kdf });
        const id = session.vaultId;
        const fingerprint = keyFingerprint(session.keys.signing.publicKey);
        session.close();
        io.out(`Created vault ${id} at ${vault}; ${founderName} is its founding lead.`);
        // The anchor for every export of this vault (issue 13, attack 7): keep it outside the vault.
        io.out(
          `Founder fingerprint: ${fingerprint}\nKeep it outside the vault (on paper, in e-mail): \`custodian audit verify-export --founder "${fingerprint}"\` proves an export is from this vault.`,
        );
      },
    );

  const member = program.command('member').description('vault members and their roles');
  member
    .command('add')
    .description('add a member (lead only)')
    .argument('<vault>')
    .requiredOption('--name <name>', "the new member's name")
    .addOption(new Option('--role <role>', 'their role').choices(ROLES).makeOptionMandatory())
    .addOption(asOption())
    .action(async (vault: string, options: { name: string; role: Role; as?: string }) => {
      await withSession(vault, options, async (session) => {
        const passphrase = await readNewPassphrase(
          `New passphrase for ${options.name}: `,
          'CUSTODIAN_NEW_PASSPHRASE',
        );
        const added = await addMember(session, {
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
      await withSession(vault, options, (session) => {
        const { accountsMarked } = removeMember(session, name);
        io.out(`Removed ${name}; ${accountsMarked} account(s) marked rotation due (policy 10.2).`);
      });
    });
  member
    .command('list')
    .argument('<vault>')
    .addOption(asOption())
    .option('--json', 'machine-readable output')
    .action(async (vault: string, options: { as?: string; json?: boolean }) => {
      await withSession(vault, options, (session) => {
        const members = listMembers(session);
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
      await withSession(vault, options, async (session) => {
        const passphrase = await readNewPassphrase('New passphrase: ', 'CUSTODIAN_NEW_PASSPHRASE');
        await changeOwnPassphrase(session, passphrase);
        io.out('Passphrase changed.');
      });
    });

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
        const password = newPassword(options);
        await withSession(vault, options, (session) => {
          const { id } = createAccount(session, {
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
      await withSession(vault, options, (session) => {
        // The same matching as the console's search box (shared/domain/account-search.ts).
        const accounts = filterAccounts(
          listAccounts(session).map((a) => ({ account: a, text: searchText(a) })),
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
      await withSession(vault, options, (session) => {
        grantAdministrator(session, reference, findMemberByName(session, options.member).id);
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
      await withSession(vault, options, (session) => {
        revokeAdministrator(session, reference, findMemberByName(session, options.member).id);
        io.out(
          `${options.member} no longer administers ${reference}; it is rotation due (policy 10.2).`,
        );
      });
    });

  program
    .command('reveal')
    .description(
      "print a field of an account's credential: its password (the default), username or recovery codes, one per line (needs a reason; audited, and so is a refusal); under a quiet period (6.6) a do-not-post notice goes to stderr",
    )
    .argument('<vault>')
    .argument('<account>', 'account id or platform:handle')
    .addOption(
      new Option('--field <field>', 'what to print (9.8)')
        .choices(REVEAL_FIELDS)
        .default('password'),
    )
    .requiredOption('--reason <text>', 'why you need it')
    .addOption(asOption())
    .action(
      async (
        vault: string,
        reference: string,
        options: { field: RevealField; reason: string; as?: string },
      ) => {
        await withSession(vault, options, (session) => {
          const value = revealCredentialField(
            session,
            reference,
            options.field,
            options.reason,
          ).expose();
          warnDoNotPost(io, session, reference);
          io.out(value);
        });
      },
    );

  program
    .command('rotate')
    .description("change an account's password and record why (policy 9.9, 9.10, 10.2)")
    .argument('<vault>')
    .argument('<account>', 'account id or platform:handle')
    .requiredOption(
      '--reason <reason>',
      ROTATION_REASONS.join('|'),
      oneOf(ROTATION_REASONS, 'reason'),
    )
    .option('--password-file <file>', 'read the new password from this file')
    .option('--generate', 'generate a strong random password')
    .option('--informed <names...>', 'people told of the change (policy 9.10)')
    .addOption(asOption())
    .action(
      async (
        vault: string,
        reference: string,
        options: {
          reason: RotationReason;
          passwordFile?: string;
          generate?: boolean;
          informed?: string[];
          as?: string;
        },
      ) => {
        const password = newPassword(options);
        await withSession(vault, options, (session) => {
          const { rotationId } = rotatePassword(session, reference, {
            reason: options.reason,
            password,
            informed: options.informed ?? [],
          });
          io.out(`Rotated ${reference} (${options.reason}); rotation ${rotationId}.`);
        });
      },
    );

  const audit = program.command('audit').description('the tamper-evident audit trail');
  audit
    .command('verify')
    .description('check every entry, checkpoint, signature and certificate')
    .argument('<vault>')
    .addOption(asOption())
    .option('--json', 'machine-readable output')
    .action(async (vault: string, options: { as?: string; json?: boolean }) => {
      const report = await withSession(vault, options, (session) => verifyVault(session));
      if (options.json) io.out(JSON.stringify(report));
      if (report.ok) {
        if (!options.json)
          io.out(
            `verified ${report.entries} entries, ${report.checkpoints} checkpoints; root ${report.root}`,
          );
      } else {
        io.err(`audit verify failed: ${report.where} ${report.problem}.`);
        io.setExitCode(EXIT.integrity);
      }
    });

  program
    .command('backup')
    .description('copy the vault to FILE, consistent even while it is open; secrets stay sealed')
    .argument('<vault>')
    .argument('<file>', 'the new backup file (never overwritten)')
    .action(async (vault: string, file: string) => {
      const { bytes } = await backupVault(vault, file);
      io.out(
        `Backed up ${vault} to ${file} (${bytes} bytes, integrity checked). To restore: close Custodian, copy the backup over the vault, and run \`custodian audit verify\`.`,
      );
    });

  registerAuditCommands(audit, io);
  registerRegistryCommands(program, io);
  registerHealthCommands(program, io);
  return program;
}

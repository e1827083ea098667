import { Option, type Command } from 'commander';
import { ROTATION_REASONS, type RotationReason } from '../../../shared/domain/accounts.ts';
import { REVEAL_FIELDS, type RevealField } from '../../../shared/domain/credentials.ts';
import {
  asOption,
  expected,
  expectedVersionOption,
  newPassword,
  oneOf,
  readInputFile,
  type Io,
} from '../support.ts';
import { passwordFor, withVault } from '../vault-client.ts';

/**
 * 6.6: with a password or code handed out for an account under a quiet period, say "do not post"
 * on stderr, so it reaches the person even when stdout is piped into a password manager.
 */
function warnDoNotPost(io: Io, notices: readonly string[]): void {
  for (const notice of notices) io.err(`custodian: ${notice}`);
}

/** `custodian reveal` (credentials.reveal): one field of a credential, with a reason. */
export function registerReveal(program: Command, io: Io): void {
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
        await withVault(vault, options, async ({ call }) => {
          const { value, doNotPost } = await call('credentials.reveal', {
            account: reference,
            field: options.field,
            reason: options.reason,
          });
          warnDoNotPost(io, doNotPost);
          io.out(value);
        });
      },
    );
}

/** `custodian rotate` (credentials.rotate): a new password and why (9.9, 9.10). */
export function registerRotate(program: Command, io: Io): void {
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
    .addOption(expectedVersionOption())
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
          expectedVersion?: number;
          as?: string;
        },
      ) => {
        const given = newPassword(options);
        await withVault(vault, options, async ({ call }) => {
          const password = await passwordFor(call, given);
          const { rotationId } = await call('credentials.rotate', {
            account: reference,
            reason: options.reason,
            password,
            informed: options.informed ?? [],
            ...expected(options),
          });
          io.out(`Rotated ${reference} (${options.reason}); rotation ${rotationId}.`);
        });
      },
    );
}

/** `custodian totp` (credentials.totp): the current 2FA code, with a reason. */
export function registerTotp(program: Command, io: Io): void {
  program
    .command('totp')
    .description("print an account's current 2FA code (needs a reason; audited)")
    .argument('<vault>')
    .argument('<account>')
    .requiredOption('--reason <text>')
    .addOption(asOption())
    .action(async (vault: string, reference: string, o: { reason: string; as?: string }) => {
      await withVault(vault, o, async ({ call }) => {
        const { code, doNotPost } = await call('credentials.totp', {
          account: reference,
          reason: o.reason,
        });
        warnDoNotPost(io, doNotPost);
        io.out(code);
      });
    });
}

/** `custodian credential set` (credentials.set-extras): username, TOTP secret, recovery codes. */
export function registerCredentialExtras(program: Command, io: Io): void {
  const credential = program
    .command('credential')
    .description('2FA secrets and recovery codes (policy 9.8)');
  credential
    .command('set')
    .description(
      'set the login username, the TOTP secret or the recovery codes, or clear the TOTP secret; every field not named is kept (9.8, 9.9)',
    )
    .argument('<vault>')
    .argument('<account>')
    .option('--username <username>', 'the new login username (the platform changed it)')
    .option('--totp-secret-file <file>', 'file holding the base32 TOTP secret')
    .option('--clear-totp', 'remove the TOTP secret (2FA turned off or moved to another method)')
    .option('--recovery-codes-file <file>', 'file with one recovery code per line')
    .addOption(expectedVersionOption())
    .addOption(asOption())
    .action(
      async (
        vault: string,
        reference: string,
        o: {
          username?: string;
          totpSecretFile?: string;
          clearTotp?: boolean;
          recoveryCodesFile?: string;
          expectedVersion?: number;
          as?: string;
        },
      ) => {
        const totpSecret = o.totpSecretFile
          ? readInputFile(o.totpSecretFile, 'the TOTP secret file').trim()
          : undefined;
        const recoveryCodes = o.recoveryCodesFile
          ? readInputFile(o.recoveryCodesFile, 'the recovery codes file').split(/\r?\n/)
          : undefined;
        await withVault(vault, o, async ({ call }) => {
          await call('credentials.set-extras', {
            account: reference,
            ...(o.username !== undefined ? { username: o.username } : {}),
            ...(totpSecret !== undefined ? { totpSecret } : {}),
            ...(o.clearTotp ? { clearTotp: true } : {}),
            ...(recoveryCodes ? { recoveryCodes } : {}),
            ...expected(o),
          });
          io.out(`Updated ${reference}.`);
        });
      },
    );
}

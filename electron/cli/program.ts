import { Command } from 'commander';
import { registerAccount } from './commands/account.ts';
import { registerAudit } from './commands/audit.ts';
import { registerBackup } from './commands/backup.ts';
import {
  registerCredentialExtras,
  registerReveal,
  registerRotate,
  registerTotp,
} from './commands/credential.ts';
import { registerGenerate } from './commands/generate.ts';
import { registerHealthCommands } from './commands/health.ts';
import { registerAccountImport } from './commands/import.ts';
import { registerInit } from './commands/init.ts';
import { registerMember } from './commands/member.ts';
import { registerAccountRegistry } from './commands/account-registry.ts';
import { registerDevice } from './commands/device.ts';
import { registerIncident } from './commands/incident.ts';
import { registerPerson } from './commands/person.ts';
import { registerQuiet } from './commands/quiet.ts';
import { registerRequest } from './commands/request.ts';
import { registerTeam } from './commands/team.ts';
import { registerTakeOverLock } from './commands/take-over-lock.ts';
import { registerRestore } from './commands/restore.ts';
import { registerComplaint } from './commands/complaint.ts';
import { registerTrial } from './commands/trial.ts';
import { registerApp } from './commands/app.ts';
import { registerVaultCopy } from './commands/vault-copy.ts';
import { EXIT_CODES_HELP } from './exit-codes.ts';
import { console_, type Io } from './support.ts';

/**
 * The `custodian` program: one file per command (or per feature) under ./commands/, each parsing
 * its arguments into contract requests (vault-client.ts) and printing the responses. The order
 * here is the order `custodian --help` lists them in.
 */
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

  registerInit(program, io);
  registerMember(program, io);
  const account = registerAccount(program, io);
  registerReveal(program, io);
  registerRotate(program, io);
  registerAudit(program, io);
  registerBackup(program, io);
  registerRestore(program, io);
  registerVaultCopy(program, io);
  registerPerson(program, io);
  registerTeam(program, io);
  registerDevice(program, io);
  registerIncident(program, io);
  registerAccountRegistry(account, io);
  registerAccountImport(account, io);
  registerRequest(program, io);
  registerQuiet(program, io);
  registerComplaint(program, io);
  registerTrial(program, io);
  registerApp(program, io);
  registerCredentialExtras(program, io);
  registerTotp(program, io);
  registerTakeOverLock(program, io);
  registerGenerate(program, io);
  registerHealthCommands(program, io);
  return program;
}

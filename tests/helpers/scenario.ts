import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { custodian, FAST_KDF, type CliResult } from './cli.ts';

type Runner = (args: readonly string[], env: Record<string, string>) => Promise<CliResult>;

/**
 * Distinctive strings put through every flow of the scenario below. A scan for them (canary test,
 * issue 2 and 7) proves none is written in clear; the tamper sweep (issue 7) uses the vault it leaves.
 */
export const CANARIES = {
  password: 'CanaryPassw0rd-Zebra-7731',
  rotated: 'CanaryRotated-Quokka-5520',
  username: 'canary.username.lynx',
  handle: 'CanaryHandleOtter',
  unit: 'Canary Unit Of Pangolins',
  member: 'Canary Member Narwhal',
  person: 'Canary Person Axolotl',
  staffNo: 'CANARY-99817',
  device: 'Canary Device Tapir',
  notes: 'Canary notes about the ibex',
  recoveryCode: 'canary-recovery-7f3e9',
  totp: 'KNAUGUSKGNBUGQZUMFZWCZLPOI',
  purpose: 'Canary purpose wombat',
  recoveryEmail: 'canary.recovery@example.org',
};

export const LEAD_ENV = {
  CUSTODIAN_USER: 'Lena Lead',
  CUSTODIAN_PASSPHRASE: 'lead passphrase one',
};
export const CANARY_ACCOUNT = `instagram:${CANARIES.handle}`;

export interface ScenarioRun {
  readonly args: readonly string[];
  readonly result: CliResult;
}

/**
 * Every CLI flow on one vault, as the lead: create, register, add and remove a member, reveal,
 * rotate, people, team, devices and a lost device, account details, recovery codes and TOTP,
 * history, list and verify. Inputs holding secrets are files in `inputs`, outside `work`.
 * Returns every command run with its output, so a caller can scan those too. The commands run in
 * this process unless `runner` is given (custodianProcess, for a caller that scans what a real
 * process leaves behind).
 */
export async function runCliScenario(
  work: string,
  inputs: string,
  check: (run: ScenarioRun) => void,
  extraEnv: Record<string, string> = {},
  runner: Runner = custodian,
): Promise<{ vault: string; runs: ScenarioRun[] }> {
  mkdirSync(work, { recursive: true });
  mkdirSync(inputs, { recursive: true });
  const vault = join(work, 'canary.vault');
  writeFileSync(join(inputs, 'pw'), CANARIES.password);
  writeFileSync(join(inputs, 'rotated'), CANARIES.rotated);
  writeFileSync(join(inputs, 'codes'), `${CANARIES.recoveryCode}\n`);
  writeFileSync(join(inputs, 'totp'), CANARIES.totp);
  const runs: ScenarioRun[] = [];
  const run = async (args: string[], env: Record<string, string> = LEAD_ENV) => {
    const result = await runner(args, { ...env, ...extraEnv });
    const done = { args, result };
    runs.push(done);
    check(done);
    return result;
  };
  const account = CANARY_ACCOUNT;
  await run(['init', vault, ...FAST_KDF]);
  await run([
    'account',
    'add',
    vault,
    '--platform',
    'instagram',
    '--handle',
    CANARIES.handle,
    '--force',
    'suffolk',
    '--unit-type',
    'team',
    '--unit',
    CANARIES.unit,
    '--username',
    CANARIES.username,
    '--password-file',
    join(inputs, 'pw'),
  ]);
  await run(['member', 'add', vault, '--name', CANARIES.member, '--role', 'dmt'], {
    ...LEAD_ENV,
    CUSTODIAN_NEW_PASSPHRASE: 'member passphrase one',
  });
  await run(['reveal', vault, account, '--reason', 'canary check']);
  await run([
    'rotate',
    vault,
    account,
    '--reason',
    'compromise',
    '--password-file',
    join(inputs, 'rotated'),
  ]);
  await run(['member', 'remove', vault, CANARIES.member]);
  await run(['person', 'add', vault, '--name', CANARIES.person, '--staff-no', CANARIES.staffNo]);
  await run(['team', 'add', vault, account, '--person', CANARIES.person, '--why', CANARIES.notes]);
  await run([
    'device',
    'add',
    vault,
    '--owner',
    CANARIES.person,
    '--kind',
    'personal',
    '--label',
    CANARIES.device,
    '--accounts',
    account,
  ]);
  await run(['device', 'lost', vault, CANARIES.device]);
  await run([
    'account',
    'set',
    vault,
    account,
    '--notes',
    CANARIES.notes,
    '--purpose',
    CANARIES.purpose,
    '--recovery-email',
    CANARIES.recoveryEmail,
  ]);
  await run([
    'credential',
    'set',
    vault,
    account,
    '--recovery-codes-file',
    join(inputs, 'codes'),
    '--totp-secret-file',
    join(inputs, 'totp'),
  ]);
  await run(['account', 'history', vault, account]);
  await run(['account', 'list', vault]);
  await run(['audit', 'verify', vault]);
  return { vault, runs };
}

function encodings(text: string): Buffer[] {
  const le = Buffer.from(text, 'utf16le');
  const be = Buffer.from(le).swap16();
  return [Buffer.from(text, 'utf8'), le, be];
}

/** Which canaries (by name) the bytes hold, in UTF-8 or UTF-16 either way round. */
export function canariesIn(
  bytes: Buffer,
  which: Readonly<Record<string, string>> = CANARIES,
): string[] {
  return Object.entries(which)
    .filter(([, value]) => encodings(value).some((encoded) => bytes.includes(encoded)))
    .map(([name]) => name);
}

/** Every canary found in the files of `dir` (not its subfolders), as "what in file". */
export function leaks(dir: string, except: readonly string[]): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (except.includes(name) || !statSync(path).isFile()) continue;
    for (const what of canariesIn(readFileSync(path))) found.push(`${what} in ${name}`);
  }
  return found;
}

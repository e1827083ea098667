import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { custodian } from '../helpers/cli.ts';
import {
  encryptBitwardenExport,
  SOURCE_PASSPHRASE,
  teamBitwardenCsv,
  teamBitwardenJson,
} from '../helpers/import-sources.ts';
import { newVault, PASSPHRASES, tempDir, vaultLocation } from '../helpers/vault.ts';

const LEAD = { CUSTODIAN_USER: 'Lena Lead', CUSTODIAN_PASSPHRASE: PASSPHRASES.lead };

/** `custodian account import` with other tools' files (issue 16): detection, defaults, passphrases. */
describe('account import of KeePassXC and Bitwarden files from the command line', () => {
  let dir: string;
  let cleanup: () => void;
  let vault: string;
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    vault = vaultLocation(join(dir, 'team.vault'));
    (await newVault(vault)).close();
  });
  afterAll(() => cleanup());

  it('a file that is none of the formats says which are read, and writes nothing', async () => {
    const result = await custodian(
      ['account', 'import', vault, file('people.csv', 'name,email\nAda,ada@example.org\n')],
      LEAD,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /none of the formats Custodian imports\. It reads: KeePass database \(KDBX 3\.1 or 4\); KeePassXC XML export; Bitwarden JSON export .*; KeePassXC CSV export; Bitwarden CSV export; Custodian's registration CSV/,
    );
  });

  it('--format forces a format, and says so when the file is not one', async () => {
    const csv = file('bw.csv', teamBitwardenCsv());
    const forced = await custodian(['account', 'import', vault, csv, '--format', 'kdbx'], LEAD);
    expect(forced.stderr).toMatch(/is not a KeePass database \(KDBX 3\.1 or 4\), as --format says/);
    const named = await custodian(
      ['account', 'import', vault, csv, '--format', 'bitwarden-csv', '--dry-run'],
      LEAD,
    );
    expect(named.stdout).toMatch(
      /line 2 \(Twitter\)\tx:NorfolkRoads\tno force: give a default force/,
    );
  });

  it('--force, --unit-type and --unit fill what entries leave out; the dry run shows where each goes', async () => {
    const csv = file('bw2.csv', teamBitwardenCsv());
    const result = await custodian(
      [
        'account',
        'import',
        vault,
        csv,
        '--dry-run',
        '--force',
        'norfolk',
        '--unit-type',
        'department',
        '--unit',
        'Corporate Communications',
      ],
      LEAD,
    );
    expect(result.stdout).toMatch(
      /x:NorfolkRoads\tready\tnorfolk, department Corporate Communications/,
    );
    // The entry's own force field wins over the default.
    expect(result.stdout).toMatch(
      /tiktok:suffolkpolice\tready\tsuffolk, department Corporate Communications/,
    );
    const mapped = await custodian(
      [
        'account',
        'import',
        vault,
        csv,
        '--dry-run',
        '--force',
        'norfolk',
        '--unit-type',
        'team',
        '--units-from-groups',
        '--group-unit',
        'Broadland=district:Broadland SNT',
      ],
      LEAD,
    );
    expect(mapped.stdout).toMatch(/x:NorfolkRoads\tready\tnorfolk, team Roads Policing/);
    expect(mapped.stdout).toMatch(/x:BroadlandPolice\tready\tnorfolk, district Broadland SNT/);
    expect(mapped.stdout).toMatch(
      /Dry run, nothing written: 4 of 7 entries would be registered, 0 already registered \(skipped\), 3 refused \(above\)\./,
    );
    const bad = await custodian(
      ['account', 'import', vault, csv, '--dry-run', '--group-unit', 'Broadland=parish:Broadland'],
      LEAD,
    );
    expect(bad.stderr).toMatch(/--group-unit: the unit type must be one of department, specialist/);
  });

  it('a password-protected export takes its passphrase from the file or CUSTODIAN_SOURCE_PASSPHRASE, and without one says how to give it', async () => {
    const json = file(
      'bw-protected.json',
      await encryptBitwardenExport(teamBitwardenJson(), SOURCE_PASSPHRASE),
    );
    const none = await custodian(['account', 'import', vault, json, '--dry-run'], LEAD);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(
      /No passphrase for the file to import: give --source-passphrase-file FILE, set CUSTODIAN_SOURCE_PASSPHRASE, or run in a terminal/,
    );
    const fromEnv = await custodian(
      [
        'account',
        'import',
        vault,
        json,
        '--dry-run',
        '--force',
        'norfolk',
        '--unit-type',
        'team',
        '--unit',
        'Roads',
      ],
      {
        ...LEAD,
        CUSTODIAN_SOURCE_PASSPHRASE: SOURCE_PASSPHRASE,
      },
    );
    expect(fromEnv.stdout, fromEnv.stderr).toMatch(
      /Roads Policing › Twitter\tx:NorfolkRoads\tready/,
    );
    const passphraseFile = file('pass.txt', `${SOURCE_PASSPHRASE}\n`);
    const fromFile = await custodian(
      [
        'account',
        'import',
        vault,
        json,
        '--source-passphrase-file',
        passphraseFile,
        '--force',
        'norfolk',
        '--unit-type',
        'team',
        '--unit',
        'Roads',
        '--write-valid',
      ],
      LEAD,
    );
    expect(fromFile.stdout, fromFile.stderr).toMatch(/4 account\(s\) written, 3 invalid\./);
  });
});

import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEntryRow } from '../../electron/vault/audit/export.ts';
import { auditStore } from '../../electron/vault/store/audit-store.ts';
import { custodian, type CliResult } from '../helpers/cli.ts';
import {
  encryptBitwardenExport,
  keepassxcAvailable,
  makeKeePassFiles,
  SOURCE_PASSPHRASE,
  SOURCE_SECRETS,
  teamBitwardenCsv,
  teamBitwardenJson,
} from '../helpers/import-sources.ts';
import { newVault, PASSPHRASES, tempDir, unlockAs, vaultLocation } from '../helpers/vault.ts';

const LEAD = { CUSTODIAN_USER: 'Lena Lead', CUSTODIAN_PASSPHRASE: PASSPHRASES.lead };
const KEEPASSXC = keepassxcAvailable();

/** Each secret of the sources found in a text, by which (never the secret itself). */
function secretsIn(bytes: Buffer): string[] {
  return SOURCE_SECRETS.flatMap((secret, i) =>
    bytes.includes(Buffer.from(secret, 'utf8')) || bytes.includes(Buffer.from(secret, 'utf16le'))
      ? [`secret ${i}`]
      : [],
  );
}

function secretsUnder(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...secretsUnder(path));
    else found.push(...secretsIn(readFileSync(path)).map((what) => `${what} in ${name}`));
  }
  return found;
}

/**
 * Issue 16: nothing of a source's secrets (passwords, old passwords, TOTP secrets, recovery codes,
 * the source's passphrase) reaches the command's output or errors, a temporary file, the vault's
 * files in clear, or the audit trail, over every format: a dry run, a real import, and the
 * refusals (a wrong passphrase, a tampered export).
 */
describe('no secret of an import source leaks (canary, every format)', () => {
  let dir: string;
  let cleanup: () => void;
  const sources: [string, string][] = [];

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    const src = join(dir, 'sources');
    mkdirSync(src);
    if (KEEPASSXC) {
      const kp = await makeKeePassFiles(src);
      sources.push(['kdbx4', kp.kdbx4id], ['kdbx31', kp.kdbx31], ['xml', kp.xml], ['kcsv', kp.csv]);
    }
    const write = (name: string, text: string) => {
      writeFileSync(join(src, name), text);
      sources.push([name, join(src, name)]);
    };
    write('bw.json', teamBitwardenJson());
    write(
      'bw-protected.json',
      await encryptBitwardenExport(teamBitwardenJson(), SOURCE_PASSPHRASE),
    );
    write('bw.csv', teamBitwardenCsv());
    writeFileSync(join(dir, 'passphrase'), `${SOURCE_PASSPHRASE}\n`);
  }, 60_000);
  afterAll(() => cleanup());

  it(`CLI dry run, import and refusals over ${KEEPASSXC ? 'every format' : 'the Bitwarden formats (keepassxc-cli absent: KeePass files SKIPPED)'}`, async () => {
    const outputs: CliResult[] = [];
    for (const [name, file] of sources) {
      const work = join(dir, `vault-${name}`);
      // One temporary folder for every run, so tsx's compile cache is made once.
      const tmp = join(dir, 'tmp');
      mkdirSync(work);
      mkdirSync(tmp, { recursive: true });
      const vault = vaultLocation(join(work, 'team.vault'));
      (await newVault(vault)).close();
      const env = { ...LEAD, TMPDIR: tmp, TMP: tmp, TEMP: tmp };
      const args = [
        'account',
        'import',
        vault,
        file,
        '--source-passphrase-file',
        join(dir, 'passphrase'),
        '--force',
        'norfolk',
        '--group-unit',
        'Roads Policing=team:Roads Policing',
        '--group-unit',
        'Broadland=district:Broadland',
      ];
      const dry = await custodian([...args, '--dry-run'], env);
      expect(dry.stdout, `${name}: ${dry.stderr}`).toMatch(/x:NorfolkRoads\tready/);
      const real = await custodian([...args, '--write-valid'], env);
      expect(real.stdout, `${name}: ${real.stderr}`).toMatch(/x:NorfolkRoads\timported/);
      outputs.push(dry, real);
      const wrong = await custodian(
        ['account', 'import', vault, file, '--dry-run', '--force', 'norfolk'],
        { ...env, CUSTODIAN_SOURCE_PASSPHRASE: `${SOURCE_PASSPHRASE}-wrong` },
      );
      outputs.push(wrong);
      // Only tsx's compile cache of Custodian's own source (the CLI runs TypeScript, ADR 0004).
      expect(
        readdirSync(tmp).filter((entry) => !/^tsx-\d+$/.test(entry)),
        `${name}: temporary files`,
      ).toEqual([]);
      expect(secretsUnder(tmp), `${name}: temporary files`).toEqual([]);
      expect(secretsUnder(work), name).toEqual([]);
      // The trail, opened: counts, lines and labels, never a secret.
      const session = await unlockAs(vault, 'Lena Lead', PASSPHRASES.lead);
      try {
        const rows = auditStore.entriesPage(session.db, 0, auditStore.countEntries(session.db));
        const trail = JSON.stringify(rows.map((row) => openEntryRow(session, row)));
        expect(trail).toMatch(/accounts\.imported/);
        expect(secretsIn(Buffer.from(trail)), `${name}: audit trail`).toEqual([]);
      } finally {
        session.close();
      }
    }
    // A password-protected export whose data was changed is refused by its MAC, saying nothing of it.
    const tampered = JSON.parse(
      readFileSync(sources.find(([n]) => n === 'bw-protected.json')![1], 'utf8'),
    ) as { data: string };
    const [iv, ct, mac] = tampered.data.slice(2).split('|') as [string, string, string];
    const flipped = Buffer.from(ct, 'base64');
    flipped[0]! ^= 1;
    tampered.data = `2.${iv}|${flipped.toString('base64')}|${mac}`;
    writeFileSync(join(dir, 'tampered.json'), JSON.stringify(tampered));
    const vault = vaultLocation(join(dir, `vault-${sources[0]![0]}`, 'team.vault'));
    const refused = await custodian(
      ['account', 'import', vault, join(dir, 'tampered.json'), '--dry-run'],
      { ...LEAD, CUSTODIAN_SOURCE_PASSPHRASE: SOURCE_PASSPHRASE },
    );
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(
      /does not open this password-protected Bitwarden export \(or the file was changed\)/,
    );
    outputs.push(refused);
    for (const output of outputs) {
      expect(secretsIn(Buffer.from(output.stdout + output.stderr))).toEqual([]);
    }
    // The wrong passphrase said so, for KeePass and for the protected export alike.
    expect(outputs.filter((o) => /passphrase does not open/.test(o.stderr)).length).toBe(
      1 + (KEEPASSXC ? 2 : 0) + 1,
    );
  }, 300_000);

  it('the scan finds a secret where one is (it can fail)', () => {
    expect(secretsIn(Buffer.from(`xx${SOURCE_SECRETS[3]!}xx`, 'utf16le'))).toEqual(['secret 3']);
  });
});

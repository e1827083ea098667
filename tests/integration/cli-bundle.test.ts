import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/import-graph.ts';
import { teamKeePassXml } from '../helpers/import-sources.ts';
import { tempDir, vaultLocation } from '../helpers/vault.ts';

// Issue 17: the CLI as it ships (scripts/build-cli.js): one CommonJS bundle run with its V8 code
// cache, and the PDF renderer, the KeePass reader and zxcvbn loaded only by the commands that use
// them. Each command here is a real process of the built CLI, so what is lazily loaded is loaded
// as it would be for a person at a terminal, and the cache is made, used, and refused when damaged.
describe('the built CLI, with its code cache', () => {
  let dir: { dir: string; cleanup: () => void };
  let cli: string;
  let vault: string;
  let cacheFolder: string;
  let out: string;
  const env = () => ({
    PATH: process.env['PATH'] ?? '',
    HOME: dir.dir,
    XDG_CACHE_HOME: join(dir.dir, 'cache'),
    CUSTODIAN_USER: 'Lena Lead',
    CUSTODIAN_PASSPHRASE: 'lead passphrase one',
  });
  const custodian = (...args: string[]) => {
    const run = spawnSync(process.execPath, [cli, ...args], { env: env(), encoding: 'utf8' });
    return { code: run.status, out: run.stdout, err: run.stderr };
  };
  const cacheFiles = () => readdirSync(cacheFolder).filter((name) => name.endsWith('.v8cache'));

  beforeAll(() => {
    dir = tempDir();
    // Inside the repository, where the bundle finds the native modules it leaves outside.
    // A folder of this file's run alone: the file and server projects run it in one process.
    mkdirSync(join(ROOT, 'out'), { recursive: true });
    out = mkdtempSync(join(ROOT, 'out', 'cli-test-'));
    const built = spawnSync(process.execPath, ['scripts/build-cli.js', out], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(built.status, built.stderr).toBe(0);
    cli = join(out, 'custodian.mjs');
    vault = vaultLocation(join(dir.dir, 'team.vault'));
    cacheFolder = join(dir.dir, 'cache', 'custodian');
  }, 120_000);
  afterAll(() => {
    dir.cleanup();
    rmSync(out, { recursive: true, force: true });
  });

  it('creates a vault with no cache yet, then leaves one for the next command', () => {
    const init = custodian('init', vault, '--kdf-memory-mib', '19', '--kdf-passes', '2');
    expect(init.code, init.err).toBe(0);
    expect(cacheFiles()).toHaveLength(1);
  });

  it('registers, searches and shows an account, using the cache, as the command line does', () => {
    const cacheBefore = readFileSync(join(cacheFolder, cacheFiles()[0]!));
    const add = custodian(
      ...['account', 'add', vault, '--platform', 'x', '--handle', 'NorfolkRoads'],
      ...['--force', 'norfolk', '--unit-type', 'team', '--unit', 'Roads Policing'],
      ...['--username', 'roads', '--generate'],
    );
    expect(add.code, add.err).toBe(0);
    const list = custodian('account', 'list', vault, '--search', 'roads norfolk');
    expect(list.code, list.err).toBe(0);
    expect(list.out).toMatch(/x:NorfolkRoads\tnorfolk\tteam: Roads Policing/);
    const show = custodian('account', 'show', vault, 'x:NorfolkRoads');
    expect(show.code, show.err).toBe(0);
    expect(show.out).toContain('NorfolkRoads');
    // A good cache is used as it is, not written again.
    expect(readFileSync(join(cacheFolder, cacheFiles()[0]!)).equals(cacheBefore)).toBe(true);
  });

  it('imports a KeePassXC XML export (kdbxweb, loaded on use) and scores typed passwords', () => {
    const xml = join(dir.dir, 'team.xml');
    writeFileSync(xml, teamKeePassXml());
    const run = custodian(
      ...['account', 'import', vault, xml, '--force', 'norfolk', '--unit-type', 'team'],
      ...['--units-from-groups', '--write-valid'],
    );
    // Some of the team's entries are invalid on purpose (import-sources.ts): the rest are written.
    expect(run.out).toMatch(/tiktok:suffolkpolice\timported\tsuffolk, team Roads Policing/);
    expect(run.out).toMatch(/\d account\(s\) written/);
  });

  it('exports the case file as a PDF (pdf-lib and fontkit, loaded on use)', () => {
    const pdf = join(dir.dir, 'trail.pdf');
    const run = custodian('audit', 'export', vault, '--format', 'pdf', '--out', pdf);
    expect(run.code, run.err).toBe(0);
    expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('runs from source when the cache is damaged, and the next command writes a good one', () => {
    const file = join(cacheFolder, cacheFiles()[0]!);
    const bytes = readFileSync(file);
    bytes[bytes.length - 100]! ^= 0xff;
    writeFileSync(file, bytes, { mode: 0o600 });
    const list = custodian('account', 'list', vault, '--search', 'roads');
    expect(list.code, list.err).toBe(0);
    expect(list.out).toContain('x:NorfolkRoads');
    expect(readFileSync(file).equals(bytes)).toBe(false);
  });

  it('runs with no cache at all when told so (CUSTODIAN_CODE_CACHE=off)', () => {
    rmSync(cacheFolder, { recursive: true });
    const run = spawnSync(process.execPath, [cli, 'account', 'list', vault], {
      env: { ...env(), CUSTODIAN_CODE_CACHE: 'off' },
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('x:NorfolkRoads');
    expect(readdirSync(join(dir.dir, 'cache'))).toEqual([]);
  });
});

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheFileName } from '../../electron/cli/code-cache.ts';
import { ROOT } from '../helpers/import-graph.ts';
import { teamKeePassXml } from '../helpers/import-sources.ts';
import { tempDir, vaultLocation } from '../helpers/vault.ts';

// Issue 17: the CLI as it ships (scripts/build-cli.js): one CommonJS bundle run with its V8 code
// cache, and the PDF and KeePass libraries in chunks of their own, run (with their own caches) only
// by the commands that use them. Each command here is a real process of the built CLI, so what is
// loaded is loaded as it would be for a person at a terminal, and the cache is made, used, and
// refused when damaged. Every file the runner evaluates without a cache leaves one at exit, so
// the cache files a fresh folder holds after a command are exactly the files that command ran.
const CHUNKS = ['pdf-lib', 'pdf-lib-fontkit', 'kdbxweb'];

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
  const cacheFiles = (folder = cacheFolder) =>
    readdirSync(folder).filter((name) => name.endsWith('.v8cache'));
  /** The name of the cache the runner keeps for one file of the build (its bytes' hash). */
  const cacheOf = (file: string) =>
    cacheFileName(
      createHash('sha256')
        .update(readFileSync(join(out, file)))
        .digest(),
    );

  beforeAll(() => {
    dir = tempDir();
    // Inside the repository, where the bundle finds the native modules it leaves outside.
    // A folder of this file's run alone: the file and server projects run it in one process.
    mkdirSync(join(ROOT, 'out'), { recursive: true });
    out = mkdtempSync(join(ROOT, 'out', 'cli-test-'));
    const built = spawnSync(process.execPath, ['scripts/build-cli.js', out, '--metafile'], {
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

  it('holds no PDF, KeePass or zxcvbn library in the bundle: each is in its chunk or worker', () => {
    const { inputs } = JSON.parse(readFileSync(join(out, 'custodian.meta.json'), 'utf8')) as {
      inputs: Record<string, unknown>;
    };
    const packages = new Set(
      Object.keys(inputs)
        .filter((path) => path.startsWith('node_modules/'))
        .map((path) => /^node_modules\/((@[^/]+\/)?[^/]+)/.exec(path)![1]),
    );
    for (const name of ['pdf-lib', '@pdf-lib/fontkit', 'kdbxweb', '@zxcvbn-ts/core']) {
      expect(packages).not.toContain(name);
    }
    // Guards the test above: a metafile that listed no packages would pass it vacuously.
    expect(packages).toContain('commander');
    for (const chunk of CHUNKS) {
      expect(readdirSync(join(out, 'chunks'))).toContain(`${chunk}.cjs`);
    }
  });

  it('runs only the bundle for a command that opens a vault to list, show or reveal', () => {
    for (const args of [
      ['account', 'list', vault, '--search', 'roads'],
      ['account', 'show', vault, 'x:NorfolkRoads'],
      ['reveal', vault, 'x:NorfolkRoads', '--reason', 'checking the login for the bench'],
    ]) {
      const fresh = join(dir.dir, `fresh-cache-${args[0]}-${args[1]}`);
      const run = spawnSync(process.execPath, [cli, ...args], {
        env: { ...env(), XDG_CACHE_HOME: fresh },
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(0);
      expect(cacheFiles(join(fresh, 'custodian'))).toEqual([cacheOf('custodian.cjs')]);
    }
  });

  it('lists a vault without loading child_process or synckit and its node:assert', () => {
    // Node's own list of the built-in modules this process loaded, written as it exits: commander
    // (subcommand executables) and synckit (the PostgreSQL worker) are not for `account list`.
    const loaded = join(dir.dir, 'loaded-builtins.json');
    const hook = join(dir.dir, 'record-builtins.cjs');
    writeFileSync(
      hook,
      `process.once('exit', () => require('node:fs').writeFileSync(${JSON.stringify(loaded)},` +
        ` JSON.stringify(process.moduleLoadList)));`,
    );
    const run = spawnSync(process.execPath, ['--require', hook, cli, 'account', 'list', vault], {
      env: env(),
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    const builtins = (JSON.parse(readFileSync(loaded, 'utf8')) as string[])
      .filter((name) => name.startsWith('NativeModule '))
      .map((name) => name.slice('NativeModule '.length));
    // Guards the test: the list is Node's, and holds what the command did load.
    expect(builtins).toContain('fs');
    for (const name of ['child_process', 'assert', 'dgram']) expect(builtins).not.toContain(name);
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
    // kdbxweb's chunk ran, with a code cache of its own for the next import.
    expect(cacheFiles()).toContain(cacheOf('chunks/kdbxweb.cjs'));
    expect(cacheFiles()).not.toContain(cacheOf('chunks/pdf-lib.cjs'));
  });

  // Two exports, each a fresh process that loads and renders the PDF: well over the suite's
  // 60 s on a loaded 2-core machine, and this test is about what runs, not how fast.
  it('exports the case file as a PDF (pdf-lib and fontkit, loaded on use)', () => {
    const pdf = join(dir.dir, 'trail.pdf');
    const run = custodian('audit', 'export', vault, '--format', 'pdf', '--out', pdf);
    expect(run.code, run.err).toBe(0);
    expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(cacheFiles()).toContain(cacheOf('chunks/pdf-lib.cjs'));
    expect(cacheFiles()).toContain(cacheOf('chunks/pdf-lib-fontkit.cjs'));
    // A second export runs both chunks from their caches, as it does the bundle.
    const cached = cacheFiles().map((name) => readFileSync(join(cacheFolder, name)));
    const again = custodian('audit', 'export', vault, '--format', 'pdf', '--out', `${pdf}.2.pdf`);
    expect(again.code, again.err).toBe(0);
    expect(cacheFiles().map((name) => readFileSync(join(cacheFolder, name)))).toEqual(cached);
  }, 240_000);

  it('runs from source when the cache is damaged, and the next command writes a good one', () => {
    const file = join(cacheFolder, cacheOf('custodian.cjs'));
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

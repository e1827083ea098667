import {
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  codeCacheFolder,
  readCodeCache,
  runBundle,
  whyNotPrivate,
  type OnEvaluated,
} from '../../electron/cli/code-cache.ts';
import { tempDir } from '../helpers/vault.ts';

// Issue 17: the shipped CLI runs its bundle with a V8 code cache kept in the user's cache folder
// (electron/cli/code-cache.ts). The command must run the same with a cache, without one, and with
// one that is stale, damaged or not the user's own; only a good cache is ever handed to V8.
declare global {
  var codeCacheTestRuns: string[] | undefined;
}

describe('the CLI bundle with its code cache', () => {
  let dir: { dir: string; cleanup: () => void };
  let bundle: string;
  let env: Record<string, string>;
  let folder: string;
  const ran = () => globalThis.codeCacheTestRuns ?? [];
  const bundleSaying = (word: string) =>
    writeFileSync(
      bundle,
      `(globalThis.codeCacheTestRuns ??= []).push(${JSON.stringify(word)} + require('node:path').sep);`,
    );
  const cacheFiles = () => readdirSync(folder).filter((name) => name.endsWith('.v8cache'));

  beforeEach(() => {
    dir = tempDir();
    bundle = join(dir.dir, 'custodian.cjs');
    env = { HOME: dir.dir, XDG_CACHE_HOME: join(dir.dir, 'cache') };
    folder = codeCacheFolder(env, 'linux')!;
    globalThis.codeCacheTestRuns = [];
    bundleSaying('first');
  });
  afterEach(() => {
    dir.cleanup();
    globalThis.codeCacheTestRuns = undefined;
  });

  it('runs the bundle with no cache, writes one on request, and uses it the next time', () => {
    const first = runBundle(bundle, env);
    expect(first.use).toEqual({ kind: 'written' });
    first.saveCache!();
    expect(cacheFiles()).toHaveLength(1);
    const second = runBundle(bundle, env);
    expect(second.use).toEqual({ kind: 'used' });
    expect(second.saveCache).toBeUndefined();
    expect(ran()).toEqual(['first/', 'first/']);
  });

  it('keeps the cache in the user cache folder, private to them, and a file private too', () => {
    runBundle(bundle, env).saveCache!();
    expect(folder).toBe(join(dir.dir, 'cache', 'custodian'));
    expect(whyNotPrivate(folder)).toBeUndefined();
    const file = join(folder, cacheFiles()[0]!);
    expect(readFileSync(file).subarray(0, 26).toString('latin1')).toBe(
      'custodian-v8-code-cache-1\n',
    );
  });

  it('never offers a changed bundle the cache of the old one: it runs the new code', () => {
    runBundle(bundle, env).saveCache!();
    bundleSaying('other'); // the same length, which is all V8 itself compares
    const run = runBundle(bundle, env);
    expect(run.use).toEqual({ kind: 'written' });
    expect(ran()).toEqual(['first/', 'other/']);
  });

  it('refuses a damaged cache, runs the bundle from source, and can replace it', () => {
    runBundle(bundle, env).saveCache!();
    const file = join(folder, cacheFiles()[0]!);
    const bytes = readFileSync(file);
    bytes[bytes.length - 10]! ^= 0xff;
    writeFileSync(file, bytes, { mode: 0o600 });
    const run = runBundle(bundle, env);
    expect(run.use).toEqual({ kind: 'refused', why: 'its payload does not match its checksum' });
    run.saveCache!();
    expect(runBundle(bundle, env).use).toEqual({ kind: 'used' });
    expect(ran()).toEqual(['first/', 'first/', 'first/']);
  });

  it('refuses a file that is not a cache at all, or one cut short', () => {
    runBundle(bundle, env).saveCache!();
    const file = join(folder, cacheFiles()[0]!);
    writeFileSync(file, readFileSync(file).subarray(0, 40));
    expect(runBundle(bundle, env).use).toEqual({
      kind: 'refused',
      why: 'not a Custodian code cache',
    });
    expect(ran()).toEqual(['first/', 'first/']);
  });

  it('refuses a cache others can write, or a cache folder others can write', () => {
    runBundle(bundle, env).saveCache!();
    const file = join(folder, cacheFiles()[0]!);
    chmodSync(file, 0o666);
    expect(runBundle(bundle, env).use).toMatchObject({ kind: 'refused' });
    chmodSync(file, 0o600);
    chmodSync(folder, 0o777);
    expect(runBundle(bundle, env).use).toEqual({
      kind: 'refused',
      why: `${folder} is writable by others`,
    });
    // Nor is a new cache written there for others to alter.
    const before = readFileSync(file);
    runBundle(bundle, env).saveCache!();
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(ran()).toHaveLength(4);
  });

  it('refuses a cache folder under a folder others can write (they could swap it)', () => {
    const shared = join(dir.dir, 'shared');
    mkdirSync(shared, { mode: 0o777 });
    chmodSync(shared, 0o777);
    const under = { HOME: dir.dir, XDG_CACHE_HOME: shared };
    runBundle(bundle, under).saveCache!();
    expect(whyNotPrivate(join(shared, 'custodian'))).toBe(`${shared} is writable by others`);
    expect(runBundle(bundle, under).use).toMatchObject({ kind: 'refused' });
  });

  it('refuses a cache folder that is a link to somewhere else', () => {
    const elsewhere = join(dir.dir, 'elsewhere');
    mkdirSync(elsewhere, { mode: 0o700 });
    mkdirSync(join(dir.dir, 'cache'), { mode: 0o700 });
    symlinkSync(elsewhere, folder);
    const run = runBundle(bundle, env);
    expect(run.use).toEqual({ kind: 'refused', why: `${folder} is not a folder` });
    run.saveCache!();
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('uses no cache at all with CUSTODIAN_CODE_CACHE=off', () => {
    const run = runBundle(bundle, { ...env, CUSTODIAN_CODE_CACHE: 'off' });
    expect(run).toEqual({ use: { kind: 'off' }, saveCache: undefined });
    expect(ran()).toEqual(['first/']);
  });

  it('runs a chunk the bundle requires as the bundle is run: its own cache, written then used', () => {
    mkdirSync(join(dir.dir, 'chunks'));
    writeFileSync(
      join(dir.dir, 'chunks', 'library.cjs'),
      "(globalThis.codeCacheTestRuns ??= []).push('chunk'); module.exports = { answer: 42 };",
    );
    writeFileSync(
      bundle,
      "(globalThis.codeCacheTestRuns ??= []).push('bundle ' + require('./chunks/library.cjs').answer + ' ' + require('./chunks/library.cjs').answer);",
    );
    const evaluated: [string, string][] = [];
    const note: OnEvaluated = (path, run) => {
      evaluated.push([path, run.use.kind]);
      run.saveCache?.();
    };
    runBundle(bundle, env, note);
    // The chunk ran once though required twice; each file was named as it was evaluated.
    expect(ran()).toEqual(['chunk', 'bundle 42 42']);
    const chunk = join(dir.dir, 'chunks', 'library.cjs');
    expect(evaluated).toEqual([
      [bundle, 'written'],
      [chunk, 'written'],
    ]);
    expect(cacheFiles()).toHaveLength(2);
    evaluated.length = 0;
    runBundle(bundle, env, note);
    expect(evaluated).toEqual([
      [bundle, 'used'],
      [chunk, 'used'],
    ]);
  });

  it('leaves any other require to Node: a name outside ./chunks/ is never run as a chunk', () => {
    writeFileSync(bundle, "(globalThis.codeCacheTestRuns ??= []).push(require('node:path').sep);");
    const evaluated: string[] = [];
    runBundle(bundle, env, (path) => evaluated.push(path));
    expect(ran()).toEqual(['/']);
    expect(evaluated).toEqual([bundle]);
  });

  it('reads no cache for another bundle hash, even under its name', () => {
    runBundle(bundle, env).saveCache!();
    expect(readCodeCache(folder, new Uint8Array(32))).toEqual({ why: 'no cache yet' });
  });
});

describe('where the cache folder is', () => {
  it('XDG_CACHE_HOME, ~/.cache, Library/Caches or LOCALAPPDATA; none when turned off', () => {
    expect(codeCacheFolder({ HOME: '/home/a', XDG_CACHE_HOME: '/x' }, 'linux')).toBe(
      '/x/custodian',
    );
    expect(codeCacheFolder({ HOME: '/home/a', XDG_CACHE_HOME: 'relative' }, 'linux')).toBe(
      '/home/a/.cache/custodian',
    );
    expect(codeCacheFolder({ HOME: '/Users/a' }, 'darwin')).toBe(
      '/Users/a/Library/Caches/custodian',
    );
    expect(codeCacheFolder({ LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' }, 'win32')).toMatch(
      /custodian.code-cache$/,
    );
    expect(codeCacheFolder({ HOME: '/home/a', CUSTODIAN_CODE_CACHE: 'off' }, 'linux')).toBe(
      undefined,
    );
  });
});

import { createHash } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheFileName, codeCacheFolder, runBundle } from '../../electron/cli/code-cache.ts';
import { tempDir } from '../helpers/vault.ts';

/**
 * Attack: someone who can write a folder the CLI reads plants a V8 code cache there, so the next
 * `custodian` command runs their bytecode instead of the bundle (issue 17). V8's own check does
 * not stop it: in a release build it compares only its version, its flags and the source's length,
 * so a cache made from any source of the bundle's length is run as the bundle. The CLI takes a
 * cache only from the user's own cache folder (no one else can write it or a folder above it),
 * only a file the user owns that no one else can write, and only for the exact bundle's hash.
 */
declare global {
  var plantedCacheRuns: string[] | undefined;
}

const WRAP = (source: string) =>
  `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
const genuine = "(globalThis.plantedCacheRuns ??= []).push('the bundle');";
const planted = "(globalThis.plantedCacheRuns ??= []).push('an attack!');";

/** A cache file as the CLI writes one, for `source`'s bytecode, filed under `bundle`'s hash. */
function plantedCacheFile(bundle: string, bytecodeOf: string): Buffer {
  const script = new Script(WRAP(bytecodeOf));
  const data = script.createCachedData();
  const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest();
  return Buffer.concat([
    Buffer.from('custodian-v8-code-cache-1\n', 'latin1'),
    sha256(Buffer.from(bundle)),
    sha256(data),
    data,
  ]);
}

describe('a planted V8 code cache', () => {
  let dir: { dir: string; cleanup: () => void };
  let bundle: string;
  beforeEach(() => {
    dir = tempDir();
    bundle = join(dir.dir, 'custodian.cjs');
    writeFileSync(bundle, genuine);
    globalThis.plantedCacheRuns = [];
  });
  afterEach(() => {
    dir.cleanup();
    globalThis.plantedCacheRuns = undefined;
  });

  it('would be run by V8 itself, had it been handed over (why the CLI checks before V8 does)', () => {
    expect(planted.length).toBe(genuine.length);
    const cachedData = new Script(WRAP(planted)).createCachedData();
    const script = new Script(WRAP(genuine), { cachedData });
    expect(script.cachedDataRejected).toBe(false);
    (script.runInThisContext() as () => void)();
    expect(globalThis.plantedCacheRuns).toEqual(['an attack!']);
  });

  it('in a cache folder others can write is not run: the bundle runs from its source', () => {
    const shared = join(dir.dir, 'shared-cache');
    mkdirSync(shared, { mode: 0o777 });
    chmodSync(shared, 0o777);
    const env = { HOME: dir.dir, XDG_CACHE_HOME: shared };
    const folder = codeCacheFolder(env, 'linux')!;
    mkdirSync(folder, { mode: 0o700 });
    const name = cacheFileName(createHash('sha256').update(genuine).digest());
    writeFileSync(join(folder, name), plantedCacheFile(genuine, planted), { mode: 0o600 });
    expect(runBundle(bundle, env).use).toEqual({
      kind: 'refused',
      why: `${shared} is writable by others`,
    });
    expect(globalThis.plantedCacheRuns).toEqual(['the bundle']);
  });

  it('in the user folder but writable by others, or a link, is not run', () => {
    const env = { HOME: dir.dir, XDG_CACHE_HOME: join(dir.dir, 'cache') };
    const folder = codeCacheFolder(env, 'linux')!;
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const path = join(folder, cacheFileName(createHash('sha256').update(genuine).digest()));
    writeFileSync(path, plantedCacheFile(genuine, planted), { mode: 0o666 });
    chmodSync(path, 0o666);
    expect(runBundle(bundle, env).use).toEqual({
      kind: 'refused',
      why: `${path} is writable by others`,
    });
    expect(globalThis.plantedCacheRuns).toEqual(['the bundle']);
  });

  it.runIf(process.getuid?.() === 0)('owned by another user is not run (as root)', () => {
    const env = { HOME: dir.dir, XDG_CACHE_HOME: join(dir.dir, 'cache') };
    const folder = codeCacheFolder(env, 'linux')!;
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const path = join(folder, cacheFileName(createHash('sha256').update(genuine).digest()));
    writeFileSync(path, plantedCacheFile(genuine, planted), { mode: 0o600 });
    chownSync(path, 65534, 65534);
    expect(runBundle(bundle, env).use).toEqual({
      kind: 'refused',
      why: `${path} belongs to another user`,
    });
    expect(globalThis.plantedCacheRuns).toEqual(['the bundle']);
  });

  it('filed under a chunk of the bundle (the PDF library, loaded on use) is not run either', () => {
    // The chunks go through the same checks as the bundle: a cache made for other code of the
    // chunk's length, put under the chunk's name in the user's folder, names another file.
    const env = { HOME: dir.dir, XDG_CACHE_HOME: join(dir.dir, 'cache') };
    const folder = codeCacheFolder(env, 'linux')!;
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    mkdirSync(join(dir.dir, 'chunks'));
    writeFileSync(join(dir.dir, 'chunks', 'pdf-lib.cjs'), genuine);
    writeFileSync(bundle, "require('./chunks/pdf-lib.cjs');");
    const path = join(folder, cacheFileName(createHash('sha256').update(genuine).digest()));
    writeFileSync(path, plantedCacheFile(planted, planted), { mode: 0o600 });
    const uses: unknown[] = [];
    runBundle(bundle, env, (_, run) => uses.push(run.use));
    expect(uses).toEqual([
      { kind: 'written' },
      { kind: 'refused', why: 'made for another bundle' },
    ]);
    expect(globalThis.plantedCacheRuns).toEqual(['the bundle']);
  });

  it('made from another bundle and renamed to this one is not run: its header names the other', () => {
    const env = { HOME: dir.dir, XDG_CACHE_HOME: join(dir.dir, 'cache') };
    const folder = codeCacheFolder(env, 'linux')!;
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const path = join(folder, cacheFileName(createHash('sha256').update(genuine).digest()));
    // A stale cache of an earlier bundle of the same length, put under the new bundle's name.
    writeFileSync(path, plantedCacheFile(planted, planted), { mode: 0o600 });
    expect(runBundle(bundle, env).use).toEqual({ kind: 'refused', why: 'made for another bundle' });
    expect(globalThis.plantedCacheRuns).toEqual(['the bundle']);
  });
});

import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, parse, resolve } from 'node:path';
import { Script } from 'node:vm';

/**
 * The shipped CLI is one CommonJS bundle (scripts/build-cli.js). Compiling its 5 MB costs every
 * command about 0.1 s, so V8's code cache for it is kept between runs (issue 17; docs/adr/0021-cli-bundle-with-a-code-cache.md).
 *
 * A code cache is code: V8 runs the bytecode in it as if it had compiled the source itself. V8's own
 * check of a cache is not a defence: in a release build it compares its version, its flags and the
 * source's *length*, and verifies no checksum (--verify-snapshot-checksum is off), so a file for
 * another bundle of the same length, or one written by someone else, would be run. So:
 * - the cache lives only in the user's own cache folder, never beside a vault (a vault may be on a
 *   share others write); the folder and every folder above it must be writable by no one but the
 *   user (or root), as OpenSSH asks of ~/.ssh, and the file must be the user's, not a link;
 * - its name and its header carry the SHA-256 of the exact bundle bytes being run, so a cache made
 *   for any other bundle is never offered to V8;
 * - its header carries the SHA-256 of the payload, so a torn or altered file is refused;
 * - it is written to a fresh file (0600, O_EXCL) and renamed into place.
 * Anything wrong means the bundle is compiled from source, as with no cache: never an error.
 */
const MAGIC = Buffer.from('custodian-v8-code-cache-1\n', 'latin1');
const HASH_BYTES = 32;
const HEADER_BYTES = MAGIC.length + 2 * HASH_BYTES;

/** How a run used the cache, for the tests: the command itself runs the same in every case. */
export type CacheUse =
  | { readonly kind: 'used' }
  | { readonly kind: 'written' }
  | { readonly kind: 'refused'; readonly why: string }
  | { readonly kind: 'off' };

const NONE_YET = 'no cache yet';

const sha256 = (bytes: Uint8Array): Buffer => createHash('sha256').update(bytes).digest();

/**
 * The user's own cache folder for Custodian: XDG_CACHE_HOME or ~/.cache on Linux, the user's
 * Library/Caches on macOS, LOCALAPPDATA on Windows (private to the user by its ACL). Undefined
 * when CUSTODIAN_CODE_CACHE is `off`, or there is no home folder.
 */
export function codeCacheFolder(
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  if (env['CUSTODIAN_CODE_CACHE'] === 'off') return undefined;
  if (platform === 'win32') {
    return env['LOCALAPPDATA'] ? join(env['LOCALAPPDATA'], 'custodian', 'code-cache') : undefined;
  }
  const home = env['HOME'] ?? homedir();
  if (!home) return undefined;
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'custodian');
  const base = env['XDG_CACHE_HOME']?.startsWith('/')
    ? env['XDG_CACHE_HOME']
    : join(home, '.cache');
  return join(base, 'custodian');
}

/**
 * Why `path` is not a folder only this user (or root) can change, or undefined when it is: the
 * folder itself is the user's and writable by no one else, and each folder above it belongs to
 * the user or root and is writable by no one else unless sticky (/tmp), where others cannot
 * rename what is ours. On Windows the folder's ACL is the user's; it is not checked here.
 */
export function whyNotPrivate(path: string): string | undefined {
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return undefined;
  const uid = process.getuid();
  const own = lstatSync(path, { throwIfNoEntry: false });
  if (!own?.isDirectory()) return `${path} is not a folder`;
  if (own.uid !== uid) return `${path} belongs to another user`;
  if ((own.mode & 0o022) !== 0) return `${path} is writable by others`;
  for (let dir = dirname(resolve(path)); ; dir = dirname(dir)) {
    const stat = lstatSync(dir);
    if (stat.uid !== uid && stat.uid !== 0) return `${dir} belongs to another user`;
    if ((stat.mode & 0o022) !== 0 && (stat.mode & 0o1000) === 0) {
      return `${dir} is writable by others`;
    }
    if (dir === parse(dir).root) return undefined;
  }
}

/** The cache's file name: the bundle's hash, and the runtime a V8 cache only fits. */
export function cacheFileName(bundleHash: Uint8Array): string {
  const runtime = `${process.versions.v8}-${process.arch}`.replace(/[^\w.-]/g, '_');
  return `cli-${Buffer.from(bundleHash).toString('hex')}-${runtime}.v8cache`;
}

/** The payload of a cache file made for this bundle, or why it is not one. */
export function readCodeCache(
  folder: string,
  bundleHash: Uint8Array,
): { data: Buffer } | { why: string } {
  if (!lstatSync(folder, { throwIfNoEntry: false })) return { why: NONE_YET };
  const notPrivate = whyNotPrivate(folder);
  if (notPrivate) return { why: notPrivate };
  const path = join(folder, cacheFileName(bundleHash));
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (!stat) return { why: NONE_YET };
  if (!stat.isFile()) return { why: `${path} is not a plain file` };
  // On Windows the folder's ACL is the user's, and the mode bits say nothing about others.
  if (process.platform !== 'win32' && typeof process.getuid === 'function') {
    if (stat.uid !== process.getuid()) return { why: `${path} belongs to another user` };
    if ((stat.mode & 0o022) !== 0) return { why: `${path} is writable by others` };
  }
  const bytes = readFileSync(path);
  if (bytes.length < HEADER_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    return { why: 'not a Custodian code cache' };
  }
  const forBundle = bytes.subarray(MAGIC.length, MAGIC.length + HASH_BYTES);
  if (!forBundle.equals(Buffer.from(bundleHash))) return { why: 'made for another bundle' };
  const data = bytes.subarray(HEADER_BYTES);
  if (!sha256(data).equals(bytes.subarray(MAGIC.length + HASH_BYTES, HEADER_BYTES))) {
    return { why: 'its payload does not match its checksum' };
  }
  return { data };
}

/** Write the cache for this bundle: a fresh private file, flushed, renamed into place. */
export function writeCodeCache(folder: string, bundleHash: Uint8Array, data: Uint8Array): void {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  if (whyNotPrivate(folder)) return;
  const path = join(folder, cacheFileName(bundleHash));
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, Buffer.concat([MAGIC, Buffer.from(bundleHash), sha256(data), data]));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temporary, path);
  } catch {
    rmSync(temporary, { force: true });
  }
}

/** How a run used the cache; `saveCache`, when there was no good one, writes one (call it at exit). */
export interface BundleRun {
  readonly use: CacheUse;
  readonly saveCache: (() => void) | undefined;
}

/**
 * Told of each file a run evaluates, the bundle first, then each chunk when the command first
 * needs it: the launcher registers each `saveCache` for the exit, and a test can see what ran.
 */
export type OnEvaluated = (path: string, run: BundleRun) => void;

/**
 * Where the build puts the libraries only some commands use, beside the bundle (scripts/build-cli.js):
 * the bundle asks for `require('./chunks/pdf-lib.cjs')` when a command first needs pdf-lib, and
 * that file is run here as the bundle is, with its own code cache under its own hash.
 */
const CHUNK = /^\.\/chunks\/[\w.-]+\.cjs$/;

/**
 * Run a CommonJS bundle as Node would `require` it, compiled with its code cache when there is a
 * good one. When there is none (or it was refused, by these checks or by V8), `saveCache` makes
 * one; the launcher calls it as the process exits, once the command has compiled what it used, so
 * the next run finds more of the bundle compiled. Its chunks run the same way when first required.
 */
export function runBundle(
  bundlePath: string,
  env: Readonly<Record<string, string | undefined>>,
  onEvaluated: OnEvaluated = () => undefined,
): BundleRun {
  const chunks = new Map<string, unknown>();
  const nodeRequire = createRequire(bundlePath);
  const requireChunk = (id: string): unknown => {
    if (!CHUNK.test(id)) return nodeRequire(id);
    const path = join(dirname(bundlePath), id);
    if (!chunks.has(path)) {
      const { run, exports } = evaluate(path, env, nodeRequire);
      chunks.set(path, exports);
      onEvaluated(path, run);
    }
    return chunks.get(path);
  };
  const bundleRequire = Object.assign(requireChunk, {
    resolve: nodeRequire.resolve,
    cache: nodeRequire.cache,
    main: nodeRequire.main,
  }) as NodeJS.Require;
  const { run } = evaluate(bundlePath, env, bundleRequire, (r) => onEvaluated(bundlePath, r));
  return run;
}

/** One file of the CLI, run with its code cache: its exports, and how the cache was used. */
function evaluate(
  path: string,
  env: Readonly<Record<string, string | undefined>>,
  require: NodeJS.Require,
  beforeRunning: (run: BundleRun) => void = () => undefined,
): { run: BundleRun; exports: unknown } {
  const source = readFileSync(path);
  const folder = codeCacheFolder(env);
  const bundleHash = sha256(source);
  const found = folder ? safely(() => readCodeCache(folder, bundleHash)) : undefined;
  const cachedData = found && 'data' in found ? found.data : undefined;
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) {${decoded(source)}\n})`,
    { filename: path, ...(cachedData ? { cachedData } : {}) },
  );
  let use: CacheUse;
  if (!folder) use = { kind: 'off' };
  else if (cachedData && !script.cachedDataRejected) use = { kind: 'used' };
  else if (cachedData) use = { kind: 'refused', why: 'V8 rejected it' };
  else if (found && 'why' in found && found.why !== NONE_YET)
    use = { kind: 'refused', why: found.why };
  else use = { kind: 'written' };
  const saveCache =
    folder && use.kind !== 'used'
      ? () => {
          safely(() => writeCodeCache(folder, bundleHash, script.createCachedData()));
        }
      : undefined;
  const run: BundleRun = { use, saveCache };
  // Told before the file runs: a bundle whose command ends the process still has its cache saved.
  beforeRunning(run);
  const module = { exports: {} as unknown };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper(module.exports, require, module, path, dirname(path));
  return { run, exports: module.exports };
}

/**
 * The file's text: the build writes ASCII only (scripts/build-cli.js), which Latin-1 decodes to
 * the same text in a third of UTF-8's time; anything else is decoded as UTF-8.
 */
function decoded(source: Buffer): string {
  return isAscii(source) ? source.toString('latin1') : source.toString('utf8');
}

/** A cache is an optimisation: a folder or file that cannot be read or written is no cache. */
function safely<T>(work: () => T): T | undefined {
  try {
    return work();
  } catch {
    return undefined;
  }
}

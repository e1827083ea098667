import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FORMAT_4_FIXTURE } from './vault.ts';

/** The code that made the format-4 fixture (tests/fixtures/format-4/make-with-format-4-code.ts.txt). */
export const FORMAT_4_COMMIT = 'f7058b9';

/**
 * Whether this checkout has the format-4 commit to run (a shallow clone does not). Where it is
 * missing the tests that need it say so and are skipped, rather than fail on git's error.
 */
export const FORMAT_4_CODE_AVAILABLE = (() => {
  try {
    execFileSync('git', ['cat-file', '-e', `${FORMAT_4_COMMIT}^{commit}`], {
      cwd: fileURLToPath(new URL('../../', import.meta.url)),
      stdio: 'ignore',
    });
    return true;
  } catch {
    // Vitest reports them as skipped; `git fetch --unshallow` brings the history back.
    return false;
  }
})();

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const GENERATOR = fileURLToPath(
  new URL('../fixtures/format-4/append-trail-with-format-4-code.ts.txt', import.meta.url),
);

/**
 * The format-4 fixture (members of every role, grants, two removals, a rotation after them) with
 * `entries` more audit entries, written by the format-4 code itself: a `git archive` of that
 * commit, sharing this checkout's node_modules, runs the generator beside the fixture (its own
 * append path, its own signatures). Not a re-implementation of the old format, so the file is what
 * a vault used for years under that code looks like. Built once per size and kept in the temp
 * folder, keyed by the fixture's and the generator's content (a million entries take about three
 * minutes on the build machine). Needs the repository's history (`git archive`), as CI's clone has.
 */
export function format4VaultWithTrail(entries: number): string {
  const key = createHash('sha256')
    .update(readFileSync(FORMAT_4_FIXTURE))
    .update(readFileSync(GENERATOR))
    .digest('hex')
    .slice(0, 12);
  const out = join(tmpdir(), `custodian-format-4-trail-${entries}-${key}.vault`);
  if (existsSync(out)) return out;
  const code = format4Code();
  const building = uniqueBeside(`${out}.building`);
  copyFileSync(GENERATOR, join(code, 'append-trail.ts'));
  try {
    execFileSync(
      process.execPath,
      ['--import', 'tsx', 'append-trail.ts', FORMAT_4_FIXTURE, building, String(entries)],
      { cwd: code, stdio: ['ignore', 'ignore', 'inherit'] },
    );
  } catch (error) {
    for (const file of [building, `${building}-wal`, `${building}-shm`])
      rmSync(file, { force: true });
    throw error;
  }
  if (existsSync(`${building}-wal`)) {
    throw new Error(`The format-4 code left a WAL beside ${building}; nothing was kept.`);
  }
  renameSync(building, out);
  return out;
}

/**
 * The format-4 code, exported once into the temp folder. A folder left there by another checkout
 * (a build machine keeps its temp folder between runs) has its node_modules link pointing at that
 * checkout, which may be gone: the link is checked and made again to this one's. Each export is
 * built in a folder of its own and renamed into place, so two runs at once never share a half-made
 * one.
 */
function format4Code(): string {
  const dir = join(tmpdir(), `custodian-format-4-code-${FORMAT_4_COMMIT}`);
  if (existsSync(join(dir, 'package.json'))) {
    linkNodeModules(dir);
    return dir;
  }
  const building = uniqueBeside(`${dir}.building`);
  mkdirSync(building);
  execFileSync('sh', ['-c', `git archive ${FORMAT_4_COMMIT} | tar -x -C "${building}"`], {
    cwd: REPO,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  linkNodeModules(building);
  try {
    renameSync(building, dir);
  } catch (error) {
    // Another run put its export in place first: that one is used, this one discarded.
    rmSync(building, { recursive: true, force: true });
    if (!existsSync(join(dir, 'package.json'))) throw error;
    linkNodeModules(dir);
  }
  return dir;
}

/**
 * Points `code`'s node_modules at this checkout's, unless it already does. A link made beside it is
 * renamed over the old one, so another run never sees the folder without a link.
 */
function linkNodeModules(code: string): void {
  const link = join(code, 'node_modules');
  const want = join(REPO, 'node_modules');
  let current: string | null = null;
  try {
    current = readlinkSync(link);
  } catch {
    // No link yet, or a real folder in its place (a rename cannot replace that): removed first.
    rmSync(link, { recursive: true, force: true });
  }
  if (current === want) return;
  const fresh = uniqueBeside(link);
  symlinkSync(want, fresh);
  renameSync(fresh, link);
}

/** A name beside `path` that no other run uses, to build in and rename into place. */
function uniqueBeside(path: string): string {
  return `${path}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

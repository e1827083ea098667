import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
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
  const building = `${out}.building`;
  rmSync(building, { force: true });
  copyFileSync(GENERATOR, join(code, 'append-trail.ts'));
  execFileSync(
    process.execPath,
    ['--import', 'tsx', 'append-trail.ts', FORMAT_4_FIXTURE, building, String(entries)],
    { cwd: code, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (existsSync(`${building}-wal`)) {
    throw new Error(`The format-4 code left a WAL beside ${building}; nothing was kept.`);
  }
  renameSync(building, out);
  return out;
}

/** The format-4 code, exported once into the temp folder. */
function format4Code(): string {
  const dir = join(tmpdir(), `custodian-format-4-code-${FORMAT_4_COMMIT}`);
  if (existsSync(join(dir, 'package.json'))) return dir;
  const building = `${dir}.building`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building);
  execFileSync('sh', ['-c', `git archive ${FORMAT_4_COMMIT} | tar -x -C "${building}"`], {
    cwd: REPO,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  symlinkSync(join(REPO, 'node_modules'), join(building, 'node_modules'));
  renameSync(building, dir);
  return dir;
}

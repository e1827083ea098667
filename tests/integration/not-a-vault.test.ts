import {
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VaultRouter } from '../../electron/vault/router.ts';
import { typedPathChooser } from '../../electron/vault/file-handles.ts';
import { unlockAt } from '../helpers/router.ts';
import { MemoryClipboard } from '../../scripts/preview/console-page.ts';
import { custodian } from '../helpers/cli.ts';
import { tempDir } from '../helpers/vault.ts';

const LEAD = { CUSTODIAN_USER: 'Lena Lead', CUSTODIAN_PASSPHRASE: 'lead passphrase one' };

/** Files people open as a vault by mistake: made here, so every byte is known. */
const NOT_VAULTS: [string, (path: string) => void][] = [
  ['an empty file', (path) => writeFileSync(path, '')],
  ['a text file', (path) => writeFileSync(path, 'account,password\nx:NorfolkPolice,secret\n')],
  [
    "another program's SQLite database",
    (path) => {
      const db = new Database(path);
      db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
      db.prepare('INSERT INTO notes (body) VALUES (?)').run('not a vault');
      db.close();
    },
  ],
];

interface Snapshot {
  readonly bytes: Buffer;
  readonly mtimeMs: number;
  readonly siblings: string[];
}

function snapshot(dir: string, path: string): Snapshot {
  return {
    bytes: readFileSync(path),
    mtimeMs: statSync(path).mtimeMs,
    siblings: readdirSync(dir).sort(),
  };
}

describe('an empty or non-vault file opened as a vault', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    path = `${dir}/team.vault`;
  });
  afterEach(() => cleanup());

  const make = (create: (path: string) => void): Snapshot => {
    create(path);
    // An old mtime, so a write within the same clock tick would still show.
    utimesSync(path, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
    return snapshot(dir, path);
  };

  it.each(NOT_VAULTS)(
    'the CLI says %s is not a Custodian vault and leaves it byte for byte untouched',
    async (_what, create) => {
      const before = make(create);
      const result = await custodian(['account', 'list', path], LEAD);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/is not a Custodian vault/);
      expect(result.stderr).toMatch(/custodian init/);
      expect(result.stderr).not.toMatch(/Internal error|\n\s+at /);
      expect(snapshot(dir, path)).toEqual(before);
      expect(existsSync(`${path}-wal`)).toBe(false);
    },
  );

  it.each(NOT_VAULTS)(
    "the console's unlock says %s is not a Custodian vault and leaves it untouched",
    async (_what, create) => {
      const before = make(create);
      const router = new VaultRouter({ clipboard: new MemoryClipboard(), files: typedPathChooser });
      const result = await unlockAt(router, path, 'Lena Lead', LEAD.CUSTODIAN_PASSPHRASE);
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', message: expect.stringMatching(/not a Custodian vault/) },
      });
      expect(snapshot(dir, path)).toEqual(before);
    },
  );
});

import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { custodian, FAST_KDF } from '../../helpers/cli.ts';
import {
  postgresBinDir,
  postgresUnavailable,
  startThrowawayCluster,
  type ThrowawayCluster,
} from '../../helpers/postgres-cluster.ts';
import { tempDir } from '../../helpers/vault.ts';

// Issue 14: a vault named by a postgresql:// URL, everywhere a vault is named, through the real
// CLI on a throwaway cluster of the file's own (a Unix socket, no TCP port). Where the server
// binaries are absent, the suite's title says so and vitest lists it as skipped.
const unavailable = postgresUnavailable();

const LEAD = { CUSTODIAN_USER: 'Lena Lead', CUSTODIAN_PASSPHRASE: 'lead passphrase one' };
const DMT = { CUSTODIAN_USER: 'Dev Dmt', CUSTODIAN_PASSPHRASE: 'dmt passphrase two' };

function oneCleanLine(stderr: string): void {
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at |Error:|\.ts:\d+/);
}

describe.skipIf(unavailable !== null)(unavailable ?? 'a server vault through the CLI', () => {
  let cluster: ThrowawayCluster;
  let dir: string;
  let cleanup: () => void;
  let url: string;
  let accountId: string;
  let founder: string;
  /** This workstation's kept checkpoints, apart from the run's. */
  let env: (who: Record<string, string>) => Record<string, string>;

  const count = async (sql: string): Promise<number> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>(sql);
      return Number(rows[0]!.n);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    cluster = startThrowawayCluster({ fsync: false });
    cluster.createDatabase('team');
    url = cluster.urlFor('team');
    ({ dir, cleanup } = tempDir());
    env = (who) => ({ ...who, CUSTODIAN_CHECKPOINT_DIR: join(dir, 'kept') });
    const init = await custodian(['init', url, ...FAST_KDF], env(LEAD));
    expect(init.code, init.stderr).toBe(0);
    founder = /Founder fingerprint: ([0-9a-f ]+)\n/.exec(init.stdout)![1]!;
    writeFileSync(`${dir}/pw`, 'Initial-Password-42\n');
    const added = await custodian(
      [
        'account',
        'add',
        url,
        '--platform',
        'x',
        '--handle',
        'NorfolkPolice',
        '--force',
        'norfolk',
        '--unit-type',
        'department',
        '--unit',
        'Corporate Communications',
        '--username',
        'norfolk-comms',
        '--password-file',
        `${dir}/pw`,
      ],
      env(LEAD),
    );
    expect(added.code, added.stderr).toBe(0);
    accountId = added.stdout.trim();
    const member = await custodian(['member', 'add', url, '--name', 'Dev Dmt', '--role', 'dmt'], {
      ...env(LEAD),
      CUSTODIAN_NEW_PASSPHRASE: DMT.CUSTODIAN_PASSPHRASE,
    });
    expect(member.code, member.stderr).toBe(0);
  }, 120_000);

  afterAll(() => {
    cleanup();
    cluster.stop();
  });

  it('init, account add, rotate, reveal and audit verify all work on the server, and the rows there are the sealed ones', async () => {
    expect(accountId).toMatch(/^[0-9a-f]{32}$/);
    const first = await custodian(
      ['reveal', url, 'x:norfolkpolice', '--reason', 'appeal'],
      env(DMT),
    );
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim()).toBe('Initial-Password-42');
    const rotated = await custodian(
      [
        'rotate',
        url,
        accountId,
        '--reason',
        'security-risk',
        '--generate',
        '--informed',
        'Line Manager',
      ],
      env(DMT),
    );
    expect(rotated.code, rotated.stderr).toBe(0);
    const revealed = await custodian(['reveal', url, accountId, '--reason', 'check'], env(DMT));
    expect(revealed.code, revealed.stderr).toBe(0);
    expect(revealed.stdout.trim()).not.toBe('Initial-Password-42');
    expect(revealed.stdout.trim()).toHaveLength(24);
    const verified = await custodian(['audit', 'verify', url], env(LEAD));
    expect(verified.code, verified.stderr).toBe(0);
    // The trail is dense and every entry is on the server: one row per entry, numbered 1..n.
    const entries = await count('SELECT COUNT(*) AS n FROM audit_entries');
    expect(await count('SELECT MAX(seq) AS n FROM audit_entries')).toBe(entries);
    expect(entries).toBeGreaterThan(8);
    // Nothing a person typed is in clear on the server.
    expect(
      await count(
        "SELECT COUNT(*) AS n FROM accounts WHERE encode(sealed, 'escape') LIKE '%NorfolkPolice%'",
      ),
    ).toBe(0);
  });

  it('a wrong passphrase leaves the trail as it was; the next unlock folds the attempt into the signed trail and clears it from the server', async () => {
    const failedBefore = await count(
      "SELECT COUNT(*) AS n FROM audit_entries WHERE kind = 'session.unlock-failed'",
    );
    const entries = await count('SELECT COUNT(*) AS n FROM audit_entries');
    const wrong = await custodian(['account', 'list', url], {
      ...env(DMT),
      CUSTODIAN_PASSPHRASE: 'not the passphrase',
    });
    expect(wrong.code).toBe(5);
    expect(await count('SELECT COUNT(*) AS n FROM audit_entries')).toBe(entries);
    expect(await count('SELECT COUNT(*) AS n FROM failed_unlocks')).toBe(1);
    expect((await custodian(['account', 'list', url], env(DMT))).code).toBe(0);
    expect(
      await count("SELECT COUNT(*) AS n FROM audit_entries WHERE kind = 'session.unlock-failed'"),
    ).toBe(failedBefore + 1);
    expect(await count('SELECT COUNT(*) AS n FROM failed_unlocks')).toBe(0);
  });

  it('audit export of a server vault writes a bundle that verify-export accepts offline, anchored by the founder', async () => {
    const bundle = join(dir, 'trail.jsonl');
    const exported = await custodian(
      ['audit', 'export', url, '--format', 'jsonl', '--out', bundle],
      env(LEAD),
    );
    expect(exported.code, exported.stderr).toBe(0);
    const checked = await custodian(['audit', 'verify-export', bundle, '--founder', founder], {});
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
  });

  it('init on a database that is not empty is refused and changes nothing', async () => {
    const before = await count('SELECT COUNT(*) AS n FROM audit_entries');
    const again = await custodian(['init', url, ...FAST_KDF], env(LEAD));
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/is not empty .*a vault among them.*nothing was changed/);
    // The fast test KDF's warning comes first; the refusal is one clean line after it.
    oneCleanLine(again.stderr.replace(/^warning: key derivation below the default.*\n/, ''));
    expect(await count('SELECT COUNT(*) AS n FROM audit_entries')).toBe(before);
  });

  it('a server that cannot be reached is a clear one-line error naming the URL without its password', async () => {
    const gone = 'postgresql://custodian_test:s3cret-word@/team?host=/nonexistent/socket-dir';
    const reveal = await custodian(['reveal', gone, accountId, '--reason', 'check'], env(DMT));
    expect(reveal.code).toBe(1);
    expect(reveal.stderr).toMatch(/cannot be reached .*nothing was changed/);
    expect(reveal.stderr).toContain('custodian_test:***@');
    expect(reveal.stderr).not.toContain('s3cret-word');
    oneCleanLine(reveal.stderr);
  });

  it('a URL that carries a password opens the vault, and nothing printed shows the password', async () => {
    const withPassword = url.replace('postgresql:///', 'postgresql://custodian_test:pa55-in-url@/');
    // Another workstation (its own kept folder): its first open prints the first-use note.
    const listed = await custodian(['account', 'list', withPassword], {
      ...LEAD,
      CUSTODIAN_CHECKPOINT_DIR: join(dir, 'other-workstation'),
    });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stderr).toMatch(
      /note: this workstation had kept no checkpoint of postgresql:\/\/custodian_test:\*\*\*@/,
    );
    expect(listed.stdout + listed.stderr).not.toContain('pa55-in-url');
  });

  it('a database with no vault in it is told apart from a server that is not there', async () => {
    cluster.createDatabase('empty');
    const shown = await custodian(['account', 'list', cluster.urlFor('empty')], env(LEAD));
    expect(shown.code).toBe(1);
    expect(shown.stderr).toMatch(/No vault in the database at .*custodian init/);
    oneCleanLine(shown.stderr);
  });

  it('a vault whose server schema is newer than this app is refused, and nothing is changed', async () => {
    cluster.createDatabase('newer');
    const newer = cluster.urlFor('newer');
    expect((await custodian(['init', newer, ...FAST_KDF], env(LEAD))).code).toBe(0);
    const client = new pg.Client({ connectionString: newer });
    await client.connect();
    try {
      await client.query('UPDATE schema_version SET version = version + 1');
      const before = (await client.query('SELECT COUNT(*) AS n FROM audit_entries')).rows[0] as {
        n: string;
      };
      const opened = await custodian(['account', 'list', newer], env(LEAD));
      expect(opened.code).toBe(1);
      expect(opened.stderr).toMatch(
        /written by a newer version of Custodian .*Nothing was changed/,
      );
      oneCleanLine(opened.stderr);
      const after = (await client.query('SELECT COUNT(*) AS n FROM audit_entries')).rows[0] as {
        n: string;
      };
      expect(after.n).toBe(before.n);
    } finally {
      await client.end();
    }
  });

  it('an older copy of the database put back on the server is refused from the kept checkpoint (exit 2), and so is a schema changed on it', async () => {
    const bin = postgresBinDir()!;
    const dump = join(dir, 'older.sql');
    const client = ['-h', cluster.socketDir, '-U', 'custodian_test'];
    execFileSync(join(bin, 'pg_dump'), [...client, '-d', 'team', '-f', dump]);
    // Newer history that this workstation sees: a rotation.
    const rotated = await custodian(
      ['rotate', url, accountId, '--reason', 'scheduled', '--generate'],
      env(DMT),
    );
    expect(rotated.code, rotated.stderr).toBe(0);
    // The operator restores yesterday's dump in place of the database.
    execFileSync(join(bin, 'dropdb'), [...client, 'team']);
    execFileSync(join(bin, 'createdb'), [...client, 'team']);
    execFileSync(join(bin, 'psql'), [...client, '-q', '-d', 'team', '-f', dump]);
    const opened = await custodian(['reveal', url, accountId, '--reason', 'check'], env(DMT));
    expect(opened.code).toBe(2);
    expect(opened.stderr).toMatch(/older history than this workstation has seen/);
    expect(opened.stdout).toBe('');

    // An index dropped on the server: the schema check refuses the vault before reading it.
    execFileSync(join(bin, 'psql'), [
      ...client,
      '-q',
      '-d',
      'team',
      '-c',
      'DROP INDEX rotation_due_open',
    ]);
    const altered = await custodian(['account', 'list', url], env(LEAD));
    expect(altered.code).toBe(2);
    expect(altered.stderr).toMatch(/structure has been altered/);
  });
});

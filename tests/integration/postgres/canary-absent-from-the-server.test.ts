import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { custodian, FAST_KDF } from '../../helpers/cli.ts';
import {
  postgresUnavailable,
  startThrowawayCluster,
  type ThrowawayCluster,
} from '../../helpers/postgres-cluster.ts';
import { tempDir } from '../../helpers/vault.ts';

/**
 * Issue 14: "the server holds only what the vault file holds": ids, times, kinds, hashes, public
 * keys and sealed blobs. After a realistic CLI session on a server vault (init, members added,
 * accounts added, a rotation, a reveal), none of the distinctive secrets, member names, handles,
 * usernames or passphrases used is anywhere in the cluster's data folder, its WAL or its server
 * log, which logs every statement with its parameters (log_statement=all), so a secret sent as
 * a parameter would be there. Controls show the search finds what is there in clear.
 */
const unavailable = postgresUnavailable();

const FOUNDER = 'Wilhelmina Canaryfounder';
const MEMBER = 'Bartholomew Canarymember';
const PASSPHRASES = {
  founder: 'canary founder passphrase quartz',
  member: 'canary member passphrase obsidian',
};
const ACCOUNTS = [
  { handle: 'CanaryHandleQx7', username: 'canary-user-zq9', password: 'Canary-Secret-Pw-8812' },
  { handle: 'CanaryHandleWv3', username: 'canary-user-mk4', password: 'Canary-Secret-Pw-5527' },
];
const ROTATED = 'Canary-Rotated-Pw-4471';

const CANARIES = [
  FOUNDER,
  MEMBER,
  'Canaryfounder',
  'Canarymember',
  ...Object.values(PASSPHRASES),
  ...ACCOUNTS.flatMap((a) => [a.handle, a.handle.toLowerCase(), a.username, a.password]),
  ROTATED,
  'Canary Unit of Corporate Comms',
];

/** Every regular file under `dir`. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return entry.isFile() ? [path] : [];
  });
}

describe.skipIf(unavailable !== null)(
  unavailable ?? "no secret, name or handle in the server's files, WAL or log",
  () => {
    let cluster: ThrowawayCluster;
    let dir: string;
    let cleanup: (() => void) | undefined;
    let url: string;
    const accountIds: string[] = [];

    beforeAll(async () => {
      cluster = startThrowawayCluster({
        settings: { log_statement: 'all', log_min_duration_statement: '0' },
      });
      cluster.createDatabase('team');
      url = cluster.urlFor('team');
      ({ dir, cleanup } = tempDir());
      const as = (name: string, passphrase: string) => ({
        CUSTODIAN_USER: name,
        CUSTODIAN_PASSPHRASE: passphrase,
        CUSTODIAN_CHECKPOINT_DIR: join(dir, 'kept'),
      });
      const founder = as(FOUNDER, PASSPHRASES.founder);
      const run = async (args: string[], env: Record<string, string>) => {
        const result = await custodian(args, env);
        expect(result.code, result.stderr).toBe(0);
        return result;
      };
      await run(['init', url, ...FAST_KDF], founder);
      await run(['member', 'add', url, '--name', MEMBER, '--role', 'dmt'], {
        ...founder,
        CUSTODIAN_NEW_PASSPHRASE: PASSPHRASES.member,
      });
      for (const [i, account] of ACCOUNTS.entries()) {
        writeFileSync(join(dir, `pw${i}`), `${account.password}\n`);
        const added = await run(
          [
            'account',
            'add',
            url,
            '--platform',
            'x',
            '--handle',
            account.handle,
            '--force',
            'norfolk',
            '--unit-type',
            'department',
            '--unit',
            'Canary Unit of Corporate Comms',
            '--username',
            account.username,
            '--password-file',
            join(dir, `pw${i}`),
          ],
          founder,
        );
        accountIds.push(added.stdout.trim());
      }
      const member = as(MEMBER, PASSPHRASES.member);
      writeFileSync(join(dir, 'rotated'), `${ROTATED}\n`);
      await run(
        [
          'rotate',
          url,
          `x:${ACCOUNTS[0]!.handle}`,
          '--reason',
          'scheduled',
          '--password-file',
          join(dir, 'rotated'),
        ],
        member,
      );
      const revealed = await run(
        ['reveal', url, `x:${ACCOUNTS[0]!.handle}`, '--reason', 'appeal'],
        member,
      );
      expect(revealed.stdout.trim()).toBe(ROTATED);
      await run(['account', 'list', url], member);
      await run(['audit', 'verify', url], founder);
      // Stopped cleanly: whatever the server had only in memory is on disk now.
      cluster.stop({ keepFiles: true });
    }, 240_000);
    afterAll(() => {
      cleanup?.();
      cluster.removeFiles();
    });

    const haystacks = () => [
      ...filesUnder(cluster.dataDir).map((path) => ({ path, bytes: readFileSync(path) })),
      { path: cluster.logFile, bytes: readFileSync(cluster.logFile) },
    ];

    it('the search finds what the server does hold in clear, so its silence means something', () => {
      const all = haystacks();
      const found = (text: string) => all.some(({ bytes }) => bytes.includes(Buffer.from(text)));
      // The WAL and the data files: an audit entry's kind, a clear column.
      expect(filesUnder(join(cluster.dataDir, 'pg_wal')).length).toBeGreaterThan(0);
      expect(found('credential.rotated')).toBe(true);
      // The log: every statement, with its parameters (an account's id among them).
      const log = readFileSync(cluster.logFile, 'utf8');
      expect(log).toMatch(/statement: .*log_head/);
      expect(log).toMatch(/parameters: \$1 = '/);
      expect(log).toContain(accountIds[0]!);
      expect(statSync(cluster.logFile).size).toBeGreaterThan(10_000);
    });

    it('no canary, in UTF-8 or UTF-16, in any file of the data folder, the WAL or the log', () => {
      const leaks: string[] = [];
      for (const { path, bytes } of haystacks()) {
        for (const canary of CANARIES) {
          for (const encoding of ['utf8', 'utf16le'] as const) {
            if (bytes.includes(Buffer.from(canary, encoding))) leaks.push(`${canary} in ${path}`);
          }
        }
      }
      expect(leaks).toEqual([]);
    });
  },
);

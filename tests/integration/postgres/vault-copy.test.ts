import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCredential } from '../../../electron/vault/domain/credentials.ts';
import { rotatePassword } from '../../../electron/vault/domain/rotations.ts';
import { openVault } from '../../../electron/vault/store/open-vault.ts';
import { stateDigestStore } from '../../../electron/vault/store/state-digest.ts';
import { storedHead } from '../../../electron/vault/store/trail-head.ts';
import { digestOfTable, vaultTables } from '../../../electron/vault/store/vault-rows.ts';
import { copyVault } from '../../../electron/vault/vault-copy.ts';
import { ErrorCode } from '../../../shared/errors.ts';
import { custodian } from '../../helpers/cli.ts';
import {
  postgresUnavailable,
  startThrowawayCluster,
  type ThrowawayCluster,
} from '../../helpers/postgres-cluster.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../../helpers/vault.ts';

// Issue 14, ADR 0032: `custodian vault copy SOURCE DEST` between a file and a server, both ways,
// through the real CLI on a throwaway cluster. A copy holds the verified source's rows cell for
// cell: the same state digests, the same latest checkpoint, and `audit verify` accepts it.
const unavailable = postgresUnavailable();

const LEAD = { CUSTODIAN_USER: 'Lena Lead', CUSTODIAN_PASSPHRASE: PASSPHRASES.lead };
const DMT = { CUSTODIAN_USER: 'Dev Dmt', CUSTODIAN_PASSPHRASE: PASSPHRASES.dmt };

/** What a vault is, as far as a copy must keep it: every table's cells, digests, checkpoint. */
function fingerprint(location: string) {
  const db = openVault(location, { create: false });
  try {
    const head = storedHead(db)!;
    return {
      tables: Object.fromEntries(
        vaultTables().map((table) => {
          const digest = digestOfTable(db, table);
          return [table.name, `${digest.rows}:${digest.hex}`];
        }),
      ),
      stored: stateDigestStore.stored(db),
      recomputed: stateDigestStore.recompute(db),
      head: { size: head.size, root: [...head.root], signature: [...head.signature] },
    };
  } finally {
    db.close();
  }
}

describe.skipIf(unavailable !== null)(unavailable ?? 'custodian vault copy', () => {
  let cluster: ThrowawayCluster;
  let dir: string;
  let cleanup: () => void;
  let accounts: string[];
  let file: string;
  let database = 0;
  /** A fresh empty database on the cluster. */
  const emptyDatabase = () => {
    database += 1;
    cluster.createDatabase(`copy${database}`);
    return cluster.urlFor(`copy${database}`);
  };
  /** This workstation's kept checkpoints, and a second workstation's to verify copies from. */
  const here = (who: Record<string, string>) => ({
    ...who,
    CUSTODIAN_CHECKPOINT_DIR: join(dir, 'kept-here'),
  });
  const elsewhere = (who: Record<string, string>, name: string) => ({
    ...who,
    CUSTODIAN_CHECKPOINT_DIR: join(dir, `kept-${name}`),
  });
  const tablesOf = async (url: string): Promise<string[]> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ tablename: string }>(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
      );
      return rows.map((row) => row.tablename);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    cluster = startThrowawayCluster({ fsync: false });
    ({ dir, cleanup } = tempDir());
    file = join(dir, 'team.vault');
    ({ accounts } = await populatedVault(file));
    const dev = await unlockAs(file, 'Dev Dmt', PASSPHRASES.dmt);
    try {
      rotatePassword(dev, accounts[0]!, { password: 'Rotated-In-The-File-7', reason: 'scheduled' });
    } finally {
      dev.close();
    }
  }, 120_000);
  afterAll(() => {
    cleanup();
    cluster.stop();
  });

  it('file to server: the same rows, state digests and checkpoint; the server verifies and opens the rotated password', async () => {
    const url = emptyDatabase();
    // The lead moving the team, on a workstation of their own.
    const mover = (who: Record<string, string>) => elsewhere(who, 'mover');
    const copied = await custodian(['vault', 'copy', file, url], mover(LEAD));
    expect(copied.code, copied.stderr).toBe(0);
    expect(copied.stdout).toMatch(
      /^Copied .* rows, \d+ audit entries, checkpoint root [0-9a-f]{64}/,
    );
    expect(fingerprint(url)).toEqual(fingerprint(file));

    const verified = await custodian(['audit', 'verify', url], elsewhere(LEAD, 'server-check'));
    expect(verified.code, verified.stderr).toBe(0);
    // The copier's workstation kept the head the copy ends at (ADR 0024): the server extends it,
    // with no first use and no fork, and the team goes on there.
    const onServer = await custodian(['audit', 'verify', url], mover(DMT));
    expect(onServer.code, onServer.stderr).toBe(0);
    expect(onServer.stderr).not.toMatch(/first use/);
    const dev = await unlockAs(url, 'Dev Dmt', PASSPHRASES.dmt);
    try {
      expect(openCredential(dev, accounts[0]!).password).toBe('Rotated-In-The-File-7');
    } finally {
      dev.close();
    }
  });

  it('server to file, and back: each copy is its source to the byte, the backup verifies, and the round trip keeps every row', async () => {
    // Its own workstation: opening the backup there makes the backup that workstation's history.
    const there = (who: Record<string, string>) => elsewhere(who, 'round-trip');
    const server = emptyDatabase();
    expect((await custodian(['vault', 'copy', file, server], there(LEAD))).code).toBe(0);
    // The team works on the server: a rotation there, then the backup.
    const dev = await unlockAs(server, 'Dev Dmt', PASSPHRASES.dmt);
    try {
      rotatePassword(dev, accounts[1]!, { password: 'Rotated-On-Server-8', reason: 'scheduled' });
    } finally {
      dev.close();
    }
    const backup = join(dir, 'server-backup.vault');
    const backedUp = await custodian(['vault', 'copy', server, backup], there(LEAD));
    expect(backedUp.code, backedUp.stderr).toBe(0);
    expect(fingerprint(backup)).toEqual(fingerprint(server));
    // A sealed file on its own: no write-ahead log or journal beside it, nothing left half-made.
    expect(readdirSync(dir).filter((name) => name.startsWith('server-backup'))).toEqual([
      'server-backup.vault',
    ]);
    expect(readdirSync(dir).filter((name) => name.endsWith('.partial'))).toEqual([]);
    const verified = await custodian(['audit', 'verify', backup], elsewhere(LEAD, 'backup-check'));
    expect(verified.code, verified.stderr).toBe(0);

    // Back onto another server: the round trip ends where it began, row for row.
    const again = emptyDatabase();
    expect((await custodian(['vault', 'copy', backup, again], there(LEAD))).code).toBe(0);
    expect(fingerprint(again)).toEqual(fingerprint(backup));
    const opened = await unlockAs(again, 'Dev Dmt', PASSPHRASES.dmt);
    try {
      expect(openCredential(opened, accounts[1]!).password).toBe('Rotated-On-Server-8');
      expect(openCredential(opened, accounts[0]!).password).toBe('Rotated-In-The-File-7');
    } finally {
      opened.close();
    }
  });

  it('a destination that is not empty is refused, saying what to do, and left exactly as it was', async () => {
    const existing = join(dir, 'existing.vault');
    writeFileSync(existing, 'someone else’s file');
    const toFile = await custodian(['vault', 'copy', file, existing], here(LEAD));
    expect(toFile.code).toBe(1);
    expect(toFile.stderr).toMatch(/already exists; nothing was written.*name a new file/);
    expect(readFileSync(existing, 'utf8')).toBe('someone else’s file');

    const used = emptyDatabase();
    const client = new pg.Client({ connectionString: used });
    await client.connect();
    await client.query('CREATE TABLE their_table (x integer)');
    await client.end();
    const toServer = await custodian(['vault', 'copy', file, used], here(LEAD));
    expect(toServer.code).toBe(1);
    expect(toServer.stderr).toMatch(/is not empty .*nothing was changed\. Name an empty database/);
    expect(await tablesOf(used)).toEqual(['their_table']);

    // A database already holding a vault (this one's, even) is not empty either.
    const vaulted = emptyDatabase();
    expect((await custodian(['vault', 'copy', file, vaulted], here(LEAD))).code).toBe(0);
    const before = fingerprint(vaulted);
    const twice = await custodian(['vault', 'copy', file, vaulted], here(LEAD));
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/a vault among them/);
    expect(fingerprint(vaulted)).toEqual(before);
  });

  it('only a lead copies: another member is refused before anything is written', async () => {
    const url = emptyDatabase();
    const refused = await custodian(['vault', 'copy', file, url], here(DMT));
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/needs the role lead/);
    expect(await tablesOf(url)).toEqual([]);
  });

  it('the server going away mid-copy into it leaves the database empty; the next copy succeeds', async () => {
    const url = emptyDatabase();
    const lead = await unlockAs(file, 'Lena Lead', PASSPHRASES.lead);
    let copied = 0;
    let refused: unknown;
    try {
      await copyVault(lead, url, {
        onTableCopied: () => {
          copied += 1;
          if (copied === 5) cluster.kill();
        },
      });
    } catch (error) {
      refused = error;
    } finally {
      lead.close();
    }
    expect(refused).toMatchObject({ code: ErrorCode.STORAGE });
    cluster.restart();
    expect(await tablesOf(url)).toEqual([]);
    expect((await custodian(['vault', 'copy', file, url], here(LEAD))).code).toBe(0);
    expect(fingerprint(url)).toEqual(fingerprint(file));
  });

  it('the server going away mid-copy out of it leaves no file, not even a partial one', async () => {
    const server = emptyDatabase();
    expect((await custodian(['vault', 'copy', file, server], here(LEAD))).code).toBe(0);
    const lead = await unlockAs(server, 'Lena Lead', PASSPHRASES.lead);
    const backup = join(dir, 'interrupted.vault');
    let copied = 0;
    let refused: unknown;
    try {
      await copyVault(lead, backup, {
        onTableCopied: () => {
          copied += 1;
          if (copied === 5) cluster.kill();
        },
      });
    } catch (error) {
      refused = error;
    } finally {
      lead.abandon();
    }
    expect(refused).toMatchObject({ code: ErrorCode.STORAGE });
    expect(existsSync(backup)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.includes('interrupted'))).toEqual([]);
    cluster.restart();
  });

  it('`custodian vault copy --help` says what is copied, what is checked and how to verify a backup', async () => {
    const help = await custodian(['vault', 'copy', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: custodian vault copy \[options\] <source> <dest>/);
    expect(help.stdout).toMatch(/verified in full first/);
    expect(help.stdout).toMatch(/must not exist \(a file\) or be an empty\s+database/);
    expect(help.stdout).toMatch(/CUSTODIAN_CHECKPOINT_DIR=\$\(mktemp -d\) custodian audit verify/);
  });
});

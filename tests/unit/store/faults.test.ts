import { sqliteFileOf } from '../../../electron/vault/store/connection.ts';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../shared/errors.ts';
import { verifyVault } from '../../../electron/vault/audit/verify.ts';
import { createAccount } from '../../../electron/vault/domain/account-creation.ts';
import { listAccounts } from '../../../electron/vault/domain/accounts.ts';
import { lockPathFor } from '../../../electron/vault/store/writer-lock.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../../helpers/vault.ts';

const newAccount = {
  platform: 'instagram',
  handle: 'NorfolkDogs',
  force: 'norfolk',
  unitType: 'specialist',
  unitName: 'Dog Section',
  username: 'dogs',
  password: 'dogs-Password-1',
} as const;

describe('faults lose nothing', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    path = `${dir}/team.vault`;
    await populatedVault(path);
  });
  afterEach(() => cleanup());

  it("a damaged schema-format byte in the file header is INTEGRITY, not SQLite's raw error", async () => {
    // Byte 47 of SQLite's header is the schema format number; the tamper sweep found that a
    // flip there surfaced as "unsupported file format" with no error code of ours.
    const bytes = readFileSync(path);
    bytes[47] = bytes[47]! ^ 0x19;
    writeFileSync(path, bytes);
    await expect(unlockAs(path, 'Lena Lead', PASSPHRASES.lead)).rejects.toMatchObject({
      code: ErrorCode.INTEGRITY,
      message: expect.stringContaining('corrupt'),
    });
  });

  it('a full disk is a clear STORAGE error and the vault keeps its last committed state', async () => {
    const session = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    // SQLite reports SQLITE_FULL once the file may not grow: the same path a full disk takes.
    const pages = sqliteFileOf(session.db)!.pragma('page_count', { simple: true }) as number;
    sqliteFileOf(session.db)!.pragma(`max_page_count = ${pages}`);
    const big = { ...newAccount, unitName: 'x'.repeat(200), username: 'u'.repeat(300) };
    let error: unknown;
    try {
      for (let i = 0; i < 200; i++) createAccount(session, { ...big, handle: `Handle${i}` });
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({
      code: ErrorCode.STORAGE,
      message: expect.stringMatching(/disk is full.*; nothing was saved/),
    });
    sqliteFileOf(session.db)!.pragma('max_page_count = 1073741823');
    const saved = listAccounts(session).length;
    expect((await verifyVault(session)).ok).toBe(true);
    session.close();
    const again = await unlockAs(path, 'Dev Dmt', PASSPHRASES.dmt);
    expect(listAccounts(again)).toHaveLength(saved);
    expect((await verifyVault(again)).ok).toBe(true);
    again.close();
  });

  it('a process killed in the middle of a write leaves the last committed state, and its lock is taken over', async () => {
    const before = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    const accountsBefore = listAccounts(before).length;
    before.close();
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./crash-mid-write.ts', import.meta.url)), path],
      {
        encoding: 'utf8',
        env: { ...process.env, CUSTODIAN_PASSPHRASE: PASSPHRASES.lead },
      },
    );
    expect(child.signal).toBe('SIGKILL');
    expect(child.stdout).toContain('inside the transaction');
    expect(existsSync(lockPathFor(path))).toBe(true);
    expect(readFileSync(lockPathFor(path), 'utf8')).toContain(String(child.pid));

    const after = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    expect(listAccounts(after)).toHaveLength(accountsBefore);
    expect((await verifyVault(after)).ok).toBe(true);
    after.close();
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode } from '../../../shared/errors.ts';
import { VaultError } from '../../../electron/vault/errors.ts';
import { lockPathFor } from '../../../electron/vault/store/writer-lock.ts';
import { failedUnlocksPathFor } from '../../../electron/vault/store/failed-unlocks.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../../helpers/vault.ts';

const kdfCalls = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../../electron/vault/crypto/kdf.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../electron/vault/crypto/kdf.ts')>();
  return {
    ...original,
    deriveKek: (...args: Parameters<typeof original.deriveKek>) => {
      kdfCalls.count += 1;
      return original.deriveKek(...args);
    },
  };
});

async function failure(promise: Promise<unknown>): Promise<VaultError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof VaultError) return error;
    throw error;
  }
  throw new Error('expected the unlock to fail');
}

describe('unlocking a vault', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    path = `${dir}/team.vault`;
    await populatedVault(path);
  });
  afterEach(() => cleanup());

  it('a wrong passphrase is a clear AUTH_FAILED and leaves the file byte for byte as it was', async () => {
    const before = readFileSync(path);
    const error = await failure(unlockAs(path, 'Lena Lead', 'not the passphrase'));
    expect(error.code).toBe(ErrorCode.AUTH_FAILED);
    expect(error.message).toMatch(/wrong passphrase/);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(existsSync(`${path}-wal`)).toBe(false);
    expect(existsSync(lockPathFor(path))).toBe(false);
  });

  it('an unknown member takes the same path as a wrong passphrase: one derivation, the same error', async () => {
    kdfCalls.count = 0;
    const wrong = await failure(unlockAs(path, 'Lena Lead', 'not the passphrase'));
    expect(kdfCalls.count).toBe(1);
    kdfCalls.count = 0;
    const unknown = await failure(unlockAs(path, 'Nobody At All', PASSPHRASES.lead));
    expect(kdfCalls.count).toBe(1);
    expect(unknown.toInfo()).toEqual(wrong.toInfo());
  });

  it('a removed member cannot unlock, with the same error as a stranger', async () => {
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    const { removeMember } = await import('../../../electron/vault/domain/members.ts');
    removeMember(lead, 'Dev Dmt');
    lead.close();
    const error = await failure(unlockAs(path, 'Dev Dmt', PASSPHRASES.dmt));
    expect(error.code).toBe(ErrorCode.AUTH_FAILED);
  });

  it('failed unlocks wait beside the vault and are folded into the signed trail at the next unlock', async () => {
    await failure(unlockAs(path, 'Lena Lead', 'not the passphrase'));
    await failure(unlockAs(path, 'Nobody At All', 'whatever it was'));
    const side = readFileSync(failedUnlocksPathFor(path), 'utf8');
    expect(side.trim().split('\n')).toHaveLength(2);
    expect(side).not.toContain('not the passphrase');
    expect(side).not.toContain('Nobody At All');
    const session = await unlockAs(path, 'Dev Dmt', PASSPHRASES.dmt);
    expect(existsSync(failedUnlocksPathFor(path))).toBe(false);
    const failed = session.db
      .prepare("SELECT COUNT(*) AS n FROM audit_entries WHERE kind = 'session.unlock-failed'")
      .get() as { n: number };
    expect(failed.n).toBe(2);
    const { verifyVault } = await import('../../../electron/vault/audit/verify.ts');
    expect((await verifyVault(session)).ok).toBe(true);
    session.close();
  });

  it('member names match regardless of case and surrounding space', async () => {
    const session = await unlockAs(path, '  lena LEAD ', PASSPHRASES.lead);
    expect(session.member.name).toBe('Lena Lead');
    session.close();
  });

  it('a second writer is told the vault is in use, and nothing is lost', async () => {
    const first = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    const error = await failure(unlockAs(path, 'Dev Dmt', PASSPHRASES.dmt));
    expect(error.code).toBe(ErrorCode.IN_USE);
    expect(error.message).toMatch(/in use by Lena Lead, process \d+/);
    first.close();
    const second = await unlockAs(path, 'Dev Dmt', PASSPHRASES.dmt);
    const { verifyVault } = await import('../../../electron/vault/audit/verify.ts');
    expect((await verifyVault(second)).ok).toBe(true);
    second.close();
  });

  it('a missing file and a file that is not a vault are told apart from a wrong passphrase', async () => {
    expect((await failure(unlockAs(`${dir}/nope.vault`, 'Lena Lead', PASSPHRASES.lead))).code).toBe(
      ErrorCode.NOT_FOUND,
    );
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      `${dir}/junk.vault`,
      'this is not a database, just some text long enough to be a header',
    );
    const junk = await failure(unlockAs(`${dir}/junk.vault`, 'Lena Lead', PASSPHRASES.lead));
    // Not an altered vault but the wrong file: said as such, with what to do (issue 11).
    expect(junk.code).toBe(ErrorCode.INVALID_INPUT);
    expect(junk.message).toMatch(/is not a Custodian vault/);
    expect(junk.message).not.toMatch(/at .*\.ts:/);
  });
});

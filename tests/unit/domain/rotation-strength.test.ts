import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { generatedPasswordStrength } from '../../../electron/vault/domain/generator.ts';
import { passwordStrength } from '../../../electron/vault/domain/strength.ts';
import { VaultRouter } from '../../../electron/vault/router.ts';
import { typedPathChooser } from '../../../electron/vault/file-handles.ts';
import { MemoryClipboard } from '../../../scripts/preview/console-page.ts';
import type { Channel, RequestOf, ResponseOf } from '../../../shared/ipc/contract.ts';
import { unlockAt } from '../../helpers/router.ts';
import { ManualTimers } from '../../helpers/timers.ts';
import { newVault, PASSPHRASES, populatedVault, tempDir, unlockAs } from '../../helpers/vault.ts';
import { rmSync } from 'node:fs';
import { ErrorCode } from '../../../shared/errors.ts';
import type { VaultError } from '../../../electron/vault/errors.ts';
import { openAccountProfile } from '../../../electron/vault/domain/accounts.ts';
import { grantAdministrator } from '../../../electron/vault/domain/administrators.ts';
import { findMemberByName, removeMember } from '../../../electron/vault/domain/members.ts';
import { rotatePassword } from '../../../electron/vault/domain/rotations.ts';
import { accountStore } from '../../../electron/vault/store/account-store.ts';
import { lockPathFor } from '../../../electron/vault/store/writer-lock.ts';

// zxcvbn itself, counted: every caller in the core (a rotation, a new passphrase) runs the real
// estimator through this wrapper, so the test sees whether a write ran it at all.
vi.mock('../../../electron/vault/domain/strength.ts', async (original) => {
  const real = await original<typeof import('../../../electron/vault/domain/strength.ts')>();
  return { ...real, passwordStrength: vi.fn(real.passwordStrength) };
});
const zxcvbnRuns = () => vi.mocked(passwordStrength).mock.calls.length;

describe('the strength a rotation stores (issue 17: nothing slow inside the write)', () => {
  let dir: ReturnType<typeof tempDir>;
  let router: VaultRouter;

  async function call<C extends Channel>(
    channel: C,
    request: RequestOf<C>,
  ): Promise<ResponseOf<C>> {
    const result = await router.invoke(channel, request);
    if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
    return result.value as ResponseOf<C>;
  }

  beforeEach(async () => {
    dir = tempDir();
    const path = `${dir.dir}/strength.vault`;
    (await newVault(path)).close();
    router = new VaultRouter({
      clipboard: new MemoryClipboard(),
      timers: new ManualTimers(),
      files: typedPathChooser,
    });
    expect((await unlockAt(router, path, 'Lena Lead', PASSPHRASES.lead)).ok).toBe(true);
  });
  afterEach(() => {
    router.lock('quit');
    dir.cleanup();
  });

  const strengthOf = async (account: string) =>
    (await call('accounts.show', { account })).passwordStrength;

  it("stores a generated password's strength from its entropy, without running zxcvbn, and scores a typed one against the account's words", async () => {
    // Creating the vault judged the founder's passphrase; from here on, count.
    const before = zxcvbnRuns();
    const first = await call('generator.generate', { kind: 'characters', length: 16 });
    const entropyScore = generatedPasswordStrength({ length: 16 }).score;
    expect(first.score).toBe(entropyScore);
    const { id } = await call('accounts.create', {
      platform: 'x',
      handle: 'NorfolkRoads',
      force: 'norfolk',
      unitType: 'team',
      unitName: 'Roads Policing',
      username: 'roads',
      password: first.password,
    });
    const second = await call('generator.generate', { kind: 'passphrase', words: 5 });
    await call('credentials.rotate', {
      account: id,
      reason: 'scheduled',
      password: second.password,
      informed: [],
    });
    expect(await strengthOf(id)).toBe(second.score);
    expect(zxcvbnRuns()).toBe(before);

    // Typed: zxcvbn, against the handle and unit, exactly as before (weak stays weak, 9.10).
    await call('credentials.rotate', {
      account: id,
      reason: 'security-risk',
      password: 'NorfolkRoads1',
      informed: [],
    });
    expect(zxcvbnRuns()).toBeGreaterThan(before);
    const typed = passwordStrength('NorfolkRoads1', ['NorfolkRoads', 'Roads Policing']);
    expect(typed).toBeLessThan(passwordStrength('NorfolkRoads1'));
    expect(await strengthOf(id)).toBe(typed);
    const report = await call('health.report', {});
    expect(JSON.stringify(report)).toMatch(/Password strength [01]\/4/);
  });

  it('knows only what this session generated, once: a second use is scored as typed', async () => {
    const { rememberGenerated, takeGeneratedStrength } =
      await import('../../../electron/vault/domain/generated-passwords.ts');
    const path = `${dir.dir}/other.vault`;
    const session = await newVault(path);
    const other = await newVault(`${dir.dir}/third.vault`);
    try {
      rememberGenerated(session, 'Kq7#generated-here', 4);
      // A caller cannot claim it: another session never generated it.
      expect(takeGeneratedStrength(other, 'Kq7#generated-here')).toBeUndefined();
      expect(takeGeneratedStrength(session, 'Kq7#typed-elsewhere')).toBeUndefined();
      expect(takeGeneratedStrength(session, 'Kq7#generated-here')).toBe(4);
      // Spent: the same password on a second account is reuse, judged like a typed one.
      expect(takeGeneratedStrength(session, 'Kq7#generated-here')).toBeUndefined();
      // Only the last few are held (HELD = 16), and nothing once the session has closed.
      for (let i = 0; i < 17; i++) rememberGenerated(session, `candidate-${i}`, 4);
      expect(takeGeneratedStrength(session, 'candidate-0')).toBeUndefined();
      expect(takeGeneratedStrength(session, 'candidate-16')).toBe(4);
      session.close();
      expect(takeGeneratedStrength(session, 'candidate-15')).toBeUndefined();
    } finally {
      if (!session.closed) session.close();
      other.close();
    }
  });

  it("scores again inside the write only when the account's words changed since the score", async () => {
    const { scoreFor } = await import('../../../electron/vault/domain/password-score.ts');
    const { passwordStrength } = await import('../../../electron/vault/domain/strength.ts');
    const words = ['NorfolkRoads', 'Roads Policing'];
    // The same words: the score worked out before the transaction stands (here a made-up 4).
    expect(scoreFor({ score: 4, against: words }, 'NorfolkRoads1', words)).toBe(4);
    expect(scoreFor({ score: 4 }, 'NorfolkRoads1', words)).toBe(4);
    // Renamed in between: judged against the words the account has now.
    expect(scoreFor({ score: 4, against: ['Old', 'Unit'] }, 'NorfolkRoads1', words)).toBe(
      passwordStrength('NorfolkRoads1', words),
    );
    expect(scoreFor(undefined, 'NorfolkRoads1', words)).toBe(
      passwordStrength('NorfolkRoads1', words),
    );
  });

  it("refuses an administrator's rotation of an account not theirs as before, in the turn another session began a key epoch", async () => {
    // Scoring before the transaction reads the account's record; a read follows another
    // connection's new epoch only from the next turn, so that read may fail where the write
    // would not: the rotation must then say what it said before (FORBIDDEN), not INTEGRITY.
    const path = `${dir.dir}/epoch.vault`;
    const { accounts } = await populatedVault(path);
    const side = async (name: string, passphrase: string) => {
      const session = await unlockAs(path, name, passphrase);
      rmSync(lockPathFor(path), { force: true }); // side by side, as on a shared store
      return session;
    };
    const lead = await side('Lena Lead', PASSPHRASES.lead);
    const admin = await side('Ada Admin', PASSPHRASES.admin);
    try {
      grantAdministrator(lead, accounts[1]!, findMemberByName(lead, 'Ada Admin').id);
      admin.db.prepare('SELECT 1').get(); // the admin has read in this turn
      openAccountProfile(admin, accountStore.byId(admin.db, accounts[0]!)!);
      removeMember(lead, 'Dev Dmt'); // a new key epoch
      const refused = (() => {
        try {
          rotatePassword(admin, accounts[0]!, { reason: 'scheduled', password: 'Typed-Pass-77' });
          return 'rotated';
        } catch (error) {
          return (error as VaultError).code;
        }
      })();
      expect(refused).toBe(ErrorCode.FORBIDDEN);
      rotatePassword(admin, accounts[1]!, { reason: 'scheduled', password: 'Typed-Pass-78' });
      const record = openAccountProfile(admin, accountStore.byId(admin.db, accounts[1]!)!);
      const { passwordStrength } = await import('../../../electron/vault/domain/strength.ts');
      expect(record.passwordCheck?.strength).toBe(
        passwordStrength('Typed-Pass-78', [record.handle, record.unitName]),
      );
    } finally {
      admin.close();
      lead.close();
    }
  });
});

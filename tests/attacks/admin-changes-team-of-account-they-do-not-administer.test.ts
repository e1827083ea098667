import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consoleRouter, unlockAt } from '../helpers/router.ts';
import { adminScopeVault, asAdmin, MINE, THEIRS } from '../helpers/admin-scope.ts';
import { PASSPHRASES, tempDir, vaultLocation } from '../helpers/vault.ts';

/**
 * Attack: an administrator adds a friend to, or removes the real team from, an account they do not
 * administer (issue 11), through the console's channels or the CLI. 10.2, 9.14: refused.
 */
describe('an administrator changing the team of an account they do not administer', () => {
  let dir: { dir: string; cleanup: () => void };
  let path: string;
  beforeEach(async () => {
    dir = tempDir();
    path = vaultLocation(`${dir.dir}/attack.vault`);
    await adminScopeVault(path);
  });
  afterEach(() => dir.cleanup());

  it('10.2: team.grant and team.revoke over IPC are refused, and the team list is unchanged', async () => {
    const router = consoleRouter();
    expect(await unlockAt(router, path, 'Ada Admin', PASSPHRASES.admin)).toMatchObject({
      ok: true,
    });
    for (const [channel, person] of [
      ['team.grant', 'Kay Patel'],
      ['team.revoke', 'Lee Other'],
    ] as const) {
      const result = await router.invoke(channel, { account: THEIRS, person });
      expect(result, channel).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN', message: expect.stringMatching(/10\.2, 9\.14/) },
      });
    }
    const detail = await router.invoke('accounts.detail', { account: THEIRS });
    expect(detail).toMatchObject({
      ok: true,
      value: { team: [expect.objectContaining({ name: 'Lee Other', revokedOn: null })] },
    });
    expect(detail.ok && (detail.value as { canEdit: boolean }).canEdit).toBe(false);
    expect(await router.invoke('accounts.detail', { account: MINE })).toMatchObject({
      ok: true,
      value: { canEdit: true },
    });
    router.lock('quit');
  });

  it('10.2: `team add` and `team remove` from the CLI are refused with the clause', async () => {
    const add = await asAdmin('team', 'add', path, THEIRS, '--person', 'Kay Patel');
    expect(add.code).toBe(4);
    expect(add.stderr).toMatch(/administers?.*10\.2, 9\.14/);
    const remove = await asAdmin('team', 'remove', path, THEIRS, '--person', 'Lee Other');
    expect(remove.code).toBe(4);
    expect((await asAdmin('team', 'add', path, MINE, '--person', 'Lee Other')).code).toBe(0);
  });
});

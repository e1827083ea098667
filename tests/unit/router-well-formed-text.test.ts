import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VaultRouter } from '../../electron/vault/router.ts';
import { typedPathChooser } from '../../electron/vault/file-handles.ts';
import { unlockAt } from '../helpers/router.ts';
import { MemoryClipboard } from '../../scripts/preview/console-page.ts';
import { PASSPHRASES, populatedVault, tempDir } from '../helpers/vault.ts';

describe('the IPC router refuses text that is not well-formed Unicode', () => {
  let dir: { dir: string; cleanup: () => void };
  let path: string;
  let accounts: string[];
  let router: VaultRouter;

  beforeEach(async () => {
    dir = tempDir();
    path = `${dir.dir}/team.vault`;
    ({ accounts } = await populatedVault(path));
    router = new VaultRouter({ clipboard: new MemoryClipboard(), files: typedPathChooser });
    const unlocked = await unlockAt(router, path, 'Lena Lead', PASSPHRASES.lead);
    expect(unlocked.ok).toBe(true);
  });
  afterEach(() => {
    router.lock('quit');
    dir.cleanup();
  });

  it('in any text field of any channel, naming the field, and nothing is recorded', async () => {
    const total = async () => {
      const page = await router.invoke('audit.page', { offset: 0, limit: 1 });
      return page.ok ? (page.value as { total: number }).total : -1;
    };
    const before = await total();
    const cases: [string, unknown, RegExp][] = [
      ['credentials.reveal', { account: accounts[0], reason: 'broken \ud83d end' }, /reason/],
      ['quiet.declare', { accounts: 'all', authority: 'Gold \udc00', reason: 'riot' }, /authority/],
      ['people.add', { name: 'Kay \ud800 Patel' }, /name/],
      ['team.grant', { account: accounts[0], person: 'Kay', why: 'because \ud83d' }, /why/],
      ['accounts.import', { csv: 'platform,handle\nx,a\ud83d\n', mode: 'dry-run' }, /csv/],
    ];
    for (const [channel, payload, field] of cases) {
      const result = await router.invoke(channel, payload);
      expect(result, channel).toMatchObject({
        ok: false,
        error: {
          code: 'INVALID_INPUT',
          message: expect.stringMatching(/not well-formed Unicode/),
        },
      });
      expect(result.ok ? '' : result.error.message, channel).toMatch(field);
    }
    expect(await total()).toBe(before);
  });

  it('a reveal reason holding a control character names it (U+0007), not "needs a reason"', async () => {
    const result = await router.invoke('credentials.reveal', {
      account: accounts[0],
      reason: 'bell \u0007 here',
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/U\+0007/) },
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultRouter } from '../../../electron/vault/router.ts';
import { MemoryClipboard } from '../../../scripts/preview/console-page.ts';
import { PASSPHRASES, populatedVault, tempDir } from '../../helpers/vault.ts';
import { ManualTimers } from '../../helpers/timers.ts';
import { typedPathChooser } from '../../../electron/vault/file-handles.ts';
import { unlockAt } from '../../helpers/router.ts';

type Row = { seq: number; at: string; event: string; actor: string; account: string };
type Filters = { from?: string; to?: string; account?: string; actor?: string; kind?: string };

/** The console's audit log, narrowed (issue 6 "a filterable log"), through the real router. */
describe('the filtered audit log', () => {
  let dir: { dir: string; cleanup: () => void };
  let router: VaultRouter;
  let everything: Row[];

  async function page(filters: Filters | undefined, offset = 0, limit = 500) {
    const result = await router.invoke('audit.page', {
      offset,
      limit,
      ...(filters ? { filters } : {}),
    });
    if (!result.ok) throw new Error(JSON.stringify(result));
    return result.value as { total: number; rows: Row[] };
  }

  beforeAll(async () => {
    dir = tempDir();
    const path = `${dir.dir}/team.vault`;
    await populatedVault(path);
    router = new VaultRouter({
      clipboard: new MemoryClipboard(),
      timers: new ManualTimers(),
      files: typedPathChooser,
    });
    const as = async (memberName: string, passphrase: string) =>
      expect(await unlockAt(router, path, memberName, passphrase)).toMatchObject({ ok: true });
    // Some activity by different members on different accounts.
    await as('Dev Dmt', PASSPHRASES.dmt);
    for (const [account, reason] of [
      ['x:NorfolkPolice', 'posting the appeal'],
      ['facebook:SuffolkRoadsPolicing', 'checking a reply'],
      ['x:NorfolkPolice', 'second post'],
    ] as const) {
      const reveal = await router.invoke('credentials.reveal', { account, reason });
      expect(reveal).toMatchObject({ ok: true });
    }
    router.lock('asked');
    await as('Lena Lead', PASSPHRASES.lead);
    everything = (await page(undefined)).rows;
  });
  afterAll(() => {
    router.lock('quit');
    dir.cleanup();
  });

  const today = () => everything[0]!.at.slice(0, 10);

  it('gives exactly the entries each filter describes, newest first, with how many match', async () => {
    const cases: [Filters, (row: Row) => boolean][] = [
      [{ kind: 'credential.revealed' }, (r) => r.event === 'credential.revealed'],
      [{ kind: 'session' }, (r) => r.event.startsWith('session.')],
      [{ actor: 'Dev Dmt' }, (r) => r.actor === 'Dev Dmt'],
      [{ account: 'x:NorfolkPolice' }, (r) => r.account.includes('NorfolkPolice')],
      [
        { account: 'x:NorfolkPolice', actor: 'Dev Dmt', kind: 'credential' },
        (r) =>
          r.account.includes('NorfolkPolice') &&
          r.actor === 'Dev Dmt' &&
          r.event.startsWith('credential.'),
      ],
      [{ from: today(), to: today() }, () => true],
    ];
    for (const [filters, expected] of cases) {
      const result = await page(filters);
      const wanted = everything.filter(expected).map((r) => r.seq);
      expect(wanted.length, JSON.stringify(filters)).toBeGreaterThan(0);
      expect(
        result.rows.map((r) => r.seq),
        JSON.stringify(filters),
      ).toEqual(wanted);
      expect(result.total).toBe(wanted.length);
    }
    // Reveals by Dev on Norfolk: the two, with their reasons.
    const norfolk = await page({ account: 'x:NorfolkPolice', kind: 'credential.revealed' });
    expect(norfolk.rows.map((r) => (r as Row & { reason: string }).reason)).toEqual([
      'second post',
      'posting the appeal',
    ]);
  });

  it('a day after the trail, or before it, matches nothing', async () => {
    const next = new Date(`${today()}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    const after = await page({ from: next.toISOString().slice(0, 10) });
    expect(after).toEqual({ total: 0, rows: [] });
    expect((await page({ to: '2000-01-01' })).total).toBe(0);
  });

  it('pages through a filtered log without gaps or repeats', async () => {
    const all = await page({ kind: 'account' });
    expect(all.total).toBeGreaterThanOrEqual(2);
    const first = await page({ kind: 'account' }, 0, 1);
    const second = await page({ kind: 'account' }, 1, 1);
    expect([...first.rows, ...second.rows].map((r) => r.seq)).toEqual(
      all.rows.slice(0, 2).map((r) => r.seq),
    );
    expect(first.total).toBe(all.total);
  });

  it('says clearly what is wrong with a filter that cannot match', async () => {
    const expectations: [Filters, string, RegExp][] = [
      [{ kind: 'credential.stolen' }, 'INVALID_INPUT', /Unknown event kind/],
      [{ actor: 'Nobody Here' }, 'NOT_FOUND', /No current member is named "Nobody Here"/],
      [{ account: 'x:NoSuchAccount' }, 'NOT_FOUND', /NoSuchAccount/],
      [{ from: '25/11/2026' }, 'INVALID_INPUT', /date/i],
    ];
    for (const [filters, code, message] of expectations) {
      const result = await router.invoke('audit.page', { offset: 0, limit: 10, filters });
      expect(result, JSON.stringify(filters)).toMatchObject({
        ok: false,
        error: { code, message: expect.stringMatching(message) },
      });
    }
    // Still unlocked: a bad filter is the person's to correct, not an integrity failure.
    expect(router.unlocked).toBe(true);
  });
});

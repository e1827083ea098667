import { grantAdministrator } from '../../electron/vault/domain/administrators.ts';
import { findMemberByName } from '../../electron/vault/domain/members.ts';
import { listThirdPartyApps } from '../../electron/vault/domain/third-party-apps.ts';
import { PASSPHRASES, unlockAs } from '../helpers/vault.ts';
import {
  expect,
  expectNoAxeViolations,
  invokeFromPage,
  reachingPastTheRightEdge,
  screenshot,
  test,
  unlock,
} from './fixtures.ts';

test('6.3, 10.2: the DMT records a Corporate Communications app; its administrator gets no Remove, and the core refuses it too', async ({
  console: c,
  vault,
}) => {
  const lead = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  grantAdministrator(lead, vault.accounts[0]!, findMemberByName(lead, 'Ada Admin').id);
  lead.close();
  const { page } = c;
  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('option', { name: /x:NorfolkPolice/ }).click();
  await expect(page.getByText(/No third-party app is recorded on x:NorfolkPolice/)).toContainText(
    '10.2',
  );
  await page.getByRole('button', { name: 'Record a third-party app…' }).click();
  const form = page.getByRole('form', { name: 'Record a third-party app on x:NorfolkPolice' });
  await form.getByLabel('App').fill('Orlo');
  await form.getByLabel('Added by').selectOption('corporate-communications');
  await form.getByLabel('Person who added it').fill('Corporate Communications web team');
  await form.getByLabel('Added on').fill('2026-10-01');
  // Nothing ticked: the core says what to do, and nothing is saved.
  await form.getByRole('button', { name: 'Record app' }).click();
  await expect(page.getByRole('alert')).toContainText('at least one thing the app can reach');
  await form.getByLabel('Post on the account').check();
  await form.getByLabel('Read and send direct messages').check();
  await form.getByRole('button', { name: 'Record app' }).click();
  await expect(page.getByText('Orlo recorded on x:NorfolkPolice.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Third-party apps (1 in use)' })).toBeFocused();
  const orlo = page.getByRole('article', { name: 'Orlo' });
  await expect(orlo).toContainText(
    'added 2026-10-01 by Corporate Communications web team (Corporate Communications)',
  );
  await expect(orlo).toContainText('Can post on the account; read and send direct messages.');
  await expect(orlo).toContainText('not to be deleted by others (policy 6.3)');
  await expect(orlo).toContainText('Small print not read (10.2)');
  await expect(page.locator('.finding-list')).toContainText('Orlo can post on the account');
  await expectNoAxeViolations(page);
  await screenshot(page, 'p15-app-recorded');
  await page.getByRole('button', { name: 'Lock' }).click();

  // The account's administrator: no Remove on Corporate Communications' app (6.3) ...
  await unlock(page, vault.path, 'Ada Admin', PASSPHRASES.admin);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('option', { name: /x:NorfolkPolice/ }).click();
  const seen = page.getByRole('article', { name: 'Orlo' });
  await expect(seen).toContainText('not to be deleted by others (policy 6.3)');
  await expect(seen.getByRole('button')).toHaveCount(0);
  // ... and a renderer that asks anyway is refused by the core, citing 6.3.
  const appId = (await c.router.invoke('apps.list', {})) as { ok: true; value: { id: string }[] };
  const refused = await invokeFromPage(page, 'apps.remove', {
    app: appId.value[0]!.id,
    reason: 'not ours',
  });
  expect(refused).toMatchObject({
    ok: false,
    error: { code: 'FORBIDDEN', message: expect.stringMatching(/6\.3/) },
  });

  // Their own team's app they record and remove, with the reason kept.
  await page.getByRole('button', { name: 'Record a third-party app…' }).click();
  const own = page.getByRole('form', { name: 'Record a third-party app on x:NorfolkPolice' });
  await own.getByLabel('App').fill('Twitpic');
  await own.getByLabel('Person who added it').fill('PC Lowe');
  await own.getByLabel('Added on').fill('2026-10-05');
  await own.getByLabel('Claim or reuse media uploaded through it').check();
  await own.getByLabel('Small print read on (optional, 10.2)').fill('2026-10-05');
  await own.getByRole('button', { name: 'Record app' }).click();
  const twitpic = page.getByRole('article', { name: 'Twitpic' });
  await twitpic.getByRole('button', { name: 'Remove Twitpic' }).click();
  await twitpic
    .getByLabel('Why it was removed (recorded)')
    .fill('Twitpic owns the photos posted through it');
  await twitpic.getByRole('button', { name: 'Record removal' }).click();
  await expect(page.getByText('Removal of Twitpic recorded.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Third-party apps (1 in use)' })).toBeFocused();
  await expect(twitpic).toContainText('removed');
  await expect(twitpic).toContainText('Why removed: Twitpic owns the photos posted through it');
  await expectNoAxeViolations(page);
  await screenshot(page, 'p15-app-admin-view');
  await page.setViewportSize({ width: 320, height: 900 });
  await seen.scrollIntoViewIfNeeded();
  await screenshot(page, 'p15-app-admin-view-320');
  expect(await reachingPastTheRightEdge(page)).toEqual([]);

  // The vault holds both: Orlo as Corporate Communications added it, Twitpic removed by Ada.
  const sam = await unlockAs(vault.path, 'Sam Security', PASSPHRASES.security);
  try {
    const held = listThirdPartyApps(sam, { account: vault.accounts[0]! });
    expect(held.map((a) => [a.value.name, a.value.addedBy, a.clear.removed_on === null])).toEqual([
      ['Orlo', 'corporate-communications', true],
      ['Twitpic', 'account-team', false],
    ]);
    expect(held[0]!.value.reaches).toEqual(['publish', 'direct-messages']);
    expect(held[1]!.value).toMatchObject({ removedBy: 'Ada Admin', termsReadOn: '2026-10-05' });
  } finally {
    sam.close();
  }
});

import { PASSPHRASES } from '../helpers/vault.ts';
import { expect, expectAccessible, screenshot, test, unlock } from './fixtures.ts';

/**
 * Issue 17 (ADR 0027): the dashboard's first screen comes from the sealed summary (accounts, open
 * incidents, quiet periods, the recent trend) and health fills in once it has been painted: the
 * severity tiles say "…" and a note says the policy check is running until dashboard.health
 * answers, then they carry the counts and the week's due list follows.
 */
test('the dashboard shows its first screen, then fills in health against the policy', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  await unlock(page, vault.path, 'Lena Lead', PASSPHRASES.lead);
  const tiles = page.getByRole('list', { name: 'Findings by severity' });
  await expect(page.getByText('Accounts registered')).toBeVisible();
  await expect(tiles.locator('.tile').last()).toContainText('2');
  // Then health: every tile a number, the note gone, the due list in its place.
  await expect(page.getByRole('heading', { name: /Due this week \(\d+\)/ })).toBeVisible();
  await expect(tiles).toHaveAttribute('aria-busy', 'false');
  await expect(page.getByText('Checking every account against the policy')).toHaveCount(0);
  for (const count of await tiles.locator('.tile-count').allTextContents())
    expect(count).toMatch(/^\d+$/);
  await expectAccessible(page);
  await screenshot(page, '70-dashboard-first-screen-then-health');
});

import { MENU_EVENT } from '../../shared/ipc/channels.ts';
import { openVaultFile } from '../../electron/vault/store/connection.ts';
import { PASSPHRASES, unlockAs } from '../helpers/vault.ts';
import { entriesOfKind } from '../helpers/audit.ts';
import { setCredentialExtras } from '../../electron/vault/domain/credential-extras.ts';
import { accountsPastTheFoot, rowsUnder } from './rows-under.ts';
import { expect, expectAccessible, invokeFromPage, screenshot, test, unlock } from './fixtures.ts';

function auditKinds(path: string): string[] {
  const db = openVaultFile(path, { create: false });
  try {
    return db.prepare('SELECT kind FROM audit_entries ORDER BY seq').pluck().all() as string[];
  } finally {
    db.close();
  }
}

test('dashboard shows findings by severity with their clause', async ({ console: c, vault }) => {
  const { page } = c;
  await unlock(page, vault.path, 'Lena Lead', PASSPHRASES.lead);
  await expect(page.getByRole('list', { name: 'Findings by severity' })).toBeVisible();
  await expect(page.getByText('Accounts registered')).toBeVisible();
  await expect(page.getByRole('heading', { name: /Due this week/ })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, '04-dashboard');
});

test('reveal needs a reason, shows the password, and the reveal is audited (6.5)', async ({
  console: c,
  vault,
}) => {
  const { page, router } = c;
  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByLabel('Search accounts').fill('norfolk');
  await expect(page.getByText('1 of 2 accounts')).toBeVisible();
  await page.getByRole('option', { name: /x:NorfolkPolice/ }).click();
  await expect(page.getByRole('heading', { name: 'x:NorfolkPolice' })).toBeVisible();
  await page.getByRole('button', { name: 'Reveal password' }).click();
  await expect(page.getByRole('alert')).toContainText('reason');
  await expect(page.getByTestId('revealed-password')).toHaveCount(0);
  await page.getByLabel(/Reason for access/).fill('posting the missing person appeal');
  await page.getByRole('button', { name: 'Reveal password' }).click();
  await expect(page.getByTestId('revealed-password')).toHaveText('first-Password-1');
  await expectAccessible(page);
  await screenshot(page, '05-account-revealed');
  await page.getByRole('button', { name: 'Hide' }).click();
  await expect(page.getByTestId('revealed-password')).toHaveCount(0);
  router.lock('asked');
  expect(auditKinds(vault.path)).toContain('credential.revealed');
});

test('copy happens in main and the clipboard is cleared after 30 s if it still holds the secret', async ({
  console: c,
  vault,
  timers,
}) => {
  const { page, clipboard } = c;
  await unlock(page, vault.path, 'Lena Lead', PASSPHRASES.lead);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('option', { name: /facebook:SuffolkRoadsPolicing/ }).click();
  await page.getByLabel(/Reason for access/).fill('scheduled post');
  await page.getByRole('button', { name: 'Copy password' }).click();
  await expect(page.getByRole('status')).toContainText('cleared in 30 seconds');
  expect(clipboard.text).toBe('second-Password-2');
  timers.fire(30_000);
  expect(clipboard.text).toBe('');
  // Something the user copied afterwards is left alone.
  await page.getByRole('button', { name: 'Copy username' }).click();
  expect(clipboard.text).toBe('suffolk-roads');
  clipboard.writeText('the user copied this');
  timers.fire(30_000);
  expect(clipboard.text).toBe('the user copied this');
});

test('rotate from the account: the new password is kept and the old one goes into history', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  await unlock(page, vault.path, 'Lena Lead', PASSPHRASES.lead);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('option', { name: /x:NorfolkPolice/ }).click();
  await page.getByRole('button', { name: 'Rotate password…' }).click();
  await page.getByLabel('Why it changes').selectOption('security-risk');
  await page.getByRole('button', { name: 'Generate 6 words' }).click();
  await expect(page.getByLabel(/New password/)).toHaveValue(/^[a-z]+(-[a-z]+){5}$/);
  await expect(page.locator('.strength')).toContainText('strong');
  await page.getByLabel(/New password/).fill('password1');
  await expect(page.locator('.strength')).toContainText('very weak');
  await page.getByLabel(/New password/).fill('Brand-new-Password-77');
  await expect(page.locator('.strength')).not.toContainText('very weak');
  await page
    .getByLabel(/People informed/)
    .fill('Head of Corporate Communications, Information Security');
  await screenshot(page, '06-rotate');
  await page.getByRole('button', { name: 'Save rotation' }).click();
  await expect(page.getByRole('status')).toContainText('Password changed');
  // The form is gone: focus is back on the button that opened it (WCAG 2.4.3).
  await expect(page.getByRole('button', { name: 'Rotate password…' })).toBeFocused();
  await expect(page.locator('.timeline')).toContainText(/rotat/i);
  // In the trail's order, each with its time of day (issue 11): registered, then the rotation.
  const events = page.locator('.timeline li');
  // In the member's own zone (the browser's here: UTC), with ISO dates (issue 15).
  await expect(events.first()).toContainText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC registered/);
  await expect(events.last()).toContainText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC password rotated/);
  await page.locator('.timeline').scrollIntoViewIfNeeded();
  await screenshot(page, '06b-account-history-times');
  await page.getByLabel(/Reason for access/).fill('checking the rotation');
  await page.getByRole('button', { name: 'Reveal password' }).click();
  await expect(page.getByTestId('revealed-password')).toHaveText('Brand-new-Password-77');
});

test('a security member finds no reveal or copy control, and the channel refuses them', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  await unlock(page, vault.path, 'Sam Security', PASSPHRASES.security);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('option', { name: /x:NorfolkPolice/ }).click();
  await expect(page.getByRole('heading', { name: 'x:NorfolkPolice' })).toBeVisible();
  await expect(page.getByRole('button', { name: /reveal|copy|rotate/i })).toHaveCount(0);
  await screenshot(page, '07-security-account');
  const result = await invokeFromPage(page, 'credentials.reveal', {
    account: vault.accounts[0],
    reason: 'curious',
  });
  expect(result).toEqual({
    ok: false,
    error: { code: 'FORBIDDEN', message: expect.stringContaining('security') },
  });
});

test('keyboard only: unlock, find an account, give a reason and copy its password', async ({
  console: c,
  vault,
}) => {
  const { page, clipboard } = c;
  await page.getByLabel('Vault file').focus();
  await page.keyboard.type(vault.path);
  // The preview types the path (no system dialog, so no Choose… button to pass).
  await page.keyboard.press('Tab');
  await page.keyboard.type('Lena Lead');
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSPHRASES.lead);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('navigation', { name: 'Views' })).toBeVisible();
  // Views: Dashboard, Accounts.
  await page.getByRole('button', { name: 'Dashboard' }).focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Accounts' })).toBeVisible();
  await page.getByLabel('Search accounts').focus();
  await page.keyboard.type('Suffolk');
  // As in KeePassXC and Bitwarden: Enter in the search box goes to the first result, in the list.
  await page.keyboard.press('Enter');
  await expect(page.getByRole('listbox', { name: 'Accounts' })).toBeFocused();
  await expect(page.getByRole('heading', { name: 'facebook:SuffolkRoadsPolicing' })).toBeVisible();
  await expect(page.getByRole('option', { name: /SuffolkRoadsPolicing/ })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  // Down from the search box does the same; Up in the list stays on the first.
  await page.getByLabel('Search accounts').focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('listbox', { name: 'Accounts' })).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(page.getByRole('heading', { name: 'facebook:SuffolkRoadsPolicing' })).toBeVisible();
  await page.getByLabel(/Reason for access/).focus();
  await page.keyboard.type('keyboard-only test');
  await page.keyboard.press('Tab'); // Reveal
  await page.keyboard.press('Tab'); // Copy username
  await page.keyboard.press('Tab'); // Copy password
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toContainText('Password copied');
  expect(clipboard.text).toBe('second-Password-2');
});

test('Ctrl+F finds: the accounts view opens with the search focused; the menu copies for the account shown', async ({
  console: c,
  vault,
}) => {
  const { page, clipboard } = c;
  await unlock(page, vault.path, 'Lena Lead', PASSPHRASES.lead);
  await page.keyboard.press('Control+f');
  await expect(page.getByLabel('Search accounts')).toBeFocused();
  await page.keyboard.type('Roads');
  await page.getByRole('option', { name: /SuffolkRoadsPolicing/ }).click();
  // The detail loads after the click; the menu acts on the account once its credentials are shown.
  await expect(page.getByRole('heading', { name: /SuffolkRoadsPolicing/ })).toBeVisible();
  await expect(page.getByLabel(/Reason for access/)).toBeVisible();
  // The Electron menu's "Copy password" arrives as this event (electron/preload).
  const menu = (command: string) =>
    page.evaluate(
      ([name, detail]) => {
        (globalThis as unknown as EventTarget).dispatchEvent(new CustomEvent(name, { detail }));
      },
      [MENU_EVENT, command] as const,
    );
  // The menu's copy asks the reason first: nothing is copied until it is given.
  await menu('copy-password');
  const prompt = page.getByRole('dialog', {
    name: 'Copy the password of facebook:SuffolkRoadsPolicing',
  });
  await expect(prompt.getByLabel(/Reason/)).toBeFocused();
  await expect(prompt.getByRole('button', { name: 'Copy' })).toBeDisabled();
  expect(clipboard.text).toBe('');
  await prompt.getByRole('button', { name: 'Cancel' }).click();
  await expect(prompt).toHaveCount(0);
  await page.getByLabel(/Reason for access/).fill('weekly schedule');
  await menu('copy-username');
  // The reason typed in the panel is the one offered; Enter copies with it.
  const username = page.getByRole('dialog', { name: /Copy the username/ });
  await expect(username.getByLabel(/Reason/)).toHaveValue('weekly schedule');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toContainText('Username copied');
  expect(clipboard.text).toBe('suffolk-roads');
});

test('register an existing account with its login (9.8); a duplicate handle is refused', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('button', { name: 'Register an account…' }).click();
  const form = page.getByRole('form', { name: 'Register an account (9.8)' });
  await form.getByLabel('Platform').selectOption('youtube');
  await form.getByLabel('Handle').fill('NorfolkPoliceTV');
  await form.getByLabel('Unit type').selectOption('department');
  await form.getByLabel('Unit name').fill('Corporate Communications');
  await form.getByLabel('Username').fill('norfolk-yt');
  await form.getByLabel('Password', { exact: true }).fill('Granite-Willow-Tune-23');
  await expectAccessible(page);
  await screenshot(page, '23-register-account');
  await form.getByRole('button', { name: 'Register account' }).click();
  await expect(page.getByRole('heading', { name: 'youtube:NorfolkPoliceTV' })).toBeVisible();
  await expect(page.getByText('3 of 3 accounts')).toBeVisible();
  await page.getByRole('button', { name: 'Register an account…' }).click();
  await form.getByLabel('Platform').selectOption('x');
  await form.getByLabel('Handle').fill('NorfolkPolice');
  await form.getByLabel('Unit name').fill('Anything');
  await form.getByLabel('Username').fill('someone');
  await form.getByLabel('Password', { exact: true }).fill('Another-Password-1');
  await form.getByRole('button', { name: 'Register account' }).click();
  await expect(form.getByRole('alert')).toContainText(/already/i);
});

test('import accounts from a CSV (9.8): checked first, a blank password refused until generation is ticked, then only the valid rows are written', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('button', { name: 'Import accounts…' }).click();
  const csv = [
    'platform,handle,force,unit_type,unit,username,password',
    'instagram,NorfolkPoliceDogs,norfolk,specialist,Dog Section,dogs-team,Kennel-Brindle-Walk-42',
    'tiktok,SuffolkPoliceTikTok,suffolk,department,Corporate Communications,suffolk-tt,',
    'x,NorfolkPolice,norfolk,department,Corporate Communications,dup,Another-Password-99',
    'myspace,Nowhere,norfolk,team,Nobody,nobody,Some-Password-12',
  ].join('\n');
  await page.getByLabel('File to import').setInputFiles({
    name: 'accounts.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(csv),
  });
  await expect(page.getByRole('status')).toContainText(
    '1 of 4 rows can be registered; 1 already registered (skipped); 2 cannot',
  );
  const report = page.getByRole('table');
  await expect(
    report.getByRole('row', { name: /x:NorfolkPolice skipped: already registered/ }),
  ).toBeVisible();
  await expect(
    report.getByRole('row', { name: /SuffolkPoliceTikTok no password: .*real password \(9\.8\)/ }),
  ).toBeVisible();
  await expect(
    report.getByRole('row', { name: /myspace:Nowhere platform: must be one of x, facebook/ }),
  ).toBeVisible();
  // Generation only when asked for: the row then says the password must go on the platform.
  await page.getByRole('checkbox', { name: /Generate a password for rows without one/ }).check();
  await expect(page.getByRole('status')).toContainText(
    '2 of 4 rows can be registered; 1 already registered (skipped); 1 cannot',
  );
  await expect(
    report.getByRole('row', {
      name: /SuffolkPoliceTikTok ready \(a password will be generated: set it on the platform/,
    }),
  ).toBeVisible();
  // Nothing is written by the check.
  await expect(page.getByText('2 of 2 accounts')).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, '24-import-csv');
  await page.getByRole('button', { name: 'Register the 2 valid rows' }).click();
  await expect(page.getByRole('status')).toContainText(
    'Registered 2 accounts. 1 with a generated password: set each on its platform now',
  );
  await expect(
    report.getByRole('row', {
      name: /SuffolkPoliceTikTok registered; password generated: change the password on the platform to it now/,
    }),
  ).toBeVisible();
  await expect(page.getByText('4 of 4 accounts')).toBeVisible();
  await expect(page.getByRole('option', { name: /instagram:NorfolkPoliceDogs/ })).toBeVisible();
  expect(auditKinds(vault.path)).toContain('accounts.imported');
});

test('a long import shows a progress bar of its rows, a batch at a time', async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('button', { name: 'Import accounts…' }).click();
  // Three batches (200, 200, 60): the bar stays at 200 while the whole second batch is written,
  // long enough to be seen however fast the machine is (with 260 rows it stood there only for 60).
  const rows = Array.from(
    { length: 460 },
    (_, i) => `x,Bulk${i},norfolk,team,Bulk Team,bulk${i},Bulk-Password-${i}-k`,
  );
  await page.getByLabel('File to import').setInputFiles({
    name: 'bulk.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      ['platform,handle,force,unit_type,unit,username,password', ...rows].join('\n'),
    ),
  });
  await expect(page.getByRole('status')).toContainText('460 of 460 rows can be registered');
  await page.getByRole('button', { name: 'Register all 460' }).click();
  const bar = page.getByRole('progressbar', { name: 'Import progress' });
  await expect(bar).toHaveAttribute('value', '200', { timeout: 60_000 });
  await expect(page.getByText('200 of 460 rows (43%)')).toBeVisible();
  await screenshot(page, '24-import-progress');
  await expect(page.getByRole('status')).toContainText('Registered 460 accounts.', {
    timeout: 60_000,
  });
  await expect(bar).toHaveCount(0);
  await expect(page.getByText('462 of 462 accounts')).toBeVisible();
});

test("the import is the lead and DMT's: an admin sees no import, and the channel refuses them", async ({
  console: c,
  vault,
}) => {
  const { page } = c;
  await unlock(page, vault.path, 'Ada Admin', PASSPHRASES.admin);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await expect(page.getByRole('button', { name: 'Import accounts…' })).toHaveCount(0);
  const refused = await invokeFromPage(page, 'accounts.import', {
    csv: 'platform,handle\nx,Sneaky',
    mode: 'all',
  });
  expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
});

test("KeePassXC's keys copy with a reason: Ctrl+C password, Ctrl+B username, Ctrl+T code, double-click; the reason is the last one given; the countdown ends in a notice", async ({
  console: c,
  vault,
  timers,
}) => {
  const { page, clipboard } = c;
  const lead = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  setCredentialExtras(lead, vault.accounts[0]!, { totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' });
  lead.close();
  await page.clock.install();
  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  await page.getByRole('button', { name: 'Accounts' }).click();
  const list = page.getByRole('listbox', { name: 'Accounts' });
  await page.getByRole('option', { name: /x:NorfolkPolice/ }).click();
  await expect(page.getByRole('heading', { name: 'x:NorfolkPolice' })).toBeVisible();
  await page.getByLabel(/Reason for access/).fill('posting the witness appeal');
  await page.getByRole('button', { name: 'Reveal password' }).click();
  await page.getByRole('button', { name: 'Hide' }).click();

  // Ctrl+C in the list: the password, after the reason, prefilled and selected.
  await list.focus();
  await page.keyboard.press('Control+c');
  const prompt = page.getByRole('dialog', { name: 'Copy the password of x:NorfolkPolice' });
  const reason = prompt.getByLabel(/Reason/);
  await expect(reason).toBeFocused();
  await expect(reason).toHaveValue('posting the witness appeal');
  await expectAccessible(page);
  await screenshot(page, '46-copy-reason-prompt');
  await page.keyboard.press('Enter');
  await expect(prompt).toHaveCount(0);
  expect(clipboard.text).toBe('first-Password-1');
  const notice = page.locator('.clipboard-notice');
  await expect(notice.getByRole('status')).toHaveText(
    'Password copied. The clipboard is cleared in 30 seconds.',
  );
  await page.clock.fastForward(10_000);
  await expect(notice).toContainText('20 s left');
  await screenshot(page, '47-clipboard-countdown');
  // Main clears it at 30 s; the window then says so.
  timers.fire(30_000);
  expect(clipboard.text).toBe('');
  await page.clock.fastForward(21_000);
  await expect(notice.getByRole('status')).toHaveText('The clipboard has been cleared.');

  // Ctrl+B: the username; Escape copies nothing and focus goes back to the list.
  await list.focus();
  await page.keyboard.press('Control+b');
  await expect(page.getByRole('dialog', { name: /Copy the username/ })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(list).toBeFocused();
  expect(clipboard.text).toBe('');

  // Ctrl+T: the current TOTP code, six digits.
  await page.keyboard.press('Control+t');
  await page.keyboard.press('Enter');
  await expect(page.locator('.clipboard-notice').getByRole('status')).toContainText(
    'TOTP code copied',
  );
  expect(clipboard.text).toMatch(/^\d{6}$/);
  // Something copied over it is left alone, and the window says why.
  clipboard.writeText('a press line the member copied');
  timers.fire(30_000);
  await page.clock.fastForward(31_000);
  await expect(page.locator('.clipboard-notice').getByRole('status')).toContainText(
    'left alone: something else was copied since',
  );
  expect(clipboard.text).toBe('a press line the member copied');

  // Ctrl+C with text selected in a field is the ordinary Copy: no prompt.
  await page.getByLabel('Search accounts').fill('Norfolk');
  await page.getByLabel('Search accounts').selectText();
  await page.keyboard.press('Control+c');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // A double-click on an account in the list: its password, after the reason.
  await page.getByLabel('Search accounts').fill('');
  await page.getByRole('option', { name: /facebook:SuffolkRoadsPolicing/ }).dblclick();
  const other = page.getByRole('dialog', {
    name: 'Copy the password of facebook:SuffolkRoadsPolicing',
  });
  // Dev never gave a reason for this account: nothing to prefill, and Copy waits for one.
  await expect(other.getByLabel(/Reason/)).toHaveValue('');
  await expect(other.getByRole('button', { name: 'Copy' })).toBeDisabled();
  await other.getByLabel(/Reason/).fill('replying to a comment');
  await page.keyboard.press('Enter');
  expect(clipboard.text).toBe('second-Password-2');

  // Every copy is in the trail with its field and reason.
  c.router.lock('asked');
  const check = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  const copies = entriesOfKind(check, 'credential.copied');
  check.close();
  expect(copies.map((e) => [e.details.field, e.details.reason])).toEqual([
    ['password', 'posting the witness appeal'],
    ['totp', 'posting the witness appeal'],
    ['password', 'replying to a comment'],
  ]);
});

test("the clipboard's countdown is a bar under the views: for the 30 s a copied password stays, it covers no account row, at 1280 and at 320 px", async ({
  console: c,
  vault,
  timers,
}) => {
  const { page } = c;
  const lead = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  accountsPastTheFoot(lead);
  lead.close();
  // The page's clock stands still: the countdown stays on screen while it is measured.
  await page.clock.install();
  await unlock(page, vault.path, 'Dev Dmt', PASSPHRASES.dmt);
  await page.getByRole('button', { name: 'Accounts' }).click();
  const list = page.getByRole('listbox', { name: 'Accounts' });
  await page.getByRole('option', { name: /x:NorfolkPolice/ }).click();
  await list.focus();
  await page.keyboard.press('Control+c');
  const prompt = page.getByRole('dialog', { name: 'Copy the password of x:NorfolkPolice' });
  await prompt.getByLabel(/Reason/).fill('posting the witness appeal');
  await page.keyboard.press('Enter');
  const notice = page.locator('.clipboard-notice');
  await expect(notice.getByRole('status')).toHaveText(
    'Password copied. The clipboard is cleared in 30 seconds.',
  );
  for (const size of [
    { width: 1280, height: 800 },
    { width: 320, height: 800 },
    { width: 320, height: 900 },
  ]) {
    await page.setViewportSize(size);
    await page.evaluate(
      `document.querySelector('.list-scroller').scrollIntoView({ block: 'end' })`,
    );
    const under = await rowsUnder(page, '.clipboard-notice');
    const at = `${size.width}×${size.height}`;
    expect(under.noticeHeight, at).toBeGreaterThan(0);
    expect(under.shown, at).toBeGreaterThan(3);
    expect(under.covered, at).toEqual([]);
    await screenshot(page, `48-clipboard-countdown-${size.width}x${size.height}`);
  }
  // `role="status"` stays the console's one.
  expect(await page.locator('[role="status"]').count()).toBe(1);
  timers.fire(30_000);
});

import type { Locator, Page } from '@playwright/test';
import { openCredential } from '../../electron/vault/domain/credentials.ts';
import { addDevice, listDevices, listIncidents } from '../../electron/vault/domain/devices.ts';
import { addPerson, resolvePerson } from '../../electron/vault/domain/people.ts';
import { membershipsOf } from '../../electron/vault/domain/teams.ts';
import { entriesOfKind } from '../helpers/audit.ts';
import { PASSPHRASES, unlockAs } from '../helpers/vault.ts';
import { expect, screenshot, test } from './fixtures.ts';

/**
 * Issue 15's working day, from the keyboard alone (WCAG 2.1.1, 2.4.3): only `page.keyboard`, no
 * click and no `focus()`. Each step is reached with Tab (or Shift+Tab) from wherever the previous
 * one left the focus, so a step that drops the focus on the page's body fails here: Tab from the
 * body starts again at the top of the page, and the next control is not where the day needs it.
 */

/** Whether `target` has the keyboard focus. */
function hasFocus(target: Locator): Promise<boolean> {
  return target.evaluate(
    (el: { ownerDocument: { activeElement: unknown } }) => el === el.ownerDocument.activeElement,
  );
}

/** What has the focus, in words: the tag and its accessible text, for a failure message. */
function focusedElement(page: Page): Promise<string> {
  return page.evaluate<string>(`(() => {
    const el = document.activeElement;
    if (!el) return 'nothing';
    const name = el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 60) ?? '';
    return el.tagName.toLowerCase() + ' "' + name + '"';
  })()`);
}

/**
 * Press Tab (Shift+Tab going back) until `target` has the focus, as a keyboard user would; fail
 * if it is not reached within `most` presses (the page's order does not lead there).
 */
async function tabTo(page: Page, target: Locator, { back = false, most = 40 } = {}) {
  for (let i = 0; i < most; i++) {
    if (await hasFocus(target)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  if (await hasFocus(target)) return;
  throw new Error(
    `${String(target)} not reached in ${most} ${back ? 'Shift+Tab' : 'Tab'} presses; the focus is on ${await focusedElement(page)}`,
  );
}

/** Focus is somewhere a keyboard user can go on from: never the page's body. */
async function expectFocusNotLost(page: Page) {
  expect(await focusedElement(page)).not.toMatch(/^body /);
}

test('a working day from the keyboard alone: unlock, search, copy with Ctrl+C, rotate with the generator, give and remove access, report a lost device through the wizard, lock', async ({
  console: c,
  vault,
}) => {
  const lead = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  addPerson(lead, { name: 'Kay Patel', masterclassOn: '2026-01-10' });
  addDevice(lead, {
    owner: 'Kay Patel',
    kind: 'force',
    label: 'Kay work phone',
    accounts: [vault.accounts[0]!],
  });
  lead.close();
  const { page, clipboard } = c;

  // Unlock: from the top of the page, Tab to each field.
  await tabTo(page, page.getByLabel('Vault file'));
  await page.keyboard.type(vault.path);
  await tabTo(page, page.getByLabel('Your member name'));
  await page.keyboard.type('Dev Dmt');
  await tabTo(page, page.getByLabel('Passphrase', { exact: true }));
  await page.keyboard.type(PASSPHRASES.dmt);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();
  // The focus is in the console's content, not on the body the unlock form left.
  await expect(page.getByRole('main')).toBeFocused();

  // Search: Ctrl+F, then Enter to the first result.
  await page.keyboard.press('Control+f');
  const search = page.getByLabel('Search accounts');
  await expect(search).toBeFocused();
  await page.keyboard.type('Norfolk');
  await page.keyboard.press('Enter');
  const list = page.getByRole('listbox', { name: 'Accounts' });
  await expect(list).toBeFocused();
  await expect(page.getByRole('heading', { name: 'x:NorfolkPolice', level: 2 })).toBeVisible();

  // Ctrl+C: the password, after the reason (6.5); focus comes back to the list.
  await page.keyboard.press('Control+c');
  const prompt = page.getByRole('dialog', { name: 'Copy the password of x:NorfolkPolice' });
  await expect(prompt.getByLabel(/Reason/)).toBeFocused();
  await page.keyboard.type('posting the witness appeal');
  await page.keyboard.press('Enter');
  await expect(prompt).toHaveCount(0);
  expect(clipboard.text).toBe('first-Password-1');
  await expect(page.locator('.clipboard-notice').getByRole('status')).toContainText(
    'Password copied',
  );
  await expect(list).toBeFocused();

  // Rotate with the generator, copying the new password through main to set on the platform.
  const rotateButton = page.getByRole('button', { name: 'Rotate password…' });
  await tabTo(page, rotateButton);
  await page.keyboard.press('Enter');
  const rotate = page.getByRole('form', { name: 'Rotate password' });
  await expect(rotate).toContainText('Custodian does not change the password on the platform');
  await tabTo(page, rotate.getByRole('button', { name: 'Generate 24 characters' }));
  await page.keyboard.press('Enter');
  const newPassword = rotate.getByLabel(/New password/);
  await expect(newPassword).toHaveValue(/^.{24}$/);
  await tabTo(page, rotate.getByRole('button', { name: /Copy new password/ }));
  await page.keyboard.press('Enter');
  await expect(rotate.getByRole('status')).toContainText('paste it on the platform now');
  const generated = await newPassword.inputValue();
  expect(clipboard.text).toBe(generated);
  await tabTo(page, rotate.getByLabel(/People informed/));
  await page.keyboard.type('Corporate Communications duty desk');
  await tabTo(page, rotate.getByRole('button', { name: 'Save rotation' }));
  await page.keyboard.press('Enter');
  await expect(rotate).toHaveCount(0);
  await expect(
    page.getByRole('status').filter({ hasText: 'Password changed and recorded.' }),
  ).toBeVisible();
  // Back on the button that opened the form, beside what was said.
  await expect(rotateButton).toBeFocused();
  await screenshot(page, '90-keyboard-day-rotated');

  // Give Kay Patel access, then remove it.
  const giveTo = page.getByLabel('Give access to');
  await tabTo(page, giveTo);
  await page.keyboard.press('ArrowDown');
  await expect(giveTo.locator('option:checked')).toHaveText('Kay Patel');
  await tabTo(page, page.getByLabel('Why (recorded, 10.2)'));
  await page.keyboard.type('covering the witness appeal');
  await page.keyboard.press('Enter');
  const team = page.getByRole('heading', { name: /^Team \(/ });
  await expect(team).toHaveText('Team (1 with access)');
  await expect(page.getByRole('status').filter({ hasText: 'Access recorded.' })).toBeVisible();
  await expectFocusNotLost(page);
  const remove = page.getByRole('button', { name: 'Remove access for Kay Patel' });
  await tabTo(page, remove, { back: true });
  await page.keyboard.press('Enter');
  await expect(team).toHaveText('Team (0 with access)');
  await expect(
    page.getByRole('status').filter({ hasText: "Kay Patel's access removed" }),
  ).toBeVisible();
  await expect(team).toBeFocused();
  await screenshot(page, '91-keyboard-day-access-removed');

  // Devices: back up to the views (Shift+Tab), then report the phone lost and finish the wizard.
  const devices = page.getByRole('navigation', { name: 'Views' }).getByRole('button', {
    name: 'Devices',
  });
  await tabTo(page, devices, { back: true, most: 80 });
  await page.keyboard.press('Enter');
  await expect(
    page.getByRole('heading', { name: 'Devices and lost-device incidents' }),
  ).toBeVisible();
  await tabTo(page, page.getByRole('button', { name: 'Report lost: Kay work phone' }));
  await page.keyboard.press('Enter');
  const lostOn = page.getByLabel('When Kay work phone was lost');
  await expect(lostOn).toBeFocused();
  await tabTo(page, page.getByRole('button', { name: 'Confirm: Kay work phone is lost' }));
  await page.keyboard.press('Enter');
  const heading = page.getByRole('heading', { name: /^Lost: Kay work phone/ });
  await expect(heading).toBeFocused();
  const wizard = page.getByRole('region', { name: /Lost: Kay work phone/ });

  const references = {
    'ICT Service Desk': 'INC0048213',
    'Information Security': 'IS-2026-311',
    'Corporate Communications': 'CC-77',
  };
  for (const [party, reference] of Object.entries(references)) {
    await tabTo(page, wizard.getByLabel(`${party} reference (ticket or case number)`));
    await page.keyboard.type(reference);
    await page.keyboard.press('Enter');
    await expect(wizard).toContainText(`${party}: told`);
    await expect(wizard).toContainText(`reference ${reference}`);
    // Back at the wizard's top, from where Tab reaches the next step.
    await expect(heading).toBeFocused();
  }
  await expect(wizard).toContainText('3 of 3');
  await tabTo(page, wizard.getByRole('button', { name: 'Rotate x:NorfolkPolice' }));
  await page.keyboard.press('Enter');
  const lostRotate = wizard.getByRole('form', { name: 'Rotate password' });
  await expect(lostRotate.getByLabel('Why it changes')).toHaveValue('lost-device');
  await expect(lostRotate.getByLabel('Why it changes')).toBeFocused();
  await tabTo(page, lostRotate.getByRole('button', { name: 'Generate 6 words' }));
  await page.keyboard.press('Enter');
  await expect(lostRotate.getByLabel(/New password/)).toHaveValue(/^\S+(-\S+){5}$/);
  const afterLoss = await lostRotate.getByLabel(/New password/).inputValue();
  await tabTo(page, lostRotate.getByRole('button', { name: 'Save rotation' }));
  await page.keyboard.press('Enter');
  await expect(wizard).toHaveCount(0);
  const resolved = page.getByRole('status').filter({ hasText: 'The incident is resolved' });
  await expect(resolved).toBeFocused();
  await expect(page.getByText('recorded as told')).toHaveCount(0);
  await expect(page.getByRole('row', { name: /Kay work phone/ })).toContainText(
    'incident resolved',
  );
  await expect(page.getByRole('button', { name: 'Report lost: Kay work phone' })).toHaveCount(0);
  await screenshot(page, '92-keyboard-day-incident-resolved');

  // Lock (Ctrl+L): the file and name are remembered, the passphrase field has the focus.
  await page.keyboard.press('Control+l');
  await expect(page.getByLabel('Passphrase', { exact: true })).toBeFocused();
  await expect(page.getByLabel('Your member name')).toHaveValue('Dev Dmt');
  await screenshot(page, '93-keyboard-day-locked');

  // What the vault holds: the wizard's rotation is the current password, the first one in the
  // history; Kay's access given and removed; the incident resolved with each reference; the copy
  // audited with its reason.
  const check = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
  try {
    expect(generated).not.toBe(afterLoss);
    expect(openCredential(check, vault.accounts[0]!).password).toBe(afterLoss);
    const rotations = entriesOfKind(check, 'credential.rotated').map((e) => e.details['reason']);
    expect(rotations).toEqual(['scheduled', 'lost-device']);
    const kay = resolvePerson(check, 'Kay Patel');
    const kays = membershipsOf(check, vault.accounts[0]!).filter(
      (m) => m.clear.person_id === kay.id,
    );
    expect(kays).toHaveLength(1);
    expect(kays[0]!.clear.revoked_on).not.toBeNull();
    const [incident] = listIncidents(check);
    expect(incident?.clear.resolved_at).toEqual(expect.any(String));
    expect(incident?.value.references).toEqual({
      ict: 'INC0048213',
      infosec: 'IS-2026-311',
      'corporate-comms': 'CC-77',
    });
    expect(listDevices(check).map((d) => d.value.label)).toEqual(['Kay work phone']);
    expect(
      entriesOfKind(check, 'credential.copied').map((e) => [e.details.field, e.details.reason]),
    ).toEqual([['password', 'posting the witness appeal']]);
  } finally {
    check.close();
  }
});

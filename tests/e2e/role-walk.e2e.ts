import type { Page } from '@playwright/test';
import { grantAdministrator } from '../../electron/vault/domain/administrators.ts';
import { addDevice } from '../../electron/vault/domain/devices.ts';
import { findMemberByName } from '../../electron/vault/domain/members.ts';
import { addPerson } from '../../electron/vault/domain/people.ts';
import { requestAccount } from '../../electron/vault/domain/requests.ts';
import { grantAccess } from '../../electron/vault/domain/teams.ts';
import type { VaultRouter } from '../../electron/vault/router.ts';
import type { Role } from '../../shared/domain/roles.ts';
import { PASSPHRASES, unlockAs } from '../helpers/vault.ts';
import { expect, expectNoAxeViolations, screenshot, test, unlock } from './fixtures.ts';

/**
 * Issue 15: every control the console shows a role can be used by that role (10.2, 9.14; the
 * contract's role lists, shared/domain/roles.ts). For each role this walks every view (and in
 * Accounts every account), presses every enabled button it finds, filling each form's empty
 * fields with plausible values before its submit, and fails if the core refused anything as not
 * permitted, or the window says so. A refusal of the values themselves (a handle taken, a date
 * out of range) is not a permission: those are listed in the failure message only for context.
 * axe then finds no violation of any impact on each view as the walk left it.
 */

const MEMBERS: Record<Role, { name: string; passphrase: string }> = {
  lead: { name: 'Lena Lead', passphrase: PASSPHRASES.lead },
  dmt: { name: 'Dev Dmt', passphrase: PASSPHRASES.dmt },
  admin: { name: 'Ada Admin', passphrase: PASSPHRASES.admin },
  security: { name: 'Sam Security', passphrase: PASSPHRASES.security },
};

/** Buttons the walk leaves alone: Lock (the views are outside the content, opened in turn). */
const NOT_PRESSED = /^Lock$/;

interface Refusal {
  channel: string;
  code: string;
  message: string;
}

/** Every answer the core gives the window, kept; and how many requests are still out. */
function watch(router: VaultRouter) {
  const refusals: Refusal[] = [];
  let inFlight = 0;
  const invoke = router.invoke.bind(router);
  router.invoke = async (channel: unknown, payload: unknown) => {
    inFlight++;
    try {
      const result = await invoke(channel, payload);
      if (!result.ok) refusals.push({ channel: String(channel), ...result.error });
      return result;
    } finally {
      inFlight--;
    }
  };
  return { refusals, settled: () => inFlight === 0 };
}

/** The member's calendar day, as a date field takes it. */
const TODAY = new Date().toISOString().slice(0, 10);

/** A value a field of this kind and label would take from a member. */
function valueFor(type: string, label: string, n: number, dir: string): string | null {
  const l = label.toLowerCase();
  if (type === 'date') return TODAY;
  if (type === 'datetime-local') return null; // empty means now
  if (type === 'email' || l.includes('e-mail')) return `walk${n}@norfolk.police.uk`;
  if (type === 'tel' || l.includes('phone')) return '01603 768000';
  if (type === 'url' || l.includes('url') || l.includes('address')) return `https://x.com/walk${n}`;
  if (type === 'number') return '1';
  if (l.includes('file') || l.includes('save') || l.includes('folder')) return `${dir}/walk-${n}`;
  if (type === 'password' || l.includes('passphrase') || l.includes('password'))
    return `violet quarry lantern ribbon ${n} harbour`;
  if (l.includes('secret')) return 'JBSWY3DPEHPK3PXP';
  if (l.includes('recovery')) return `7f3e-91ab-${n}`;
  if (l.includes('handle')) return `WalkHandle${n}`;
  return `Walk entry ${n}`;
}

interface EmptyField {
  index: number;
  kind: string;
  label: string;
  firstOption: string | null;
}

/**
 * The empty fields of the form the button marked `data-walk="<name>"` submits, in one look at
 * the page (a select's first real option beside it).
 */
function emptyFieldsOf(page: Page, name: string): Promise<EmptyField[]> {
  return page.evaluate(
    `((name) => {
      const button = [...document.querySelectorAll('main button[data-walk]')]
        .find((b) => b.getAttribute('data-walk') === name);
      const form = button && button.form;
      if (!form) return [];
      return [...form.querySelectorAll('input, textarea, select')].map((el, index) => {
        if (el.getClientRects().length === 0 || el.disabled || el.readOnly || el.value !== '') return null;
        if (['checkbox', 'radio', 'file', 'hidden'].includes(el.type)) return null;
        const label = el.id ? (document.querySelector('label[for="' + el.id + '"]')?.textContent ?? '') : '';
        const kind = el.tagName === 'SELECT' ? 'select' : el.type || 'text';
        const firstOption = el.tagName === 'SELECT'
          ? ([...el.options].map((o) => o.value).find((v) => v !== '') ?? null) : null;
        return { index, kind, label, firstOption };
      }).filter(Boolean);
    })(${JSON.stringify(name)})`,
  );
}

/**
 * Fill those fields as typing or choosing would (React hears the native setter's input and change
 * events), then press the button: one trip to the page.
 */
function fillAndPress(page: Page, name: string, values: [number, string][]): Promise<void> {
  return page.evaluate(
    `((name, values) => {
      const button = [...document.querySelectorAll('main button[data-walk]')]
        .find((b) => b.getAttribute('data-walk') === name);
      const fields = button.form ? [...button.form.querySelectorAll('input, textarea, select')] : [];
      for (const [index, value] of values) {
        const el = fields[index];
        const proto = Object.getPrototypeOf(el);
        Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, value);
        el.dispatchEvent(new Event('input', { bubbles: true }));
        el.dispatchEvent(new Event('change', { bubbles: true }));
      }
      button.click();
    })(${JSON.stringify(name)}, ${JSON.stringify(values)})`,
  );
}

/** Wait until the window has every answer it asked for and has drawn them. */
async function settle(page: Page, settled: () => boolean) {
  for (let pass = 0; pass < 2; pass++) {
    const until = Date.now() + 10_000;
    while (!settled()) {
      if (Date.now() > until) throw new Error('A request to the core did not answer in 10 s.');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await page.evaluate('new Promise((resolve) => requestAnimationFrame(resolve))');
  }
}

/**
 * The enabled buttons in view in the console's content, each marked `data-walk` with its name (its
 * accessible label, else its text), in one look at the page.
 */
function buttonsIn(
  page: Page,
): Promise<{ name: string; submit: boolean; nameHidesText: boolean }[]> {
  return page.evaluate(`[...document.querySelectorAll('main button')]
    .filter((b) => !b.disabled && b.getClientRects().length > 0)
    .map((b) => {
      const label = b.getAttribute('aria-label');
      const text = b.innerText.replace(/…/g, '').trim();
      const name = (label || text).trim();
      b.setAttribute('data-walk', name);
      // WCAG 2.5.3: a voice user says what they see; the name must contain the visible words.
      const nameHidesText = label !== null && !label.toLowerCase().includes(text.toLowerCase());
      return { name, submit: b.type === 'submit', nameHidesText };
    })`);
}

/**
 * Which control a button is, for pressing each once: its name without numbers, so the trail's
 * entry #63 and entry #64 (or "Walk entry 9" and "Walk entry 10") are the same control.
 */
const kindOf = (name: string) => name.replace(/\d+/g, 'N');

/** Buttons whose accessible name does not contain their visible text (WCAG 2.5.3). */
const mismatched = new Set<string>();

/**
 * Press every enabled button in `scope` once (by its name), filling forms before their submit;
 * buttons that appear as others are pressed are pressed too. `before` brings the view back to
 * where the walk began (a pressed button may have changed it).
 */
async function pressEverything(
  page: Page,
  settled: () => boolean,
  dir: string,
  pressed: Set<string>,
  before: () => Promise<void>,
) {
  for (let round = 0; round < 150; round++) {
    await before();
    const buttons = await buttonsIn(page);
    for (const b of buttons) if (b.nameHidesText) mismatched.add(b.name);
    const next = buttons.find((b) => !NOT_PRESSED.test(b.name) && !pressed.has(kindOf(b.name)));
    if (!next) return;
    pressed.add(kindOf(next.name));
    const values: [number, string][] = [];
    if (next.submit)
      for (const field of await emptyFieldsOf(page, next.name)) {
        const value =
          field.kind === 'select'
            ? field.firstOption
            : valueFor(field.kind, field.label, pressed.size, dir);
        if (value !== null) values.push([field.index, value]);
      }
    await fillAndPress(page, next.name, values);
    await settle(page, settled);
  }
  throw new Error('The walk did not end: a button keeps appearing under new names.');
}

async function walkAs(
  role: Role,
  page: Page,
  router: VaultRouter,
  vault: { path: string; dir: string },
) {
  const { refusals, settled } = watch(router);
  await unlock(page, vault.path, MEMBERS[role].name, MEMBERS[role].passphrase);
  const nav = page.getByRole('navigation', { name: 'Views' });
  const views = (await nav.getByRole('button').allInnerTexts()).map((v) => v.trim());
  const main = page.getByRole('main');
  /** Where the walk is: the view shown and the account chosen (its place in the list). */
  const at = (): Promise<{ view: string; account: number }> =>
    page.evaluate(`(() => ({
      view: document.querySelector('nav [aria-current="page"]')?.textContent?.trim() ?? '',
      account: [...document.querySelectorAll('[role="listbox"] [role="option"]')]
        .findIndex((o) => o.getAttribute('aria-selected') === 'true'),
    }))()`);
  for (const view of views) {
    const open = async () => {
      if ((await at()).view === view) return;
      await nav.getByRole('button', { name: view }).click();
      await settle(page, settled);
    };
    await open();
    if (view === 'Accounts') {
      // Every account's detail, each with its own controls. A control pressed on one account is
      // not pressed again on the next (its name names the account where that matters), except
      // for an administrator, whose controls differ by account (10.2).
      const list = main.getByRole('listbox', { name: 'Accounts' });
      const count = await list.getByRole('option').count();
      const pressed = new Set<string>();
      for (let i = 0; i < count; i++) {
        const choose = async () => {
          await open();
          if ((await at()).account === i) return;
          await list.getByRole('option').nth(i).click();
          await settle(page, settled);
        };
        await pressEverything(
          page,
          settled,
          vault.dir,
          role === 'admin' ? new Set() : pressed,
          choose,
        );
        // An administrator's accounts differ (theirs, and others' without credentials): each is
        // checked; for the other roles every detail is the same form, checked once below.
        if (role === 'admin' || i === count - 1) await expectNoAxeViolations(page);
      }
    } else {
      await pressEverything(page, settled, vault.dir, new Set(), open);
      await expectNoAxeViolations(page);
    }
    await expect(page.getByText(/Not permitted/)).toHaveCount(0);
    // The views this walk changed most for a role (controls kept to it; settings read).
    if (view === 'Accounts' || view === 'Settings')
      await screenshot(page, `96-walk-${role}-${view.toLowerCase()}`);
  }
  expect([...mismatched], 'accessible names without the visible words (2.5.3)').toEqual([]);
  const notPermitted = refusals.filter(
    (r) => r.code === 'FORBIDDEN' || r.message.startsWith('Not permitted'),
  );
  expect(
    notPermitted,
    `Refused as not permitted (others, for context: ${JSON.stringify(refusals)})`,
  ).toEqual([]);
  return refusals;
}

for (const role of ['lead', 'dmt', 'admin', 'security'] as const) {
  test(`every control shown to ${role} can be used by ${role}: no "Not permitted" on any view (10.2, 9.14); axe finds nothing on any of them`, async ({
    console: c,
    vault,
  }) => {
    test.setTimeout(120_000);
    const lead = await unlockAs(vault.path, 'Lena Lead', PASSPHRASES.lead);
    addPerson(lead, { name: 'Kay Patel', masterclassOn: '2026-01-10' });
    addPerson(lead, { name: 'Lee Other', masterclassOn: '2026-01-10' });
    grantAccess(lead, { account: vault.accounts[0]!, person: 'Kay Patel' });
    grantAdministrator(lead, vault.accounts[0]!, findMemberByName(lead, 'Ada Admin').id);
    addDevice(lead, {
      owner: 'Kay Patel',
      kind: 'force',
      label: 'Kay work phone',
      accounts: [vault.accounts[0]!],
    });
    addDevice(lead, {
      owner: 'Lee Other',
      kind: 'personal',
      label: 'Lee own phone',
      accounts: [vault.accounts[1]!],
    });
    requestAccount(lead, {
      platform: 'instagram',
      handle: 'BrecklandPolice',
      force: 'norfolk',
      unitType: 'district',
      unitName: 'Breckland',
      requester: 'Kay Patel',
      purpose: 'Local appeals and engagement',
      aims: 'Reach Breckland residents',
    });
    lead.close();
    await walkAs(role, c.page, c.router, vault);
  });
}

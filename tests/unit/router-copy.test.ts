import { TOTP } from 'otpauth';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLIPBOARD_CLEAR_SECONDS } from '../../electron/vault/clipboard-guard.ts';
import { setCredentialExtras } from '../../electron/vault/domain/credential-extras.ts';
import { typedPathChooser } from '../../electron/vault/file-handles.ts';
import { VaultRouter } from '../../electron/vault/router.ts';
import type { ResponseOf } from '../../shared/ipc/contract.ts';
import { MemoryClipboard } from '../../scripts/preview/console-page.ts';
import { unlockAt } from '../helpers/router.ts';
import { ManualTimers } from '../helpers/timers.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../helpers/vault.ts';

const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/**
 * Issue 15's copy habits through the contract: the TOTP code to the clipboard (Ctrl+T), what
 * became of a copied secret, and the reason prefilled from the member's own last request.
 */
describe('copying through the router', () => {
  let dir: ReturnType<typeof tempDir>;
  let path: string;
  let accounts: string[];
  let router: VaultRouter;
  let clipboard: MemoryClipboard;
  let timers: ManualTimers;

  beforeEach(async () => {
    dir = tempDir();
    path = `${dir.dir}/copy.vault`;
    ({ accounts } = await populatedVault(path));
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    setCredentialExtras(lead, accounts[0]!, { totpSecret: TOTP_SECRET });
    lead.close();
    clipboard = new MemoryClipboard();
    timers = new ManualTimers();
    router = new VaultRouter({ clipboard, timers, files: typedPathChooser });
  });
  afterEach(() => {
    router.lock('quit');
    dir.cleanup();
  });

  const as = async (name: string, passphrase: string) => {
    router.lock('asked');
    expect((await unlockAt(router, path, name, passphrase)).ok).toBe(true);
  };
  const clipboardState = async () =>
    ((await router.invoke('credentials.clipboard', {})) as { value: { state: string } }).value
      .state;
  const detail = async (account: string) =>
    (
      (await router.invoke('accounts.detail', { account })) as {
        value: ResponseOf<'accounts.detail'>;
      }
    ).value;

  it('copies the current TOTP code, audited as a copy of "totp" with no code in the trail', async () => {
    await as('Dev Dmt', PASSPHRASES.dmt);
    const codeAt = (ms: number) =>
      new TOTP({ secret: TOTP_SECRET, digits: 6, period: 30 }).generate({ timestamp: ms });
    const before = codeAt(Date.now());
    const copied = await router.invoke('credentials.copy', {
      account: accounts[0],
      field: 'totp',
      reason: 'signing in to post the appeal',
    });
    expect(copied).toEqual({ ok: true, value: { clearsInSeconds: CLIPBOARD_CLEAR_SECONDS } });
    expect([before, codeAt(Date.now())]).toContain(clipboard.text);
    const page = await router.invoke('audit.page', {
      offset: 0,
      limit: 5,
      filters: { kind: 'credential.copied' },
    });
    const rows = (page as { value: ResponseOf<'audit.page'> }).value.rows;
    expect(rows[0]).toMatchObject({
      label: 'Credential copied',
      reason: 'signing in to post the appeal',
    });
    expect(rows[0]!.details).toMatch(/^field: totp/);
    expect(JSON.stringify(rows)).not.toContain(clipboard.text);

    // An account with no TOTP secret says so, and nothing is placed or recorded.
    clipboard.writeText('');
    expect(
      await router.invoke('credentials.copy', { account: accounts[1], field: 'totp', reason: 'x' }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: /No TOTP secret/ } });
    expect(clipboard.text).toBe('');
  });

  it('says what became of a copied secret: held, cleared after 30 s, or left alone when replaced', async () => {
    await as('Dev Dmt', PASSPHRASES.dmt);
    expect(await clipboardState()).toBe('none');
    const copy = () =>
      router.invoke('credentials.copy', {
        account: accounts[0],
        field: 'password',
        reason: 'post',
      });
    await copy();
    expect(await clipboardState()).toBe('holding');
    timers.fire(CLIPBOARD_CLEAR_SECONDS * 1000);
    expect(clipboard.text).toBe('');
    expect(await clipboardState()).toBe('cleared');

    await copy();
    clipboard.writeText('a press release the member copied since');
    timers.fire(CLIPBOARD_CLEAR_SECONDS * 1000);
    expect(clipboard.text).toBe('a press release the member copied since');
    expect(await clipboardState()).toBe('left-alone');
  });

  it('prefills the reason this member last gave for this account, never another member’s', async () => {
    await as('Dev Dmt', PASSPHRASES.dmt);
    expect((await detail(accounts[0]!)).lastReason).toBeNull();
    await router.invoke('credentials.reveal', {
      account: accounts[0],
      reason: 'posting the appeal',
    });
    await router.invoke('credentials.copy', {
      account: accounts[1],
      field: 'username',
      reason: 'replying on Facebook',
    });
    expect((await detail(accounts[0]!)).lastReason).toBe('posting the appeal');
    expect((await detail(accounts[1]!)).lastReason).toBe('replying on Facebook');
    // A rotation's reason is a category, not a reason for access: it does not replace the last.
    const rotated = await router.invoke('credentials.rotate', {
      account: accounts[0],
      reason: 'scheduled',
      password: 'a-Brand-new-Passw0rd-for-x',
      informed: [],
    });
    expect(rotated.ok).toBe(true);
    expect((await detail(accounts[0]!)).lastReason).toBe('posting the appeal');

    await as('Lena Lead', PASSPHRASES.lead);
    expect((await detail(accounts[0]!)).lastReason).toBeNull();
    await as('Sam Security', PASSPHRASES.security);
    expect((await detail(accounts[0]!)).lastReason).toBeNull();
  });
});

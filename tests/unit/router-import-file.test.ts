import { writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { typedPathChooser } from '../../electron/vault/file-handles.ts';
import { VaultRouter } from '../../electron/vault/router.ts';
import { MemoryClipboard } from '../../scripts/preview/console-page.ts';
import {
  encryptBitwardenExport,
  SOURCE_PASSPHRASE,
  SOURCE_SECRETS,
  teamBitwardenJson,
} from '../helpers/import-sources.ts';
import { unlockAt } from '../helpers/router.ts';
import { ManualTimers } from '../helpers/timers.ts';
import { PASSPHRASES, populatedVault, tempDir } from '../helpers/vault.ts';

/** The console's import of another tool's file through the router (issue 16). */
describe("the console's import of a KeePass or Bitwarden file", () => {
  let dir: { dir: string; cleanup: () => void };
  let path: string;
  let file: string;
  beforeAll(async () => {
    dir = tempDir();
    path = `${dir.dir}/team.vault`;
    await populatedVault(path);
    file = Buffer.from(
      await encryptBitwardenExport(teamBitwardenJson(), SOURCE_PASSPHRASE),
    ).toString('base64');
  });
  afterAll(() => dir.cleanup());
  const routers: VaultRouter[] = [];
  afterEach(() => {
    for (const router of routers.splice(0)) router.lock('quit');
  });

  async function unlocked(name = 'Dev Dmt', passphrase: string = PASSPHRASES.dmt) {
    const router = new VaultRouter({
      clipboard: new MemoryClipboard(),
      timers: new ManualTimers(),
      files: typedPathChooser,
    });
    routers.push(router);
    expect(await unlockAt(router, path, name, passphrase)).toMatchObject({ ok: true });
    return router;
  }

  it('a protected file without its passphrase is answered needsPassphrase, with nothing checked', async () => {
    const router = await unlocked();
    const result = await router.invoke('accounts.import', { file, mode: 'dry-run' });
    expect(result).toMatchObject({
      ok: true,
      value: { format: 'bitwarden-json', needsPassphrase: true, rows: [], total: 0 },
    });
  });

  it('with it, defaults and group units, the dry run places every entry and the import writes what it showed', async () => {
    const router = await unlocked();
    const request = {
      file,
      sourcePassphrase: SOURCE_PASSPHRASE,
      defaults: { force: 'norfolk', unitType: 'team' },
      groupUnits: {
        Broadland: { unit: 'Broadland', unitType: 'district' },
        'Roads Policing': { unit: 'Roads Policing' },
      },
    } as const;
    const dry = await router.invoke('accounts.import', { ...request, mode: 'dry-run' });
    expect(dry).toMatchObject({
      ok: true,
      value: { groups: ['Roads Policing', 'Broadland'], total: 7, invalid: 3 },
    });
    const rows = (
      dry as { value: { rows: { label: string; status: string; destination: string | null }[] } }
    ).value.rows;
    expect(rows.find((r) => r.label === 'x:BroadlandPolice')).toMatchObject({
      status: 'ready',
      destination: 'norfolk, district Broadland',
    });
    const done = await router.invoke('accounts.import', { ...request, mode: 'valid' });
    expect(done).toMatchObject({ ok: true, value: { written: 4 } });
    for (const secret of SOURCE_SECRETS) expect(JSON.stringify([dry, done])).not.toContain(secret);
  });

  it('a wrong passphrase is a refusal that names nothing of the file; csv and file together are refused', async () => {
    const router = await unlocked();
    const wrong = await router.invoke('accounts.import', {
      file,
      sourcePassphrase: 'wrong one',
      mode: 'dry-run',
    });
    expect(wrong).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/passphrase does not open/) },
    });
    const both = await router.invoke('accounts.import', {
      file,
      csv: 'platform,handle\n',
      mode: 'dry-run',
    });
    expect(both).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('an admin is refused before the file is read', async () => {
    const router = await unlocked('Ada Admin', PASSPHRASES.admin);
    const refused = await router.invoke('accounts.import', {
      file,
      sourcePassphrase: SOURCE_PASSPHRASE,
      mode: 'dry-run',
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  /** A handle for a path, chosen for a purpose, as Electron's dialog or the CLI's argument gives one. */
  async function chosen(router: VaultRouter, typedPath: string, purpose: string) {
    const result = await router.invoke('files.choose', { purpose, typedPath });
    return (result as { value: { file: { handle: string } } }).value.file.handle;
  }

  it('a file chosen for import is read where the path stays, asked for its passphrase, and imported', async () => {
    const router = await unlocked();
    const onDisk = `${dir.dir}/protected.json`;
    writeFileSync(onDisk, Buffer.from(file, 'base64'));
    const source = await chosen(router, onDisk, 'import-source');
    const asked = await router.invoke('accounts.import', { source, mode: 'dry-run' });
    expect(asked).toMatchObject({ ok: true, value: { needsPassphrase: true, total: 0 } });
    const dry = await router.invoke('accounts.import', {
      source,
      sourcePassphrase: SOURCE_PASSPHRASE,
      defaults: { force: 'suffolk', unitType: 'team', unit: 'Chosen' },
      mode: 'dry-run',
    });
    expect(dry).toMatchObject({ ok: true, value: { format: 'bitwarden-json', total: 7 } });
    expect(JSON.stringify(dry)).not.toContain(dir.dir);
  });

  it('a handle chosen for another purpose, or made up, is refused; so is a file larger than an import takes', async () => {
    const router = await unlocked();
    const onDisk = `${dir.dir}/other.json`;
    writeFileSync(onDisk, Buffer.from(file, 'base64'));
    const forExport = await chosen(router, onDisk, 'export');
    const wrongPurpose = await router.invoke('accounts.import', {
      source: forExport,
      mode: 'dry-run',
    });
    expect(wrongPurpose).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/choose the file again/) },
    });
    const madeUp = await router.invoke('accounts.import', {
      source: `fh-${'0'.repeat(32)}`,
      mode: 'dry-run',
    });
    expect(madeUp).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const huge = `${dir.dir}/huge.csv`;
    writeFileSync(huge, Buffer.alloc(9 * 1024 * 1024, 0x61));
    const tooLarge = await router.invoke('accounts.import', {
      source: await chosen(router, huge, 'import-source'),
      mode: 'dry-run',
    });
    expect(tooLarge).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: expect.stringMatching(
          /^The import file huge\.csv is 9\.0 MB, larger than an import takes/,
        ),
      },
    });
  });

  it('a security member is refused by the contract, with no role check left in the import itself', async () => {
    const router = await unlocked('Sam Security', PASSPHRASES.security);
    const onDisk = `${dir.dir}/security.json`;
    writeFileSync(onDisk, Buffer.from(file, 'base64'));
    const refused = await router.invoke('accounts.import', {
      source: await chosen(router, onDisk, 'import-source'),
      mode: 'dry-run',
    });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringMatching(/needs the role lead or dmt/) },
    });
  });
});

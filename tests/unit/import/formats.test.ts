import { describe, expect, it } from 'vitest';
import kdbxweb from 'kdbxweb';
import { detectFormat, openImportSource } from '../../../electron/vault/import/open-source.ts';
import type { SourceEntry } from '../../../electron/vault/import/source-entry.ts';
import {
  encryptBitwardenExport,
  teamBitwardenCsv,
  teamBitwardenJson,
} from '../../helpers/import-sources.ts';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const passphrase = () => Promise.resolve('pw');

async function entriesOf(file: Buffer): Promise<SourceEntry[]> {
  const source = await openImportSource(file, { passphrase });
  const all: SourceEntry[] = [];
  for await (const entry of source.entries()) all.push(entry);
  return all;
}

describe('the import format is told from the content', () => {
  it.each([
    [
      'a KDBX signature',
      Buffer.from([0x03, 0xd9, 0xa2, 0x9a, 0x67, 0xfb, 0x4b, 0xb5, 0, 0, 4, 0]),
      'kdbx',
    ],
    [
      'a KeePassFile XML',
      bytes('\uFEFF<?xml version="1.0"?>\n<KeePassFile><Root/></KeePassFile>'),
      'keepassxc-xml',
    ],
    ['Bitwarden JSON', bytes(teamBitwardenJson()), 'bitwarden-json'],
    [
      'KeePassXC CSV',
      bytes('"Group","Title","Username","Password","URL","Notes","TOTP"\n'),
      'keepassxc-csv',
    ],
    ['Bitwarden CSV', bytes(teamBitwardenCsv()), 'bitwarden-csv'],
    [
      'an organisation Bitwarden CSV',
      bytes(
        'collections,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n',
      ),
      'bitwarden-csv',
    ],
    [
      "Custodian's CSV",
      bytes('platform,handle,force,unit_type,unit,username,password\n'),
      'custodian-csv',
    ],
  ] as const)('%s', (_, file, format) => {
    expect(detectFormat(file)).toBe(format);
  });

  it.each([
    ['other JSON', bytes('{"accounts": []}')],
    ['a spreadsheet of something else', bytes('name,email\nAda,ada@example.org\n')],
  ])('%s is none, and the error names every format read', (_, file) => {
    expect(() => detectFormat(file)).toThrow(
      /none of the formats Custodian imports.*KeePass database.*KeePassXC XML.*Bitwarden JSON.*KeePassXC CSV.*Bitwarden CSV.*Custodian's registration CSV/,
    );
  });
});

it('a file that is neither UTF-8 nor a KeePass database is refused as such', () => {
  expect(() => detectFormat(Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x82]))).toThrow(
    /^The file is not UTF-8 text, nor a KeePass database\. Save it as UTF-8/,
  );
});

describe('what the readers take from each source', () => {
  it("an account-restricted Bitwarden export (its account's key) is refused, saying what to export instead", async () => {
    const file = bytes(
      JSON.stringify({ encrypted: true, encKeyValidation_DO_NOT_EDIT: '2.a|b|c', data: '2.a|b|c' }),
    );
    await expect(openImportSource(file, { passphrase })).rejects.toThrow(
      /account restricted.*Export again choosing "Password protected"/,
    );
  });

  it('a password-protected Bitwarden export opened with the wrong passphrase says so, naming nothing of it', async () => {
    const file = bytes(await encryptBitwardenExport(teamBitwardenJson(), 'right'));
    await expect(
      openImportSource(file, { passphrase: () => Promise.resolve('wrong') }),
    ).rejects.toThrow(/^The passphrase does not open this password-protected Bitwarden export/);
  });

  it("KeePass's recycle bin is left out, and history holds each earlier password once, oldest first", async () => {
    const db = kdbxweb.Kdbx.create(
      new kdbxweb.Credentials(kdbxweb.ProtectedValue.fromString('pw')),
      'DMT',
    );
    db.setKdf(kdbxweb.Consts.KdfId.Aes);
    const group = db.createGroup(db.getDefaultGroup(), 'Roads');
    const entry = db.createEntry(group);
    const set = (password: string, at: string) => {
      entry.fields.set('Password', kdbxweb.ProtectedValue.fromString(password));
      entry.times.lastModTime = new Date(at);
    };
    entry.fields.set('Title', 'x:Roads');
    set('first', '2024-01-01T00:00:00Z');
    entry.pushHistory();
    set('first', '2024-02-01T00:00:00Z'); // a change of something else: the same password
    entry.pushHistory();
    set('second', '2024-03-01T00:00:00Z');
    entry.pushHistory();
    set('current', '2024-04-01T00:00:00Z');
    const deleted = db.createEntry(group);
    deleted.fields.set('Title', 'x:Deleted');
    db.remove(deleted); // into the recycle bin
    const entries = await entriesOf(Buffer.from(await db.save()));
    expect(entries.map((e) => e.title)).toEqual(['x:Roads']);
    expect(entries[0]).toMatchObject({
      group: 'Roads',
      where: 'Roads › x:Roads',
      password: 'current',
      history: [
        {
          password: 'first',
          setAt: '2024-01-01T00:00:00.000Z',
          replacedAt: '2024-03-01T00:00:00.000Z',
        },
        {
          password: 'second',
          setAt: '2024-03-01T00:00:00.000Z',
          replacedAt: '2024-04-01T00:00:00.000Z',
        },
      ],
    });
  });

  it("a Bitwarden organisation's CSV places an entry by its first collection", async () => {
    const csv = [
      'collections,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp',
      '"Broadland,Roads",login,x:BroadlandPolice,,,0,,user,pass-1,',
    ].join('\n');
    const [entry] = await entriesOf(bytes(csv));
    expect(entry).toMatchObject({
      group: 'Broadland',
      title: 'x:BroadlandPolice',
      password: 'pass-1',
    });
  });
});

describe('the row limit holds for every format', () => {
  it('a Bitwarden export of more entries than an import takes is refused before anything is written', async () => {
    const { importAccounts } = await import('../../../electron/vault/domain/import.ts');
    const { IMPORT_LIMITS } = await import('../../../electron/vault/domain/import-csv.ts');
    const { newVault, tempDir } = await import('../../helpers/vault.ts');
    const items = Array.from({ length: IMPORT_LIMITS.rows + 1 }, (_, i) => ({
      type: 1,
      name: `x:Bulk${i}`,
      login: { username: `u${i}`, password: `Bulk-pass-${i}` },
    }));
    const source = await openImportSource(bytes(JSON.stringify({ encrypted: false, items })));
    const { dir, cleanup } = tempDir();
    const session = await newVault(`${dir}/limit.vault`);
    try {
      await expect(
        importAccounts(session, source, {
          defaults: { force: 'norfolk', unitType: 'team', unit: 'Bulk' },
        }),
      ).rejects.toThrow(/more than 10,000 entries, more than an import takes\. Split it/);
      expect(session.db.prepare('SELECT COUNT(*) FROM accounts').pluck().get()).toBe(0);
    } finally {
      session.close();
      cleanup();
    }
  });
});

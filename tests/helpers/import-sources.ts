import { createCipheriv, createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { hashRaw, type Algorithm } from '@node-rs/argon2';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import kdbxweb from 'kdbxweb';
// Loading the reader installs kdbxweb's Argon2 (the project's @node-rs/argon2), which making the
// empty KDBX 4 files below needs.
import '../../electron/vault/import/formats/keepass.ts';

/**
 * A small DMT's logins as KeePassXC and Bitwarden hold them, written as those tools write them:
 * KDBX by keepassxc-cli itself, its CSV and XML exports by `keepassxc-cli export`, and Bitwarden's
 * JSON (plain and password-protected) and CSV from Bitwarden's documented export format.
 */

export const SOURCE_PASSPHRASE = 'correct horse battery staple, source';

/** Base32 TOTP secrets (RFC 4648), distinctive so the canary scan can look for them. */
export const TOTP = {
  roads: 'KRSXG5CTMVRXEZLUKJXWCZDTONSWG4TF',
  broadland: 'IJZG6YLENRQW4ZCTMVRXEZLUKRXXI4DB',
  tiktok: 'ORUWW5DPNNJWKY3SMV2FI33UOBJWKYZS',
} as const;

/** The importable entries, and the refused, skipped and unplaceable ones beside them. */
export const TEAM = {
  roads: {
    group: 'Roads Policing',
    title: 'Twitter',
    url: 'https://x.com/NorfolkRoads',
    username: 'roads@norfolk.police.example',
    // Leading and trailing spaces, a quote, a comma and a non-ASCII character: byte for byte.
    password: '  Roads"Canary, ☃ pass-7Q  ',
    history: ['roads-old-canary-1', 'roads-old-canary-2'],
    recovery: ['rc11-canary-2222', 'rc33-canary-4444'],
    notes: 'Roads team account.\nShared with the traffic unit.',
    owner: 'PC Canary-Owner',
    label: 'x:NorfolkRoads',
    destination: 'norfolk, team Roads Policing',
  },
  broadland: {
    group: 'Broadland',
    title: 'x:BroadlandPolice',
    url: '',
    username: 'broadland-canary-user',
    password: "p,'q';Broadland-canary-9",
    label: 'x:BroadlandPolice',
    destination: 'norfolk, district Broadland',
  },
  tiktok: {
    group: 'Roads Policing',
    title: 'TikTok',
    url: 'https://www.tiktok.com/@suffolkpolice',
    username: 'suffolk-tt-canary',
    password: 'TikTok-canary-Pass-3',
    force: 'suffolk',
    label: 'tiktok:suffolkpolice',
    destination: 'suffolk, team Roads Policing',
  },
  /** No password: refused (9.8). */
  blank: {
    group: 'Broadland',
    title: 'Instagram',
    url: 'https://www.instagram.com/norfolkpolice/',
    username: 'ig-user',
  },
  /** Already registered before the import: skipped. */
  registered: {
    group: 'Broadland',
    title: 'Facebook',
    url: 'https://www.facebook.com/NorfolkConstabulary',
    username: 'fb-user',
    password: 'Facebook-canary-Pass-5',
  },
  /** A URL and title that name no account: an error that says what to set, never a guess. */
  unplaced: {
    group: 'Broadland',
    title: 'Police videos',
    url: 'https://www.youtube.com/watch?v=abc',
    username: 'yt-user',
    password: 'YouTube-canary-Pass-6',
  },
} as const;

/** Every secret the sources hold: none may reach a log, a message, a temporary file or the trail. */
export const SOURCE_SECRETS = [
  TEAM.roads.password.trim(),
  ...TEAM.roads.history,
  ...TEAM.roads.recovery,
  TEAM.broadland.password,
  TEAM.tiktok.password,
  TEAM.registered.password,
  TEAM.unplaced.password,
  TOTP.roads,
  TOTP.broadland,
  TOTP.tiktok,
  SOURCE_PASSPHRASE,
];

export const GROUP_UNITS = {
  'Roads Policing': { unit: 'Roads Policing', unitType: 'team' },
  Broadland: { unit: 'Broadland', unitType: 'district' },
} as const;

export function keepassxcAvailable(): boolean {
  return spawnSync('keepassxc-cli', ['--version'], { encoding: 'utf8' }).status === 0;
}

const xmlEscape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const uuid = (n: number) => Buffer.from(n.toString(16).padStart(32, '0'), 'hex').toString('base64');
const str = (key: string, value: string, protect = false) =>
  `<String><Key>${xmlEscape(key)}</Key><Value${protect ? ' ProtectInMemory="True"' : ''}>${xmlEscape(value)}</Value></String>`;
const times = (iso: string) =>
  `<Times><LastModificationTime>${iso}</LastModificationTime><CreationTime>2023-01-01T00:00:00Z</CreationTime></Times>`;

interface XmlEntry {
  readonly title: string;
  readonly url: string;
  readonly username: string;
  readonly password?: string;
  readonly notes?: string;
  readonly extra?: readonly [string, string][];
  readonly history?: readonly { password: string; at: string }[];
  readonly at?: string;
}

function xmlEntry(id: number, e: XmlEntry): string {
  const fields = (password: string) =>
    str('Title', e.title) +
    str('UserName', e.username) +
    str('Password', password, true) +
    str('URL', e.url) +
    str('Notes', e.notes ?? '');
  const history = (e.history ?? [])
    .map((h) => `<Entry><UUID>${uuid(id)}</UUID>${fields(h.password)}${times(h.at)}</Entry>`)
    .join('');
  const extra = (e.extra ?? []).map(([k, v]) => str(k, v, true)).join('');
  return `<Entry><UUID>${uuid(id)}</UUID>${fields(e.password ?? '')}${extra}${times(e.at ?? '2025-06-01T09:00:00Z')}${history ? `<History>${history}</History>` : ''}</Entry>`;
}

/** The team as a KeePass 2 XML file, for `keepassxc-cli import` to make a database of. */
export function teamKeePassXml(): string {
  const t = TEAM;
  const roads: XmlEntry = {
    ...t.roads,
    extra: [
      ['otp', `otpauth://totp/X:roads?secret=${TOTP.roads}&period=30&digits=6&issuer=X`],
      ['Recovery codes', t.roads.recovery.join('\n')],
      ['Owner', t.roads.owner],
    ],
    history: [
      { password: t.roads.history[0], at: '2024-01-10T08:00:00Z' },
      { password: t.roads.history[1], at: '2024-09-10T08:00:00Z' },
    ],
    at: '2025-03-10T08:00:00Z',
  };
  const broadland: XmlEntry = {
    ...t.broadland,
    extra: [
      ['TOTP Seed', TOTP.broadland],
      ['TOTP Settings', '30;6'],
    ],
  };
  const tiktok: XmlEntry = {
    ...t.tiktok,
    extra: [
      ['otp', `otpauth://totp/TikTok:tt?secret=${TOTP.tiktok}&period=30&digits=6`],
      ['force', t.tiktok.force],
    ],
  };
  const group = (id: number, name: string, entries: string[]) =>
    `<Group><UUID>${uuid(id)}</UUID><Name>${xmlEscape(name)}</Name>${entries.join('')}</Group>`;
  return `<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<KeePassFile><Meta><Generator>custodian-test</Generator><DatabaseName>DMT</DatabaseName></Meta>
<Root><Group><UUID>${uuid(1)}</UUID><Name>DMT</Name>
${group(2, 'Roads Policing', [xmlEntry(10, roads), xmlEntry(11, tiktok)])}
${group(3, 'Broadland', [xmlEntry(12, broadland), xmlEntry(13, t.blank), xmlEntry(14, t.registered), xmlEntry(15, t.unplaced)])}
</Group></Root></KeePassFile>
`;
}

function keepassxc(args: string[], input: string, home: string): string {
  const run = spawnSync('keepassxc-cli', args, {
    input,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', HOME: home },
  });
  if (run.status !== 0) throw new Error(`keepassxc-cli ${args[0]} failed: ${run.stderr}`);
  return run.stdout;
}

/**
 * The KeePassXC files: a KDBX 3.1 (AES-KDF) that `keepassxc-cli import` makes (keepassxc-cli 2.7
 * writes every new database as KDBX 3.1 and has no option for KDBX 4 or Argon2), KDBX 4 files with
 * Argon2id and Argon2d (an empty KDBX 4 made by kdbxweb with that KDF, into which
 * `keepassxc-cli merge` copies the entries: KeePassXC itself then writes the KDBX 4 file), and
 * `keepassxc-cli export` of the KDBX 4 as CSV and XML.
 */
export async function makeKeePassFiles(dir: string): Promise<{
  kdbx31: string;
  kdbx4id: string;
  kdbx4d: string;
  csv: string;
  xml: string;
}> {
  const xml = join(dir, 'team.xml');
  writeFileSync(xml, teamKeePassXml());
  const kdbx31 = join(dir, 'team-3.1.kdbx');
  const twice = `${SOURCE_PASSPHRASE}\n${SOURCE_PASSPHRASE}\n`;
  keepassxc(['import', '-q', '-p', '-t', '100', xml, kdbx31], twice, dir);
  const kdbx4id = join(dir, 'team-4-argon2id.kdbx');
  const kdbx4d = join(dir, 'team-4-argon2d.kdbx');
  await emptyKdbx4(kdbx4id, kdbxweb.Consts.KdfId.Argon2id);
  await emptyKdbx4(kdbx4d, kdbxweb.Consts.KdfId.Argon2d);
  for (const target of [kdbx4id, kdbx4d]) {
    keepassxc(['merge', '-q', '-s', target, kdbx31], `${SOURCE_PASSPHRASE}\n`, dir);
  }
  const csv = join(dir, 'team-export.csv');
  writeFileSync(
    csv,
    keepassxc(['export', '-q', '-f', 'csv', kdbx4id], `${SOURCE_PASSPHRASE}\n`, dir),
  );
  const xmlExport = join(dir, 'team-export.xml');
  writeFileSync(
    xmlExport,
    keepassxc(['export', '-q', '-f', 'xml', kdbx4id], `${SOURCE_PASSPHRASE}\n`, dir),
  );
  return { kdbx31, kdbx4id, kdbx4d, csv, xml: xmlExport };
}

async function emptyKdbx4(path: string, kdf: string): Promise<void> {
  const db = kdbxweb.Kdbx.create(
    new kdbxweb.Credentials(kdbxweb.ProtectedValue.fromString(SOURCE_PASSPHRASE)),
    'DMT',
  );
  db.setKdf(kdf);
  const params = db.header.kdfParameters!;
  params.set('M', kdbxweb.VarDictionary.ValueType.UInt64, new kdbxweb.Int64(8 * 1024 * 1024));
  params.set('I', kdbxweb.VarDictionary.ValueType.UInt64, new kdbxweb.Int64(2));
  writeFileSync(path, Buffer.from(await db.save()));
}

/** The KDBX header's format version and KDF, read from the file's bytes. */
export function kdbxVersion(path: string): { major: number; minor: number } {
  const bytes = readFileSync(path);
  return { minor: bytes.readUInt16LE(8), major: bytes.readUInt16LE(10) };
}

// ---- Bitwarden, from its documented export format (bitwarden.com/help/export-your-data) ----

const FOLDERS = [
  { id: 'f0000000-0000-0000-0000-000000000001', name: 'Roads Policing' },
  { id: 'f0000000-0000-0000-0000-000000000002', name: 'Broadland' },
];

function login(
  n: number,
  folder: number,
  e: { title: string; url: string; username: string; password?: string },
  more: Record<string, unknown> = {},
  totp: string | null = null,
) {
  return {
    passwordHistory: null,
    revisionDate: '2025-06-01T09:00:00.000Z',
    creationDate: '2023-01-01T00:00:00.000Z',
    deletedDate: null,
    id: `a0000000-0000-0000-0000-00000000000${n}`,
    organizationId: null,
    folderId: FOLDERS[folder]!.id,
    type: 1,
    reprompt: 0,
    name: e.title,
    notes: null,
    favorite: false,
    fields: [],
    login: {
      fido2Credentials: [],
      uris: e.url ? [{ match: null, uri: e.url }] : [],
      username: e.username,
      password: e.password ?? null,
      totp,
    },
    collectionIds: null,
    ...more,
  };
}

/** An unencrypted Bitwarden JSON export of the team (a personal vault, with folders). */
export function teamBitwardenJson(): string {
  const t = TEAM;
  const items = [
    login(
      1,
      0,
      t.roads,
      {
        notes: t.roads.notes,
        fields: [
          { name: 'Recovery codes', value: t.roads.recovery.join(' '), type: 1, linkedId: null },
          { name: 'Owner', value: t.roads.owner, type: 0, linkedId: null },
        ],
        passwordHistory: [
          { lastUsedDate: '2025-03-10T08:00:00.000Z', password: t.roads.history[1] },
          { lastUsedDate: '2024-09-10T08:00:00.000Z', password: t.roads.history[0] },
        ],
      },
      `otpauth://totp/X:roads?secret=${TOTP.roads}&issuer=X`,
    ),
    login(2, 1, t.broadland, {}, TOTP.broadland),
    login(
      3,
      0,
      t.tiktok,
      { fields: [{ name: 'force', value: t.tiktok.force, type: 0, linkedId: null }] },
      TOTP.tiktok,
    ),
    login(4, 1, t.blank),
    login(5, 1, t.registered),
    login(6, 1, t.unplaced),
    {
      id: 'a0000000-0000-0000-0000-000000000007',
      organizationId: null,
      folderId: null,
      type: 2,
      reprompt: 0,
      name: 'Shift rota',
      notes: 'not a login',
      favorite: false,
      secureNote: { type: 0 },
      collectionIds: null,
      revisionDate: '2025-06-01T09:00:00.000Z',
      creationDate: '2025-06-01T09:00:00.000Z',
      deletedDate: null,
    },
    // In Bitwarden's trash: left out, as KeePass's recycle bin is.
    login(
      8,
      1,
      { title: 'x:DeletedAccount', url: '', username: 'gone', password: 'gone-pass' },
      {
        deletedDate: '2025-05-01T00:00:00.000Z',
      },
    ),
  ];
  return JSON.stringify({ encrypted: false, folders: FOLDERS, items }, null, 2);
}

/**
 * The same export, password-protected as Bitwarden documents it ("Encrypted Exports"): a key
 * from the password and the salt text by PBKDF2-SHA256 (kdfType 0) or Argon2id (kdfType 1, over
 * SHA-256 of the salt), HKDF-Expand-SHA256 to an encryption and a MAC key, then each of the
 * validation string and the data as an EncString "2.iv|ct|mac" (AES-256-CBC, HMAC-SHA256 of
 * iv‖ct). Written here with node:crypto alone, apart from the reader's code.
 */
export async function encryptBitwardenExport(
  plain: string,
  password: string,
  kdf: 'pbkdf2' | 'argon2id' = 'pbkdf2',
): Promise<string> {
  const salt = randomBytes(16).toString('base64');
  const key =
    kdf === 'pbkdf2'
      ? pbkdf2Sync(password, Buffer.from(salt, 'utf8'), 5000, 32, 'sha256')
      : Buffer.from(
          await hashRaw(password, {
            salt: createHash('sha256').update(salt, 'utf8').digest(),
            algorithm: 2 as Algorithm.Argon2id, // eslint-disable-line @typescript-eslint/no-unsafe-enum-assignment
            timeCost: 3,
            memoryCost: 16 * 1024,
            parallelism: 1,
            outputLen: 32,
          }),
        );
  const expand = (info: string) =>
    createHmac('sha256', key)
      .update(info)
      .update(Buffer.from([1]))
      .digest();
  const enc = expand('enc');
  const mac = expand('mac');
  const encString = (text: string) => {
    const iv = randomBytes(16);
    const cipher = createCipheriv('aes-256-cbc', enc, iv);
    const ct = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    const tag = createHmac('sha256', mac).update(iv).update(ct).digest();
    return `2.${iv.toString('base64')}|${ct.toString('base64')}|${tag.toString('base64')}`;
  };
  return JSON.stringify(
    {
      encrypted: true,
      passwordProtected: true,
      salt,
      kdfType: kdf === 'pbkdf2' ? 0 : 1,
      kdfIterations: kdf === 'pbkdf2' ? 5000 : 3,
      ...(kdf === 'argon2id' ? { kdfMemory: 16, kdfParallelism: 1 } : {}),
      encKeyValidation_DO_NOT_EDIT: encString(crypto.randomUUID()),
      data: encString(plain),
    },
    null,
    2,
  );
}

/** A Bitwarden CSV export of the team (personal vault columns). */
export function teamBitwardenCsv(): string {
  const t = TEAM;
  const q = (text: string) => `"${text.replace(/"/g, '""')}"`;
  const header =
    'folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp';
  const row = (
    folder: string,
    e: { title: string; url: string; username: string; password?: string },
    notes = '',
    fields = '',
    totp = '',
    type = 'login',
  ) =>
    [folder, '', type, e.title, notes, fields, '0', e.url, e.username, e.password ?? '', totp]
      .map(q)
      .join(',');
  return `${[
    header,
    row(
      'Roads Policing',
      t.roads,
      t.roads.notes,
      `Recovery codes: ${t.roads.recovery.join(' ')}\nOwner: ${t.roads.owner}`,
      `otpauth://totp/X:roads?secret=${TOTP.roads}&issuer=X`,
    ),
    row('Broadland', t.broadland, '', '', TOTP.broadland),
    row('Roads Policing', t.tiktok, '', `force: ${t.tiktok.force}`, TOTP.tiktok),
    row('Broadland', t.blank),
    row('Broadland', t.registered),
    row('Broadland', t.unplaced),
    row('', { title: 'Shift rota', url: '', username: '' }, 'not a login', '', '', 'note'),
  ].join('\n')}\n`;
}

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s), from the base32 text with its own decoder: apart from otpauth. */
export function rfc6238(base32: string, at: Date): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of base32.replace(/=+$/, '').toUpperCase()) {
    bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  }
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at.getTime() / 1000 / 30)));
  const hmac = createHmac('sha1', key).update(counter).digest();
  const offset = hmac[hmac.length - 1]! & 0x0f;
  const code = (hmac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return code.toString().padStart(6, '0');
}

import { hashRaw, type Algorithm, type Version } from '@node-rs/argon2';
import kdbxweb from 'kdbxweb';
import { invalidInput } from '../../errors.ts';
import { sortFields, type ImportSource, type SourceEntry } from '../source-entry.ts';

/**
 * KeePass databases (KDBX 3.1 with AES-KDF, KDBX 4 with AES-KDF, Argon2d or Argon2id) and
 * KeePassXC's XML export, read with kdbxweb. Its Argon2 is the project's native one
 * (@node-rs/argon2), off the event loop; kdbxweb has none of its own.
 *
 * The database is decrypted once, in memory; nothing of it is written anywhere. Entries in the
 * recycle bin are left out (they were deleted in KeePass). An entry's history (KDBX keeps earlier
 * versions of each entry) becomes the account's password history.
 */

/** The most memory a source's Argon2 may ask for: a file is the attacker's to write (1 GiB). */
export const MAX_SOURCE_ARGON2_KIB = 1024 * 1024;

// @node-rs/argon2's enums are const enums, which isolated modules cannot read: their documented values.
/* eslint-disable @typescript-eslint/no-unsafe-enum-assignment */
const ARGON2D = 0 as Algorithm.Argon2d;
const ARGON2ID = 2 as Algorithm.Argon2id;
const V0X10 = 0 as Version.V0x10;
const V0X13 = 1 as Version.V0x13;
/* eslint-enable @typescript-eslint/no-unsafe-enum-assignment */

kdbxweb.CryptoEngine.setArgon2Impl(
  async (password, salt, memory, iterations, length, parallelism, type, version) => {
    if (memory > MAX_SOURCE_ARGON2_KIB) {
      throw invalidInput(
        `The KeePass database's key derivation asks for ${Math.round(memory / 1024)} MiB, more than an import gives it (${MAX_SOURCE_ARGON2_KIB / 1024} MiB). Lower it in KeePassXC (Database settings, Security) and export again; nothing was written.`,
      );
    }
    const hash = await hashRaw(Buffer.from(password), {
      salt: Buffer.from(salt),
      memoryCost: memory,
      timeCost: iterations,
      outputLen: length,
      parallelism,
      algorithm: type === kdbxweb.CryptoEngine.Argon2TypeArgon2id ? ARGON2ID : ARGON2D,
      version: version === 0x10 ? V0X10 : V0X13,
    });
    return hash.buffer.slice(hash.byteOffset, hash.byteOffset + hash.byteLength) as ArrayBuffer;
  },
);

export async function readKdbx(bytes: Uint8Array, passphrase: string): Promise<ImportSource> {
  const credentials = new kdbxweb.Credentials(kdbxweb.ProtectedValue.fromString(passphrase));
  const data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  let db: kdbxweb.Kdbx;
  try {
    db = await kdbxweb.Kdbx.load(data as ArrayBuffer, credentials);
  } catch (error) {
    throw kdbxError(error, 'KeePass database');
  }
  return sourceOf(db, 'kdbx');
}

export async function readKeePassXml(text: string): Promise<ImportSource> {
  let db: kdbxweb.Kdbx;
  try {
    db = await kdbxweb.Kdbx.loadXml(
      text.replace(/^\uFEFF/, ''),
      new kdbxweb.Credentials(kdbxweb.ProtectedValue.fromString('')),
    );
  } catch (error) {
    throw kdbxError(error, 'KeePassXC XML export');
  }
  return sourceOf(db, 'keepassxc-xml');
}

/** kdbxweb's errors in words a person can act on; its own messages are never passed on. */
function kdbxError(error: unknown, what: string): Error {
  if (error instanceof Error && 'code' in error && !(error instanceof kdbxweb.KdbxError)) {
    return error; // ours, from the Argon2 limit
  }
  const code = error instanceof kdbxweb.KdbxError ? error.code : undefined;
  switch (code) {
    case kdbxweb.Consts.ErrorCodes.InvalidKey:
      return invalidInput(
        `The passphrase does not open this ${what} (a key file or hardware key is not supported: export it with a passphrase alone). Nothing was written.`,
      );
    case kdbxweb.Consts.ErrorCodes.InvalidVersion:
    case kdbxweb.Consts.ErrorCodes.Unsupported:
      return invalidInput(
        `This ${what} is a version or kind Custodian does not read (it reads KDBX 3.1 and 4). Save it again in KeePassXC 2.7 or later; nothing was written.`,
      );
    default:
      return invalidInput(
        `This ${what} is damaged or not complete (${code ?? 'unreadable'}). Export it again; nothing was written.`,
      );
  }
}

function sourceOf(db: kdbxweb.Kdbx, format: 'kdbx' | 'keepassxc-xml'): ImportSource {
  const root = db.getDefaultGroup();
  const bin = db.meta.recycleBinUuid;
  const groups = new Set<string>();
  const found: { entry: kdbxweb.KdbxEntry; group: string }[] = [];
  const walk = (group: kdbxweb.KdbxGroup, path: readonly string[]) => {
    if (bin && group.uuid.equals(bin)) return;
    const name = path.join('/');
    if (name !== '' && group.entries.length > 0) groups.add(name);
    for (const entry of group.entries) found.push({ entry, group: name });
    for (const child of group.groups) walk(child, [...path, child.name ?? '']);
  };
  walk(root, []);
  return {
    format,
    groups: [...groups],
    *entries(): Generator<SourceEntry> {
      let line = 0;
      for (const { entry, group } of found) {
        line += 1;
        yield entryOf(entry, group, line);
      }
    },
  };
}

const STANDARD = new Set(['Title', 'UserName', 'Password', 'URL', 'Notes']);

function text(value: kdbxweb.KdbxEntryField | undefined): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : value.getText();
}

function entryOf(entry: kdbxweb.KdbxEntry, group: string, line: number): SourceEntry {
  const field = (name: string) => text(entry.fields.get(name));
  const custom = [...entry.fields.entries()]
    .filter(([name]) => !STANDARD.has(name))
    .map(([name, value]) => ({ name, value: text(value) }));
  const sorted = sortFields(custom);
  const title = field('Title');
  return {
    line,
    where: [group.replace(/\//g, ' › '), title || '(no title)'].filter((p) => p !== '').join(' › '),
    shapeError: null,
    columns: sorted.columns,
    title,
    url: field('URL'),
    group,
    username: field('UserName'),
    password: field('Password'),
    totp: sorted.totp,
    totpSettings: sorted.totpSettings,
    recoveryCodes: sorted.recoveryCodes,
    notes: field('Notes'),
    fields: sorted.rest,
    history: historyOf(entry),
  };
}

/**
 * KDBX keeps each earlier version of an entry whole, oldest first. Each version that held a
 * different password is one history entry: set at that version's modification time, replaced at
 * the next password's.
 */
function historyOf(entry: kdbxweb.KdbxEntry) {
  const versions = [...entry.history, entry].map((version) => ({
    password: text(version.fields.get('Password')),
    at: isoOf(version.lastModTime),
  }));
  const changes = versions.filter((v, i) => i === 0 || v.password !== versions[i - 1]!.password);
  const history = [];
  for (let i = 0; i < changes.length - 1; i++) {
    const version = changes[i]!;
    if (version.password === '') continue;
    history.push({
      password: version.password,
      setAt: version.at,
      replacedAt: changes[i + 1]!.at,
    });
  }
  return history;
}

function isoOf(time: number | undefined): string {
  return new Date(time && Number.isFinite(time) ? time : 0).toISOString();
}

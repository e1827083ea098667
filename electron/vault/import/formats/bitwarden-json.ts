import { z } from 'zod';
import { invalidInput } from '../../errors.ts';
import {
  EMPTY_ENTRY,
  sortFields,
  type HistoricPassword,
  type ImportSource,
  type SourceEntry,
} from '../source-entry.ts';
import { decryptPasswordProtected, passwordProtectedSchema } from './bitwarden-crypto.ts';

/**
 * Bitwarden's JSON export, plain or password-protected (bitwarden-crypto.ts), of a personal vault
 * (folders) or an organisation (collections). Logins (type 1) are accounts; other items are
 * reported and left. Items in the trash (`deletedDate`) are left out, as KeePass's recycle bin is.
 */
const text = z
  .string()
  .nullish()
  .transform((v) => v ?? '');

const itemSchema = z.object({
  type: z.number().int(),
  name: text,
  notes: text,
  folderId: z.string().nullish(),
  collectionIds: z.array(z.string().nullable()).nullish(),
  deletedDate: z.string().nullish(),
  creationDate: z.string().nullish(),
  fields: z
    .array(z.object({ name: text, value: text, type: z.number().int().optional() }))
    .nullish(),
  login: z
    .object({
      username: text,
      password: text,
      totp: text,
      uris: z.array(z.object({ uri: text })).nullish(),
    })
    .nullish(),
  passwordHistory: z.array(z.object({ lastUsedDate: z.string(), password: text })).nullish(),
});

const plainSchema = z.object({
  encrypted: z.literal(false).optional(),
  folders: z.array(z.object({ id: z.string(), name: text })).nullish(),
  collections: z.array(z.object({ id: z.string(), name: text })).nullish(),
  items: z.array(itemSchema),
});

const ITEM_TYPES: Readonly<Record<number, string>> = {
  2: 'secure note',
  3: 'card',
  4: 'identity',
  5: 'SSH key',
};

export function looksLikeBitwardenJson(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    ('items' in value || ('encrypted' in value && 'data' in value))
  );
}

/** Whether the export needs its password before it can be read. */
export function isPasswordProtected(value: unknown): boolean {
  return passwordProtectedSchema.safeParse(value).success;
}

export async function readBitwardenJson(
  value: unknown,
  passphrase: () => Promise<string>,
): Promise<ImportSource> {
  let plain = value;
  const locked = passwordProtectedSchema.safeParse(value);
  if (locked.success) {
    plain = parseJson(await decryptPasswordProtected(locked.data, await passphrase()));
  } else if (
    typeof value === 'object' &&
    value !== null &&
    'encrypted' in value &&
    value.encrypted === true
  ) {
    throw invalidInput(
      'This Bitwarden export is encrypted with its account\'s key ("account restricted"), which only that Bitwarden account can open. Export again choosing "Password protected" or an unencrypted .json; nothing was written.',
    );
  }
  const parsed = plainSchema.safeParse(plain);
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.map(String).join('.') ?? '';
    throw invalidInput(
      `This Bitwarden JSON is not in the form Bitwarden exports (at ${where || 'the top'}). Export it again; nothing was written.`,
    );
  }
  const folders = new Map((parsed.data.folders ?? []).map((f) => [f.id, f.name]));
  const collections = new Map((parsed.data.collections ?? []).map((c) => [c.id, c.name]));
  const live = parsed.data.items.filter((item) => !item.deletedDate);
  const groupOf = (item: z.infer<typeof itemSchema>) => {
    if (item.folderId) return folders.get(item.folderId) ?? '';
    const first = item.collectionIds?.find((id) => id !== null);
    return first ? (collections.get(first) ?? '') : '';
  };
  const groups = [...new Set(live.map(groupOf).filter((g) => g !== ''))];
  return {
    format: 'bitwarden-json',
    groups,
    *entries(): Generator<SourceEntry> {
      let line = 0;
      for (const item of live) {
        line += 1;
        const sorted = sortFields(
          (item.fields ?? []).map((field) => ({ name: field.name, value: field.value })),
        );
        const group = groupOf(item);
        yield {
          ...EMPTY_ENTRY,
          line,
          where: [group, item.name || '(no name)'].filter((p) => p !== '').join(' › '),
          shapeError:
            item.type === 1 && item.login
              ? null
              : `a Bitwarden ${ITEM_TYPES[item.type] ?? 'item'}, not a login: only logins are registered`,
          columns: sorted.columns,
          title: item.name,
          group,
          url: item.login?.uris?.[0]?.uri ?? '',
          username: item.login?.username ?? '',
          password: item.login?.password ?? '',
          totp: item.login?.totp || sorted.totp,
          recoveryCodes: sorted.recoveryCodes,
          notes: item.notes,
          fields: sorted.rest,
          history: historyOf(item.passwordHistory ?? [], item.creationDate ?? null),
        };
      }
    },
  };
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch {
    throw invalidInput('The file is not valid JSON. Export it again; nothing was written.');
  }
}

/**
 * Bitwarden keeps each earlier password with the time it stopped being used, newest first. Oldest
 * first here; each was set when the one before it was replaced (the first, when the item was made).
 */
function historyOf(
  entries: readonly { lastUsedDate: string; password: string }[],
  created: string | null,
): HistoricPassword[] {
  const sorted = [...entries].sort((a, b) => a.lastUsedDate.localeCompare(b.lastUsedDate));
  return sorted.map((entry, i) => ({
    password: entry.password,
    setAt: i === 0 ? (created ?? entry.lastUsedDate) : sorted[i - 1]!.lastUsedDate,
    replacedAt: entry.lastUsedDate,
  }));
}

import { z } from 'zod';
import { memberNameSchema } from '../../domain/accounts.ts';
import { path, fileHandle, passphrase, empty, ok, memberSchema, channel, ALL } from './common.ts';
import { isServerUrl, redactServerUrl } from '../../vault-location.ts';

/**
 * A team server's libpq-style URL, as the console's "Team server" tab sends it (issue 14). Never
 * with a password in it: the window would hold it, and could show or remember it. The database
 * password comes from PGPASSWORD or ~/.pgpass on the workstation, as libpq takes it.
 */
export const serverUrl = z
  .string()
  .trim()
  .min(1, 'Type the team server URL.')
  .max(2048, 'The server URL is too long.')
  .refine(isServerUrl, 'A team server URL starts postgresql:// (or postgres://).')
  .refine(
    (url) => redactServerUrl(url) === url,
    'Leave the password out of the URL: the console never holds a database password. Put it in ~/.pgpass (or PGPASSWORD for the app), as libpq reads it.',
  );

/** A vault is named by one of the two: a file's handle or a server's URL. */
const oneLocation = (r: { file?: string | undefined; server?: string | undefined }) =>
  (r.file === undefined) !== (r.server === undefined);
const ONE_LOCATION = {
  message: 'Choose a vault file or type a team server URL (one of the two).',
  path: ['file'],
};

/** Opening, creating and locking the vault, and choosing its files: the channels allowed while locked. */
export const vaultChannels = {
  'vault.status': channel(() => ({
    request: empty,
    response: z.object({
      unlocked: z.boolean(),
      member: memberSchema.nullable(),
      vaultPath: z.string().nullable(),
      autoLockMinutes: z.number(),
      /** Whether this window can show the system's file chooser (Electron yes, the preview no). */
      canChooseFiles: z.boolean(),
    }),
    roles: null,
  })),
  /**
   * The system's file chooser, shown by main: a vault to open, a new vault's name, where an
   * export or a backup goes, or a file to import. What comes back is an opaque handle and the file's name (null if cancelled),
   * never the path; create, unlock and export take the handle. A window without a chooser (the
   * preview) sends `typedPath` instead, and gets a handle the same way; Electron's window cannot.
   * Nothing of the vault is read, so it is allowed while locked.
   */
  'files.choose': channel(() => ({
    request: z
      .object({
        purpose: z.enum(['open-vault', 'new-vault', 'export', 'import-source', 'backup']),
        extension: z.enum(['vault', 'jsonl', 'json', 'csv', 'pdf']).optional(),
        typedPath: path.optional(),
      })
      .strict(),
    response: z.object({
      file: z.object({ handle: z.string(), name: z.string() }).nullable(),
    }),
    roles: null,
  })),
  /**
   * A new vault with its founding lead. `kdf` sets the Argon2id cost per unlock (`custodian init
   * --kdf-memory-mib --kdf-passes`); the core refuses anything below the floor or above the
   * ceiling (crypto/kdf.ts). The founder
   * fingerprint is the anchor every export of this vault is checked against: keep it outside.
   */
  'vault.create': channel(() => ({
    request: z
      .object({
        /** A vault file (a handle main issued), or else `server`. */
        file: fileHandle.optional(),
        /** A team server's URL without a password (issue 14): an empty database to make it in. */
        server: serverUrl.optional(),
        founderName: memberNameSchema,
        passphrase,
        kdf: z
          .object({
            memoryMib: z.number().int().min(1).max(4096),
            passes: z.number().int().min(1).max(64),
          })
          .strict()
          .optional(),
      })
      .strict()
      .refine(oneLocation, ONE_LOCATION),
    response: z.object({
      member: memberSchema,
      vaultId: z.string(),
      founderFingerprint: z.string(),
    }),
    roles: null,
  })),
  'vault.unlock': channel(() => ({
    request: z
      .object({
        file: fileHandle.optional(),
        server: serverUrl.optional(),
        memberName: memberNameSchema,
        passphrase,
        /**
         * Take over a lock another workstation left and has been silent on past the stated
         * timeout (issue 14, ADR 0025): a lead only; audited as session.lock-taken-over.
         */
        takeOverStaleLock: z.boolean().optional(),
        /**
         * A lead restored a backup on purpose (`custodian accept-restore`, `custodian restore`): an older history
         * than this workstation kept is accepted, with this reason, in an audited entry (ADR 0024).
         */
        acceptRestore: z
          .object({ reason: z.string().trim().min(1, 'Say why the backup was restored.').max(500) })
          .strict()
          .optional(),
      })
      .strict()
      .refine(oneLocation, ONE_LOCATION),
    response: z.object({
      member: memberSchema,
      /**
       * This workstation had kept no checkpoint of the vault, so it was trusted as it is (first use,
       * ADR 0025): said once to the person unlocking. From now on its head must extend this one.
       */
      trustedOnFirstUse: z.boolean(),
      /**
       * The unlock accepted a restored copy (recorded in the trail, the kept checkpoint reset):
       * how many entries this workstation had kept, and how many the restored vault showed.
       */
      acceptedRestore: z.object({ keptSize: z.number(), shownSize: z.number() }).nullable(),
    }),
    roles: null,
  })),
  'vault.lock': channel(() => ({ request: empty, response: ok, roles: null })),
  /**
   * `custodian vault copy` (issue 14, ADR 0032): the open vault, verified, copied row for row
   * into a new vault file or an empty database (a handle for purpose "new-vault"), sealed as it
   * is. Lead only: the copy is a second vault with the same id, to move the team or keep aside.
   */
  'vault.copy': channel(() => ({
    request: z.object({ to: fileHandle }).strict(),
    response: z.object({
      destination: z.string(),
      entries: z.number(),
      root: z.string(),
      rows: z.number(),
      failedUnlocksLeft: z.number(),
    }),
    roles: ['lead'],
  })),
  /**
   * Another workstation may have changed the vault (ADR 0033: main's change event, itself only a
   * hint): if anything was committed since the last check, run the checks an open runs (kept
   * checkpoint, chain, state) and say so; the window then reloads what it shows. An integrity
   * failure locks the vault, as everywhere. It does not count as activity: a window left open
   * still locks itself when idle.
   */
  'vault.refresh': channel(() => ({
    request: empty,
    response: z.object({ changed: z.boolean() }).strict(),
    roles: ALL,
  })),
} as const;

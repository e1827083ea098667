import { z } from 'zod';
import {
  accountRecordSchema,
  FORCES,
  LIMITS,
  passwordSchema,
  newAccountSchema,
  UNIT_TYPES,
} from '../../domain/accounts.ts';
import { IMPORT_FORMATS } from '../../domain/import-formats.ts';
import { ACCOUNT_STATUSES, TWO_FACTOR_METHODS } from '../../domain/registry.ts';
import { REGISTRY_EDITORS } from '../../domain/roles.ts';
import {
  accountRef,
  empty,
  expectedVersion,
  ok,
  findingSchema,
  ALL,
  channel,
  fileHandle,
} from './common.ts';

/** The largest CSV the console sends in one call (about 500 accounts); the CLI takes any size. */
export const MAX_IMPORT_CSV_CHARS = 60 * 1024;
/** The largest other import file (a KeePass database, an export) the console sends, in bytes. */
export const MAX_IMPORT_FILE_BYTES = 1024 * 1024;

export const accountSummarySchema = accountRecordSchema.extend({
  id: z.string(),
  version: z.number().int(),
  createdAt: z.string(),
  rotationDueSince: z.string().nullable(),
  lastRotatedAt: z.string().nullable(),
  /** 6.4: how many complaints or breaches about the account are still open (absent: none). */
  openComplaints: z.number().int().min(1).optional(),
});

const historyEventSchema = z.object({ at: z.string(), kind: z.string(), summary: z.string() });

/** The account register: listing, detail, registration, bulk import, administrators and closure. */
export const accountsChannels = {
  'accounts.list': channel(() => ({
    request: empty,
    response: z.array(accountSummarySchema),
    roles: ALL,
  })),
  /**
   * The accounts this administrator administers (10.2), for the console's "My accounts" filter:
   * the ones whose login their key opens. Decided in the core from the signed grants.
   */
  'accounts.mine': channel(() => ({
    request: empty,
    response: z.object({ accounts: z.array(z.string()) }),
    roles: ['admin'],
  })),
  'accounts.detail': channel(() => ({
    request: z.object({ account: accountRef }).strict(),
    response: z.object({
      account: accountSummarySchema,
      findings: z.array(findingSchema),
      history: z.array(historyEventSchema),
      /** Whether this member may reveal, copy and rotate here (role, and administrators per account). */
      canReadCredentials: z.boolean(),
      /**
       * Whether this member may change the account's registry data: team, activity, devices
       * (10.2, 9.14; the rule in shared/domain/roles.ts REGISTRY_SCOPE, enforced in the core).
       */
      canEdit: z.boolean(),
      hasTotp: z.boolean(),
      /**
       * The login username (9.8), for a member who may read this account's credentials; null for
       * the rest. An identifier, shown as KeePassXC and Bitwarden show it: the password, the TOTP
       * code and the recovery codes stay behind an audited reveal (docs/adr/0029).
       */
      username: z.string().nullable(),
      /** The reason this member last gave for reading this credential, to prefill the next (6.5). */
      lastReason: z.string().nullable(),
      /** 6.6: the quiet periods in force for this account, as "do not post" notices. */
      doNotPost: z.array(z.string()),
      /** The vault members who administer this account (10.2): its key is wrapped for them. */
      administrators: z.array(z.object({ id: z.string(), name: z.string() })),
      /**
       * Current `admin` members who could be made its administrator (10.2, 9.14): filled only for
       * the lead and the DMT, who grant it, and only while the account has a login to share.
       */
      adminCandidates: z.array(z.object({ id: z.string(), name: z.string() })),
      /** Who has (and had) access (10.2). */
      team: z.array(
        z.object({
          personId: z.string(),
          name: z.string(),
          grantedOn: z.string(),
          revokedOn: z.string().nullable(),
        }),
      ),
    }),
    roles: ALL,
  })),
  /**
   * Name an administrator (10.2, 9.14): the account's key is wrapped for an `admin` member, who
   * can then read and rotate its credentials. Same core function as `custodian account grant-admin`.
   */
  'accounts.grant-admin': channel(() => ({
    request: z
      .object({
        account: accountRef,
        /** The member's id (the console) or name (the CLI's --member). */
        member: z.string().trim().min(1).max(100),
      })
      .strict(),
    response: ok,
    roles: ['lead', 'dmt'],
  })),
  /**
   * End an administrator's grant (10.2): their key for the account is removed and the account is
   * rotation due, because they knew the password.
   */
  'accounts.revoke-admin': channel(() => ({
    request: z
      .object({
        account: accountRef,
        member: z.string().trim().min(1).max(100),
      })
      .strict(),
    response: z.object({ rotationDue: z.boolean() }),
    roles: ['lead', 'dmt'],
  })),
  /** Register an existing account and its login (9.8); new ones go through requests (9.1-9.6). */
  'accounts.create': channel(() => ({
    request: newAccountSchema.extend({ password: passwordSchema }).strict(),
    response: z.object({ id: z.string() }),
    roles: ['lead', 'dmt'],
  })),
  /**
   * Bulk registration from a CSV (9.8): a dry run reports every row; "all" writes only if every
   * row can be registered (rows already registered are skipped), "valid" writes the rows that can
   * be. A row without a password is refused unless `generateMissing` asks for one, which must then
   * be set on the platform. Written in batches with progress ('import'). The file comes as text
   * (`csv`), as bytes (`file`, the preview's small files) or, up to the import's own limit, as a
   * handle `files.choose` issued for "import-source" (`source`: the CLI's path, Electron's dialog),
   * read by the core where the path stays. Without the passphrase a file needs, the answer is
   * `needsPassphrase` and nothing was checked: ask, and send the same request with it.
   */
  'accounts.import': channel(() => ({
    request: z
      .object({
        /** Custodian's registration CSV, as text; or `file`, any format read (its bytes in base64). */
        csv: z.string().min(1).max(MAX_IMPORT_CSV_CHARS).optional(),
        file: z
          .string()
          .min(1)
          .max(Math.ceil(MAX_IMPORT_FILE_BYTES / 3) * 4)
          .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64')
          .optional(),
        /** A handle from `files.choose` for purpose "import-source". */
        source: fileHandle.optional(),
        format: z.enum(IMPORT_FORMATS).optional(),
        /** A KeePass database's or password-protected Bitwarden export's passphrase; never kept. */
        sourcePassphrase: z.string().min(1).max(1024).optional(),
        defaults: z
          .object({
            force: z.enum(FORCES).optional(),
            unitType: z.enum(UNIT_TYPES).optional(),
            unit: z.string().trim().min(1).max(LIMITS.unitName).optional(),
          })
          .strict()
          .optional(),
        /** Group (KeePass) or folder/collection (Bitwarden) name to the unit its entries go to. */
        groupUnits: z
          .record(
            z.string().max(2000),
            z
              .object({
                unit: z.string().trim().min(1).max(LIMITS.unitName),
                unitType: z.enum(UNIT_TYPES).optional(),
              })
              .strict(),
          )
          .optional(),
        /** An entry's own group (or folder) name is its unit, unless `groupUnits` maps it. */
        unitsFromGroups: z.boolean().optional(),
        mode: z.enum(['dry-run', 'all', 'valid']),
        generateMissing: z.boolean().optional(),
      })
      .strict()
      .refine(
        (r) => [r.csv, r.file, r.source].filter((given) => given !== undefined).length === 1,
        {
          message: 'give csv, file or source, one of them',
        },
      ),
    response: z.object({
      format: z.enum(IMPORT_FORMATS),
      /** The file needs its passphrase before it can be read: nothing was checked yet. */
      needsPassphrase: z.boolean(),
      groups: z.array(z.string()),
      rows: z.array(
        z.object({
          line: z.number().int(),
          where: z.string(),
          label: z.string(),
          destination: z.string().nullable(),
          status: z.enum(['ready', 'imported', 'skipped', 'invalid']),
          message: z.string().nullable(),
          passwordGenerated: z.boolean(),
        }),
      ),
      total: z.number().int(),
      written: z.number().int(),
      skipped: z.number().int(),
      invalid: z.number().int(),
    }),
    roles: ['lead', 'dmt'],
  })),
  /** 9.11 closure after consulting Corporate Communications with public notice, or 9.12 hand-over. */
  'accounts.close': channel(() => ({
    request: z
      .object({
        account: accountRef,
        consultedOn: z.string().max(10),
        publicNoticeOn: z.string().max(10).optional(),
        alternativeChannel: z.string().trim().min(1).max(500).optional(),
        continuedBy: z.string().trim().min(1).max(100).optional(),
      })
      .strict(),
    /** "closing" until the public notice and the alternative channel are recorded (9.11). */
    response: z.object({ status: z.string().nullable() }),
    roles: ['lead', 'dmt'],
  })),
  /**
   * One account's record as `custodian account show` prints it: the summary, the current
   * password's strength and when it was set (no key needed to judge them), and 6.6 notices.
   */
  'accounts.show': channel(() => ({
    request: z.object({ account: accountRef }).strict(),
    response: accountSummarySchema.omit({ passwordCheck: true }).extend({
      passwordStrength: z.number().nullable(),
      passwordSetOn: z.string().nullable(),
      doNotPost: z.array(z.string()),
    }),
    roles: ALL,
  })),
  /**
   * Edit registry details (not the handle or owner: accounts.rename). The core checks each
   * field against the account's own schema and the status moves it allows (10.2, 9.16).
   */
  'accounts.set-details': channel(() => ({
    request: z
      .object({
        account: accountRef,
        profileUrl: z.string().max(500).optional(),
        purpose: z.string().max(2000).optional(),
        aims: z.string().max(2000).optional(),
        status: z.enum(ACCOUNT_STATUSES).optional(),
        createdOn: z.string().max(10).optional(),
        legacy: z.literal(true).optional(),
        /** A recorded approval exemption, for a legacy account only (9.16). */
        exemption: z.string().max(500).optional(),
        twoFactor: z.enum(TWO_FACTOR_METHODS).optional(),
        recoveryEmail: z.string().max(320).optional(),
        recoveryPhone: z.string().max(40).optional(),
        recoveryPhoneIsForce: z.boolean().optional(),
        /** Their line manager, already registered: an id or a name. */
        lineManager: z.string().trim().min(1).max(100).optional(),
        notes: z.string().max(5000).optional(),
        expectedVersion,
      })
      .strict(),
    response: ok,
    roles: ['lead', 'dmt'],
  })),
  /** A new handle or owner when it changes, and who was told (9.9). */
  'accounts.rename': channel(() => ({
    request: z
      .object({
        account: accountRef,
        handle: z.string().max(200).optional(),
        owner: z.string().min(1).max(100).optional(),
        informed: z.array(z.string().trim().min(1).max(200)).max(50),
        expectedVersion,
      })
      .strict(),
    response: z.object({ label: z.string() }),
    roles: REGISTRY_EDITORS,
  })),
  /** The last day the account was used (9.13). */
  'accounts.activity': channel(() => ({
    request: z.object({ account: accountRef, on: z.string().max(10), expectedVersion }).strict(),
    response: ok,
    roles: REGISTRY_EDITORS,
  })),
  /** Rotations, name and owner changes, team changes and incidents, in the trail's order. */
  'accounts.history': channel(() => ({
    request: z.object({ account: accountRef }).strict(),
    response: z.array(historyEventSchema),
    roles: ALL,
  })),
} as const;

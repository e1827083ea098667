import { z } from 'zod';
import {
  accountRecordSchema,
  LIMITS,
  memberNameSchema,
  passwordSchema,
  reasonSchema,
  ROTATION_REASONS,
  accountProfileSchema,
  newAccountSchema,
  PLATFORMS,
  FORCES,
  UNIT_TYPES,
} from '../domain/accounts.ts';
import { IMPORT_FORMATS } from '../domain/import-formats.ts';
import { healthSettingsSchema, SEVERITIES } from '../domain/health.ts';
import { REVEAL_FIELDS } from '../domain/credentials.ts';
import { REGISTRY_EDITORS, ROLES, type Role } from '../domain/roles.ts';
import { DEVICE_KINDS, NOTIFY_PARTIES, personSchema } from '../domain/registry.ts';
import { ErrorCode } from '../errors.ts';

/**
 * The one IPC contract (STYLE.md 2, DESIGN.md "Process model"): every channel's request and
 * response schema and the roles allowed. The preload, the router and the renderer's API client
 * all derive from this object; no channel name is written anywhere else.
 *
 * `roles: null` means the channel needs no unlocked session (create, unlock, status).
 */
const path = z
  .string()
  .trim()
  .min(1, 'Choose a vault file.')
  .max(4096, 'The path is too long.')
  .refine((p) => !p.includes('\0'), 'A path cannot contain a NUL character.');
/** An opaque handle for a file main's chooser returned (electron/vault/file-handles.ts): never a path. */
const fileHandle = z
  .string()
  .regex(/^fh-[0-9a-f]{32}$/, 'Choose the file first (with "Choose…", or by typing its path).');
const passphrase = z
  .string()
  .min(1, 'Enter the passphrase.')
  .max(1024, 'The passphrase is too long.');
const accountRef = z
  .string()
  .trim()
  .min(1)
  .max(LIMITS.handle + 20);
/** The largest CSV the console sends in one call (about 500 accounts); the CLI takes any size. */
export const MAX_IMPORT_CSV_CHARS = 60 * 1024;
/** The largest other import file (a KeePass database, an export) the console sends, in bytes. */
export const MAX_IMPORT_FILE_BYTES = 1024 * 1024;

const empty = z.object({}).strict();
const ok = z.object({}).strict();

const memberSchema = z.object({ id: z.string(), name: z.string(), role: z.enum(ROLES) });

const findingSchema = z.object({
  account: z.string().nullable(),
  subject: z.object({
    kind: z.enum(['account', 'person', 'device', 'incident']),
    id: z.string(),
    label: z.string(),
  }),
  rule: z.string(),
  clause: z.string(),
  severity: z.enum(SEVERITIES),
  since: z.string(),
  evidence: z.string(),
  action: z.string(),
});

export const accountSummarySchema = accountRecordSchema.extend({
  id: z.string(),
  createdAt: z.string(),
  rotationDueSince: z.string().nullable(),
  lastRotatedAt: z.string().nullable(),
});

const historyEventSchema = z.object({ at: z.string(), kind: z.string(), summary: z.string() });

const auditRowSchema = z.object({
  seq: z.number(),
  at: z.string(),
  event: z.string(),
  actor: z.string(),
  account: z.string(),
  reason: z.string(),
  details: z.string(),
});

/** What the audit log and an export can be narrowed to (issue 5): all on the entries' clear columns. */
const auditFilters = z
  .object({
    from: z.string().max(10).optional(),
    to: z.string().max(10).optional(),
    account: z.string().max(200).optional(),
    actor: z.string().max(200).optional(),
    kind: z.string().max(100).optional(),
  })
  .strict();

const ALL: readonly Role[] = ROLES;
const READERS: readonly Role[] = ['lead', 'dmt', 'admin'];

interface ChannelSpec {
  readonly request: z.ZodType;
  readonly response: z.ZodType;
  readonly roles: readonly Role[] | null;
}

/** Checks a channel's shape while keeping its exact schema types for the derived types below. */
const channel = <const S extends ChannelSpec>(spec: S): S => spec;

export const CONTRACT = {
  'vault.status': channel({
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
  }),
  /**
   * The system's file chooser, shown by main: a vault to open, a new vault's name, or where an
   * export goes. What comes back is an opaque handle and the file's name (null if cancelled),
   * never the path; create, unlock and export take the handle. A window without a chooser (the
   * preview) sends `typedPath` instead, and gets a handle the same way; Electron's window cannot.
   * Nothing of the vault is read, so it is allowed while locked.
   */
  'files.choose': channel({
    request: z
      .object({
        purpose: z.enum(['open-vault', 'new-vault', 'export']),
        extension: z.enum(['vault', 'jsonl', 'csv', 'pdf']).optional(),
        typedPath: path.optional(),
      })
      .strict(),
    response: z.object({
      file: z.object({ handle: z.string(), name: z.string() }).nullable(),
    }),
    roles: null,
  }),
  'vault.create': channel({
    request: z.object({ file: fileHandle, founderName: memberNameSchema, passphrase }).strict(),
    response: z.object({ member: memberSchema }),
    roles: null,
  }),
  'vault.unlock': channel({
    request: z.object({ file: fileHandle, memberName: memberNameSchema, passphrase }).strict(),
    response: z.object({ member: memberSchema }),
    roles: null,
  }),
  'vault.lock': channel({ request: empty, response: ok, roles: null }),
  /**
   * A summary, not every finding: counts by severity and the most urgent of what is due in the
   * next seven days (at most DASHBOARD_DUE_LIMIT), so 10,000 accounts stay quick to show.
   */
  'dashboard.get': channel({
    request: empty,
    response: z.object({
      counts: z.object({
        breach: z.number(),
        action: z.number(),
        warning: z.number(),
        info: z.number(),
      }),
      due: z.array(findingSchema),
      dueTotal: z.number(),
      trend: z.array(z.object({ day: z.string(), total: z.number() })),
      accounts: z.number(),
      /** Lost-device incidents still open (10.1): what is left to do on each. */
      openIncidents: z.array(
        z.object({
          device: z.string(),
          lostOn: z.string(),
          accountsLeft: z.number(),
          partiesLeft: z.number(),
        }),
      ),
      /** Quiet periods in force (6.6): do not post. */
      quietPeriods: z.array(
        z.object({
          id: z.string(),
          accounts: z.string(),
          authority: z.string(),
          reason: z.string(),
          since: z.string(),
        }),
      ),
    }),
    roles: ALL,
  }),
  'accounts.list': channel({
    request: empty,
    response: z.array(accountSummarySchema),
    roles: ALL,
  }),
  'accounts.detail': channel({
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
  }),
  /**
   * Name an administrator (10.2, 9.14): the account's key is wrapped for an `admin` member, who
   * can then read and rotate its credentials. Same core function as `custodian account grant-admin`.
   */
  'accounts.grant-admin': channel({
    request: z
      .object({
        account: accountRef,
        member: z.string().regex(/^[0-9a-f]{32}$/, 'a member id'),
      })
      .strict(),
    response: ok,
    roles: ['lead', 'dmt'],
  }),
  /**
   * End an administrator's grant (10.2): their key for the account is removed and the account is
   * rotation due, because they knew the password.
   */
  'accounts.revoke-admin': channel({
    request: z
      .object({
        account: accountRef,
        member: z.string().regex(/^[0-9a-f]{32}$/, 'a member id'),
      })
      .strict(),
    response: z.object({ rotationDue: z.boolean() }),
    roles: ['lead', 'dmt'],
  }),
  /** Register an existing account and its login (9.8); new ones go through requests (9.1-9.6). */
  'accounts.create': channel({
    request: newAccountSchema.extend({ password: passwordSchema }).strict(),
    response: z.object({ id: z.string() }),
    roles: ['lead', 'dmt'],
  }),
  /** 6.6: during a major incident, the named accounts (or all) show "do not post" until it ends. */
  'quiet.declare': channel({
    request: z
      .object({
        accounts: z.union([z.literal('all'), z.array(accountRef).min(1).max(500)]),
        authority: z.string().max(200),
        reason: z.string().max(500),
      })
      .strict(),
    response: z.object({ id: z.string() }),
    roles: ['lead', 'dmt'],
  }),
  /** 6.6: ending needs the authority and a reason, as declaring does; both are audited. */
  'quiet.end': channel({
    request: z
      .object({
        id: z.string().max(64),
        authority: z.string().max(200),
        reason: z.string().max(500),
      })
      .strict(),
    response: empty,
    roles: ['lead', 'dmt'],
  }),
  /**
   * Bulk registration from a CSV (9.8): a dry run reports every row; "all" writes only if every
   * row can be registered (rows already registered are skipped), "valid" writes the rows that can
   * be. A row without a password is refused unless `generateMissing` asks for one, which must then
   * be set on the platform. Written in batches with progress ('import'). Larger files go through
   * `custodian account import`.
   */
  'accounts.import': channel({
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
        mode: z.enum(['dry-run', 'all', 'valid']),
        generateMissing: z.boolean().optional(),
      })
      .strict()
      .refine((r) => (r.csv === undefined) !== (r.file === undefined), {
        message: 'give csv or file, one of them',
      }),
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
  }),
  /** 9.1-9.3: a request with who asks, the purpose and its aims; individual accounts are refused (9.5). */
  'requests.create': channel({
    request: accountProfileSchema
      .extend({
        requester: z.string().trim().min(1).max(100),
        purpose: z.string().trim().min(1).max(2000),
        aims: z.string().trim().min(1).max(2000),
      })
      .strict(),
    response: z.object({ id: z.string() }),
    roles: ['lead', 'dmt'],
  }),
  /** 9.2 line manager and Head of Department, then 9.5 the Digital Media Lead (a lead) decides. */
  'requests.approve': channel({
    request: z
      .object({
        account: accountRef,
        approver: z.enum(['line-manager', 'head-of-department', 'dml']),
        by: z.string().trim().min(1).max(100),
        refuse: z.string().trim().min(1).max(500).optional(),
        suggest: z.enum(PLATFORMS).optional(),
      })
      .strict(),
    response: ok,
    roles: ['lead', 'dmt'],
  }),
  /** 9.6 and 9.8: Corporate Communications set it up and register the login. */
  'requests.set-up': channel({
    request: z
      .object({
        account: accountRef,
        username: z.string().trim().min(1).max(LIMITS.username),
        password: passwordSchema,
      })
      .strict(),
    response: ok,
    roles: ['lead', 'dmt'],
  }),
  /** 9.11 closure after consulting Corporate Communications with public notice, or 9.12 hand-over. */
  'accounts.close': channel({
    request: z
      .object({
        account: accountRef,
        consultedOn: z.string().max(10),
        publicNoticeOn: z.string().max(10).optional(),
        alternativeChannel: z.string().trim().min(1).max(500).optional(),
        continuedBy: z.string().trim().min(1).max(100).optional(),
      })
      .strict(),
    response: ok,
    roles: ['lead', 'dmt'],
  }),
  /** Team changes (10.2): who has access to an account, granted and revoked with date and reason. */
  'team.grant': channel({
    request: z
      .object({
        account: accountRef,
        person: z.string().min(1).max(100),
        why: z.string().trim().max(500).optional(),
      })
      .strict(),
    response: ok,
    roles: REGISTRY_EDITORS,
  }),
  /** `rotationDue`: they knew the password, so the account must be rotated (10.2). */
  'team.revoke': channel({
    request: z
      .object({
        account: accountRef,
        person: z.string().min(1).max(100),
        why: z.string().trim().max(500).optional(),
      })
      .strict(),
    response: z.object({ rotationDue: z.boolean() }),
    roles: REGISTRY_EDITORS,
  }),
  /**
   * Returns a secret: only to roles that may read credentials, only with a reason (6.5). The
   * password unless another field is asked for; recovery codes come one per line (9.8). A refusal
   * for the role is itself audited, as for copy and TOTP (issue 11).
   */
  'credentials.reveal': channel({
    request: z
      .object({
        account: accountRef,
        field: z.enum(REVEAL_FIELDS).optional(),
        reason: reasonSchema,
      })
      .strict(),
    response: z.object({ field: z.enum(REVEAL_FIELDS), value: z.string() }),
    roles: READERS,
  }),
  /** The current TOTP code (a secret for 30 s): with a reason, audited like a reveal. */
  'credentials.totp': channel({
    request: z.object({ account: accountRef, reason: reasonSchema }).strict(),
    response: z.object({ code: z.string(), secondsLeft: z.number() }),
    roles: READERS,
  }),
  /** The copy happens in main; the secret never crosses to the renderer. */
  'credentials.copy': channel({
    request: z
      .object({
        account: accountRef,
        field: z.enum(['username', 'password']),
        reason: reasonSchema,
      })
      .strict(),
    response: z.object({ clearsInSeconds: z.number() }),
    roles: READERS,
  }),
  'credentials.rotate': channel({
    request: z
      .object({
        account: accountRef,
        reason: z.enum(ROTATION_REASONS),
        password: passwordSchema,
        informed: z.array(z.string().trim().min(1).max(200)).max(50),
      })
      .strict(),
    response: z.object({ rotationId: z.string() }),
    roles: READERS,
  }),
  'people.list': channel({
    request: empty,
    response: z.array(
      z.object({
        id: z.string(),
        person: personSchema,
        /**
         * The person's 11.1 status from the health rule itself (electron/vault/health/rules/
         * training.ts): no account access yet, up to date, or overdue with the finding's severity.
         */
        training: z.object({
          status: z.enum(['no-access', 'up-to-date', 'overdue']),
          severity: z.enum(SEVERITIES).nullable(),
          summary: z.string(),
        }),
        /** Whether this member may record their training (10.2: an administrator, their teams). */
        canTrain: z.boolean(),
      }),
    ),
    roles: ALL,
  }),
  'people.add': channel({
    request: personSchema
      .pick({
        name: true,
        staffNo: true,
        force: true,
        department: true,
        role: true,
        masterclassOn: true,
        refresherOn: true,
      })
      .strict(),
    response: z.object({ id: z.string() }),
    roles: REGISTRY_EDITORS,
  }),
  'people.train': channel({
    request: z
      .object({
        person: z.string().min(1).max(100),
        masterclassOn: personSchema.shape.masterclassOn,
        refresherOn: personSchema.shape.refresherOn,
      })
      .strict(),
    response: ok,
    roles: REGISTRY_EDITORS,
  }),
  'members.list': channel({
    request: empty,
    response: z.array(
      memberSchema.extend({ addedAt: z.string(), removedAt: z.string().nullable() }),
    ),
    roles: ['lead'],
  }),
  'members.add': channel({
    request: z.object({ name: memberNameSchema, role: z.enum(ROLES), passphrase }).strict(),
    response: memberSchema,
    roles: ['lead'],
  }),
  'members.remove': channel({
    request: z.object({ name: memberNameSchema }).strict(),
    response: z.object({ accountsMarked: z.number() }),
    roles: ['lead'],
  }),
  'members.change-passphrase': channel({
    request: z.object({ passphrase }).strict(),
    response: ok,
    roles: ALL,
  }),
  /** Devices that can reach accounts (10.1, 12.1) and every lost-device incident, open first. */
  'devices.list': channel({
    request: empty,
    response: z.object({
      devices: z.array(
        z.object({
          id: z.string(),
          label: z.string(),
          kind: z.enum(DEVICE_KINDS),
          owner: z.string(),
          ownerId: z.string(),
          accounts: z.array(z.object({ id: z.string(), label: z.string() })),
          /** 12.1: when the line manager's record of a personal device was made. */
          lineManagerRecordOn: z.string().nullable(),
          /** Out of service since (with why): it reaches no account and is not reported lost. */
          retiredOn: z.string().nullable(),
          retireReason: z.string().nullable(),
          /** The day it was lost while its incident is open (10.1): shown as lost, not reported again. */
          lostOn: z.string().nullable(),
          /**
           * Whether this member may edit, retire or report it lost (10.2: an administrator, their
           * accounts only).
           */
          canEdit: z.boolean(),
        }),
      ),
      incidents: z.array(
        z.object({
          id: z.string(),
          device: z.string(),
          lostOn: z.string(),
          reportedAt: z.string(),
          resolvedAt: z.string().nullable(),
          exposed: z.array(z.object({ id: z.string(), label: z.string(), answered: z.boolean() })),
          notified: z.partialRecord(z.enum(NOTIFY_PARTIES), z.string()),
          /** Whether this member may record its notifications (as for the device). */
          canEdit: z.boolean(),
        }),
      ),
    }),
    roles: ALL,
  }),
  /** Record a device that reaches accounts: force-owned (10.1) or personal (12.1). */
  'devices.add': channel({
    request: z
      .object({
        owner: z.string().min(1).max(100),
        kind: z.enum(DEVICE_KINDS),
        label: z
          .string()
          .trim()
          .min(1, 'Name the device (e.g. "iPhone 15, asset 40213").')
          .max(200),
        accounts: z.array(accountRef).max(500),
        lineManagerRecordOn: z.string().max(10).optional(),
      })
      .strict(),
    response: z.object({ id: z.string() }),
    roles: REGISTRY_EDITORS,
  }),
  /** Correct a device's record; `lineManagerRecordOn: null` clears a 12.1 date entered by mistake. */
  'devices.edit': channel({
    request: z
      .object({
        device: z.string().min(1).max(100),
        owner: z.string().min(1).max(100).optional(),
        kind: z.enum(DEVICE_KINDS).optional(),
        label: z.string().trim().min(1).max(200).optional(),
        accounts: z.array(accountRef).max(500).optional(),
        lineManagerRecordOn: z.string().max(10).nullable().optional(),
      })
      .strict(),
    response: ok,
    roles: REGISTRY_EDITORS,
  }),
  /** Take a device out of service with the reason; its record and incidents are kept. */
  'devices.retire': channel({
    request: z
      .object({
        device: z.string().min(1).max(100),
        reason: z.string().trim().min(1, 'Say why the device is retired.').max(500),
        on: z.string().max(10).optional(),
      })
      .strict(),
    response: ok,
    roles: REGISTRY_EDITORS,
  }),
  'devices.report-lost': channel({
    request: z
      .object({ device: z.string().min(1).max(100), lostOn: z.string().max(10).optional() })
      .strict(),
    response: z.object({ incident: z.string() }),
    roles: REGISTRY_EDITORS,
  }),
  'incidents.notify': channel({
    request: z
      .object({
        incident: z.string().min(1).max(100),
        party: z.enum(NOTIFY_PARTIES),
        at: z.string().max(40).optional(),
      })
      .strict(),
    response: ok,
    roles: REGISTRY_EDITORS,
  }),
  'settings.get': channel({
    request: empty,
    response: z.object({
      autoLockMinutes: z.number(),
      thresholds: healthSettingsSchema.required(),
    }),
    roles: ALL,
  }),
  /** Lead only; each change is audited with its old and new value. */
  'settings.set': channel({
    request: z
      .object({
        autoLockMinutes: z.number().int().min(1).max(60).optional(),
        thresholds: healthSettingsSchema.strict().optional(),
      })
      .strict(),
    response: ok,
    roles: ['lead'],
  }),
  /** A new random password or EFF-wordlist passphrase, with its zxcvbn score (0-4). */
  'generator.generate': channel({
    request: z
      .object({
        kind: z.enum(['characters', 'passphrase']),
        length: z.number().int().min(12).max(128).optional(),
        words: z.number().int().min(4).max(20).optional(),
      })
      .strict(),
    response: z.object({ password: z.string(), score: z.number() }),
    roles: READERS,
  }),
  /** The zxcvbn score of a password being typed, for the strength meter (nothing is stored). */
  'generator.strength': channel({
    request: z.object({ password: passwordSchema }).strict(),
    response: z.object({ score: z.number() }),
    roles: READERS,
  }),
  'audit.page': channel({
    request: z
      .object({
        offset: z.number().int().min(0),
        limit: z.number().int().min(1).max(500),
        filters: auditFilters.optional(),
      })
      .strict(),
    response: z.object({ total: z.number(), rows: z.array(auditRowSchema) }),
    roles: ALL,
  }),
  /** Policy 6.4, 6.5, 6.14: lead and security export; the export is itself audited. */
  'audit.export': channel({
    request: z
      .object({
        format: z.enum(['jsonl', 'csv', 'pdf']),
        /** A handle from `files.choose` for purpose "export". */
        file: fileHandle,
        /** Replace an existing file (the console asked first); never the vault's own files. */
        replace: z.boolean().optional(),
        // The person filter looks inside sealed details: the export opens them all anyway.
        filters: auditFilters
          .extend({ person: z.string().max(200).optional() })
          .strict()
          .optional(),
      })
      .strict(),
    response: z.object({ entries: z.number(), treeSize: z.number(), root: z.string() }),
    roles: ['lead', 'security'],
  }),
  'audit.verify': channel({
    request: empty,
    response: z.object({ ok: z.boolean(), entries: z.number(), message: z.string() }),
    roles: ALL,
  }),
  'audit.checkpoint': channel({
    request: empty,
    response: z.object({ text: z.string(), size: z.number(), root: z.string() }),
    roles: ALL,
  }),
} as const;

export type Channel = keyof typeof CONTRACT;
export const CHANNELS = Object.keys(CONTRACT) as Channel[];
export type RequestOf<C extends Channel> = z.input<(typeof CONTRACT)[C]['request']>;
export type ResponseOf<C extends Channel> = z.output<(typeof CONTRACT)[C]['response']>;

export interface IpcError {
  readonly code: ErrorCode;
  readonly message: string;
}
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** The one function the preload (or the preview's binding) exposes to the renderer. */
export type Invoke = <C extends Channel>(
  channel: C,
  request: RequestOf<C>,
) => Promise<IpcResult<ResponseOf<C>>>;

/**
 * Whether a member of this role may call the channel at all: the router refuses the rest, and the
 * console shows a control only to a member who may use it. Per-account limits (an administrator's
 * own accounts) come on top, as `canEdit` and `canReadCredentials` in accounts.detail.
 */
export function roleMayCall(role: Role, channel: Channel): boolean {
  const roles: readonly Role[] | null = CONTRACT[channel].roles;
  return roles === null || roles.includes(role);
}

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(CONTRACT, name);
}

export const DASHBOARD_DUE_LIMIT = 100;

/** Bounds on a payload before it is parsed at all: a malformed or oversized message is refused. */
export const MAX_PAYLOAD_CHARS = 64 * 1024;

export {
  IPC_INVOKE_CHANNEL,
  IPC_LOCKED_CHANNEL,
  IPC_MENU_CHANNEL,
  IPC_PROGRESS_CHANNEL,
} from './channels.ts';

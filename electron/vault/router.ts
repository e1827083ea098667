import {
  CONTRACT,
  isChannel,
  MAX_PAYLOAD_CHARS,
  type Channel,
  type IpcResult,
  type RequestOf,
  type ResponseOf,
} from '../../shared/ipc/contract.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { accountLabel } from '../../shared/domain/accounts.ts';
import type { Role } from '../../shared/domain/roles.ts';
import { currentCheckpointText } from './audit/evidence.ts';
import { describeForPeople } from './audit/export.ts';
import { auditDetailsSchema, knownKind } from './audit/entry.ts';
import { auditEntryAddress } from './audit/log.ts';
import { verifyVault } from './audit/verify.ts';
import { parseCheckpoint } from './audit/checkpoint.ts';
import { ClipboardGuard, realTimers, type ClipboardPort, type Timers } from './clipboard-guard.ts';
import { toHex } from './crypto/hash.ts';
import { listAccounts, resolveAccount, summarise } from './domain/accounts.ts';
import {
  copyCredentialField,
  openCredential,
  revealPassword,
  rotatePassword,
} from './domain/credentials.ts';
import { accountHistory } from './domain/history.ts';
import {
  listDevices,
  listIncidents,
  recordNotification,
  reportLostDevice,
  unansweredExposures,
} from './domain/devices.ts';
import { addMember, changeOwnPassphrase, listMembers, removeMember } from './domain/members.ts';
import { addPerson, listPeople, recordTraining } from './domain/people.ts';
import { VaultError } from './errors.ts';
import { healthReport, healthTrend } from './health/service.ts';
import type { VaultSession } from './session.ts';
import { auditStore } from './store/audit-store.ts';
import { asVaultError } from './store/connection.ts';
import { openRow } from './store/sealed-row.ts';
import { createVault, unlockVault } from './vault.ts';

/** DESIGN.md: the lead sets the idle time; five minutes until they do. */
export const DEFAULT_AUTO_LOCK_MINUTES = 5;

export interface RouterOptions {
  readonly clipboard: ClipboardPort;
  readonly timers?: Timers;
  readonly autoLockMinutes?: number;
  /** Told after every lock (idle, suspend, screen lock, or asked): the window clears its views. */
  readonly onLocked?: (why: LockReason) => void;
  /** Argon2id parameters for new vaults (tests and the demo use the floor to stay quick). */
  readonly createKdf?: Parameters<typeof createVault>[1]['kdf'];
}

export type LockReason = 'asked' | 'idle' | 'suspend' | 'screen-locked' | 'quit';

type Handler<C extends Channel> = (request: RequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C>;

/**
 * The one entry point from a window to the vault (DESIGN.md "Process model"): used by Electron's
 * main process, by the preview and by the e2e tests. It validates every payload against the
 * contract, checks the session and the role, calls the core, and returns a result: nothing is
 * thrown across the boundary, and no error carries a stack or a secret.
 */
export class VaultRouter {
  #session: VaultSession | undefined;
  readonly #clipboard: ClipboardGuard;
  readonly #timers: Timers;
  readonly #autoLockMs: number;
  readonly #options: RouterOptions;
  #cancelIdle: (() => void) | undefined;
  #busy: Promise<unknown> = Promise.resolve();

  constructor(options: RouterOptions) {
    this.#options = options;
    this.#timers = options.timers ?? realTimers;
    this.#clipboard = new ClipboardGuard(options.clipboard, this.#timers);
    this.#autoLockMs = (options.autoLockMinutes ?? DEFAULT_AUTO_LOCK_MINUTES) * 60_000;
  }

  get unlocked(): boolean {
    return this.#session !== undefined;
  }

  /** Calls run one at a time: the vault has one writer, and a lock must not land mid-call. */
  invoke(channel: unknown, payload: unknown): Promise<IpcResult<unknown>> {
    const run = this.#busy.then(() => this.#dispatch(channel, payload));
    this.#busy = run.catch(() => undefined);
    return run;
  }

  /** Lock now: record it, zero every key and decrypted cache, clear a secret left on the clipboard. */
  lock(why: LockReason): void {
    this.#cancelIdle?.();
    this.#cancelIdle = undefined;
    this.#clipboard.clearIfOurs();
    const session = this.#session;
    this.#session = undefined;
    if (!session) return;
    try {
      session.close();
    } catch {
      session.abandon();
    }
    this.#options.onLocked?.(why);
  }

  async #dispatch(channel: unknown, payload: unknown): Promise<IpcResult<unknown>> {
    if (!isChannel(channel)) {
      return failure(
        ErrorCode.INVALID_INPUT,
        'Unknown request: this window and the app do not match; restart Custodian.',
      );
    }
    if (!boundedPayload(payload)) {
      return failure(
        ErrorCode.INVALID_INPUT,
        'The request is too large or not plain data; nothing was done.',
      );
    }
    const spec = CONTRACT[channel];
    const parsed = spec.request.safeParse(payload ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      return failure(ErrorCode.INVALID_INPUT, `${where}${issue?.message ?? 'invalid request'}.`);
    }
    const allowed: readonly Role[] | null = spec.roles;
    if (allowed !== null) {
      const session = this.#session;
      if (!session)
        return failure(ErrorCode.AUTH_FAILED, 'The vault is locked. Unlock it to go on.');
      if (!allowed.includes(session.member.role)) {
        return failure(
          ErrorCode.FORBIDDEN,
          `Not permitted: your role (${session.member.role}) cannot do this.`,
        );
      }
      this.#touch();
    }
    try {
      const handler = this.#handlers[channel] as Handler<Channel>;
      const value = await handler(parsed.data);
      return { ok: true, value: spec.response.parse(value) };
    } catch (error) {
      const known = asVaultError(error);
      if (known instanceof VaultError) {
        if (known.code === ErrorCode.INTEGRITY) this.lock('asked');
        return failure(known.code, known.message);
      }
      // A bug: say so without a stack or anything from inside the vault.
      return failure(
        ErrorCode.INTERNAL,
        'Something went wrong inside Custodian; nothing was changed. Lock, unlock and try again.',
      );
    }
  }

  #touch(): void {
    this.#cancelIdle?.();
    this.#cancelIdle = this.#timers.after(this.#autoLockMs, () => this.lock('idle'));
  }

  #requireSession(): VaultSession {
    if (!this.#session)
      throw new VaultError(ErrorCode.AUTH_FAILED, 'The vault is locked. Unlock it to go on.');
    return this.#session;
  }

  #start(session: VaultSession) {
    this.lock('asked');
    this.#session = session;
    this.#touch();
    return { member: { ...session.member } };
  }

  readonly #handlers: { [C in Channel]: Handler<C> } = {
    'vault.status': () => ({
      unlocked: this.#session !== undefined,
      member: this.#session ? { ...this.#session.member } : null,
      vaultPath: this.#session?.path ?? null,
      autoLockMinutes: this.#autoLockMs / 60_000,
    }),
    'vault.create': async (r) =>
      this.#start(
        await createVault(r.path, {
          founderName: r.founderName,
          passphrase: r.passphrase,
          ...(this.#options.createKdf ? { kdf: this.#options.createKdf } : {}),
        }),
      ),
    'vault.unlock': async (r) =>
      this.#start(
        await unlockVault(r.path, { memberName: r.memberName, passphrase: r.passphrase }),
      ),
    'vault.lock': () => {
      this.lock('asked');
      return {};
    },
    'dashboard.get': () => {
      const session = this.#requireSession();
      return {
        findings: healthReport(session),
        trend: healthTrend(session).map((t) => ({ day: t.day, total: t.summary.total })),
        accounts: listAccounts(session).length,
      };
    },
    'accounts.list': () => listAccounts(this.#requireSession()),
    'accounts.detail': (r) => {
      const session = this.#requireSession();
      const row = resolveAccount(session, r.account);
      const account = summarise(session, row);
      const hasTotp =
        session.member.role !== 'security' &&
        openCredential(session, row.id).totpSecret !== undefined;
      return {
        account,
        findings: healthReport(session, { account: row.id }),
        history: accountHistory(session, row.id),
        hasTotp,
      };
    },
    'credentials.reveal': (r) => ({
      password: revealPassword(this.#requireSession(), r.account, r.reason).expose(),
    }),
    'credentials.copy': (r) => {
      const secret = copyCredentialField(this.#requireSession(), r.account, r.field, r.reason);
      return { clearsInSeconds: this.#clipboard.place(secret.expose()) };
    },
    'credentials.rotate': (r) =>
      rotatePassword(this.#requireSession(), r.account, {
        reason: r.reason,
        password: r.password,
        informed: r.informed,
      }),
    'people.list': () => {
      const session = this.#requireSession();
      const training = new Map(
        healthReport(session)
          .filter((f) => f.rule === 'training')
          .map((f) => [f.subject.id, f]),
      );
      return listPeople(session).map((p) => ({
        id: p.id,
        person: p.value,
        training: training.get(p.id) ?? null,
      }));
    },
    'people.add': (r) => ({ id: addPerson(this.#requireSession(), definedOnly(r)).id }),
    'people.train': (r) => {
      recordTraining(
        this.#requireSession(),
        r.person,
        definedOnly({ masterclassOn: r.masterclassOn, refresherOn: r.refresherOn }),
      );
      return {};
    },
    'members.list': () =>
      listMembers(this.#requireSession()).map((m) => ({
        id: m.id,
        name: m.name,
        role: m.role,
        addedAt: m.addedAt,
        removedAt: m.removedAt,
      })),
    'members.add': async (r) => {
      const m = await addMember(this.#requireSession(), r);
      return { id: m.id, name: m.name, role: m.role };
    },
    'members.remove': (r) => removeMember(this.#requireSession(), r.name),
    'members.change-passphrase': async (r) => {
      await changeOwnPassphrase(this.#requireSession(), r.passphrase);
      return {};
    },
    'devices.list': () => {
      const session = this.#requireSession();
      const accounts = new Map(listAccounts(session).map((a) => [a.id, accountLabel(a)]));
      const people = new Map(listPeople(session).map((p) => [p.id, p.value.name]));
      const devices = listDevices(session);
      const deviceLabel = new Map(devices.map((d) => [d.id, d.value.label]));
      const label = (id: string) => ({ id, label: accounts.get(id) ?? id });
      return {
        devices: devices.map((d) => ({
          id: d.id,
          label: d.value.label,
          kind: d.value.kind,
          owner: people.get(d.clear.owner_id) ?? d.clear.owner_id,
          accounts: d.value.accountIds.map(label),
        })),
        incidents: listIncidents(session)
          .map((i) => {
            const open = new Set(unansweredExposures(session, i));
            return {
              id: i.id,
              device: deviceLabel.get(i.clear.device_id) ?? i.clear.device_id,
              lostOn: i.clear.lost_on,
              reportedAt: i.clear.reported_at,
              resolvedAt: i.clear.resolved_at,
              exposed: i.value.exposedAccountIds.map((id) => ({
                ...label(id),
                answered: !open.has(id),
              })),
              notified: i.value.notified,
            };
          })
          .sort(
            (a, b) =>
              Number(a.resolvedAt !== null) - Number(b.resolvedAt !== null) ||
              b.reportedAt.localeCompare(a.reportedAt),
          ),
      };
    },
    'devices.report-lost': (r) => ({
      incident: reportLostDevice(this.#requireSession(), {
        device: r.device,
        ...(r.lostOn ? { on: r.lostOn } : {}),
      }).id,
    }),
    'incidents.notify': (r) => {
      recordNotification(this.#requireSession(), {
        incident: r.incident,
        party: r.party,
        ...(r.at ? { at: r.at } : {}),
      });
      return {};
    },
    'audit.page': (r) => {
      const session = this.#requireSession();
      const total = auditStore.countEntries(session.db);
      const rows = auditStore.entriesPage(session.db, r.offset, r.limit).map((row) => {
        const kind = knownKind(row.kind);
        if (!kind)
          throw new VaultError(
            ErrorCode.INTEGRITY,
            `Audit entry #${row.seq} has an unknown kind; verify the vault.`,
          );
        const details = openRow(
          session.keys.vault,
          auditEntryAddress(row),
          row.sealed,
          auditDetailsSchema,
        );
        const view = describeForPeople(session, {
          seq: row.seq,
          at: row.at,
          kind,
          actor: row.actor_id,
          account: row.account_id,
          details,
          leaf: row.leaf_hash,
        });
        return {
          seq: view.seq,
          at: view.at,
          event: view.event,
          actor: view.actor,
          account: view.account,
          reason: view.reason,
          details: view.details,
        };
      });
      return { total, rows };
    },
    'audit.verify': () => {
      const report = verifyVault(this.#requireSession());
      return report.ok
        ? {
            ok: true,
            entries: report.entries,
            message: `The vault and its audit trail verify: ${report.entries} entries, ${report.checkpoints} signed checkpoints.`,
          }
        : {
            ok: false,
            entries: report.entries,
            message: `Verification failed at ${report.where}: ${report.problem}.`,
          };
    },
    'audit.checkpoint': () => {
      const text = currentCheckpointText(this.#requireSession());
      const checkpoint = parseCheckpoint(text);
      return { text, size: checkpoint.size, root: toHex(checkpoint.root) };
    },
  };
}

function failure(code: ErrorCode, message: string): IpcResult<never> {
  return { ok: false, error: { code, message } };
}

/** Drop the keys a form left empty, so optional fields stay absent (exactOptionalPropertyTypes). */
function definedOnly<T extends Record<string, unknown>>(
  value: T,
): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

/** Plain JSON data of a bounded size: anything else is refused before zod sees it. */
function boundedPayload(payload: unknown): boolean {
  if (payload === undefined) return true;
  try {
    const text = JSON.stringify(payload);
    return typeof text === 'string' && text.length <= MAX_PAYLOAD_CHARS;
  } catch {
    return false;
  }
}

import {
  CONTRACT,
  isChannel,
  MAX_PAYLOAD_CHARS,
  type Channel,
  type IpcResult,
} from '../../shared/ipc/contract.ts';
import { ErrorCode } from '../../shared/errors.ts';
import type { Role } from '../../shared/domain/roles.ts';
import { findIllFormedText } from '../../shared/domain/text.ts';
import { ClipboardGuard, realTimers, type ClipboardPort, type Timers } from './clipboard-guard.ts';
import { fileSystemError, VaultError } from './errors.ts';
import { recordRefusedRequest } from './domain/refused-attempts.ts';
import { accountsHandlers } from './handlers/accounts.ts';
import { auditHandlers } from './handlers/audit.ts';
import { credentialsHandlers, refusedAttemptOf } from './handlers/credentials.ts';
import { dashboardHandlers } from './handlers/dashboard.ts';
import { devicesHandlers } from './handlers/devices.ts';
import { generatorHandlers } from './handlers/generator.ts';
import { healthHandlers } from './handlers/health.ts';
import { incidentsHandlers } from './handlers/incidents.ts';
import { membersHandlers } from './handlers/members.ts';
import { peopleHandlers } from './handlers/people.ts';
import { quietHandlers } from './handlers/quiet.ts';
import { requestsHandlers } from './handlers/requests.ts';
import { settingsHandlers } from './handlers/settings.ts';
import { teamHandlers } from './handlers/team.ts';
import { complaintsHandlers } from './handlers/complaints.ts';
import { trialsHandlers } from './handlers/trials.ts';
import { appsHandlers } from './handlers/apps.ts';
import { backupHandlers } from './handlers/backup.ts';
import { autoLockMinutes, DEFAULT_AUTO_LOCK_MINUTES } from './domain/settings.ts';
import type { Handler, HandlerContext } from './handlers/types.ts';
import { vaultHandlers } from './handlers/vault.ts';
import type { VaultSession } from './session.ts';
import type { ProgressReporter } from './progress.ts';
import type { ProgressTask, TaskProgress } from '../../shared/ipc/channels.ts';
import { asVaultError, dataVersion } from './store/connection.ts';
import { watchVaultChanges, type ChangeSignals } from './live/change-signals.ts';
import { LiveRefresh } from './live/refresh.ts';
import { acceptedRestore, createVault, trustedOnFirstUse, unlockVault } from './vault.ts';
import { redactServerUrl } from '../../shared/vault-location.ts';
import type { KeptCheckpointFolder } from './kept-checkpoints.ts';
import { DEFAULT_KDF } from './crypto/kdf.ts';
import { scrubFreedHeap } from './crypto/heap-scrub.ts';
import { keyFingerprint } from './trust/chain.ts';
import { FileHandles, type FileChooser } from './file-handles.ts';

export interface RouterOptions {
  readonly clipboard: ClipboardPort;
  readonly timers?: Timers;
  /** Overrides the vault's own auto-lock setting (the lead's choice, five minutes by default). */
  readonly autoLockMinutes?: number;
  /** Told after every lock (idle, suspend, screen lock, or asked): the window clears its views. */
  readonly onLocked?: (why: LockReason) => void;
  /**
   * Where file paths come from: Electron's dialog in main, or typed paths in the preview and the
   * tests (typedPathChooser). Without one the window cannot name a file at all.
   */
  readonly files?: FileChooser;
  /** Told how far an export, a verify or an import has got (throttled to steps of 1% and the end). */
  readonly onProgress?: (progress: TaskProgress) => void;
  /** Argon2id parameters for new vaults (tests and the demo use the floor to stay quick). */
  readonly createKdf?: Parameters<typeof createVault>[1]['kdf'];
  /**
   * How long an unlock waits for another process's writer lock before it says the vault is in
   * use: 0 for a window (it says so at once), a few seconds for the CLI, whose commands queue.
   */
  readonly lockWaitMs?: number;
  /**
   * Between the batches of a long write (an import), let go of the writer lock for a moment so
   * other processes' commands get the vault (issue 11): the CLI's one-command router. A window
   * keeps its lock for as long as it is open.
   */
  readonly sharesWriterBetweenBatches?: boolean;
  /**
   * Where this workstation keeps its last verified checkpoint of each vault (issue 14, ADR 0024):
   * every host gives the OS user's own folder (keptCheckpointDir of its environment), so the
   * console and the CLI agree. The router reads no environment itself (the CLI's Io rule); only
   * tests of other things leave it out, and then nothing is kept or checked.
   */
  readonly keptCheckpoints?: KeptCheckpointFolder;
  /**
   * Told when another workstation (or process) has committed to the open vault (issue 14, ADR
   * 0033): the window then asks `vault.refresh` and reloads what it shows. Given by the console's
   * hosts; the CLI's one-command router watches nothing.
   */
  readonly onVaultChanged?: () => void;
  /** How the open vault is watched: poll and reconnect intervals (tests make them short). */
  readonly liveRefresh?: { readonly pollMs?: number; readonly retryMs?: number };
}

export type { FileChooser, FilePurpose } from './file-handles.ts';

/** Why the vault locked; `ended`: the session recorded its own lock (a vault copy, ADR 0032). */
export type LockReason = 'asked' | 'idle' | 'suspend' | 'screen-locked' | 'quit' | 'ended';

/** The one channel served before the registry's tables are checked: the dashboard's first screen. */
const FIRST_SCREEN: Channel = 'dashboard.get';
/** Asked by the window on its own, not by the person: it does not postpone the idle lock. */
const NOT_ACTIVITY: Channel = 'vault.refresh';

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
  #autoLockMs: number;
  readonly #options: RouterOptions;
  #cancelIdle: (() => void) | undefined;
  /** When the last call has settled; it never holds that call's answer (a reveal's password). */
  #busy: Promise<void> = Promise.resolve();
  #signalQueued = false;
  readonly #handlers: { [C in Channel]: Handler<C> };
  readonly #files = new FileHandles();
  readonly #kept: KeptCheckpointFolder | undefined;
  /** The open vault's change signals and its refresh checks (ADR 0033), while unlocked. */
  #watch: ChangeSignals | undefined;
  #live: LiveRefresh | undefined;
  /** The data version the window was last told of, so a signal that moved nothing says nothing. */
  #announced = -1;

  constructor(options: RouterOptions) {
    this.#options = options;
    this.#kept = options.keptCheckpoints;
    this.#timers = options.timers ?? realTimers;
    this.#clipboard = new ClipboardGuard(options.clipboard, this.#timers);
    this.#handlers = this.#buildHandlers({
      session: () => this.#requireSession(),
      clipboard: this.#clipboard,
      progress: (task, options) => this.#progress(task, options),
      file: (handle, purpose) => this.#files.resolve(handle, purpose),
    });
    this.#autoLockMs = (options.autoLockMinutes ?? DEFAULT_AUTO_LOCK_MINUTES) * 60_000;
  }

  get unlocked(): boolean {
    return this.#session !== undefined;
  }

  /** Calls run one at a time: the vault has one writer, and a lock must not land mid-call. */
  invoke(channel: unknown, payload: unknown): Promise<IpcResult<unknown>> {
    const run = this.#busy.then(() => this.#dispatch(channel, payload));
    // Not `run.catch()`, which settles with the answer and so kept the last one (the revealed
    // password) alive until the next call, through a lock and its heap scrub (issue 13, attack 13).
    this.#busy = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /**
   * Lock now: record it, zero every key and decrypted cache, clear a secret left on the clipboard,
   * and overwrite the heap's freed memory, where dead copies of the passphrase and of revealed
   * passwords lie (scrubFreedHeap; not at quit, when the process and its memory end anyway).
   * After a failed integrity check nothing is recorded (`record: false`): a vault that does not
   * match what was written is not written to again.
   */
  lock(why: LockReason, { record = true }: { record?: boolean } = {}): VaultError | undefined {
    this.#cancelIdle?.();
    this.#cancelIdle = undefined;
    this.#clipboard.clearIfOurs();
    this.#watch?.stop();
    this.#watch = undefined;
    this.#live = undefined;
    const session = this.#session;
    this.#session = undefined;
    if (!session) return undefined;
    let refused: VaultError | undefined;
    try {
      // A console locked before it asked for anything after the first screen has not checked the
      // registry yet (ADR 0027): the lock waits for that check, since its entry would be signed
      // over the registry, and a failure is kept rather than dropped (review, S2).
      if (record) session.ensureStateChecked();
      if (record) session.close({ processEnds: why === 'quit' });
      else session.abandon();
    } catch (error) {
      session.abandon();
      const known = asVaultError(error);
      if (known instanceof VaultError && known.code === ErrorCode.INTEGRITY) refused = known;
    }
    // The next unlock checks every table before it shows anything, so the person who locked (or
    // whose console locked itself, idle or at a suspend) is told there, naming the table.
    if (refused) this.#refusedAtLock = true;
    this.#options.onLocked?.(why);
    if (why !== 'quit') scrubFreedHeap();
    return refused;
  }

  /** A lock found the vault altered (above): the next unlock does not defer its state check. */
  #refusedAtLock = false;

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
    // Every string in every request, whatever its schema says: text that is not well-formed
    // Unicode would make the trail unverifiable by anyone else (shared/domain/text.ts).
    const broken = findIllFormedText(payload);
    if (broken) {
      const where = broken.path.length > 0 ? `${broken.path.join('.')} ` : 'The request ';
      return failure(ErrorCode.INVALID_INPUT, `${where}${broken.message}; nothing was done.`);
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
      if (!allowed.includes(session.member.role))
        return this.#refuse(session, channel, parsed.data);
      if (channel !== NOT_ACTIVITY) this.#touch();
    }
    try {
      // The first screen is served from rows the unlock has checked; anything else waits for the
      // check of the registry's own tables, which an altered row fails here (ADR 0027).
      if (allowed !== null && channel !== FIRST_SCREEN) this.#session?.ensureStateChecked();
      const handler = this.#handlers[channel] as Handler<Channel>;
      const value = await handler(parsed.data);
      return { ok: true, value: spec.response.parse(value) };
    } catch (error) {
      return this.#failureOf(error);
    } finally {
      this.#endIfEnded();
    }
  }

  /**
   * A session whose lock is in the trail writes nothing more (`vault.copy` records it before its
   * snapshot, ADR 0032, and keeps it so whether the copy then succeeds or not): the router locks
   * too, wiping the keys and releasing the writer lock, rather than keep a session open that can
   * only refuse. The caller unlocks again to go on; the CLI's command ends there anyway.
   */
  #endIfEnded(): void {
    if (this.#session?.ended) this.lock('ended');
  }

  /**
   * Refuse a channel the member's role may not use. A request for a secret (reveal, copy, TOTP)
   * is recorded first, in its own transaction, so the attempt is in the trail (issue 11); if that
   * record cannot be written, the failure to write it is what the window is told.
   */
  #refuse(session: VaultSession, channel: Channel, request: unknown): IpcResult<never> {
    try {
      // Recording the refusal reads the registry (the account named): checked first (ADR 0027).
      session.ensureStateChecked();
      const refused = refusedAttemptOf(channel, request);
      if (refused) recordRefusedRequest(session, refused.account, refused.attempt);
    } catch (error) {
      return this.#failureOf(error);
    }
    // The contract's list is the whole role rule (issue 12): the core checks only what the keys
    // and the administrator grants allow on top.
    const allowed = CONTRACT[channel].roles ?? [];
    return failure(
      ErrorCode.FORBIDDEN,
      `Not permitted: this needs the role ${allowed.join(' or ')}; you are ${session.member.role}.`,
    );
  }

  #failureOf(error: unknown): IpcResult<never> {
    const vaultError = asVaultError(error);
    // A file the host named that cannot be read or written: a path to fix, or a full disk.
    const known = vaultError instanceof VaultError ? vaultError : fileSystemError(error);
    if (known) {
      if (known.code === ErrorCode.INTEGRITY) this.lock('asked', { record: false });
      return failure(known.code, known.message);
    }
    // A bug: say so without a stack or anything from inside the vault.
    return failure(
      ErrorCode.INTERNAL,
      'Something went wrong inside Custodian; nothing was changed. Lock, unlock and try again.',
    );
  }

  /**
   * A reporter for one long task. It tells the host, then yields to the event loop, so the host can
   * deliver the figure and a lock (idle, suspend, screen lock) can land between two pages rather
   * than wait for a million entries. If the vault locked meanwhile, the task stops here and says so;
   * the export removes its unfinished file.
   */
  #progress(task: ProgressTask, { letOthersWrite = false } = {}): ProgressReporter {
    const session = this.#session;
    const share = letOthersWrite && this.#options.sharesWriterBetweenBatches === true;
    let shown = -1;
    return async (done, total) => {
      const step = done === total ? 1 : Math.max(1, Math.floor(total / 100));
      if (done - shown >= step) {
        shown = done;
        this.#options.onProgress?.({ task, done, total });
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (!session || session.closed || this.#session !== session) {
        throw new VaultError(ErrorCode.AUTH_FAILED, LOCKED_DURING[task]);
      }
      if (share && done < total) await session.letOthersWrite();
    };
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
    this.#autoLockMs = (this.#options.autoLockMinutes ?? autoLockMinutes(session)) * 60_000;
    this.#touch();
    if (this.#options.onVaultChanged) {
      // From the unlock's own state on: the first refresh checks whatever came after it.
      this.#live = new LiveRefresh(session);
      this.#announced = dataVersion(session.db);
      this.#watch = watchVaultChanges({
        location: session.path,
        vaultId: session.vaultId,
        onSignal: () => this.#signalled(session),
        ...this.#options.liveRefresh,
      });
    }
    return { member: { ...session.member } };
  }

  /**
   * A change signal (ADR 0033): a notification, which anyone who can connect could have sent, a
   * reconnection or a poll. In turn with the calls, the vault's data version is read; only if
   * another connection has committed since the window was last told is it told again. Nothing is
   * read but the version, and nothing is shown until the window's `vault.refresh` has run the checks.
   */
  #signalled(session: VaultSession): void {
    // One look queued at a time: it covers every signal that came before it runs.
    if (this.#signalQueued) return;
    this.#signalQueued = true;
    this.#busy = this.#busy.then(() => {
      this.#signalQueued = false;
      if (this.#session !== session || session.closed) return;
      let version: number;
      try {
        version = dataVersion(session.db);
      } catch {
        // The server cannot be reached: the listener connects again, and the next call says so.
        return;
      }
      if (version === this.#announced) return;
      this.#announced = version;
      this.#options.onVaultChanged?.();
    });
    // A failed signal must not leave the chain of calls rejected (the next call would never run).
    this.#busy = this.#busy.catch(() => undefined);
  }

  #buildHandlers(context: HandlerContext): { [C in Channel]: Handler<C> } {
    return {
      'vault.status': () => ({
        unlocked: this.#session !== undefined,
        member: this.#session ? { ...this.#session.member } : null,
        // A server vault's URL is shown without its password: the window never holds one.
        vaultPath: this.#session ? redactServerUrl(this.#session.path) : null,
        autoLockMinutes: this.#autoLockMs / 60_000,
        canChooseFiles: this.#options.files?.kind === 'dialog',
      }),
      'files.choose': async (r) => {
        const chooser = this.#options.files;
        if (!chooser) {
          throw new VaultError(ErrorCode.INVALID_INPUT, 'This window cannot choose files.');
        }
        // Electron's window never names a path: it is whatever the person picks in main's dialog.
        if (chooser.kind === 'dialog' && r.typedPath !== undefined) {
          throw new VaultError(
            ErrorCode.INVALID_INPUT,
            'Choose the file with "Choose…"; a typed path is not accepted in the app.',
          );
        }
        if (chooser.kind === 'typed' && r.typedPath === undefined) {
          throw new VaultError(
            ErrorCode.INVALID_INPUT,
            'This window cannot show a file chooser; type the path instead.',
          );
        }
        const path = await chooser.choose(r.purpose, r.extension, r.typedPath);
        return { file: path === null ? null : this.#files.issue(path, r.purpose) };
      },
      'vault.create': async (r) => {
        // The request's cost, else the host's (tests and the demo use the floor); the core
        // refuses anything below the floor either way.
        const kdf = r.kdf
          ? { ...DEFAULT_KDF, memoryKiB: r.kdf.memoryMib * 1024, passes: r.kdf.passes }
          : this.#options.createKdf;
        const location = r.server ?? this.#files.resolve(r.file!, 'new-vault');
        const session = await createVault(location, {
          founderName: r.founderName,
          passphrase: r.passphrase,
          ...(this.#kept ? { keptCheckpoints: this.#kept } : {}),
          ...(kdf ? { kdf } : {}),
        });
        return {
          ...this.#start(session),
          vaultId: session.vaultId,
          founderFingerprint: keyFingerprint(session.keys.signing.publicKey),
        };
      },
      'vault.unlock': async (r) => {
        const location = r.server ?? this.#files.resolve(r.file!, 'open-vault');
        const session = await unlockVault(location, {
          memberName: r.memberName,
          passphrase: r.passphrase,
          deferStateCheck: !this.#refusedAtLock,
          ...(r.takeOverStaleLock ? { takeOverStaleLock: true } : {}),
          ...(this.#kept ? { keptCheckpoints: this.#kept } : {}),
          ...(r.acceptRestore ? { acceptRestore: r.acceptRestore } : {}),
          ...(this.#options.lockWaitMs === undefined
            ? {}
            : { lockWaitMs: this.#options.lockWaitMs }),
        });
        // Checked whole (or deferred as usual): what the last lock found no longer stands.
        this.#refusedAtLock = false;
        return {
          ...this.#start(session),
          trustedOnFirstUse: trustedOnFirstUse(session),
          acceptedRestore: acceptedRestore(session),
        };
      },
      'vault.lock': () => {
        // Locked either way; an altered registry found on the way is what the window is told.
        const refused = this.lock('asked');
        if (refused) throw refused;
        return {};
      },
      'vault.refresh': () => {
        const session = this.#requireSession();
        this.#live ??= new LiveRefresh(session);
        return { changed: this.#live.refresh() };
      },
      ...vaultHandlers(context),
      ...dashboardHandlers(context),
      ...accountsHandlers(context),
      ...quietHandlers(context),
      ...requestsHandlers(context),
      ...teamHandlers(context),
      ...credentialsHandlers(context),
      ...peopleHandlers(context),
      ...membersHandlers(context),
      ...devicesHandlers(context),
      ...incidentsHandlers(context),
      ...auditHandlers(context),
      ...healthHandlers(context),
      ...settingsHandlers({
        ...context,
        onAutoLockChanged: (minutes) => {
          this.#autoLockMs = minutes * 60_000;
          this.#touch();
        },
      }),
      ...generatorHandlers(context),
      ...complaintsHandlers(context),
      ...trialsHandlers(context),
      ...appsHandlers(context),
      ...backupHandlers(context),
    };
  }
}

/** What a long task says when a lock stopped it (an import adds which lines it registered). */
const LOCKED_DURING: Record<ProgressTask, string> = {
  export: 'The vault locked during the export, so nothing was written. Unlock and export again.',
  verify: 'The vault locked before the check finished. Unlock and verify again.',
  import: 'The vault locked during the import.',
};

function failure(code: ErrorCode, message: string): IpcResult<never> {
  return { ok: false, error: { code, message } };
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

import type { Role } from '../../shared/domain/roles.ts';
import { auditedTransaction, type NewAuditEntry } from './audit/log.ts';
import type { BoxKeyPair } from './crypto/keys.ts';
import { asVaultError, dataVersion, type ReadableDb, type WritableDb } from './store/connection.ts';
import { wipeMemberKeys, type MemberKeys } from './keyring.ts';
import { wipeAll, type SecretBytes } from './crypto/secret-bytes.ts';
import { scrubYoungGeneration } from './crypto/heap-scrub.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { acquireWriterLock, type WriterLock } from './store/writer-lock.ts';
import { VaultError } from './errors.ts';
import { ErrorCode } from '../../shared/errors.ts';

const lockTakenOver = () =>
  new VaultError(
    ErrorCode.IN_USE,
    'A lead took over the lock on this vault from this session (it had given no sign of life for a while); nothing was saved. Lock the vault and unlock it again to go on.',
  );

export interface SessionMember {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
}

/** Newer keys another member's commit made: a new epoch's K_vault, a new team key. */
export interface KeyUpdate {
  readonly vault?: SecretBytes;
  readonly team?: BoxKeyPair;
}

/** The clock is injectable so health rules and tests can ask "as of" a date. */
export type Clock = () => Date;

/** What a write transaction can do besides SQL: append audit entries, all stamped with one time. */
export interface WriteContext {
  /** The only writable handle: it exists inside this transaction alone. */
  readonly db: WritableDb;
  readonly now: string;
  readonly audit: (entry: NewAuditEntry) => number;
}

/**
 * An unlocked vault: the database, the acting member and their keys, and the writer lock.
 * Every change goes through `write`, which runs in one IMMEDIATE transaction together with its
 * audit entries and a checkpoint signed by the acting member: no change without its entry.
 */
export class VaultSession {
  /** Reads only: a write goes through `write`, which gives the writable handle with its audit. */
  readonly db: ReadableDb;
  readonly path: string;
  readonly vaultId: string;
  readonly member: SessionMember;
  readonly clock: Clock;
  #keys: MemberKeys;
  #team: BoxKeyPair | undefined;
  #lock: WriterLock;
  #closed = false;
  /** The lock is in the trail already (recordLockNow): nothing more is written. */
  #lockRecorded = false;
  #writes = 0;
  #onClose: (() => void)[] = [];
  /** Inside a write: what to do once it commits, and what to undo if it rolls back. */
  #pending: { commit: (() => void)[]; rollback: (() => void)[] } | undefined;

  constructor(args: {
    db: ReadableDb;
    path: string;
    vaultId: string;
    member: SessionMember;
    keys: MemberKeys;
    team: BoxKeyPair | undefined;
    lock: WriterLock;
    clock: Clock;
  }) {
    this.db = args.db;
    this.path = args.path;
    this.vaultId = args.vaultId;
    this.member = args.member;
    this.#keys = args.keys;
    this.#team = args.team;
    this.#lock = args.lock;
    this.clock = args.clock;
  }

  /** Key material for the core's own modules. Never hand these to the renderer, a log or an error. */
  get keys(): MemberKeys {
    this.#assertOpen();
    this.#followOtherWriters();
    return this.#keys;
  }

  /** The team key pair: present only for lead and dmt members. */
  get team(): BoxKeyPair | undefined {
    this.#assertOpen();
    this.#followOtherWriters();
    return this.#team;
  }

  /**
   * How the session catches up when another connection's commit started a new key epoch or
   * rotated the team key (ADR 0019): given the keys it holds, the newer ones (checked against the
   * signed chain), or nothing. Run when SQLite's data_version says another connection wrote.
   */
  followKeysWith(sync: (keys: MemberKeys, team: BoxKeyPair | undefined) => KeyUpdate): void {
    this.#sync = sync;
    this.#seenDataVersion = this.#dataVersion();
  }

  /**
   * The rollback and fork check (issue 14, ADR 0024): run again whenever another connection has
   * committed, and told of each of this session's own commits, so the workstation's kept
   * checkpoint follows the vault's head. Kept beside the keys' catch-up, which it runs after.
   */
  followHeadWith(head: { otherWriters: () => void; committed: () => void }): void {
    this.#head = head;
    this.#seenDataVersion = this.#dataVersion();
  }

  /**
   * The state check against the signed head (ADR 0020, 0031): the rows recomputed and held to the
   * latest signed commitment, before anything this session reads or writes relies on them. On a
   * server it runs on every catch-up (`everyCatchUp`): the operator can edit rows without moving
   * anything a session could watch. On a file it runs whenever SQLite's data_version says another
   * connection wrote, which anyone with sqlite3 cannot avoid (an insider's edit while a console
   * is open, found in review): inside a write, before its checkpoint signs the stored digests.
   * `registry` is false while a console unlock's check of the registry's tables is still deferred.
   */
  followStateWith(
    check: (registry: boolean, moved: boolean) => void,
    { everyCatchUp }: { everyCatchUp: boolean },
  ): void {
    this.#stateCheck = check;
    this.#stateEveryCatchUp = everyCatchUp;
    this.#seenDataVersion = this.#dataVersion();
  }

  #stateCheck: ((registry: boolean, moved: boolean) => void) | undefined;
  #stateEveryCatchUp = false;
  #head: { otherWriters: () => void; committed: () => void } | undefined;
  #sync: ((keys: MemberKeys, team: BoxKeyPair | undefined) => KeyUpdate) | undefined;
  #seenDataVersion = -1;
  #syncing = false;

  #dataVersion(): number {
    return dataVersion(this.db);
  }

  #checkedThisTurn = false;

  /**
   * Catch up with another connection's commit now, not once a turn: for the read a write is about
   * to rely on, made before its transaction (a rotation opens the account to score the new
   * password outside the writer lock, issue 17). Without it, a key epoch another session started
   * earlier in this turn would make that read fail as damage.
   */
  catchUp(): void {
    this.#assertOpen();
    this.#followOtherWriters(true);
  }

  /**
   * Reads check once per turn of the event loop (a data_version query on every use of a key would
   * cost more than the reads); every write checks again inside its transaction (`force`), where no
   * other connection can commit before it does.
   */
  #followOtherWriters(force = false): void {
    if ((!this.#sync && !this.#head && !this.#stateCheck) || this.#syncing) return;
    if (this.#checkedThisTurn && !force) return;
    this.#checkedThisTurn = true;
    setImmediate(() => {
      this.#checkedThisTurn = false;
    });
    try {
      const version = this.#dataVersion();
      const moved = version !== this.#seenDataVersion;
      if (moved) this.#catchUpWith();
      if (this.#stateCheck && (moved || this.#stateEveryCatchUp)) {
        this.#syncing = true;
        try {
          this.#stateCheck(this.#pendingStateCheck === undefined, moved);
        } finally {
          this.#syncing = false;
        }
      }
      // Only once every check has passed: a refusal is met again by every later read and write.
      this.#seenDataVersion = version;
    } catch (error) {
      // A refusal holds for every later read of this turn too, not for the first alone.
      this.#checkedThisTurn = false;
      throw error;
    }
  }

  /** Another connection committed: newer keys, then the head against the kept checkpoint (the state check follows). */
  #catchUpWith(): void {
    this.#syncing = true;
    try {
      const update = this.#sync?.(this.#keys, this.#team) ?? {};
      if (update.vault) {
        this.#keys.vault.wipe();
        this.#keys = { ...this.#keys, vault: update.vault };
      }
      if (update.team) {
        this.#team?.secretKey.wipe();
        this.#team = update.team;
      }
      // After the keys: the check names members, whose rows are sealed under the newest K_vault.
      this.#head?.otherWriters();
    } finally {
      this.#syncing = false;
    }
  }

  /**
   * Let other members' commands in between two transactions of a long task (a bulk import, issue
   * 11): the writer lock is released, and taken again once whoever was waiting is done (waiters
   * look every 25 ms). Each transaction is whole on its own, so nothing is half-written meanwhile.
   * For a one-command session (the CLI); the console holds its lock for as long as it is open.
   */
  async letOthersWrite(pauseMs = 100, waitMs = 10 * 60_000): Promise<void> {
    this.#assertOpen();
    if (this.db.dialect === 'postgres') {
      // A server vault holds no lock between transactions: each write waits its turn on the log head.
      await sleep(pauseMs);
      return;
    }
    this.#lock.release();
    await sleep(pauseMs);
    this.#lock = await acquireWriterLock(this.path, { waitMs, member: this.member.id });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Changes whenever the vault's contents may have changed: a commit by this session, or by any
   * other connection (SQLite's data_version). Caches of opened records key on it.
   */
  get dataStamp(): string {
    this.#assertOpen();
    return `${this.#writes}:${dataVersion(this.db)}`;
  }

  /** The registry's part of the unlock's state check, while a console has yet to run it. */
  #pendingStateCheck: (() => void) | undefined;

  /**
   * A console unlock (ADR 0027) checks the small first-screen tables against the signed state at
   * once and leaves the registry's large tables to `check`, which runs before this session's next
   * write and before the router serves anything but the first screen. Until then nothing is read
   * from those tables and nothing is written.
   */
  deferStateCheck(check: () => void): void {
    this.#pendingStateCheck = check;
  }

  /** Run the deferred state check if it has not run: an integrity error if the rows were altered. */
  ensureStateChecked(): void {
    this.#assertOpen();
    const check = this.#pendingStateCheck;
    if (!check) return;
    check();
    this.#pendingStateCheck = undefined;
  }

  write<T>(change: (context: WriteContext) => T): T {
    this.#assertOpen();
    if (this.#lockRecorded) {
      throw new VaultError(
        ErrorCode.AUTH_FAILED,
        'This session has ended (its lock is in the audit trail); nothing was saved. Unlock the vault again to go on.',
      );
    }
    if (!this.#pending) this.ensureStateChecked();
    // A lead took this session's lock over (issue 14, ADR 0025): it writes nothing more.
    if (!this.#pending && !this.#lock.stillHeld()) throw lockTakenOver();
    const now = this.clock().toISOString();
    const pending: { commit: (() => void)[]; rollback: (() => void)[] } = {
      commit: [],
      rollback: [],
    };
    const trail = {
      vaultId: this.vaultId,
      // The key is read at each append: a new key epoch replaces it part-way (ADR 0019).
      vaultKey: () => this.#keys.vault,
      actor: { memberId: this.member.id, signing: this.#keys.signing },
    };
    const run = () =>
      auditedTransaction(this.db, trail, now, (db, audit) => {
        // Inside the transaction, so no other writer can start an epoch between this and the commit.
        this.#followOtherWriters(true);
        return change({ db, now, audit });
      });
    if (this.#pending) {
      // A write inside a write is a savepoint of the outer one, whose end settles its keys.
      try {
        return run();
      } catch (error) {
        throw asVaultError(error);
      }
    }
    this.#pending = pending;
    try {
      let result: T;
      try {
        result = run();
      } catch (error) {
        this.#pending = undefined;
        for (const step of pending.rollback.reverse()) step();
        throw error;
      }
      // Committed: what follows must never undo the keys the file is now sealed under.
      this.#pending = undefined;
      for (const step of pending.commit) step();
      this.#head?.committed();
      return result;
    } catch (error) {
      throw asVaultError(error);
    } finally {
      this.#writes += 1;
    }
  }

  /**
   * Inside a write: from here on the session uses these keys (a new K_vault, a new X25519 pair at
   * a passphrase change). If the write commits, the keys they replace are zeroed; if it rolls
   * back, the old keys come back and the new ones are zeroed.
   */
  replaceKeysInWrite(next: Partial<Pick<MemberKeys, 'box' | 'vault'>>): void {
    const pending = this.#pendingWrite();
    const previous = this.#keys;
    this.#keys = { ...previous, ...next };
    const replaced = [
      next.box ? previous.box.secretKey : undefined,
      next.vault ? previous.vault : undefined,
    ];
    const added = [next.box?.secretKey, next.vault];
    pending.commit.push(() => wipeAll(...replaced));
    pending.rollback.push(() => {
      this.#keys = previous;
      wipeAll(...added);
    });
  }

  /** Inside a write: run `commit` once it has committed, `rollback` if it does not. */
  onWriteEnd(steps: { commit?: () => void; rollback?: () => void }): void {
    const pending = this.#pendingWrite();
    if (steps.commit) pending.commit.push(steps.commit);
    if (steps.rollback) pending.rollback.push(steps.rollback);
  }

  #pendingWrite(): { commit: (() => void)[]; rollback: (() => void)[] } {
    if (!this.#pending) throw new Error('Keys are replaced only inside a vault write.');
    return this.#pending;
  }

  /** Run at lock (or abandon), after the keys are wiped: for key material held beside the session. */
  whenClosed(wipe: () => void): void {
    this.#onClose.push(wipe);
  }

  /** Replace the team key after a rotation of it (a lead/dmt member left). */
  replaceTeamKey(team: BoxKeyPair): void {
    this.#team?.secretKey.wipe();
    this.#team = team;
  }

  /**
   * Record the lock now, after `before` in the same transaction, and write nothing more; `close`
   * then only lets go. For `vault copy` (ADR 0032): its own entry and the session's last go in
   * before the snapshot, so the copy is the source as this session left it, carries the record
   * of its making, and the head this workstation keeps is the copy's too.
   */
  recordLockNow(before?: NewAuditEntry): void {
    this.write(({ audit }) => {
      if (before) audit(before);
      audit({ kind: 'session.locked' });
    });
    this.#lockRecorded = true;
  }

  /** Its lock is in the trail (recordLockNow): it writes nothing more, and its holder ends it. */
  get ended(): boolean {
    return this.#lockRecorded;
  }

  /**
   * Lock: record it, zero every key, release the writer lock and close the file, then overwrite
   * the young generation's free memory (strings that died during the session, THREAT-MODEL).
   * Not when the process ends with the lock (the CLI's command, the console's quit): its memory
   * goes with it, and the overwrite cost the CLI ~20 ms a command (issue 17).
   */
  close({ processEnds = false }: { processEnds?: boolean } = {}): void {
    if (this.#closed) return;
    try {
      // Displaced by a lead's take-over, it has nothing more to write, its lock included.
      if (this.#lock.stillHeld() && !this.#lockRecorded) {
        this.write(({ audit }) => audit({ kind: 'session.locked' }));
      }
    } finally {
      this.#closed = true;
      wipeMemberKeys(this.#keys);
      this.#team?.secretKey.wipe();
      for (const wipe of this.#onClose) wipe();
      this.#lock.release();
      this.db.close();
      if (!processEnds) scrubYoungGeneration();
    }
  }

  /** Close without writing (the vault failed a check, or the disk is full): keys are still wiped. */
  abandon(): void {
    if (this.#closed) return;
    this.#closed = true;
    wipeMemberKeys(this.#keys);
    this.#team?.secretKey.wipe();
    for (const wipe of this.#onClose) wipe();
    this.#lock.release();
    this.db.close();
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('The vault session is locked.');
  }
}

import type { Role } from '../../shared/domain/roles.ts';
import { auditedTransaction, type NewAuditEntry } from './audit/log.ts';
import type { BoxKeyPair } from './crypto/keys.ts';
import { asVaultError, dataVersion, type ReadableDb, type WritableDb } from './store/connection.ts';
import { wipeMemberKeys, type MemberKeys } from './keyring.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { acquireWriterLock, type WriterLock } from './store/writer-lock.ts';

export interface SessionMember {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
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
  #writes = 0;
  #onClose: (() => void)[] = [];

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
    return this.#keys;
  }

  /** The team key pair: present only for lead and dmt members. */
  get team(): BoxKeyPair | undefined {
    this.#assertOpen();
    return this.#team;
  }

  /**
   * Let other members' commands in between two transactions of a long task (a bulk import, issue
   * 11): the writer lock is released, and taken again once whoever was waiting is done (waiters
   * look every 25 ms). Each transaction is whole on its own, so nothing is half-written meanwhile.
   * For a one-command session (the CLI); the console holds its lock for as long as it is open.
   */
  async letOthersWrite(pauseMs = 100, waitMs = 10 * 60_000): Promise<void> {
    this.#assertOpen();
    this.#lock.release();
    await sleep(pauseMs);
    this.#lock = await acquireWriterLock(this.path, { waitMs });
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

  write<T>(change: (context: WriteContext) => T): T {
    this.#assertOpen();
    const now = this.clock().toISOString();
    const trail = {
      vaultId: this.vaultId,
      vaultKey: this.#keys.vault,
      actor: { memberId: this.member.id, signing: this.#keys.signing },
    };
    try {
      return auditedTransaction(this.db, trail, now, (db, audit) => change({ db, now, audit }));
    } catch (error) {
      throw asVaultError(error);
    } finally {
      this.#writes += 1;
    }
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

  /** Lock: record it, zero every key, release the writer lock and close the file. */
  close(): void {
    if (this.#closed) return;
    try {
      this.write(({ audit }) => audit({ kind: 'session.locked' }));
    } finally {
      this.#closed = true;
      wipeMemberKeys(this.#keys);
      this.#team?.secretKey.wipe();
      for (const wipe of this.#onClose) wipe();
      this.#lock.release();
      this.db.close();
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

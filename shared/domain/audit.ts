/**
 * Kinds of audit entry. Every mutation and every sensitive read appends one, in the same
 * transaction as the change (DESIGN.md "Audit trail"; policy 6.5 access for audit is itself audited).
 */
export const AUDIT_KINDS = [
  'vault.created',
  'session.unlocked',
  'session.unlock-failed',
  'session.locked',
  /** A lead took over a lock left by a silent workstation (issue 14, ADR 0025). */
  'session.lock-taken-over',
  'member.added',
  'member.removed',
  'member.passphrase-changed',
  'team-key.rotated',
  /** Reuse labels made again under the current team key (issue 13, attack 9). */
  'reuse.relabelled',
  'vault-key.rotated',
  'chain.statement',
  'account.created',
  'account.admin-granted',
  'account.admin-revoked',
  'credential.revealed',
  'credential.copied',
  'credential.rotated',
  'credential.extras-set',
  'credential.totp-shown',
  /** A reveal, copy or TOTP code refused for the member's role or grants (issue 11). */
  'credential.refused',
  'rotation.due',
  'audit.verified',
  'audit.exported',
  'account.updated',
  'account.renamed-or-reowned',
  'account.activity',
  'account.closed',
  'account.requested',
  'account.approval',
  'account.set-up',
  'accounts.imported',
  'person.added',
  'person.trained',
  'person.updated',
  'person.retired',
  'team.granted',
  'team.revoked',
  'device.added',
  'device.updated',
  'device.retired',
  'device.lost',
  'incident.notified',
  'incident.not-exposed',
  'incident.resolved',
  'quiet-period.declared',
  'quiet-period.ended',
  'health.summarised',
  'settings.changed',
  /**
   * A lead accepted a restored copy that is older than (or other than) what their workstation had
   * kept (ADR 0024): the reason and both checkpoints, so a restore is never silent.
   */
  'vault.restore-accepted',
  /**
   * A lead copied the whole vault, every sealed row and key wrap, to a new file or an empty
   * database (`custodian vault copy`, ADR 0032): recorded in the source before the snapshot, so
   * the copy carries it too. Its details: the kind of store and the verified head, no path.
   */
  'vault.copied',
  /** 6.4: a serious complaint, issue, discrepancy or breach, its referrals and their outcomes. */
  'complaint.recorded',
  'complaint.referred',
  'complaint.outcome',
  'complaint.closed',
  /** 3.4: a trial on a new channel, the DML's decision, and the Deputy Chief Constables'. */
  'trial.requested',
  'trial.decided',
  'trial.dcc-decided',
  /**
   * 6.3, 10.2: an application added to an account, and its removal. The addition's entry is the
   * record of who added it (third_party_apps.added_seq points at it).
   */
  'third-party-app.added',
  'third-party-app.removed',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/**
 * Entries whose content no key vouches for (ADR 0009): a failed unlock holds no key, so its record
 * comes from a plain side file beside the vault that anyone who can write the folder can write.
 * The entry proves only that the next member to unlock found that line; every export says so.
 */
export const UNAUTHENTICATED_KINDS: ReadonlySet<AuditKind> = new Set(['session.unlock-failed']);

export const UNAUTHENTICATED_REPORT_NOTE =
  'UNAUTHENTICATED REPORT: copied from the failed-unlock file beside the vault, which anyone who can write that folder could have written; it is not evidence that the named member or host tried to unlock.';

/** Details are JSON without secrets: who, what, which account, and any reason given. */
export type AuditDetails = Record<string, string | number | boolean | null | string[]>;

export interface AuditEntry {
  readonly seq: number;
  readonly at: string;
  readonly kind: AuditKind;
  readonly actor: string;
  readonly account: string | null;
  readonly details: AuditDetails;
}

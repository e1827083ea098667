import type { AuditKind } from './audit.ts';

/**
 * What each event is called where people read the trail: the console's log and the case-file PDF
 * (issue 15: security staff read "Password revealed", not `credential.revealed`). The kind itself
 * stays in the CSV and JSON Lines exports, which machines read. A `Record` over every kind, so a
 * new kind without a label does not compile.
 */
export const AUDIT_LABELS: Readonly<Record<AuditKind, string>> = {
  'vault.created': 'Vault created',
  'vault.restore-accepted': 'Restored backup accepted',
  'session.unlocked': 'Unlocked',
  'session.unlock-failed': 'Failed unlock reported',
  'session.locked': 'Locked',
  'session.lock-taken-over': 'Writer lock taken over (holder as its lock file named it)',
  'member.added': 'Member added',
  'member.removed': 'Member removed',
  'member.passphrase-changed': 'Passphrase changed',
  'team-key.rotated': 'Team key replaced',
  'reuse.relabelled': 'Password-reuse groups relabelled',
  'vault-key.rotated': 'Vault key replaced',
  'chain.statement': 'Membership statement signed',
  'account.created': 'Account registered',
  'account.admin-granted': 'Administrator named',
  'account.admin-revoked': 'Administrator role ended',
  'credential.revealed': 'Credential revealed',
  'credential.copied': 'Credential copied',
  'credential.rotated': 'Password rotated',
  'credential.extras-set': 'Two-factor secret or recovery codes set',
  'credential.totp-shown': 'Two-factor code shown',
  'credential.refused': 'Access refused',
  'rotation.due': 'Rotation made due',
  'audit.verified': 'Trail verified',
  'audit.exported': 'Trail exported',
  'account.updated': 'Account details changed',
  'account.renamed-or-reowned': 'Account renamed or new owner',
  'account.activity': 'Account activity recorded',
  'account.closed': 'Account closed',
  'account.requested': 'New account requested',
  'account.approval': 'Approval recorded',
  'account.set-up': 'Requested account set up',
  'accounts.imported': 'Accounts imported',
  'person.added': 'Person added',
  'person.trained': 'Training recorded',
  'person.updated': 'Person changed',
  'person.retired': 'Person retired from the register',
  'team.granted': 'Access given',
  'team.revoked': 'Access removed',
  'device.added': 'Device added',
  'device.updated': 'Device changed',
  'device.retired': 'Device retired',
  'device.lost': 'Device reported lost',
  'incident.notified': 'Loss notified',
  'incident.not-exposed': 'Account marked not exposed',
  'incident.resolved': 'Lost-device incident resolved',
  'quiet-period.declared': 'Quiet period declared',
  'quiet-period.ended': 'Quiet period ended',
  'health.summarised': 'Health summary recorded',
  'settings.changed': 'Settings changed',
};

/** An event's label, or the raw kind for one this build does not know (a newer vault's). */
export function auditLabel(kind: string): string {
  return (AUDIT_LABELS as Readonly<Record<string, string>>)[kind] ?? kind;
}

/** Families as people call them, for the log's grouped event filter. */
export const AUDIT_FAMILY_LABELS: Readonly<Record<string, string>> = {
  vault: 'Vault',
  session: 'Sessions',
  member: 'Members',
  'team-key': 'Team key',
  'vault-key': 'Vault key',
  reuse: 'Password reuse',
  chain: 'Membership chain',
  account: 'Accounts',
  accounts: 'Imports',
  credential: 'Passwords and codes',
  rotation: 'Rotations',
  audit: 'Audit',
  person: 'People',
  team: 'Team access',
  device: 'Devices',
  incident: 'Lost devices',
  'quiet-period': 'Quiet periods',
  health: 'Health',
  settings: 'Settings',
};

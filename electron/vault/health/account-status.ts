import type { SnapshotAccount } from './snapshot.ts';

/** An account the rules judge: not closed, and not still a request (those have their own rules). */
export function isLive(account: SnapshotAccount): boolean {
  const status = account.record.status;
  return status !== 'closed' && status !== 'requested' && status !== 'approved';
}

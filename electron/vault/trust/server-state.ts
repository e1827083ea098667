import { checkCommittedState } from '../audit/state-check.ts';
import type { VaultSession } from '../session.ts';
import { checkDashboardSummaryAgainstRegistry } from '../store/dashboard-summary.ts';
import { FIRST_SCREEN_TABLES, STATE_TABLES } from '../store/state-digest.ts';
import { recomputeWhatMoved } from '../store/postgres/state-fingerprint.ts';
import { hasTrust, trustedState } from './session-trust.ts';

/**
 * Check the rows against the signed head for as long as the session is open (issue 14, ADR 0020,
 * 0031), one path for both stores:
 * - on a server, on every catch-up of the session (once a turn before reads, inside every write's
 *   transaction, and at `catchUp`): nothing the session can watch moves when the operator edits
 *   rows with psql (the log head's count is a plain column), so the digests are recomputed from
 *   the rows each time: the rows of every table whose fingerprint (its rows' bytes and its
 *   columns, as the server hashes them) moved since this connection last read it, ADR 0034;
 * - on a file, whenever SQLite's data_version says another connection wrote since this one last
 *   looked: a reader's audited entries (ADR 0025), or an insider's sqlite3 editing rows and the
 *   stored digests to match while a console holds the lock (found in review). Inside a write that
 *   is before its checkpoint signs `state_digests`, so the insider's state is refused, not
 *   signed. Every table's rows are read again then (a file has no fingerprint to ask); when
 *   nothing moved, nothing is read, as before. The dashboard summary is made again from the
 *   registry too (ADR 0027): an insider with K_vault can seal a false one.
 * While a console unlock's registry check is still deferred (ADR 0027), only the first screen's
 * tables are read, as at unlock; the deferred check reads the rest before any write.
 */
export function keepCheckingState(
  session: VaultSession,
  signerAtUnlock: (memberId: string) => Uint8Array | undefined,
): void {
  const server = session.db.dialect === 'postgres';
  session.followStateWith(
    (registry) => {
      // The members who may sign the head: the session's validated chain, brought up to date.
      const state = hasTrust(session) ? trustedState(session) : undefined;
      checkCommittedState(
        session.db,
        state ? (id) => state.members.get(id)?.signPublicKey : signerAtUnlock,
        undefined,
        registry ? STATE_TABLES : FIRST_SCREEN_TABLES,
        recomputeWhatMoved,
      );
      if (!server && registry) checkDashboardSummaryAgainstRegistry(session.db, session.keys.vault);
    },
    { everyCatchUp: server },
  );
}

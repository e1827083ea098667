import { checkCommittedState } from '../audit/state-check.ts';
import type { VaultSession } from '../session.ts';
import { TRAIL_EDGE_READS } from '../store/audit-store.ts';
import { readTransaction } from '../store/connection.ts';
import { checkDashboardSummaryAgainstRegistry } from '../store/dashboard-summary.ts';
import { FIRST_SCREEN_TABLES, STATE_TABLES } from '../store/state-digest.ts';
import type { PostgresConnection } from '../store/postgres/pg-connection.ts';
import { recomputeWhatMoved, stateCheckReads } from '../store/postgres/state-fingerprint.ts';
import { hasTrust, trustedState } from './session-trust.ts';

/**
 * Check the rows against the signed head for as long as the session is open (issue 14, ADR 0020,
 * 0031), one path for both stores:
 * - on a server, on every catch-up of the session (once a turn before reads, inside every write's
 *   transaction, and at `catchUp`): nothing the session can watch moves when the operator edits
 *   rows with psql (the log head's count is a plain column), so the digests are recomputed from
 *   the rows each time: the rows of every table whose fingerprint (its rows' bytes and its
 *   columns, as the server hashes them) moved since this connection last read it, ADR 0034. The
 *   check's reads go to the server together, in one round trip, inside one read transaction (and
 *   inside a write, with its BEGIN): ADR 0035;
 * - on a file, whenever SQLite's data_version says another connection wrote since this one last
 *   looked: a reader's audited entries (ADR 0025), or an insider's sqlite3 editing rows and the
 *   stored digests to match while a console holds the lock (found in review). Inside a write that
 *   is before its checkpoint signs `state_digests`, so the insider's state is refused, not
 *   signed. Every table's rows are read again then (a file has no fingerprint to ask); when
 *   nothing moved, nothing is read, as before.
 * On both, whenever another connection has committed (`moved`), the dashboard summary is made
 * again from the registry too (ADR 0027): a member with K_vault can seal a false one and sign the
 * state around it, which the state check alone accepts (review of ADR 0033). An edit of the
 * summary's row by anyone else is the state check's to catch. This is the console's live refresh
 * check too (live/refresh.ts runs the catch-up, which runs this), kept here once.
 * While a console unlock's registry check is still deferred (ADR 0027), only the first screen's
 * tables are read, as at unlock; the deferred check reads the rest before any write.
 */
export function keepCheckingState(
  session: VaultSession,
  signerAtUnlock: (memberId: string) => Uint8Array | undefined,
): void {
  const server = session.db.dialect === 'postgres';
  const check = (registry: boolean, moved: boolean) => {
    // The members who may sign the head: the session's validated chain, brought up to date.
    const state = hasTrust(session) ? trustedState(session) : undefined;
    checkCommittedState(
      session.db,
      state ? (id) => state.members.get(id)?.signPublicKey : signerAtUnlock,
      undefined,
      registry ? STATE_TABLES : FIRST_SCREEN_TABLES,
      recomputeWhatMoved,
    );
    if (registry && moved) checkDashboardSummaryAgainstRegistry(session.db, session.keys.vault);
  };
  if (!server) {
    session.followStateWith(check, { everyCatchUp: false });
    return;
  }
  const connection = session.db as unknown as PostgresConnection;
  // Every write checks inside its transaction: what that check reads goes with its BEGIN.
  connection.warmEachWrite(() => [
    ...stateCheckReads(session.db, STATE_TABLES),
    ...TRAIL_EDGE_READS,
  ]);
  session.followStateWith(
    (registry, moved) =>
      // One snapshot for the chain, the rows, the digests and the checkpoint (inside a write,
      // its own transaction), and their reads asked for together.
      readTransaction(session.db, () => {
        connection.prefetch(
          stateCheckReads(session.db, registry ? STATE_TABLES : FIRST_SCREEN_TABLES),
        );
        check(registry, moved);
      }),
    { everyCatchUp: true },
  );
}

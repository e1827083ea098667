import { checkCommittedState } from '../audit/state-check.ts';
import type { VaultSession } from '../session.ts';
import { FIRST_SCREEN_TABLES, STATE_TABLES } from '../store/state-digest.ts';
import { recomputeWhatMoved } from '../store/postgres/state-fingerprint.ts';
import { hasTrust, trustedState } from './session-trust.ts';

/**
 * On a server vault, check the rows against the signed head on every catch-up of the session
 * (issue 14, ADR 0031): once a turn before reads, inside every write's transaction, and at
 * `catchUp`. On the file, SQLite's data_version moves with every write to it, so a session need
 * only look again when it does; on a server nothing the session can watch moves when the
 * operator edits rows with psql (the log head's count is a plain column), so the digests are
 * recomputed from the rows each time. While a console unlock's registry check is still deferred
 * (ADR 0027), only the first screen's tables are read, as at unlock.
 */
export function keepCheckingServerState(
  session: VaultSession,
  signerAtUnlock: (memberId: string) => Uint8Array | undefined,
): void {
  if (session.db.dialect !== 'postgres') return;
  session.followStateWith((registry) => {
    // The members who may sign the head: the session's validated chain, brought up to date.
    const state = hasTrust(session) ? trustedState(session) : undefined;
    checkCommittedState(
      session.db,
      state ? (id) => state.members.get(id)?.signPublicKey : signerAtUnlock,
      undefined,
      registry ? STATE_TABLES : FIRST_SCREEN_TABLES,
      recomputeWhatMoved,
    );
  });
}

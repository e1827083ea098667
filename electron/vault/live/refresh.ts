import { checkCommittedState } from '../audit/state-check.ts';
import { recomputeWhatMoved } from '../store/postgres/state-fingerprint.ts';
import { STATE_TABLES } from '../store/state-digest.ts';
import type { VaultSession } from '../session.ts';
import { dataVersion } from '../store/connection.ts';
import { checkDashboardSummaryAgainstRegistry } from '../store/dashboard-summary.ts';
import { hasTrust, trustedState } from '../trust/session-trust.ts';

/**
 * What the console's live refresh runs before it shows another member's change (ADR 0033): the
 * checks an open runs, on the vault as it now stands. Whatever prompted it (a notification
 * anyone who can connect could have sent, a poll, a reconnection), what is then shown has passed:
 * - the key catch-up and the kept-checkpoint check (session.catchUp, ADR 0019 and 0024): the head
 *   is signed by a current member and extends what this workstation kept, else rolled back or
 *   forked;
 * - the membership chain still extends what this session saw (trustedState);
 * - the state check (ADR 0020): every state table's rows are what the latest signed checkpoint
 *   commits to, so a row the server's operator put back or changed is named;
 * - the dashboard summary made again from the registry (ADR 0027): a member can seal a false one
 *   and sign the state around it, which the state check alone accepts (review of ADR 0033).
 * Any failure is an integrity error, on which the router locks the vault.
 */
export class LiveRefresh {
  /** The data version the checks last passed at: the unlock's own, at first. */
  #checkedAt: number;

  constructor(private readonly session: VaultSession) {
    this.#checkedAt = dataVersion(session.db);
  }

  /** Whether another connection has committed since the checks last passed. */
  moved(): boolean {
    return dataVersion(this.session.db) !== this.#checkedAt;
  }

  /** Run the checks if anything moved; says whether it had. */
  refresh(): boolean {
    const version = dataVersion(this.session.db);
    if (version === this.#checkedAt) return false;
    this.session.catchUp();
    if (hasTrust(this.session)) {
      const state = trustedState(this.session);
      // On a server, only the tables whose fingerprint moved are read again (ADR 0034).
      checkCommittedState(
        this.session.db,
        (id) => state.members.get(id)?.signPublicKey,
        undefined,
        STATE_TABLES,
        recomputeWhatMoved,
      );
      checkDashboardSummaryAgainstRegistry(this.session.db, this.session.keys.vault);
    }
    this.#checkedAt = version;
    return true;
  }
}

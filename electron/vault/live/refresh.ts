import type { VaultSession } from '../session.ts';
import { dataVersion } from '../store/connection.ts';

/**
 * What the console's live refresh runs before it shows another member's change (ADR 0033): the
 * checks an open runs, on the vault as it now stands. Whatever prompted it (a notification
 * anyone who can connect could have sent, a poll, a reconnection), what is then shown has passed
 * the session's catch-up (session.catchUp), which runs, in the mechanism every read and write
 * uses (trust/keep-checking-state.ts `keepCheckingState`, ADR 0035):
 * - the key catch-up and the kept-checkpoint check (ADR 0019 and 0024): the head is signed by a
 *   current member and extends what this workstation kept, else rolled back or forked;
 * - the membership chain still extends what this session saw (trustedState);
 * - the state check (ADR 0020): every state table's rows are what the latest signed checkpoint
 *   commits to, so a row the server's operator put back or changed is named;
 * - the dashboard summary made again from the registry whenever another connection committed
 *   (ADR 0027): a member can seal a false one and sign the state around it, which the state check
 *   alone accepts (review of ADR 0033).
 * A console unlock's deferred check of the registry (ADR 0027) runs here if it has not yet.
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
    this.session.ensureStateChecked();
    this.#checkedAt = version;
    return true;
  }
}

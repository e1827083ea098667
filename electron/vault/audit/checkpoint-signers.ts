/**
 * Who may sign a checkpoint (issue 13, attack 6; ADR 0013). Every member holds K_vault and a
 * signing key, so a signature alone proves only that *some* member signed. What makes a rewrite
 * show is who: each write transaction's checkpoint is signed by the member whose session wrote
 * its entries, so a checkpoint counts only if its signer is the actor of every entry it adds, and
 * no entry is written by a member after the trail records their removal. Whoever drops or edits
 * an entry must re-sign every later checkpoint, and those cover other members' entries.
 *
 * Both verifiers walk the trail in order and tell this witness what they see: the vault's
 * (`verify.ts`, removals from the signed membership chain) and the offline one (`verify-export.ts`,
 * removals from the trail's own `member.removed` entries).
 */
export class CheckpointSigners {
  /** Member id → the sequence number of the entry that recorded their removal. */
  readonly #removedAt = new Map<string, number>();
  /** Actors of the entries since the last checkpoint, each with the first entry of theirs. */
  #actors = new Map<string, number>();
  readonly #nameOf: (memberId: string) => string;

  constructor(nameOf: (memberId: string) => string) {
    this.#nameOf = nameOf;
  }

  /** An entry, in order. Returns what is wrong with it, if anything. */
  entry(seq: number, actor: string): string | undefined {
    const removed = this.#removedAt.get(actor);
    if (removed !== undefined && seq > removed) {
      return `was written by ${this.#nameOf(actor)} after their removal (recorded at entry #${removed})`;
    }
    if (!this.#actors.has(actor)) this.#actors.set(actor, seq);
    return undefined;
  }

  /** The entry at `seq` records that `member` left: nothing of theirs may follow it. */
  removed(member: string, seq: number): void {
    if (!this.#removedAt.has(member)) this.#removedAt.set(member, seq);
  }

  /**
   * A checkpoint over the entries seen since the last one. Returns what is wrong with its signer,
   * if anything, and starts the next span either way.
   */
  checkpoint(signer: string): string | undefined {
    const others = [...this.#actors].filter(([actor]) => actor !== signer);
    this.#actors = new Map();
    if (others.length === 0) return undefined;
    const firstSeq = Math.min(...others.map(([, seq]) => seq));
    const names = others.map(([actor]) => this.#nameOf(actor)).join(', ');
    return `is signed by ${this.#nameOf(signer)} but adds entries written by ${names} (from entry #${firstSeq}): the trail was rewritten and re-signed`;
  }
}

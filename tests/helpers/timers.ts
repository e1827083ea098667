import type { Timers } from '../../electron/vault/clipboard-guard.ts';

/** Timers the test fires by hand: the 30-second clipboard clear and the idle lock, without waiting. */
export class ManualTimers implements Timers {
  readonly pending: { ms: number; run: () => void }[] = [];
  after(ms: number, run: () => void): () => void {
    const timer = { ms, run };
    this.pending.push(timer);
    return () => {
      const at = this.pending.indexOf(timer);
      if (at >= 0) this.pending.splice(at, 1);
    };
  }
  /** Fire every pending timer of exactly `ms`. */
  fire(ms: number): void {
    for (const timer of this.pending.filter((t) => t.ms === ms)) {
      this.pending.splice(this.pending.indexOf(timer), 1);
      timer.run();
    }
  }
}

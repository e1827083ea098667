import { bytesEqual, sha256, utf8 } from './crypto/hash.ts';

/** The system clipboard as main (Electron) or the preview (Playwright) provides it. */
export interface ClipboardPort {
  writeText(text: string): void;
  readText(): string;
  clear(): void;
}

/** Timers, injectable so tests need not wait 30 seconds. */
export interface Timers {
  after(ms: number, run: () => void): () => void;
}

export const realTimers: Timers = {
  after(ms, run) {
    const timer = setTimeout(run, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};

/** Issue 3 and 6: a copied secret leaves the clipboard after 30 seconds. */
export const CLIPBOARD_CLEAR_SECONDS = 30;

/**
 * What became of the last secret placed (issue 15: the console tells the person): still on the
 * clipboard, cleared, left alone because something else was copied over it, or none placed.
 */
export type ClipboardState = 'holding' | 'cleared' | 'left-alone' | 'none';

/**
 * Places a secret on the clipboard and clears it after 30 s, but only if the clipboard still holds
 * it: something the user copied since is left alone. It keeps a hash of what it placed, not the
 * secret, and clears at once when the vault locks.
 */
export class ClipboardGuard {
  readonly #port: ClipboardPort;
  readonly #timers: Timers;
  #placed: Uint8Array | undefined;
  #cancel: (() => void) | undefined;
  #state: ClipboardState = 'none';

  constructor(port: ClipboardPort, timers: Timers = realTimers) {
    this.#port = port;
    this.#timers = timers;
  }

  place(secret: string): number {
    this.#cancel?.();
    this.#port.writeText(secret);
    this.#placed = sha256(utf8(secret));
    this.#state = 'holding';
    this.#cancel = this.#timers.after(CLIPBOARD_CLEAR_SECONDS * 1000, () => this.clearIfOurs());
    return CLIPBOARD_CLEAR_SECONDS;
  }

  clearIfOurs(): void {
    this.#cancel?.();
    this.#cancel = undefined;
    if (!this.#placed) return;
    if (bytesEqual(sha256(utf8(this.#port.readText())), this.#placed)) {
      this.#port.clear();
      this.#state = 'cleared';
    } else {
      this.#state = 'left-alone';
    }
    this.#placed = undefined;
  }

  get state(): ClipboardState {
    return this.#state;
  }
}

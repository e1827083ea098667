import { isServerUrl } from '../../../shared/vault-location.ts';
import { ServerListener } from '../store/postgres/change-listener.ts';

/**
 * Why the console should look at the vault again (ADR 0033):
 * - `notify`: the server said a transaction on this vault committed (unauthenticated: a hint);
 * - `reconnected`: the listening connection came back, and what it missed is unknown;
 * - `poll`: the timer, while nothing listens (a file vault, or a server whose listening
 *   connection is down).
 */
export type ChangeSignal = 'notify' | 'reconnected' | 'poll';

export interface ChangeSignalOptions {
  /** The vault's URL or path: the server's URL with whatever credential libpq would use. */
  readonly location: string;
  readonly vaultId: string;
  readonly onSignal: (signal: ChangeSignal) => void;
  /** How often to look while nothing listens (ms). */
  readonly pollMs?: number;
  /** How long to wait before listening again after the connection dropped (ms). */
  readonly retryMs?: number;
  /** How long one connection attempt may take (ms). */
  readonly connectMs?: number;
}

export const DEFAULT_POLL_MS = 3_000;
export const DEFAULT_RETRY_MS = 2_000;
/** The least time between two notify signals: anyone who can connect can send notifications. */
export const NOTIFY_GAP_MS = 500;

/**
 * `signal` at most once every `gapMs`: the first call signals at once, and any number of calls
 * within the gap make one more signal at its end (review finding: a flood of forged
 * notifications, each a blocking round trip on the main thread, froze the console).
 */
export function atMostEvery(signal: () => void, gapMs: number): () => void {
  let waiting: ReturnType<typeof setTimeout> | undefined;
  let again = false;
  const open = () => {
    waiting = undefined;
    if (!again) return;
    again = false;
    fire();
  };
  const fire = () => {
    signal();
    waiting = setTimeout(open, gapMs);
    waiting.unref();
  };
  return () => {
    if (waiting) again = true;
    else fire();
  };
}

export interface ChangeSignals {
  /** Whether the server connection is listening now (always false for a file vault). */
  readonly listening: boolean;
  stop(): void;
}

/**
 * Signals for a console's open vault. A file vault is polled (the router compares SQLite's
 * data_version, which costs no I/O). A server vault is listened to on a connection of its own,
 * in this thread and asynchronous: the store's connection blocks this thread on a worker for each
 * statement (ADR 0026) and has no idle moment to hear a notification in, whereas this one is
 * read by the event loop between the router's calls. While it is down it is polled, and it is
 * connected again; once it is back, a `reconnected` signal covers what it missed.
 *
 * Nothing here is trusted: a signal only makes the router compare the vault's head with what it
 * last saw and, if it moved, tell the window, whose refresh runs the open's checks (`vault.refresh`).
 */
export function watchVaultChanges(options: ChangeSignalOptions): ChangeSignals {
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  let poll: ReturnType<typeof setInterval> | undefined;
  const startPolling = () => {
    poll ??= setInterval(() => options.onSignal('poll'), pollMs);
    // The interval keeps nothing alive on its own: a CLI or a test that ends does not wait for it.
    poll.unref();
  };
  const stopPolling = () => {
    if (poll) clearInterval(poll);
    poll = undefined;
  };
  if (!isServerUrl(options.location)) {
    startPolling();
    return {
      listening: false,
      stop: stopPolling,
    };
  }
  const listener = new ServerListener({
    url: options.location,
    vaultId: options.vaultId,
    retryMs: options.retryMs ?? DEFAULT_RETRY_MS,
    connectMs: options.connectMs ?? 10_000,
    onListening: () => {
      stopPolling();
      // What was committed before it listened (since the unlock, or while it was down) is
      // unknown to it: look once. The router says nothing if nothing moved.
      options.onSignal('reconnected');
    },
    onLost: startPolling,
    onNotice: atMostEvery(() => options.onSignal('notify'), NOTIFY_GAP_MS),
  });
  startPolling();
  listener.start();
  return {
    get listening() {
      return listener.listening;
    },
    stop: () => {
      listener.stop();
      stopPolling();
    },
  };
}

import type pg from 'pg';
import { CHANGES_CHANNEL, parseChangeNotice } from './changes-channel.ts';

export interface ListenerOptions {
  /** The server's URL, with whatever credential libpq would use: never shown, never logged. */
  readonly url: string;
  readonly vaultId: string;
  readonly retryMs: number;
  readonly connectMs: number;
  /** Listening now (at first, and after each reconnection). */
  readonly onListening: () => void;
  /** The connection failed or ended; it is tried again after `retryMs`. */
  readonly onLost: () => void;
  /** A notification naming this vault (unauthenticated: a hint, ADR 0033). */
  readonly onNotice: () => void;
}

/**
 * The LISTEN connection of a console's open server vault (ADR 0033): its own `pg` client on the
 * calling thread's event loop, not the store's worker, whose connection is busy only while a
 * statement runs and hears nothing in between. One at a time, connected again after it drops,
 * until stopped; never an uncaught error.
 */
export class ServerListener {
  #client: pg.Client | undefined;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  listening = false;

  constructor(private readonly options: ListenerOptions) {}

  start(): void {
    void this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#retry) clearTimeout(this.#retry);
    this.#drop();
  }

  async #connect(): Promise<void> {
    // Loaded here, on the first connection, not when the core loads: only a console's open server
    // vault listens, and loading pg (net, tls, its protocol) was ~15 ms of every CLI command's start
    // (issue 17; tests/integration/cli-bundle.test.ts).
    const { Client } = (await import('pg')).default;
    if (this.#stopped) return;
    const client = new Client({
      connectionString: this.options.url,
      application_name: 'custodian-listen',
      connectionTimeoutMillis: this.options.connectMs,
      keepAlive: true,
    });
    this.#client = client;
    // Never an uncaught error: a dropped connection is polled over and connected again.
    client.on('error', () => this.#lost(client));
    client.on('end', () => this.#lost(client));
    client.on('notification', (message) => {
      if (message.channel !== CHANGES_CHANNEL) return;
      // Another vault's (or a malformed) notice is not ours to act on.
      if (parseChangeNotice(message.payload)?.vault !== this.options.vaultId) return;
      this.options.onNotice();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch {
      this.#lost(client);
      return;
    }
    if (!this.#isCurrent(client)) {
      void client.end().catch(() => undefined);
      return;
    }
    this.listening = true;
    this.options.onListening();
  }

  /** Still the connection wanted (not stopped, not replaced) once its await returns. */
  #isCurrent(client: pg.Client): boolean {
    return !this.#stopped && this.#client === client;
  }

  /** The connection failed or ended: poll meanwhile, and listen again after a pause. */
  #lost(client: pg.Client): void {
    if (this.#client !== client) return;
    this.#drop();
    if (this.#stopped) return;
    this.options.onLost();
    this.#retry ??= setTimeout(() => {
      this.#retry = undefined;
      void this.#connect();
    }, this.options.retryMs);
    this.#retry.unref();
  }

  #drop(): void {
    const client = this.#client;
    this.#client = undefined;
    this.listening = false;
    if (client) void client.end().catch(() => undefined);
  }
}

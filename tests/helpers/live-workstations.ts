import pg from 'pg';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { rotatePassword } from '../../electron/vault/domain/rotations.ts';
import { KeptCheckpointFolder } from '../../electron/vault/kept-checkpoints.ts';
import { VaultRouter } from '../../electron/vault/router.ts';
import { unlockVault } from '../../electron/vault/vault.ts';
import { startThrowawayCluster, type ThrowawayCluster } from './postgres-cluster.ts';
import { PASSPHRASES, populatedVault, tempDir } from './vault.ts';

/** Resolves true once `condition` holds, false after `ms`. */
export async function within(ms: number, condition: () => boolean): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return condition();
}

/**
 * A team server vault on a throwaway cluster and the workstations around it (ADR 0033): console
 * routers that count change events, another workstation's session that rotates, and the server
 * operator's own connection, which may send any notification and edit any row. Registers the
 * test file's hooks; call it once inside a `describe`.
 */
export function liveWorkstations() {
  let cluster: ThrowawayCluster;
  let dir: ReturnType<typeof tempDir>;
  let operator: pg.Client;
  let watcher: pg.Client | undefined;
  const routers: VaultRouter[] = [];
  const state = { url: '', accounts: [] as string[], vaultId: '', listening: 0 };
  let workstations = 0;
  let counting = false;

  /** The listening connections the server lists, counted on a connection of the test's own. */
  const countListeners = async () => {
    if (counting) return;
    counting = true;
    try {
      if (!watcher) {
        watcher = new pg.Client({ connectionString: state.url });
        await watcher.connect();
      }
      const { rows } = await watcher.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'custodian-listen'",
      );
      state.listening = (rows[0] as { n: number }).n;
    } finally {
      counting = false;
    }
  };
  let poller: ReturnType<typeof setInterval> | undefined;

  beforeAll(async () => {
    cluster = startThrowawayCluster({ fsync: false });
    cluster.createDatabase('team');
    state.url = cluster.urlFor('team');
    dir = tempDir();
    ({ accounts: state.accounts } = await populatedVault(state.url));
    operator = new pg.Client({ connectionString: state.url });
    await operator.connect();
    const { rows } = await operator.query('SELECT vault_id FROM vault_header WHERE singleton = 1');
    state.vaultId = (rows[0] as { vault_id: string }).vault_id;
    poller = setInterval(() => void countListeners().catch(() => undefined), 50);
  }, 120_000);
  afterEach(() => {
    for (const router of routers.splice(0)) router.lock('quit');
  });
  afterAll(async () => {
    clearInterval(poller);
    await watcher?.end();
    await operator.end();
    dir.cleanup();
    cluster.stop();
  });

  /** Another workstation: its own folder of kept checkpoints (ADR 0024). */
  const keptFolder = () => new KeptCheckpointFolder(`${dir.dir}/ws-${++workstations}`);

  return {
    state,
    operator: () => operator,
    /** A console on a workstation of its own, unlocked on the server by URL, counting events. */
    async console(options: { pollMs?: number; retryMs?: number } = {}) {
      const events = { count: 0 };
      const router = new VaultRouter({
        clipboard: { writeText: () => undefined, readText: () => '', clear: () => undefined },
        keptCheckpoints: keptFolder(),
        onVaultChanged: () => {
          events.count += 1;
        },
        // Polling slow, so a prompt event is the notification's doing (unless a test says so).
        liveRefresh: { pollMs: options.pollMs ?? 60_000, retryMs: options.retryMs ?? 200 },
      });
      routers.push(router);
      const unlocked = await router.invoke('vault.unlock', {
        server: state.url,
        memberName: 'Lena Lead',
        passphrase: PASSPHRASES.lead,
      });
      expect(unlocked.ok).toBe(true);
      // The listening connection is up once the server lists it.
      expect(await within(5_000, () => state.listening > 0)).toBe(true);
      return { router, events };
    },
    /** Another workstation rotates an account (a session of its own, as a CLI process would be). */
    async rotateElsewhere(account: string, password: string) {
      const dev = await unlockVault(state.url, {
        memberName: 'Dev Dmt',
        passphrase: PASSPHRASES.dmt,
        keptCheckpoints: keptFolder(),
      });
      try {
        rotatePassword(dev, account, { password, reason: 'scheduled' });
      } finally {
        dev.close();
      }
    },
  };
}

/** The account's version as a console shows it. */
export async function versionOn(router: VaultRouter, account: string): Promise<number> {
  const detail = await router.invoke('accounts.detail', { account });
  if (!detail.ok) throw new Error(detail.error.message);
  return (detail.value as { account: { version: number } }).account.version;
}

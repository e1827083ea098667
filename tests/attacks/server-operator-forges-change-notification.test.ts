import { describe, expect, it } from 'vitest';
import { CHANGES_CHANNEL } from '../../electron/vault/store/postgres/changes-channel.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { postgresUnavailable } from '../helpers/postgres-cluster.ts';
import { liveWorkstations, versionOn, within } from '../helpers/live-workstations.ts';

// Attack (issue 14, ADR 0033): the server's operator, or any role that may connect to the
// database, sends the consoles' change notification themselves: made up, replayed, or after
// putting back an older credential row (the password a rotation replaced current again, 10.2).
// The notification is unauthenticated, so it may only make a console look again; what the
// console then shows has passed the checks an open runs (kept checkpoint, chain, state).
const unavailable = postgresUnavailable();

describe.skipIf(unavailable !== null)(
  unavailable ?? 'the server operator forges the change notification',
  () => {
    const team = liveWorkstations();
    const notify = (payload: string) =>
      team.operator().query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, payload]);

    it('a made-up, a replayed and a malformed notification change nothing: no event, and a refresh finds nothing new', async () => {
      const { router, events } = await team.console();
      const account = team.state.accounts[0]!;
      const version = await versionOn(router, account);
      const { rows } = await team.operator().query('SELECT commits FROM log_head');
      const head = (rows[0] as { commits: number }).commits;
      for (const payload of [
        JSON.stringify({ vault: team.state.vaultId, head: head + 1000 }),
        JSON.stringify({ vault: team.state.vaultId, head }),
        'not json',
        'x'.repeat(5000),
      ]) {
        await notify(payload);
      }
      expect(await within(1_500, () => events.count > 0)).toBe(false);
      expect(await router.invoke('vault.refresh', {})).toEqual({
        ok: true,
        value: { changed: false },
      });
      expect(router.unlocked).toBe(true);
      expect(await versionOn(router, account)).toBe(version);
    });

    it('an older credential row put back, the head moved and a notification sent: the refresh is an integrity error naming the table, and the console locks', async () => {
      const { router, events } = await team.console();
      const account = team.state.accounts[1]!;
      const operator = team.operator();
      const credentialRow = async () =>
        (
          await operator.query(
            'SELECT key_id, updated_at, version, sealed FROM credentials WHERE account_id = $1',
            [account],
          )
        ).rows[0] as { key_id: string; updated_at: string; version: number; sealed: Buffer };
      const putBack = (row: Awaited<ReturnType<typeof credentialRow>>) =>
        operator.query(
          'UPDATE credentials SET key_id = $2, updated_at = $3, version = $4, sealed = $5 WHERE account_id = $1',
          [account, row.key_id, row.updated_at, row.version, row.sealed],
        );
      const older = await credentialRow();
      await team.rotateElsewhere(account, 'Replaced-By-Operator-77');
      expect(await within(5_000, () => events.count > 0)).toBe(true);
      expect((await router.invoke('vault.refresh', {})).ok).toBe(true);
      const committed = await credentialRow();
      const seen = events.count;

      await putBack(older);
      await operator.query('UPDATE log_head SET commits = commits + 1 WHERE singleton = 1');
      await notify(JSON.stringify({ vault: team.state.vaultId, head: 0 }));
      expect(await within(5_000, () => events.count > seen)).toBe(true);
      const refused = await router.invoke('vault.refresh', {});
      expect(refused).toMatchObject({
        ok: false,
        error: { code: ErrorCode.INTEGRITY, message: expect.stringMatching(/credentials/) },
      });
      // Locked, so nothing of the put-back row is served.
      expect(router.unlocked).toBe(false);
      expect((await router.invoke('accounts.detail', { account })).ok).toBe(false);
      await putBack(committed);
    });
  },
);

import { describe, expect, it } from 'vitest';
import { postgresUnavailable } from '../../helpers/postgres-cluster.ts';
import { liveWorkstations, versionOn, within } from '../../helpers/live-workstations.ts';

// Issue 14: "a rotation on one workstation appears in the account list and dashboard of the
// others within a few seconds" (ADR 0033). The notification's forgeries are in tests/attacks/.
const unavailable = postgresUnavailable();

describe.skipIf(unavailable !== null)(unavailable ?? 'live refresh of a server vault', () => {
  const team = liveWorkstations();

  it('a rotation on workstation B reaches A as a change event within seconds, and A sees it after its checked refresh', async () => {
    const { router, events } = await team.console();
    const account = team.state.accounts[0]!;
    const before = await versionOn(router, account);
    const started = Date.now();
    await team.rotateElsewhere(account, 'Live-Refresh-Password-41');
    expect(await within(5_000, () => events.count > 0)).toBe(true);
    // Told by the notification, not the minute-long poll.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await router.invoke('vault.refresh', {})).toEqual({
      ok: true,
      value: { changed: true },
    });
    expect(await versionOn(router, account)).toBe(before + 1);
    // Nothing more moved: a second refresh finds nothing to check, and no second event came.
    expect(await router.invoke('vault.refresh', {})).toEqual({
      ok: true,
      value: { changed: false },
    });
    expect(events.count).toBe(1);
  });

  it("the console's own writes send it no event", async () => {
    const { router, events } = await team.console();
    const saved = await router.invoke('accounts.set-details', {
      account: team.state.accounts[1]!,
      notes: 'Own change, no echo',
    });
    expect(saved.ok).toBe(true);
    expect(await within(1_500, () => events.count > 0)).toBe(false);
  });

  it('a listening connection the server drops is made again, and a change meanwhile still reaches the console', async () => {
    const { events } = await team.console({ retryMs: 300, pollMs: 500 });
    await team
      .operator()
      .query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'custodian-listen'",
      );
    expect(await within(3_000, () => team.state.listening === 0)).toBe(true);
    await team.rotateElsewhere(team.state.accounts[0]!, 'While-Nobody-Listened-5');
    expect(await within(5_000, () => events.count > 0)).toBe(true);
    expect(await within(5_000, () => team.state.listening > 0)).toBe(true);
  });
});

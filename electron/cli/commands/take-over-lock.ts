import type { Command } from 'commander';
import { asOption, type Io } from '../support.ts';
import { withVault } from '../vault-client.ts';

/**
 * `custodian take-over-lock` (issue 14, ADR 0025): a lead takes over the writer lock a crashed or
 * switched-off workstation left, once it has been silent past the stated timeout. The refusal
 * that sent the lead here was the warning (who holds it, on which host, silent for how long);
 * this command watches the lock for two heartbeats first, then records the take-over in the
 * audit trail, and lets the lock go again when it ends.
 */
export function registerTakeOverLock(program: Command, io: Io): void {
  program
    .command('take-over-lock')
    .description(
      'take over the vault lock left by another workstation that has given no sign of life for over 2 minutes (a lead only; recorded in the audit trail). Only if that workstation is not using the vault: its session cannot save once the lock is taken',
    )
    .argument('<vault>')
    .addOption(asOption())
    .action(async (vault: string, o: { as?: string }) => {
      // Two heartbeats and a second (TAKEOVER_WATCH_MS in the core's writer lock).
      io.err('custodian: watching the lock for 11 s to make sure its holder is silent…');
      await withVault(vault, { ...o, takeOverStaleLock: true }, async ({ call }) => {
        const { rows } = await call('audit.page', {
          offset: 0,
          limit: 1,
          filters: { kind: 'session.lock-taken-over' },
        });
        // This unlock's own entry comes just before its session.unlocked, the trail's last.
        const { total } = await call('audit.page', { offset: 0, limit: 1 });
        const taken = rows[0]?.seq === total - 1 ? rows[0] : undefined;
        io.out(
          taken
            ? `Took over the lock (${taken.details}); recorded as audit entry ${taken.seq}.`
            : 'The lock was free: nothing to take over.',
        );
      });
    });
}

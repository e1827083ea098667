import type { Command } from 'commander';
import {
  DCC_DECISIONS,
  DML_DECISIONS,
  type DccDecision,
  type DmlDecision,
} from '../../../shared/domain/policy-records.ts';
import { asOption, expected, expectedVersionOption, oneOf, output, type Io } from '../support.ts';
import { withVault } from '../vault-client.ts';

type Versioned = { expectedVersion?: number; as?: string };

/** `custodian trial`: trials on new channels, through the DML and the DCCs (trials.*, policy 3.4). */
export function registerTrial(program: Command, io: Io): void {
  const trial = program
    .command('trial')
    .description(
      'trials on channels the forces do not yet use: requested through the Digital Media Lead; what the policy may not cover goes to the Deputy Chief Constables (policy 3.4)',
    );
  trial
    .command('request')
    .description('record a request; prints its id')
    .argument('<vault>')
    .requiredOption('--platform <name>', 'the new channel, e.g. Bluesky')
    .requiredOption('--purpose <text>', 'what the trial is for')
    .requiredOption('--requested-by <who>')
    .option('--department <name>')
    .option('--not-covered', 'the policy may not cover it: the DCCs will decide (3.4)')
    .addOption(asOption())
    .action(
      async (
        vault: string,
        o: {
          platform: string;
          purpose: string;
          requestedBy: string;
          department?: string;
          notCovered?: boolean;
          as?: string;
        },
      ) => {
        await withVault(vault, o, async ({ call }) => {
          const { id } = await call('trials.request', {
            platform: o.platform,
            purpose: o.purpose,
            requestedBy: o.requestedBy,
            ...(o.department === undefined ? {} : { department: o.department }),
            coveredByPolicy: o.notCovered !== true,
          });
          io.out(id);
        });
      },
    );
  trial
    .command('decide')
    .description("the Digital Media Lead's decision: approve, refuse, or escalate to the DCCs")
    .argument('<vault>')
    .argument('<trial>', 'its id, as `trial list` prints it')
    .requiredOption('--decision <d>', DML_DECISIONS.join('|'), oneOf(DML_DECISIONS, 'decision'))
    .requiredOption('--note <text>', 'the reasons, for the record')
    .addOption(expectedVersionOption('trial list', 'trial'))
    .addOption(asOption())
    .action(
      async (vault: string, id: string, o: Versioned & { decision: DmlDecision; note: string }) => {
        await withVault(vault, o, async ({ call }) => {
          await call('trials.decide', {
            trial: id,
            decision: o.decision,
            note: o.note,
            ...expected(o),
          });
          io.out(
            o.decision === 'escalate'
              ? 'Escalated to the Deputy Chief Constables (3.4); record their decision with `trial dcc-decision`.'
              : `Trial ${o.decision === 'approve' ? 'approved' : 'refused'} (3.4).`,
          );
        });
      },
    );
  trial
    .command('dcc-decision')
    .description("record the Deputy Chief Constables' decision on an escalated request (3.4)")
    .argument('<vault>')
    .argument('<trial>')
    .requiredOption('--decision <d>', DCC_DECISIONS.join('|'), oneOf(DCC_DECISIONS, 'decision'))
    .requiredOption('--by <who>', 'the Deputy Chief Constable(s) who decided')
    .requiredOption('--on <date>', 'the day they decided, YYYY-MM-DD')
    .requiredOption('--note <text>', 'what they said')
    .addOption(expectedVersionOption('trial list', 'trial'))
    .addOption(asOption())
    .action(
      async (
        vault: string,
        id: string,
        o: Versioned & { decision: DccDecision; by: string; on: string; note: string },
      ) => {
        await withVault(vault, o, async ({ call }) => {
          await call('trials.dcc-decide', {
            trial: id,
            decision: o.decision,
            by: o.by,
            on: o.on,
            note: o.note,
            ...expected(o),
          });
          io.out("Deputy Chief Constables' decision recorded (3.4).");
        });
      },
    );
  trial
    .command('list')
    .argument('<vault>')
    .option('--json')
    .addOption(asOption())
    .action(async (vault: string, o: { json?: boolean; as?: string }) => {
      await withVault(vault, o, async ({ call }) => {
        const rows = await call('trials.list', {});
        output(io, o.json, rows, () =>
          rows.map(
            (t) =>
              `${t.id}\tv${t.version}\t${t.platform}\t${t.status.toUpperCase()}\trequested ${t.requestedOn} by ${t.requestedBy}${t.coveredByPolicy ? '' : '\tnot covered: for the DCCs'}${t.dcc ? `\tDCCs: ${t.dcc.decision} (${t.dcc.by}, ${t.dcc.on})` : ''}`,
          ),
        );
      });
    });
}

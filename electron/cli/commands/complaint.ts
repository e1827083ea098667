import type { Command } from 'commander';
import {
  COMPLAINT_KINDS,
  REFERRAL_BODIES,
  REFERRAL_BODY_NAMES,
  type ComplaintKind,
  type ReferralBody,
} from '../../../shared/domain/policy-records.ts';
import { asOption, expected, expectedVersionOption, oneOf, output, type Io } from '../support.ts';
import { withVault } from '../vault-client.ts';

type Json = { json?: boolean; as?: string };
type Versioned = { expectedVersion?: number; as?: string };

/** `custodian complaint`: complaints and breaches, and their referrals (complaints.*, policy 6.4). */
export function registerComplaint(program: Command, io: Io): void {
  const complaint = program
    .command('complaint')
    .description(
      'complaints, issues, discrepancies and breaches, referred to line management first, then Information Security and/or Professional Standards (policy 6.4)',
    );
  complaint
    .command('record')
    .description('record one against an account; prints its id')
    .argument('<vault>')
    .argument('<account>', 'id or platform:handle')
    .requiredOption('--kind <kind>', COMPLAINT_KINDS.join('|'), oneOf(COMPLAINT_KINDS, 'kind'))
    .requiredOption('--summary <text>', 'what happened, without any password')
    .requiredOption('--received <date>', 'the day it was received, YYYY-MM-DD')
    .option('--raised-by <who>', 'who raised it')
    .addOption(asOption())
    .action(
      async (
        vault: string,
        account: string,
        o: {
          kind: ComplaintKind;
          summary: string;
          received: string;
          raisedBy?: string;
          as?: string;
        },
      ) => {
        await withVault(vault, o, async ({ call }) => {
          const { id } = await call('complaints.record', {
            account,
            kind: o.kind,
            summary: o.summary,
            receivedOn: o.received,
            ...(o.raisedBy === undefined ? {} : { raisedBy: o.raisedBy }),
          });
          io.out(id);
        });
      },
    );
  complaint
    .command('refer')
    .description('refer it: line management in the first instance (6.4)')
    .argument('<vault>')
    .argument('<complaint>', 'its id, as `complaint list` prints it')
    .requiredOption('--to <body>', REFERRAL_BODIES.join('|'), oneOf(REFERRAL_BODIES, 'body'))
    .requiredOption('--on <date>', 'the day it was referred, YYYY-MM-DD')
    .option('--reference <ref>', 'their ticket or case number')
    .addOption(expectedVersionOption('complaint list', 'complaint'))
    .addOption(asOption())
    .action(
      async (
        vault: string,
        id: string,
        o: Versioned & { to: ReferralBody; on: string; reference?: string },
      ) => {
        await withVault(vault, o, async ({ call }) => {
          await call('complaints.refer', {
            complaint: id,
            to: o.to,
            on: o.on,
            ...(o.reference === undefined ? {} : { reference: o.reference }),
            ...expected(o),
          });
          io.out(`Referred to ${REFERRAL_BODY_NAMES[o.to]} on ${o.on} (6.4).`);
        });
      },
    );
  complaint
    .command('outcome')
    .description('record what a body it was referred to decided')
    .argument('<vault>')
    .argument('<complaint>')
    .requiredOption('--from <body>', REFERRAL_BODIES.join('|'), oneOf(REFERRAL_BODIES, 'body'))
    .requiredOption('--outcome <text>')
    .requiredOption('--on <date>', 'the day of the outcome, YYYY-MM-DD')
    .addOption(expectedVersionOption('complaint list', 'complaint'))
    .addOption(asOption())
    .action(
      async (
        vault: string,
        id: string,
        o: Versioned & { from: ReferralBody; outcome: string; on: string },
      ) => {
        await withVault(vault, o, async ({ call }) => {
          await call('complaints.outcome', {
            complaint: id,
            to: o.from,
            outcome: o.outcome,
            on: o.on,
            ...expected(o),
          });
          io.out(`Outcome from ${REFERRAL_BODY_NAMES[o.from]} recorded.`);
        });
      },
    );
  complaint
    .command('close')
    .description('close it with what came of it, once every referral has its outcome (6.4)')
    .argument('<vault>')
    .argument('<complaint>')
    .requiredOption('--outcome <text>')
    .option('--on <date>', 'the day it closed, YYYY-MM-DD (default today)')
    .addOption(expectedVersionOption('complaint list', 'complaint'))
    .addOption(asOption())
    .action(async (vault: string, id: string, o: Versioned & { outcome: string; on?: string }) => {
      await withVault(vault, o, async ({ call }) => {
        await call('complaints.close', {
          complaint: id,
          outcome: o.outcome,
          ...(o.on === undefined ? {} : { on: o.on }),
          ...expected(o),
        });
        io.out('Complaint closed.');
      });
    });
  complaint
    .command('list')
    .argument('<vault>')
    .option('--account <account>', 'only this account (id or platform:handle)')
    .option('--json')
    .addOption(asOption())
    .action(async (vault: string, o: Json & { account?: string }) => {
      await withVault(vault, o, async ({ call }) => {
        const rows = await call(
          'complaints.list',
          o.account === undefined ? {} : { account: o.account },
        );
        output(io, o.json, rows, () =>
          rows.map((c) => {
            const state = c.closedOn
              ? `closed ${c.closedOn}`
              : c.referrals.length === 0
                ? 'NOT REFERRED'
                : `${c.openReferrals} open referral(s)`;
            const referrals = c.referrals
              .map((r) => `${r.to} ${r.on}${r.outcome ? ` -> ${r.outcome}` : ' (open)'}`)
              .join('; ');
            return `${c.id}\tv${c.version}\t${c.account}\t${c.kind}\treceived ${c.receivedOn}\t${state}${referrals ? `\t${referrals}` : ''}`;
          }),
        );
      });
    });
}

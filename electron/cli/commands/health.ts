import type { Command } from 'commander';
import { SEVERITIES, type Finding } from '../../../shared/domain/health.ts';
import type { HealthSettings } from '../../vault/store/registry-tables.ts';
import { asOption, commaList, output, type Io } from '../support.ts';
import { withVault } from '../vault-client.ts';

/** What `--json` prints for a finding: the fields issue 4 names, plus the subject. */
function findingJson(f: Finding) {
  return {
    account: f.account,
    rule: f.rule,
    clause: f.clause,
    severity: f.severity,
    since: f.since,
    evidence: f.evidence,
    action: f.action,
    subject: f.subject,
  };
}

function table(findings: readonly Finding[]): string[] {
  if (findings.length === 0) return ['No findings: every account meets the policy rules checked.'];
  const lines: string[] = [];
  for (const severity of [...SEVERITIES].reverse()) {
    const group = findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    lines.push(`${severity.toUpperCase()} (${group.length})`);
    for (const f of group) {
      lines.push(`  ${f.since}  ${f.subject.label}  [${f.clause} ${f.rule}]`);
      lines.push(`      ${f.evidence}`);
      lines.push(`      -> ${f.action}`);
    }
  }
  return lines;
}

const THRESHOLD_OPTIONS: [flag: string, key: keyof HealthSettings, help: string][] = [
  ['--inactivity-guidance-months <n>', 'inactivityGuidanceMonths', '9.13 guidance (default 3)'],
  ['--inactivity-reminder-months <n>', 'inactivityReminderMonths', '9.13 reminder (default 6)'],
  ['--inactivity-closure-months <n>', 'inactivityClosureMonths', '9.13 may close (default 7)'],
  ['--refresher-due-months <n>', 'refresherDueMonths', '11.1 refresher due (default 12)'],
  ['--refresher-action-months <n>', 'refresherActionMonths', '11.1 action (default 15)'],
  ['--refresher-breach-months <n>', 'refresherBreachMonths', '11.1 breach (default 18)'],
  ['--minimum-strength <n>', 'minimumStrength', 'zxcvbn score 0-4 (default 3)'],
  ['--max-password-age-days <n|off>', 'maxPasswordAgeDays', 'off by default (NIST SP 800-63B)'],
  [
    '--leaver-rotation-grace-days <n>',
    'leaverRotationGraceDays',
    '10.2 action before breach (default 7)',
  ],
];

export function registerHealthCommands(program: Command, io: Io): void {
  program
    .command('health')
    .description(
      "every policy rule's findings: clause, severity, since when, evidence and next action",
    )
    .argument('<vault>')
    .option(
      '--at <date>',
      'evaluate as of this day (YYYY-MM-DD), e.g. to see what falls due next month',
    )
    .option('--account <account>', 'one account only')
    .option('--json', 'an array of findings')
    .option('--trend', 'the daily summaries kept so far')
    .addOption(asOption())
    .action(
      async (
        vault: string,
        o: { at?: string; account?: string; json?: boolean; trend?: boolean; as?: string },
      ) => {
        await withVault(vault, o, async ({ call }) => {
          if (o.trend) {
            const trend = await call('health.trend', {});
            output(io, o.json, trend, () =>
              trend.map((t) => `${t.day}\t${t.summary.total} finding(s)`),
            );
            return;
          }
          const findings = await call('health.report', {
            ...(o.at ? { at: o.at } : {}),
            ...(o.account ? { account: o.account } : {}),
          });
          output(io, o.json, findings.map(findingJson), () => table(findings));
        });
      },
    );

  const settings = program.command('settings').description('vault settings');
  const health = settings
    .command('health')
    .description('show or change the health thresholds (lead only to change; audited)')
    .argument('<vault>')
    .option('--json')
    .addOption(asOption());
  for (const [flag, , help] of THRESHOLD_OPTIONS) health.option(flag, help);
  health.option(
    '--force-email-domains <list>',
    "9.8, 9.16: the force's e-mail domains, comma-separated (a recovery e-mail elsewhere is a finding; default the Norfolk and Suffolk police.uk and pnn.police.uk domains)",
    commaList,
  );
  health.action(
    async (
      vault: string,
      o: Record<string, string | boolean | undefined> & {
        json?: boolean;
        as?: string;
        forceEmailDomains?: string[];
      },
    ) => {
      await withVault(vault, o, async ({ call }) => {
        const changes: Record<string, number | null | string[]> = {};
        if (o.forceEmailDomains) changes['forceEmailDomains'] = o.forceEmailDomains;
        for (const [, key] of THRESHOLD_OPTIONS) {
          const value = o[key];
          if (typeof value !== 'string') continue;
          changes[key] = key === 'maxPasswordAgeDays' && value === 'off' ? null : Number(value);
        }
        // settings.set checks each value against the thresholds' schema (lead only; audited).
        if (Object.keys(changes).length > 0) await call('settings.set', { thresholds: changes });
        const { thresholds } = await call('settings.get', {});
        output(io, o.json, thresholds, () =>
          Object.entries(thresholds).map(
            ([k, v]) => `${k}: ${v === null ? 'off' : Array.isArray(v) ? v.join(', ') : String(v)}`,
          ),
        );
      });
    },
  );
}

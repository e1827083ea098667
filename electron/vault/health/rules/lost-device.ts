import type { Finding } from '../../../../shared/domain/health.ts';
import { NOTIFY_PARTIES } from '../../../../shared/domain/registry.ts';
import { dayOf } from '../../../../shared/domain/dates.ts';
import { accountFinding, type HealthRule } from '../rule.ts';

const PARTY_NAMES = {
  ict: 'ICT',
  infosec: 'Information Security',
  'corporate-comms': 'Corporate Communications',
} as const;

/**
 * 10.1: a lost force device is reported to ICT and Information Security immediately, then
 * Corporate Communications, so that the accounts it reached are protected. Each exposed account
 * not rotated since the loss is a breach; each notification not recorded is a finding on the incident.
 */
export const lostDeviceRule: HealthRule = {
  id: 'lost-device-exposure',
  clause: '10.1',
  evaluate(context) {
    const findings: Finding[] = [];
    for (const incident of context.incidents) {
      if (incident.clear.resolved_at !== null && incident.clear.resolved_at <= context.at) continue;
      for (const accountId of incident.value.exposedAccountIds) {
        const account = context.accountById.get(accountId);
        if (!account || incident.value.notExposed[accountId] !== undefined) continue;
        const answered = account.rotations.some(
          (moment) => moment > incident.clear.reported_at || dayOf(moment) > incident.clear.lost_on,
        );
        if (answered) continue;
        findings.push(
          accountFinding(this, account, {
            severity: 'breach',
            since: incident.clear.lost_on,
            evidence: `Exposed by a device lost on ${incident.clear.lost_on} (incident ${incident.id}); not rotated since.`,
            action:
              'Rotate the password now (reason lost-device), or record why it was not exposed.',
          }),
        );
      }
      const told = incident.value.notified;
      const missing = NOTIFY_PARTIES.filter(
        (party) => told[party] === undefined || told[party] > context.at,
      );
      if (missing.length === 0) continue;
      findings.push({
        account: null,
        subject: {
          kind: 'incident',
          id: incident.id,
          label: `lost device, ${incident.clear.lost_on}`,
        },
        rule: 'lost-device-notification',
        clause: '10.1',
        severity: missing.includes('ict') || missing.includes('infosec') ? 'breach' : 'action',
        since: incident.clear.lost_on,
        evidence: `Not recorded as told: ${missing.map((p) => PARTY_NAMES[p]).join(', ')}.`,
        action:
          'Report to ICT and Information Security immediately, then Corporate Communications; record each (10.1).',
      });
    }
    return findings;
  },
};

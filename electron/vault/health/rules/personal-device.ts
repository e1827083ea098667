import { type HealthRule } from '../rule.ts';

/** 12.1: a record of those using their own device is kept by their line manager. */
export const personalDeviceRule: HealthRule = {
  id: 'personal-device-unrecorded',
  clause: '12.1',
  evaluate(context) {
    const people = new Map(context.people.map((p) => [p.id, p.value.name]));
    return context.devices
      .filter((d) => d.value.kind === 'personal' && !d.value.lineManagerRecordOn)
      .map((device) => ({
        account: null,
        subject: { kind: 'device' as const, id: device.id, label: device.value.label },
        rule: this.id,
        clause: this.clause,
        severity: 'action' as const,
        since: device.clear.created_at.slice(0, 10),
        evidence: `${people.get(device.clear.owner_id) ?? 'Someone'}'s personal device "${device.value.label}" reaches ${device.value.accountIds.length} account(s); no line manager record.`,
        action: 'Ask the line manager to record the personal device, then note the date (12.1).',
      }));
  },
};

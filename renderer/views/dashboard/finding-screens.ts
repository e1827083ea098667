import type { View } from '../../stores/session.ts';

/** Where in the console a finding is dealt with: the screen, and what the link says. */
export interface FindingScreen {
  readonly view: View;
  readonly label: string;
  /** Open the finding's account on that screen (Accounts). */
  readonly account: boolean;
}

const ON_ACCOUNT = (label: string): FindingScreen => ({ view: 'accounts', label, account: true });

/**
 * The links' words never hold a view's name (People, Devices, Requests…): the link sits beside
 * the views' buttons, and a name shared would make either ambiguous to someone hearing them.
 *
 * Each health rule's finding, to the console screen that does what it asks (issue 15: the
 * dashboard sends nobody to the CLI). Rule ids are the core's (electron/vault/health/rules/);
 * one not listed opens its account, or the screen of what it concerns.
 */
const SCREENS: Readonly<Record<string, FindingScreen>> = {
  administrator: ON_ACCOUNT('Name an administrator on the account (10.2)'),
  'approval-missing': {
    view: 'requests',
    label: 'Record the approvals (9.2, 9.5)',
    account: false,
  },
  'closure-without-notice': ON_ACCOUNT('Finish the closure on the account (9.11)'),
  'leaver-rotation-due': ON_ACCOUNT('Rotate the password on the account (10.2)'),
  'password-age': ON_ACCOUNT('Rotate the password on the account'),
  'weak-password': ON_ACCOUNT('Rotate the password on the account'),
  'reused-password': ON_ACCOUNT('Rotate the password on the account'),
  'lost-device-exposure': { view: 'devices', label: 'Open the lost-device wizard', account: false },
  'lost-device-notification': {
    view: 'devices',
    label: 'Open the lost-device wizard',
    account: false,
  },
  'personal-device-unrecorded': {
    view: 'devices',
    label: "Record the line manager's record (12.1)",
    account: false,
  },
  training: { view: 'people', label: 'Record the training (11.1)', account: false },
};

const BY_SUBJECT: Readonly<Record<string, FindingScreen>> = {
  person: { view: 'people', label: "Open the person's record", account: false },
  device: { view: 'devices', label: "Open the device's record", account: false },
  incident: { view: 'devices', label: 'Open the lost-device wizard', account: false },
};

export function findingScreen(finding: {
  rule: string;
  account: string | null;
  subject: { kind: string };
}): FindingScreen | null {
  const listed = SCREENS[finding.rule];
  if (listed && (!listed.account || finding.account !== null)) return listed;
  if (finding.account !== null) return ON_ACCOUNT('Open the account');
  return BY_SUBJECT[finding.subject.kind] ?? null;
}

import { SEVERITIES, type Severity } from '../../../shared/domain/health.ts';

/** A finding's severity in words, as the dashboard shows it. */
export const SEVERITY_LABEL: Record<Severity, string> = {
  breach: 'Breach',
  action: 'Action needed',
  warning: 'Warning',
  info: 'For information',
};

export const MOST_URGENT_FIRST = [...SEVERITIES].reverse();

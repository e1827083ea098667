/**
 * A recorded instant as the member reads it (issue 15): in their own time zone, with an ISO date
 * and a 24-hour clock whatever the locale, and the zone's name, so "2026-03-29 01:30 GMT" and
 * "2026-03-29 03:30 BST" are never mistaken for each other. The trail itself keeps UTC.
 */
export function localMoment(
  iso: string,
  { seconds = false, timeZone }: { seconds?: boolean; timeZone?: string } = {},
): string {
  // A day alone stays a day: it names no instant to convert.
  if (iso.length <= 10) return iso;
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  const parts = new Intl.DateTimeFormat(undefined, {
    ...(timeZone ? { timeZone } : {}),
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    ...(seconds ? { second: '2-digit' } : {}),
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? '';
  const time = [part('hour'), part('minute'), ...(seconds ? [part('second')] : [])].join(':');
  return `${part('year')}-${part('month')}-${part('day')} ${time} ${part('timeZoneName')}`;
}

/** The member's time zone, named in column headings ("When (Europe/London)"). */
export function localZoneName(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** The time of day of an instant on the member's clock, 24-hour ("10:42"), for a passing notice. */
export function localClock(instant: Date): string {
  return new Intl.DateTimeFormat(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(instant);
}

import { describe, expect, it } from 'vitest';
import { localMoment } from '../../../renderer/local-time.ts';

describe('localMoment (issue 15: times in the member’s own zone, ISO dates)', () => {
  it('shows a winter instant in London as GMT and a summer one as BST, with ISO dates', () => {
    const zone = { timeZone: 'Europe/London' };
    expect(localMoment('2026-01-15T09:05:00.000Z', zone)).toBe('2026-01-15 09:05 GMT');
    expect(localMoment('2026-07-15T09:05:00.000Z', zone)).toBe('2026-07-15 10:05 GMT+1');
  });

  it('moves across midnight into the next local day', () => {
    expect(localMoment('2026-07-15T23:30:00Z', { timeZone: 'Europe/London' })).toBe(
      '2026-07-16 00:30 GMT+1',
    );
  });

  it('shows seconds when asked, on a 24-hour clock', () => {
    expect(localMoment('2026-12-01T18:15:13.120Z', { seconds: true, timeZone: 'UTC' })).toBe(
      '2026-12-01 18:15:13 UTC',
    );
  });

  it('leaves a day alone, and an unreadable value as it was', () => {
    expect(localMoment('2026-12-01')).toBe('2026-12-01');
    expect(localMoment('not a time')).toBe('not a time');
  });
});

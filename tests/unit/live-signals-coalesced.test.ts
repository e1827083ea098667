import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { atMostEvery, NOTIFY_GAP_MS } from '../../electron/vault/live/change-signals.ts';

// ADR 0033, review finding: anyone who can connect to the database can send the vault's change
// notification, and each one made the console read the head on its main thread. A flood of them
// now makes one signal per gap, never one per notification, and none is lost.
describe('notify signals, coalesced', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a flood within the gap makes the first signal and one more at its end', () => {
    let signals = 0;
    const notice = atMostEvery(() => {
      signals += 1;
    }, NOTIFY_GAP_MS);
    for (let i = 0; i < 10_000; i += 1) notice();
    expect(signals).toBe(1);
    vi.advanceTimersByTime(NOTIFY_GAP_MS);
    expect(signals).toBe(2);
    vi.advanceTimersByTime(NOTIFY_GAP_MS * 10);
    expect(signals).toBe(2);
  });

  it('a flood lasting several gaps makes one signal a gap', () => {
    let signals = 0;
    const notice = atMostEvery(() => {
      signals += 1;
    }, NOTIFY_GAP_MS);
    for (let ms = 0; ms < NOTIFY_GAP_MS * 5; ms += 10) {
      notice();
      vi.advanceTimersByTime(10);
    }
    vi.advanceTimersByTime(NOTIFY_GAP_MS * 2);
    expect(signals).toBeGreaterThanOrEqual(5);
    expect(signals).toBeLessThanOrEqual(7);
  });

  it('a lone notification after a quiet gap signals at once', () => {
    let signals = 0;
    const notice = atMostEvery(() => {
      signals += 1;
    }, NOTIFY_GAP_MS);
    notice();
    vi.advanceTimersByTime(NOTIFY_GAP_MS * 3);
    notice();
    expect(signals).toBe(2);
  });
});

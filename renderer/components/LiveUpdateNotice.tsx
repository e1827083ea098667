import { useEffect, useLayoutEffect } from 'react';
import { useLive } from '../stores/live.ts';
import { localClock } from '../local-time.ts';

/**
 * Says that the views were brought up to date with another workstation's change (issue 14, ADR
 * 0033), which they otherwise do in silence: "Updated with changes from another workstation at
 * 10:42." A polite live region, present while the console is open so that a screen reader hears
 * the sentence when it appears; it takes no focus, and it is a bar of its own under the views (the
 * shell's column), so it covers no row: when it appears the views' area is shorter by its height,
 * and a field being typed in keeps its text, its focus and (scrolled to if the bar hid it) its
 * place in view. What it says comes only from the verified refresh (that it
 * answered `changed`, and when this window heard so): never from the server's notification.
 * `aria-live` alone, not `role="status"`: the region is always in the page, and the console's
 * one status at a time (a copy's countdown, a save) is the one `role="status"` names.
 */
export function LiveUpdateNotice() {
  const updatedAt = useLive((s) => s.updatedAt);
  const dismiss = useLive((s) => s.dismissUpdate);
  // Said of this session only: a lock ends it, and the next unlock starts with nothing to say.
  useEffect(() => dismiss, [dismiss]);
  // The bar made the views' area shorter: the field the person is typing in stays in view.
  useLayoutEffect(() => {
    const typing = document.activeElement;
    if (updatedAt && typing instanceof HTMLElement && typing.matches('input, textarea, select'))
      typing.scrollIntoView({ block: 'nearest' });
  }, [updatedAt]);
  return (
    <div className={updatedAt ? 'live-update' : 'live-update empty'}>
      <p aria-live="polite" aria-atomic="true">
        {updatedAt && `Updated with changes from another workstation at ${localClock(updatedAt)}.`}
      </p>
      {updatedAt && (
        <button type="button" className="link" onClick={dismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}

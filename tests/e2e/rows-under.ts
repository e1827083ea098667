import type { Page } from '@playwright/test';
import { createAccount } from '../../electron/vault/domain/account-creation.ts';
import type { VaultSession } from '../../electron/vault/session.ts';

/**
 * The account rows a notice covers (the live update notice, ADR 0033; the clipboard's countdown): for each row on the page, the part of its box
 * that shows (its box cut by every scrolling box it is in, and by the window) meets the notice's
 * box. A row of the virtual list rendered below the list's visible foot (its overscan) is cut
 * away by the list, as the eye sees it. `shown` counts the rows with any part showing, and
 * `overflowing` says the list runs past its foot (so rows stand where a notice over it would be).
 */
export async function rowsUnder(page: Page, notice: string) {
  return page.evaluate<{
    shown: number;
    covered: string[];
    noticeHeight: number;
    overflowing: boolean;
  }>(`(() => {
    const cut = (a, b) => ({
      left: Math.max(a.left, b.left),
      top: Math.max(a.top, b.top),
      right: Math.min(a.right, b.right),
      bottom: Math.min(a.bottom, b.bottom),
    });
    const empty = (b) => b.right <= b.left || b.bottom <= b.top;
    const notice = document.querySelector(${JSON.stringify(notice)}).getBoundingClientRect();
    const scroller = document.querySelector('.list-scroller');
    let shown = 0;
    const covered = [];
    for (const row of document.querySelectorAll('[role="option"]')) {
      let box = row.getBoundingClientRect();
      for (let up = row.parentElement; up; up = up.parentElement)
        if (getComputedStyle(up).overflow !== 'visible') box = cut(box, up.getBoundingClientRect());
      box = cut(box, { left: 0, top: 0, right: innerWidth, bottom: innerHeight });
      if (empty(box)) continue;
      shown += 1;
      if (!empty(cut(box, notice))) covered.push(row.querySelector('.handle').textContent);
    }
    return {
      shown,
      covered,
      noticeHeight: notice.height,
      overflowing: scroller.scrollHeight > scroller.clientHeight,
    };
  })()`);
}

/** Enough accounts that the list runs past the foot of the window, where the notices show. */
export function accountsPastTheFoot(lead: VaultSession): void {
  for (let n = 1; n <= 14; n += 1)
    createAccount(lead, {
      platform: 'instagram',
      handle: `NorfolkStation${String(n).padStart(2, '0')}`,
      force: 'norfolk',
      unitType: 'team',
      unitName: 'Neighbourhood Policing',
      username: `norfolk-station-${n}`,
      password: `station-Password-${n}`,
    });
}

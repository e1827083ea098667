import type { AccountSummary } from './accounts.ts';

/** What the account list can be narrowed by: the console's search box and filters, the CLI's options. */
export interface AccountFilters {
  readonly text: string;
  readonly platform: string;
  readonly force: string;
  readonly status: string;
  readonly due: boolean;
}

export const NO_FILTERS: AccountFilters = {
  text: '',
  platform: '',
  force: '',
  status: '',
  due: false,
};

/** The text an account is found by: handle, platform, unit, force, status. Lower-cased once per load. */
export function searchText(a: AccountSummary): string {
  return `${a.platform}:${a.handle} ${a.handle} ${a.unitName} ${a.force} ${a.status ?? 'active'}`.toLowerCase();
}

/** Accounts matching every filter and every word of the text (in any order, any case). */
export function filterAccounts(
  accounts: readonly { account: AccountSummary; text: string }[],
  f: AccountFilters,
): AccountSummary[] {
  const words = f.text.toLowerCase().split(/\s+/).filter(Boolean);
  const out: AccountSummary[] = [];
  for (const { account, text } of accounts) {
    if (f.platform && account.platform !== f.platform) continue;
    if (f.force && account.force !== f.force) continue;
    if (f.status && (account.status ?? 'active') !== f.status) continue;
    if (f.due && account.rotationDueSince === null) continue;
    if (words.every((w) => text.includes(w))) out.push(account);
  }
  return out;
}

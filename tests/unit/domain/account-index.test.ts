import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AccountSearchIndex } from '../../../shared/domain/account-index.ts';
import {
  filterAccounts,
  NO_FILTERS,
  searchText,
  type AccountFilters,
} from '../../../shared/domain/account-search.ts';
import type { AccountSummary } from '../../../shared/domain/accounts.ts';

// Issue 17: the console's search runs on an index kept up to date with the list, and must find
// exactly what the scan it replaces found (filterAccounts, still the CLI's one-off search), in
// the same order, for any registry, any change to it and any query.

/** The fields the search reads; the rest of a summary does not matter to it. */
function summary(
  id: string,
  fields: {
    platform: string;
    handle: string;
    unitName: string;
    force: string;
    status: string | undefined;
    due: boolean;
  },
): AccountSummary {
  return {
    id,
    platform: fields.platform,
    handle: fields.handle,
    unitName: fields.unitName,
    force: fields.force,
    unitType: 'team',
    ...(fields.status ? { status: fields.status } : {}),
    rotationDueSince: fields.due ? '2026-01-01T00:00:00.000Z' : null,
    lastRotatedAt: null,
    createdAt: '2025-01-01T00:00:00.000Z',
  } as unknown as AccountSummary;
}

const scan = (accounts: readonly AccountSummary[], f: AccountFilters) =>
  filterAccounts(
    accounts.map((account) => ({ account, text: searchText(account) })),
    f,
  );

// A small alphabet, so that handles share pieces and queries find several accounts; with the
// letters that change under toLowerCase, white space inside unit names, and a surrogate pair.
const piece = fc.constantFrom(
  'a',
  'b',
  'ab',
  'ba',
  'x',
  'X',
  'Σ',
  'ς',
  'İ',
  '1',
  '0',
  ':',
  '-',
  '😀',
);
const word = fc.array(piece, { minLength: 1, maxLength: 6 }).map((parts) => parts.join(''));
const fields = fc.record({
  platform: fc.constantFrom('x', 'facebook', 'tiktok'),
  handle: word,
  unitName: fc.array(word, { minLength: 1, maxLength: 3 }).map((w) => w.join(' ')),
  force: fc.constantFrom('norfolk', 'suffolk'),
  status: fc.constantFrom(undefined, 'active', 'suspended', 'closed'),
  due: fc.boolean(),
});
const query = fc.record({
  text: fc.oneof(
    fc.array(word, { maxLength: 3 }).map((w) => w.join(' ')),
    fc.constantFrom('', ' ', 'x:', 'X:A', 'team', 'Σ', 'ς', 'i̇', 'norfolk ab', '\u00a0ab'),
  ),
  platform: fc.constantFrom('', 'x', 'tiktok'),
  force: fc.constantFrom('', 'norfolk'),
  status: fc.constantFrom('', 'active', 'closed'),
  due: fc.boolean(),
});

describe('the account search index', () => {
  it('finds what the scan finds, in the same order, through any sequence of changes', () => {
    fc.assert(
      fc.property(
        fc.array(fields, { minLength: 0, maxLength: 40 }),
        fc.array(
          fc.record({
            remove: fc.array(fc.nat(), { maxLength: 4 }),
            change: fc.array(fc.tuple(fc.nat(), fields), { maxLength: 4 }),
            add: fc.array(fields, { maxLength: 4 }),
            shuffle: fc.boolean(),
          }),
          { maxLength: 5 },
        ),
        fc.array(query, { minLength: 1, maxLength: 6 }),
        (initial, changes, queries) => {
          let next = 0;
          let list = initial.map((f) => summary(`a${next++}`, f));
          const index = new AccountSearchIndex(list);
          const check = () => {
            for (const q of queries) expect(index.search(q)).toEqual(scan(list, q));
            // The view the console's list reads row by row (find): the same rows, read any way.
            for (const q of queries.slice(0, 2)) {
              const view = index.find(q);
              const expected = scan(list, q);
              expect(view.length).toBe(expected.length);
              expect(Array.from({ length: view.length }, (_, k) => view.at(k))).toEqual(expected);
              expect([...view]).toEqual(expected);
              expect(view.at(view.length)).toBeUndefined();
              const last = expected.at(-1);
              if (last) expect(view.indexOfId(last.id)).toBe(expected.indexOf(last));
              const even = (a: AccountSummary) => Number(a.id.slice(1)) % 2 === 0;
              expect(view.filter(even).toArray()).toEqual(expected.filter(even));
            }
            // Substrings of the texts themselves: inner and prefix matches, across tokens.
            for (const account of list.slice(0, 3)) {
              const text = searchText(account);
              const cut = { ...NO_FILTERS, text: text.slice(1, 1 + (text.length >> 1)) };
              expect(index.search(cut)).toEqual(scan(list, cut));
            }
          };
          check();
          for (const change of changes) {
            const gone = new Set(change.remove.map((i) => list[i % Math.max(1, list.length)]?.id));
            list = list.filter((a) => !gone.has(a.id));
            for (const [i, f] of change.change) {
              const at = i % Math.max(1, list.length);
              if (list[at]) list[at] = summary(list[at].id, f);
            }
            list = [...list, ...change.add.map((f) => summary(`a${next++}`, f))];
            if (change.shuffle) list = [...list].reverse();
            index.sync(list);
            check();
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finds a word inside a token and at its start, across the tokens of one account', () => {
    const list = [
      summary('1', {
        platform: 'x',
        handle: 'NorfolkRoads',
        unitName: 'Roads Policing',
        force: 'norfolk',
        status: undefined,
        due: false,
      }),
      summary('2', {
        platform: 'tiktok',
        handle: 'suffolkpolice',
        unitName: 'Comms',
        force: 'suffolk',
        status: 'closed',
        due: true,
      }),
    ];
    const index = new AccountSearchIndex(list);
    const ids = (text: string, more: Partial<AccountFilters> = {}) =>
      index.search({ ...NO_FILTERS, ...more, text }).map((a) => a.id);
    // "folk" is in every account, though in no one token of them all ("norfolk", "suffolk"...):
    // answered as the whole list, and still through the filters.
    expect(ids('folk')).toEqual(['1', '2']);
    expect(ids('x:norf')).toEqual(['1']);
    expect(ids('OADS polic')).toEqual(['1']);
    expect(ids('k:s')).toEqual(['2']);
    expect(ids('folk', { due: true })).toEqual(['2']);
    expect(ids('folk', { status: 'active' })).toEqual(['1']);
    expect(ids('roads comms')).toEqual([]);
    expect(ids('kpoli')).toEqual(['2']);
    // Both 3-unit pieces of "abcd" are inside "qabcxbcd", but "abcd" is not.
    index.sync([
      ...list,
      summary('3', {
        platform: 'x',
        handle: 'qabcxbcd',
        unitName: 'U',
        force: 'norfolk',
        status: undefined,
        due: false,
      }),
    ]);
    expect(ids('abcd')).toEqual([]);
    expect(ids('bcxb')).toEqual(['3']);
    expect(ids('')).toEqual(['1', '2', '3']);
  });

  it('forgets an account taken off the list, and finds one by its new text after a change', () => {
    const before = summary('1', {
      platform: 'x',
      handle: 'OldName',
      unitName: 'Roads',
      force: 'norfolk',
      status: undefined,
      due: false,
    });
    const index = new AccountSearchIndex([before]);
    index.sync([{ ...before, handle: 'NewName' }]);
    expect(index.search({ ...NO_FILTERS, text: 'oldname' })).toEqual([]);
    expect(index.search({ ...NO_FILTERS, text: 'newname' }).map((a) => a.id)).toEqual(['1']);
    index.sync([]);
    expect(index.search({ ...NO_FILTERS, text: 'name' })).toEqual([]);
    expect(index.search(NO_FILTERS)).toEqual([]);
  });

  it('returns the summaries of the latest list, not ones it was given before', () => {
    const first = summary('1', {
      platform: 'x',
      handle: 'Same',
      unitName: 'Roads',
      force: 'norfolk',
      status: undefined,
      due: false,
    });
    const index = new AccountSearchIndex([first]);
    const rotated = { ...first, lastRotatedAt: '2026-02-02T00:00:00.000Z' } as AccountSummary;
    index.sync([rotated]);
    expect(index.search({ ...NO_FILTERS, text: 'same' })[0]).toBe(rotated);
  });

  it('a view found before a change still reads the list it was found in', () => {
    const fields = (handle: string) => ({
      platform: 'x',
      handle,
      unitName: 'Roads',
      force: 'norfolk',
      status: undefined,
      due: false,
    });
    const list = [summary('1', fields('Alpha')), summary('2', fields('Beta'))];
    const index = new AccountSearchIndex(list);
    const every = index.find(NO_FILTERS);
    const alpha = index.find({ ...NO_FILTERS, text: 'alpha' });
    index.sync([summary('3', fields('Gamma'))]);
    expect(every.toArray()).toEqual(list);
    expect(alpha.toArray()).toEqual([list[0]]);
    expect(
      index
        .find(NO_FILTERS)
        .toArray()
        .map((a) => a.id),
    ).toEqual(['3']);
  });
});

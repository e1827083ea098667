import type { AccountSummary } from './accounts.ts';
import { searchText, type AccountFilters } from './account-search.ts';

/**
 * The account list's search, as an index kept up to date with the list (issue 17: p95 ≤ 2 ms at
 * 50,000 accounts, where a scan of every account's text took ~19 ms). It finds exactly what
 * `filterAccounts` finds, in the same order (tests/unit/domain/account-index.test.ts holds it to
 * that): the accounts whose search text holds every word of the query, in any case.
 *
 * It indexes only what it is given: the summaries `accounts.list` returned to this member (the
 * router shapes that list by role), and of those only the search text (platform, handle, unit,
 * force, status). No credential, note or person is in an AccountSummary, so none is in the index.
 *
 * How: a word has no white space, so it is in an account's text only inside one of the text's
 * white-space-separated tokens. Each distinct token is kept once, with the accounts that have it.
 * A word's tokens are those that start with it (one run of the sorted tokens) and those that hold
 * it further in (candidates from the rarest 1-, 2- or 3-unit piece found after a token's first
 * unit, checked with indexOf when the word is longer). The accounts of a run of tokens lie side by
 * side in one typed array, so a query that finds most of the registry reads memory in order
 * instead of chasing an object per account; a query then costs about what it finds.
 */
export class AccountSearchIndex {
  /** By account id, and by slot (a small number of its own, which the typed arrays are indexed by). */
  readonly #entries = new Map<string, Entry>();
  #bySlot: (Entry | undefined)[] = [];
  #freeSlots: number[] = [];
  /** The list as last given, in its order (results come back in it), and each slot's place in it. */
  #accounts: readonly AccountSummary[] = [];
  #listSlots = new Int32Array(0);
  #positionBySlot = new Int32Array(0);

  readonly #tokens = new Map<string, Token>();
  #tokenById: (Token | undefined)[] = [];
  /** Piece (1 to 3 code units, as a number) → ids of tokens holding it after their first unit. */
  #inner = new Map<number, number[]>();
  #deadTokens = 0;

  /**
   * Derived from the above when a search first needs them after a change: the live tokens sorted
   * by UTF-16 code units, each token's rank, and every token's slots laid end to end in that order
   * (`runStart[rank]` to `runStart[rank + 1]` in `runSlots`).
   */
  #stale = true;
  #sorted: Token[] = [];
  #unsorted: Token[] = [];
  #sortedHasDead = false;
  #rankById = new Int32Array(0);
  #runStart = new Int32Array(1);
  #runSlots = new Int32Array(0);

  /** Per slot: the query pass that last reached it and how many words it has matched. */
  #stamp = new Uint32Array(0);
  #hits = new Uint32Array(0);
  #pass = 0;
  #scratch = new Int32Array(0);

  constructor(accounts: readonly AccountSummary[] = []) {
    this.sync(accounts);
  }

  /**
   * Bring the index to this list (the list `accounts.list` returned after a change): accounts
   * gone are removed, new ones added, and an account is re-indexed only if its text changed.
   */
  sync(accounts: readonly AccountSummary[]): void {
    const present = new Set<string>();
    const slots = new Int32Array(accounts.length);
    accounts.forEach((account, position) => {
      present.add(account.id);
      const text = searchText(account);
      let entry = this.#entries.get(account.id);
      if (entry && entry.text !== text) {
        this.#unindex(entry);
        entry = undefined;
      }
      slots[position] = (entry ?? this.#index(account.id, text)).slot;
    });
    for (const entry of [...this.#entries.values()]) {
      if (!present.has(entry.id)) this.#unindex(entry);
    }
    this.#accounts = [...accounts];
    this.#listSlots = slots;
    slots.forEach((slot, position) => (this.#positionBySlot[slot] = position));
    if (this.#deadTokens > 1024 && this.#deadTokens > this.#tokens.size) this.#rebuildPieces();
    this.#stale = true;
  }

  /** The accounts matching every filter and every word of the text, in the list's order. */
  search(f: AccountFilters): AccountSummary[] {
    return this.find(f).toArray();
  }

  /**
   * The same answer as `search`, as a view the console's virtualised list reads row by row: the
   * list's positions in one typed array, or the list itself when nothing narrows it. A query that
   * finds all 50,000 accounts costs a pass over typed arrays, not a 50,000-element array of them
   * (issue 17: those queries were the search's p95).
   */
  find(f: AccountFilters): AccountMatches {
    const words = f.text.toLowerCase().split(/\s+/).filter(Boolean);
    const keep = (a: AccountSummary) =>
      (!f.platform || a.platform === f.platform) &&
      (!f.force || a.force === f.force) &&
      (!f.status || (a.status ?? 'active') === f.status) &&
      (!f.due || a.rotationDueSince !== null);
    const accounts = this.#accounts;
    const filtered = Boolean(f.platform || f.force || f.status || f.due);
    const everyAccount = () => {
      if (!filtered) return new AccountMatches(accounts, null);
      const positions = new Int32Array(accounts.length);
      let kept = 0;
      for (let position = 0; position < accounts.length; position++) {
        if (keep(accounts[position]!)) positions[kept++] = position;
      }
      return new AccountMatches(accounts, positions.subarray(0, kept));
    };
    if (words.length === 0) return everyAccount();
    this.#refresh();

    // Each word's tokens, the rarest word first: it decides how many accounts are looked at. A
    // word one of whose tokens every account has ("norfolk" in a one-force registry) narrows
    // nothing, and is passed over.
    const byWord = words
      .map((word) => this.#match(word))
      .filter((match) => !this.#inEveryAccount(match))
      .sort((a, b) => a.size - b.size);
    if (byWord.length === 0) return everyAccount();
    const stamp = this.#stamp;
    const hits = this.#hits;
    const count = accounts.length;

    // Few accounts: follow their slots in an array, word by word. Many: mark them in place (a pass
    // number and a count of words matched per slot), then walk the list once in its order.
    let pass = this.#nextPass();
    let n = this.#slotsOf(byWord[0]!);
    let scratch = this.#scratch;
    let reached: number[] | undefined = n * 16 < count ? [] : undefined;
    let distinct = 0;
    for (let k = 0; k < n; k++) {
      const slot = scratch[k]!;
      if (stamp[slot] === pass) continue;
      stamp[slot] = pass;
      hits[slot] = 1;
      distinct += 1;
      reached?.push(slot);
    }
    // One word whose tokens reach every account between them (a prefix of every handle, "x:acc"),
    // though none of its tokens alone is in all: the answer is the list, with no walk over it to
    // collect 50,000 positions (issue 17: the all-matching prefix was the slowest kind of query).
    if (byWord.length === 1 && distinct === count) return everyAccount();
    for (let w = 1; w < byWord.length; w++) {
      const match = byWord[w]!;
      if (reached && reached.length * 4 < match.size) {
        // Cheaper to read the few accounts' texts than to list the word's many accounts.
        reached = reached.filter((slot) => this.#bySlot[slot]!.text.includes(match.word));
        continue;
      }
      n = this.#slotsOf(match);
      scratch = this.#scratch;
      if (reached) {
        pass = this.#nextPass();
        for (const slot of reached) stamp[slot] = pass;
        const next: number[] = [];
        for (let k = 0; k < n; k++) {
          const slot = scratch[k]!;
          if (stamp[slot] !== pass) continue;
          stamp[slot] = 0;
          next.push(slot);
        }
        reached = next;
      } else {
        for (let k = 0; k < n; k++) {
          const slot = scratch[k]!;
          if (stamp[slot] === pass && hits[slot] === w) hits[slot] = w + 1;
        }
      }
    }

    if (reached) {
      const positions = Int32Array.from(reached, (slot) => this.#positionBySlot[slot]!).sort();
      let kept = 0;
      for (const position of positions) {
        if (keep(accounts[position]!)) positions[kept++] = position;
      }
      return new AccountMatches(accounts, positions.subarray(0, kept));
    }
    const all = byWord.length;
    const listSlots = this.#listSlots;
    const positions = new Int32Array(count);
    let found = 0;
    for (let position = 0; position < count; position++) {
      const slot = listSlots[position]!;
      if (stamp[slot] === pass && hits[slot] === all) positions[found++] = position;
    }
    if (filtered) {
      let kept = 0;
      for (let k = 0; k < found; k++) {
        const position = positions[k]!;
        if (keep(accounts[position]!)) positions[kept++] = position;
      }
      found = kept;
    }
    return new AccountMatches(accounts, positions.subarray(0, found));
  }

  /** The tokens holding `word`: a run of sorted ranks, and the ranks of those holding it further in. */
  #match(word: string): Match {
    const sorted = this.#sorted;
    const from = lowerBound(sorted, word);
    // The run of tokens starting with the word ends at the first one that does not.
    let lo = from;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]!.text.startsWith(word)) lo = mid + 1;
      else hi = mid;
    }
    const start = this.#runStart;
    const match: Match = { word, from, to: lo, inner: [], size: start[lo]! - start[from]! };
    // Every piece of a word found after a token's first unit lies after it too: the rarest
    // piece's tokens are the candidates, checked with indexOf unless the word is that piece.
    let rarest: number[] | undefined;
    for (const piece of piecesOf(word)) {
      const ids = this.#inner.get(piece);
      if (!ids) return match;
      if (!rarest || ids.length < rarest.length) rarest = ids;
    }
    const exact = word.length <= PIECE_UNITS;
    const rankById = this.#rankById;
    for (const id of rarest ?? []) {
      const rank = rankById[id]!;
      if (rank < 0 || (rank >= match.from && rank < match.to)) continue;
      if (exact || sorted[rank]!.text.indexOf(word, 1) !== -1) {
        match.inner.push(rank);
        match.size += start[rank + 1]! - start[rank]!;
      }
    }
    return match;
  }

  /** Whether one of the match's tokens is in every account (a token lists an account once). */
  #inEveryAccount(match: Match): boolean {
    const count = this.#entries.size;
    if (match.size < count || count === 0) return false;
    const start = this.#runStart;
    for (let rank = match.from; rank < match.to; rank++) {
      if (start[rank + 1]! - start[rank]! === count) return true;
    }
    return match.inner.some((rank) => start[rank + 1]! - start[rank]! === count);
  }

  /** The slots of a match, into the scratch array (a slot may come twice); their number. */
  #slotsOf(match: Match): number {
    const start = this.#runStart;
    const runSlots = this.#runSlots;
    if (this.#scratch.length < match.size) this.#scratch = new Int32Array(match.size * 2);
    const scratch = this.#scratch;
    scratch.set(runSlots.subarray(start[match.from], start[match.to]));
    let n = start[match.to]! - start[match.from]!;
    for (const rank of match.inner) {
      for (let k = start[rank]!; k < start[rank + 1]!; k++) scratch[n++] = runSlots[k]!;
    }
    return n;
  }

  #index(id: string, text: string): Entry {
    const slot = this.#freeSlots.pop() ?? this.#bySlot.length;
    if (slot >= this.#stamp.length) this.#grow(slot + 1);
    const entry: Entry = { id, text, slot, tokens: [] };
    for (const word of new Set(text.split(/\s+/).filter(Boolean))) {
      const token = this.#tokens.get(word) ?? this.#addToken(word);
      token.slots.push(slot);
      entry.tokens.push(token);
    }
    this.#entries.set(id, entry);
    this.#bySlot[slot] = entry;
    return entry;
  }

  #unindex(entry: Entry): void {
    for (const token of entry.tokens) {
      const at = token.slots.indexOf(entry.slot);
      token.slots[at] = token.slots[token.slots.length - 1]!;
      token.slots.pop();
      if (token.slots.length === 0) this.#removeToken(token);
    }
    this.#entries.delete(entry.id);
    this.#bySlot[entry.slot] = undefined;
    this.#stamp[entry.slot] = 0;
    this.#freeSlots.push(entry.slot);
  }

  #addToken(text: string): Token {
    const token: Token = { id: this.#tokenById.length, text, slots: [], live: true };
    this.#tokenById.push(token);
    this.#tokens.set(text, token);
    this.#unsorted.push(token);
    this.#addPieces(token);
    return token;
  }

  /** A token gone leaves the map at once; the sorted run and its pieces catch up later. */
  #removeToken(token: Token): void {
    this.#tokens.delete(token.text);
    this.#tokenById[token.id] = undefined;
    token.live = false;
    this.#sortedHasDead = true;
    this.#deadTokens += 1;
  }

  #addPieces(token: Token): void {
    const text = token.text;
    for (let start = 1; start < text.length; start++) {
      for (let units = 1; units <= PIECE_UNITS && start + units <= text.length; units++) {
        const piece = pieceAt(text, start, units);
        const ids = this.#inner.get(piece);
        // A token's pieces are added together: one already listed for it is its last id.
        if (!ids) this.#inner.set(piece, [token.id]);
        else if (ids[ids.length - 1] !== token.id) ids.push(token.id);
      }
    }
  }

  #rebuildPieces(): void {
    const live = [...this.#tokens.values()];
    this.#tokenById = [];
    this.#inner = new Map();
    for (const token of live) {
      token.id = this.#tokenById.length;
      this.#tokenById.push(token);
      this.#addPieces(token);
    }
    this.#deadTokens = 0;
  }

  /**
   * The sorted tokens and their runs of slots, after a change. A few new tokens are inserted in
   * place; many (the first list of 50,000 accounts brings 100,000) are sorted in at once, which one
   * by one would be quadratic.
   */
  #refresh(): void {
    if (!this.#stale) return;
    if (this.#unsorted.length > 32) {
      this.#sorted = [...this.#tokens.values()].sort((a, b) =>
        a.text < b.text ? -1 : a.text > b.text ? 1 : 0,
      );
    } else {
      if (this.#sortedHasDead) this.#sorted = this.#sorted.filter((token) => token.live);
      for (const token of this.#unsorted) {
        if (token.live) this.#sorted.splice(lowerBound(this.#sorted, token.text), 0, token);
      }
    }
    this.#unsorted = [];
    this.#sortedHasDead = false;
    const sorted = this.#sorted;
    this.#rankById = new Int32Array(this.#tokenById.length).fill(-1);
    this.#runStart = new Int32Array(sorted.length + 1);
    let total = 0;
    for (const token of sorted) total += token.slots.length;
    this.#runSlots = new Int32Array(total);
    let k = 0;
    sorted.forEach((token, rank) => {
      this.#rankById[token.id] = rank;
      this.#runStart[rank] = k;
      for (const slot of token.slots) this.#runSlots[k++] = slot;
    });
    this.#runStart[sorted.length] = k;
    this.#stale = false;
  }

  #nextPass(): number {
    if (this.#pass === 0xffffffff) {
      this.#stamp.fill(0);
      this.#pass = 0;
    }
    return ++this.#pass;
  }

  #grow(size: number): void {
    const capacity = Math.max(size, this.#stamp.length * 2, 64);
    const grown = (old: Uint32Array) => {
      const bigger = new Uint32Array(capacity);
      bigger.set(old);
      return bigger;
    };
    this.#stamp = grown(this.#stamp);
    this.#hits = grown(this.#hits);
    const positions = new Int32Array(capacity);
    positions.set(this.#positionBySlot);
    this.#positionBySlot = positions;
  }
}

interface Entry {
  readonly id: string;
  readonly text: string;
  readonly slot: number;
  readonly tokens: Token[];
}

interface Token {
  id: number;
  readonly text: string;
  readonly slots: number[];
  live: boolean;
}

/** A word's tokens: ranks `from` to `to` start with it, the `inner` ranks hold it further in. */
interface Match {
  readonly word: string;
  readonly from: number;
  readonly to: number;
  readonly inner: number[];
  /** How many slots the tokens hold together (an account may be counted more than once). */
  size: number;
}

/** Pieces of up to three UTF-16 code units, each as one number (below 2^50). */
const PIECE_UNITS = 3;

function pieceAt(text: string, start: number, units: number): number {
  // The length is part of the number, so "a" and "\0a" differ.
  let value = units;
  for (let i = 0; i < units; i++) value = value * 65536 + text.charCodeAt(start + i);
  return value;
}

/** The pieces a word's inner occurrence must show: itself if short, else each 3 units of it. */
function piecesOf(word: string): number[] {
  if (word.length <= PIECE_UNITS) return [pieceAt(word, 0, word.length)];
  const pieces: number[] = [];
  for (let start = 0; start + PIECE_UNITS <= word.length; start++) {
    pieces.push(pieceAt(word, start, PIECE_UNITS));
  }
  return pieces;
}

/** The first index whose token is not less than `text` (UTF-16 code unit order). */
function lowerBound(sorted: readonly Token[], text: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.text < text) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * What a search found, in the list's order: the list and the positions in it that matched (null:
 * every one), read one row at a time. It holds the list the index was given, so it stays what it
 * was when a later `sync` brings the index to a new list.
 */
export class AccountMatches implements Iterable<AccountSummary> {
  readonly #accounts: readonly AccountSummary[];
  readonly #positions: Int32Array | null;

  constructor(accounts: readonly AccountSummary[], positions: Int32Array | null) {
    this.#accounts = accounts;
    this.#positions = positions;
  }

  get length(): number {
    return this.#positions ? this.#positions.length : this.#accounts.length;
  }

  /** The match at `index` (0 to length - 1), undefined outside. */
  at(index: number): AccountSummary | undefined {
    if (index < 0 || index >= this.length) return undefined;
    return this.#accounts[this.#positions ? this.#positions[index]! : index];
  }

  /** The place of the first match with this id, or -1. */
  indexOfId(id: string): number {
    for (let k = 0; k < this.length; k++) if (this.at(k)!.id === id) return k;
    return -1;
  }

  /** The matches that also pass `keep` (an administrator's own accounts), as a view again. */
  filter(keep: (account: AccountSummary) => boolean): AccountMatches {
    const positions = new Int32Array(this.length);
    let n = 0;
    for (let k = 0; k < this.length; k++) {
      if (keep(this.at(k)!)) positions[n++] = this.#positions ? this.#positions[k]! : k;
    }
    return new AccountMatches(this.#accounts, positions.subarray(0, n));
  }

  toArray(): AccountSummary[] {
    const positions = this.#positions;
    if (!positions) return [...this.#accounts];
    const out = new Array<AccountSummary>(positions.length);
    for (let k = 0; k < positions.length; k++) out[k] = this.#accounts[positions[k]!]!;
    return out;
  }

  *[Symbol.iterator](): Iterator<AccountSummary> {
    for (let k = 0; k < this.length; k++) yield this.at(k)!;
  }
}

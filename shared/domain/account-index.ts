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
 * white-space-separated tokens. Each distinct token is kept once, with the accounts that have it;
 * a word's tokens are those that start with it (a range of the sorted tokens) and those that hold
 * it further in (candidates from the 1-, 2- or 3-character pieces found after a token's first
 * character, checked with indexOf). A query then costs about as much as the accounts it finds,
 * not as much as the registry.
 */
export class AccountSearchIndex {
  /** By account id: where it is in the list, and its text's distinct tokens. */
  readonly #entries = new Map<string, Entry>();
  /** The list as last given, in its order: results come back in this order. */
  #list: Entry[] = [];
  readonly #tokens = new Map<string, Token>();
  /** Every live token, sorted by UTF-16 code units: a prefix's tokens are one run of it. */
  #sorted: string[] = [];
  /** Piece (1 to 3 code units, as a number) → ids of tokens holding it after their first unit. */
  #inner = new Map<number, number[]>();
  #tokenById: (Token | undefined)[] = [];
  #deadTokens = 0;
  /** Per entry slot: the query pass that last reached it and how many words it has matched. */
  #stamp = new Uint32Array(0);
  #hits = new Uint32Array(0);
  #pass = 0;
  #freeSlots: number[] = [];
  #slotCount = 0;

  constructor(accounts: readonly AccountSummary[] = []) {
    this.sync(accounts);
  }

  /**
   * Bring the index to this list (the list `accounts.list` returned after a change): accounts
   * gone are removed, new ones added, and an account is re-indexed only if its text changed.
   */
  sync(accounts: readonly AccountSummary[]): void {
    const present = new Set<string>();
    const list: Entry[] = [];
    for (const account of accounts) {
      present.add(account.id);
      const text = searchText(account);
      let entry = this.#entries.get(account.id);
      if (entry && entry.text !== text) {
        this.#unindex(entry);
        entry = undefined;
      }
      if (!entry) entry = this.#index(account, text);
      else entry.account = account;
      list.push(entry);
    }
    for (const entry of [...this.#entries.values()]) {
      if (!present.has(entry.account.id)) this.#unindex(entry);
    }
    this.#list = list;
    list.forEach((entry, position) => (entry.position = position));
    if (this.#deadTokens > 1024 && this.#deadTokens > this.#tokens.size) this.#rebuildPieces();
  }

  /** The accounts matching every filter and every word of the text, in the list's order. */
  search(f: AccountFilters): AccountSummary[] {
    const words = f.text.toLowerCase().split(/\s+/).filter(Boolean);
    const keep = (a: AccountSummary) =>
      (!f.platform || a.platform === f.platform) &&
      (!f.force || a.force === f.force) &&
      (!f.status || (a.status ?? 'active') === f.status) &&
      (!f.due || a.rotationDueSince !== null);
    if (words.length === 0) return this.#list.filter((e) => keep(e.account)).map((e) => e.account);

    const pass = this.#nextPass();
    const stamp = this.#stamp;
    const hits = this.#hits;
    let reached: Entry[] = [];
    for (let w = 0; w < words.length; w++) {
      const next: Entry[] = [];
      this.#tokensWith(words[w]!, (token) => {
        for (const entry of token.entries) {
          const slot = entry.slot;
          if (w === 0) {
            if (stamp[slot] !== pass) {
              stamp[slot] = pass;
              hits[slot] = 1;
              next.push(entry);
            }
          } else if (stamp[slot] === pass && hits[slot] === w) {
            hits[slot] = w + 1;
            next.push(entry);
          }
        }
      });
      reached = next;
      if (reached.length === 0) return [];
    }
    const found = reached.filter((e) => keep(e.account));
    // Back in the list's order: by position when few were found, by a walk of the list when many.
    if (found.length * 16 < this.#list.length) {
      return found.sort((a, b) => a.position - b.position).map((e) => e.account);
    }
    const last = words.length;
    const out: AccountSummary[] = [];
    for (const e of this.#list) {
      if (stamp[e.slot] === pass && hits[e.slot] === last && keep(e.account)) out.push(e.account);
    }
    return out;
  }

  /** Each live token holding `word`, once. */
  #tokensWith(word: string, visit: (token: Token) => void): void {
    // Tokens that start with it: one run of the sorted tokens.
    for (let i = lowerBound(this.#sorted, word); i < this.#sorted.length; i++) {
      const text = this.#sorted[i]!;
      if (!text.startsWith(word)) break;
      visit(this.#tokens.get(text)!);
    }
    // Tokens that hold it after their first unit, and do not start with it (seen above). Every
    // piece of the word then lies after the first unit too, so the rarest piece's tokens are
    // candidates, checked with indexOf unless the word is that piece.
    let rarest: number[] | undefined;
    for (const piece of piecesOf(word)) {
      const ids = this.#inner.get(piece);
      if (!ids) return;
      if (!rarest || ids.length < rarest.length) rarest = ids;
    }
    const exact = word.length <= PIECE_UNITS;
    for (const id of rarest ?? []) {
      const token = this.#tokenById[id];
      if (!token || token.text.startsWith(word)) continue;
      if (exact || token.text.indexOf(word, 1) !== -1) visit(token);
    }
  }

  #index(account: AccountSummary, text: string): Entry {
    const slot = this.#freeSlots.pop() ?? this.#slotCount++;
    if (slot >= this.#stamp.length) this.#grow(slot + 1);
    const entry: Entry = { account, text, slot, position: 0, tokens: [] };
    for (const word of new Set(text.split(/\s+/).filter(Boolean))) {
      let token = this.#tokens.get(word);
      if (!token) token = this.#addToken(word);
      token.entries.add(entry);
      entry.tokens.push(token);
    }
    this.#entries.set(account.id, entry);
    return entry;
  }

  #unindex(entry: Entry): void {
    for (const token of entry.tokens) {
      token.entries.delete(entry);
      if (token.entries.size === 0) this.#removeToken(token);
    }
    this.#entries.delete(entry.account.id);
    this.#stamp[entry.slot] = 0;
    this.#freeSlots.push(entry.slot);
  }

  #addToken(text: string): Token {
    const token: Token = { id: this.#tokenById.length, text, entries: new Set() };
    this.#tokenById.push(token);
    this.#tokens.set(text, token);
    this.#sorted.splice(lowerBound(this.#sorted, text), 0, text);
    this.#addPieces(token);
    return token;
  }

  /** A token gone is dropped from the map and the sorted run; its pieces wait for a rebuild. */
  #removeToken(token: Token): void {
    this.#tokens.delete(token.text);
    this.#tokenById[token.id] = undefined;
    this.#sorted.splice(lowerBound(this.#sorted, token.text), 1);
    this.#deadTokens += 1;
  }

  #addPieces(token: Token): void {
    const seen = new Set<number>();
    const text = token.text;
    for (let start = 1; start < text.length; start++) {
      for (let units = 1; units <= PIECE_UNITS && start + units <= text.length; units++) {
        const piece = pieceAt(text, start, units);
        if (seen.has(piece)) continue;
        seen.add(piece);
        const ids = this.#inner.get(piece);
        if (ids) ids.push(token.id);
        else this.#inner.set(piece, [token.id]);
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

  #nextPass(): number {
    if (this.#pass === 0xffffffff) {
      this.#stamp.fill(0);
      this.#pass = 0;
    }
    return ++this.#pass;
  }

  #grow(size: number): void {
    const capacity = Math.max(size, this.#stamp.length * 2, 64);
    const stamp = new Uint32Array(capacity);
    stamp.set(this.#stamp);
    const hits = new Uint32Array(capacity);
    hits.set(this.#hits);
    this.#stamp = stamp;
    this.#hits = hits;
  }
}

interface Entry {
  account: AccountSummary;
  readonly text: string;
  readonly slot: number;
  position: number;
  readonly tokens: Token[];
}

interface Token {
  id: number;
  readonly text: string;
  readonly entries: Set<Entry>;
}

/** Pieces of up to three UTF-16 code units, each as one number (3 × 16 bits < 2^53). */
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

/** The first index whose text is not less than `text` (UTF-16 code unit order). */
function lowerBound(sorted: readonly string[], text: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < text) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

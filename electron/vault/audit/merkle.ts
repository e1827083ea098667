import { hash } from 'node:crypto';
import { bytesEqual, sha256 } from '../crypto/hash.ts';

/**
 * RFC 6962 / RFC 9162 Merkle tree over SHA-256: leaf = H(0x00 ‖ data), node = H(0x01 ‖ l ‖ r),
 * the tree of n leaves split at the largest power of two below n.
 */
export type Hash = Uint8Array;

/**
 * Hash inputs are laid out in one reused buffer, prefix first, and hashed with the one-shot
 * `crypto.hash`: a verify of a million entries makes two million of these hashes, and a Hash
 * object with its updates and digest cost three times as much (issue 17). Safe to share: each
 * use fills and hashes it synchronously.
 */
let scratch = Buffer.alloc(4096);

function room(bytes: number): Buffer {
  if (scratch.length < bytes) scratch = Buffer.alloc(Math.max(bytes, scratch.length * 2));
  return scratch;
}

function sha256Of(input: Buffer): Hash {
  const digest = hash('sha256', input, 'buffer');
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
}

// A leaf's data is an entry in clear, details included: wiped from the shared buffer once hashed,
// so that it does not outlive its use there (the session wipes what it holds at lock).
export function leafHash(data: Uint8Array): Hash {
  const input = room(1 + data.length).subarray(0, 1 + data.length);
  input[0] = 0x00;
  input.set(data, 1);
  const hash = sha256Of(input);
  input.fill(0);
  return hash;
}

/** leafHash of the text's UTF-8 bytes, encoded straight into the hash input. */
export function leafHashOfText(text: string): Hash {
  const buffer = room(1 + text.length * 3);
  buffer[0] = 0x00;
  const input = buffer.subarray(0, 1 + buffer.write(text, 1, 'utf8'));
  const hash = sha256Of(input);
  input.fill(0);
  return hash;
}

export function nodeHash(left: Hash, right: Hash): Hash {
  const input = room(1 + left.length + right.length);
  input[0] = 0x01;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return sha256Of(input.subarray(0, 1 + left.length + right.length));
}

export const emptyRoot = (): Hash => sha256();

/** Largest power of two strictly less than n (n > 1). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]) from leaf hashes, computed straight from the definition. */
export function rootOf(leaves: readonly Hash[]): Hash {
  if (leaves.length === 0) return emptyRoot();
  if (leaves.length === 1) return leaves[0]!;
  const k = splitPoint(leaves.length);
  return nodeHash(rootOf(leaves.slice(0, k)), rootOf(leaves.slice(k)));
}

/** A perfect subtree on the tree's right edge: 2^level leaves hashing to `hash`. */
export interface FrontierNode {
  readonly level: number;
  readonly hash: Hash;
}

/**
 * The right edge of the tree: one perfect subtree per set bit of the size, largest first.
 * Appending and taking the root cost O(log n), so a million-entry trail appends as fast as an
 * empty one.
 */
export class Frontier {
  #nodes: FrontierNode[];
  #size: number;

  constructor(nodes: readonly FrontierNode[] = []) {
    this.#nodes = [...nodes].sort((a, b) => b.level - a.level);
    this.#size = this.#nodes.reduce((sum, node) => sum + 2 ** node.level, 0);
  }

  get size(): number {
    return this.#size;
  }

  get nodes(): readonly FrontierNode[] {
    return this.#nodes;
  }

  append(leaf: Hash): void {
    let carry: FrontierNode = { level: 0, hash: leaf };
    for (;;) {
      const last = this.#nodes.at(-1);
      if (!last || last.level !== carry.level) break;
      this.#nodes.pop();
      carry = { level: carry.level + 1, hash: nodeHash(last.hash, carry.hash) };
    }
    this.#nodes.push(carry);
    this.#size += 1;
  }

  root(): Hash {
    const nodes = this.#nodes;
    if (nodes.length === 0) return emptyRoot();
    let accumulator = nodes[nodes.length - 1]!.hash;
    for (let i = nodes.length - 2; i >= 0; i--) accumulator = nodeHash(nodes[i]!.hash, accumulator);
    return accumulator;
  }
}

/** PATH(m, D[n]) of RFC 6962 §2.1.1: the audit path for leaf index m. */
export function inclusionProof(leaves: readonly Hash[], index: number): Hash[] {
  if (index < 0 || index >= leaves.length) throw new RangeError('Leaf index out of range.');
  if (leaves.length === 1) return [];
  const k = splitPoint(leaves.length);
  return index < k
    ? [...inclusionProof(leaves.slice(0, k), index), rootOf(leaves.slice(k))]
    : [...inclusionProof(leaves.slice(k), index - k), rootOf(leaves.slice(0, k))];
}

/** RFC 9162 §2.1.3.2: does `proof` show `leaf` at `index` in the tree of `size` with `root`? */
export function verifyInclusion(
  leaf: Hash,
  index: number,
  size: number,
  proof: readonly Hash[],
  root: Hash,
): boolean {
  if (index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && bytesEqual(r, root);
}

/** PROOF(m, D[n]) of RFC 6962 §2.1.2: shows the first m leaves are a prefix of all n. */
export function consistencyProof(leaves: readonly Hash[], oldSize: number): Hash[] {
  if (oldSize < 1 || oldSize > leaves.length) throw new RangeError('Old size out of range.');
  return subproof(oldSize, leaves, true);
}

function subproof(m: number, leaves: readonly Hash[], complete: boolean): Hash[] {
  const n = leaves.length;
  if (m === n) return complete ? [] : [rootOf(leaves)];
  const k = splitPoint(n);
  return m <= k
    ? [...subproof(m, leaves.slice(0, k), complete), rootOf(leaves.slice(k))]
    : [...subproof(m - k, leaves.slice(k), false), rootOf(leaves.slice(0, k))];
}

/** RFC 9162 §2.1.4.2: does `proof` show the tree (oldSize, oldRoot) is a prefix of (newSize, newRoot)? */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  proof: readonly Hash[],
  oldRoot: Hash,
  newRoot: Hash,
): boolean {
  if (oldSize < 1 || oldSize > newSize) return false;
  if (oldSize === newSize) return proof.length === 0 && bytesEqual(oldRoot, newRoot);
  if (proof.length === 0) return false;
  const path = [...proof];
  if (isPowerOfTwo(oldSize)) path.unshift(oldRoot);
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && bytesEqual(fr, oldRoot) && bytesEqual(sr, newRoot);
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/**
 * A whole tree held as its perfect-subtree levels, so that inclusion and consistency proofs cost
 * O(log^2 n) hashes each instead of rehashing the tree: what an export of a million-entry trail
 * with a proof per entry needs.
 */
export class MerkleTree {
  readonly #levels: Hash[][];

  constructor(leaves: readonly Hash[]) {
    this.#levels = [[...leaves]];
    for (let level = this.#levels[0]!; level.length > 1;) {
      const next: Hash[] = [];
      for (let i = 0; i + 1 < level.length; i += 2) next.push(nodeHash(level[i]!, level[i + 1]!));
      this.#levels.push(next);
      level = next;
    }
  }

  get size(): number {
    return this.#levels[0]!.length;
  }

  leaf(index: number): Hash {
    return this.#levels[0]![index]!;
  }

  /** MTH of the leaves [start, start + size). */
  root(start = 0, size = this.size): Hash {
    if (size === 0) return emptyRoot();
    if (isPowerOfTwo(size) && start % size === 0) {
      const level = Math.log2(size);
      const cached = this.#levels[level]?.[start / size];
      if (cached) return cached;
    }
    if (size === 1) return this.#levels[0]![start]!;
    const k = splitPoint(size);
    return nodeHash(this.root(start, k), this.root(start + k, size - k));
  }

  /** PATH(index, D[size]) for the tree's first `size` leaves. */
  inclusionProof(index: number, size = this.size): Hash[] {
    if (index < 0 || index >= size || size > this.size)
      throw new RangeError('Leaf index out of range.');
    const path: Hash[] = [];
    let start = 0;
    let n = size;
    let m = index;
    while (n > 1) {
      const k = splitPoint(n);
      if (m < k) {
        path.push(this.root(start + k, n - k));
        n = k;
      } else {
        path.push(this.root(start, k));
        start += k;
        m -= k;
        n -= k;
      }
    }
    return path.reverse();
  }

  /** PROOF(oldSize, D[newSize]) for the tree's first `newSize` leaves. */
  consistencyProof(oldSize: number, newSize = this.size): Hash[] {
    if (oldSize < 1 || oldSize > newSize || newSize > this.size)
      throw new RangeError('Size out of range.');
    const proof: Hash[] = [];
    let start = 0;
    let n = newSize;
    let m = oldSize;
    let complete = true;
    while (m !== n) {
      const k = splitPoint(n);
      if (m <= k) {
        proof.push(this.root(start + k, n - k));
        n = k;
      } else {
        proof.push(this.root(start, k));
        start += k;
        m -= k;
        n -= k;
        complete = false;
      }
    }
    if (!complete) proof.push(this.root(start, n));
    return proof.reverse();
  }
}

/**
 * PROOF(oldSize, D[n]) without the first oldSize leaves (ADR 0024). The old tree's side of the
 * proof is always made of perfect subtrees on its right edge, the frontier at oldSize, and every
 * other node lies wholly among the leaves after it. Given that frontier (kept by the workstation)
 * and only the newer leaves, the proof costs O(n − oldSize) hashes instead of O(n). The proof is
 * checked like any other: a wrong frontier or a wrong leaf makes verifyConsistency fail.
 */
export function consistencyProofFromFrontier(
  oldFrontier: readonly FrontierNode[],
  oldSize: number,
  newLeaves: readonly Hash[],
): Hash[] {
  const edge = new Map<string, Hash>();
  let offset = 0;
  for (const node of [...oldFrontier].sort((a, b) => b.level - a.level)) {
    edge.set(`${offset}/${2 ** node.level}`, node.hash);
    offset += 2 ** node.level;
  }
  if (offset !== oldSize || oldSize < 1) throw new RangeError('The frontier is not of that size.');
  const newer = new MerkleTree(newLeaves);
  const rootOfRange = (start: number, size: number): Hash => {
    if (start >= oldSize) return newer.root(start - oldSize, size);
    const node = start + size <= oldSize ? edge.get(`${start}/${size}`) : undefined;
    // By the shape of PROOF this cannot happen; if it did, the proof must fail, not be guessed.
    if (!node) throw new RangeError('A proof node is not on the old tree’s right edge.');
    return node;
  };
  const proof: Hash[] = [];
  let start = 0;
  let n = oldSize + newLeaves.length;
  let m = oldSize;
  let complete = true;
  while (m !== n) {
    const k = splitPoint(n);
    if (m <= k) {
      proof.push(rootOfRange(start + k, n - k));
      n = k;
    } else {
      proof.push(rootOfRange(start, k));
      start += k;
      m -= k;
      n -= k;
      complete = false;
    }
  }
  if (!complete) proof.push(rootOfRange(start, n));
  return proof.reverse();
}

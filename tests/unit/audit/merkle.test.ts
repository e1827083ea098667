import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  consistencyProofFromFrontier,
  Frontier,
  MerkleTree,
  inclusionProof,
  leafHash,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from '../../../electron/vault/audit/merkle.ts';

/**
 * The eight inputs of the Certificate Transparency reference tests (RFC 6962 trees), and the roots
 * those tests publish for each prefix of them.
 */
const INPUTS = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map((hex) => new Uint8Array(Buffer.from(hex, 'hex')));
const PUBLISHED_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** An independent MTH, written in the test from RFC 6962 §2.1 with Node's hash directly. */
function independentRoot(data: Uint8Array[]): Buffer {
  const h = (...parts: Uint8Array[]) => {
    const hash = createHash('sha256');
    parts.forEach((p) => hash.update(p));
    return hash.digest();
  };
  if (data.length === 0) return h();
  if (data.length === 1) return h(Buffer.from([0]), data[0]!);
  let k = 1;
  while (k << 1 < data.length) k <<= 1;
  return h(Buffer.from([1]), independentRoot(data.slice(0, k)), independentRoot(data.slice(k)));
}

describe('RFC 6962 Merkle tree', () => {
  const leaves = INPUTS.map(leafHash);

  it('the empty tree hashes to SHA-256 of nothing', () => {
    expect(hex(rootOf([]))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('matches the published roots for every prefix of the reference inputs', () => {
    for (let n = 1; n <= 8; n++) {
      expect(hex(rootOf(leaves.slice(0, n))), `size ${n}`).toBe(PUBLISHED_ROOTS[n - 1]);
      expect(hex(independentRoot(INPUTS.slice(0, n))), `independent, size ${n}`).toBe(
        PUBLISHED_ROOTS[n - 1],
      );
    }
  });

  it('the frontier gives the same root as the definition at every size up to 300', () => {
    const data = Array.from({ length: 300 }, (_, i) => new Uint8Array(Buffer.from(`entry ${i}`)));
    const frontier = new Frontier();
    data.forEach((d, i) => {
      frontier.append(leafHash(d));
      expect(hex(frontier.root()), `size ${i + 1}`).toBe(
        hex(independentRoot(data.slice(0, i + 1))),
      );
    });
    const reloaded = new Frontier(frontier.nodes);
    expect(reloaded.size).toBe(300);
    expect(hex(reloaded.root())).toBe(hex(frontier.root()));
  });

  it('inclusion proofs match the reference audit paths and verify for every leaf and size', () => {
    // From the CT reference tests: leaf 0 of 8 and leaf 5 of 8.
    expect(inclusionProof(leaves, 0).map(hex)).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(inclusionProof(leaves, 5).map(hex)).toEqual([
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
    for (let size = 1; size <= 8; size++) {
      const root = rootOf(leaves.slice(0, size));
      for (let index = 0; index < size; index++) {
        const proof = inclusionProof(leaves.slice(0, size), index);
        expect(verifyInclusion(leaves[index]!, index, size, proof, root)).toBe(true);
        expect(
          verifyInclusion(leaves[(index + 1) % 8]!, index, size, proof, root) && size > 1,
        ).toBe(false);
        if (proof.length > 0) {
          const bent = proof.map((p, i) => (i === 0 ? leafHash(p) : p));
          expect(verifyInclusion(leaves[index]!, index, size, bent, root)).toBe(false);
        }
      }
    }
  });

  it('consistency proofs match the reference ones and verify between every pair of sizes', () => {
    expect(consistencyProof(leaves, 1).map(hex)).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(consistencyProof(leaves, 6).map(hex)).toEqual([
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
    expect(consistencyProof(leaves.slice(0, 5), 2).map(hex)).toEqual([
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ]);
    for (let n = 1; n <= 8; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(leaves.slice(0, n), m);
        const oldRoot = rootOf(leaves.slice(0, m));
        const newRoot = rootOf(leaves.slice(0, n));
        expect(verifyConsistency(m, n, proof, oldRoot, newRoot), `${m} -> ${n}`).toBe(true);
        if (m < n) {
          // A rewritten history (a different old tree) must not verify.
          const forged = rootOf([leafHash(new Uint8Array([9])), ...leaves.slice(1, m)]);
          expect(verifyConsistency(m, n, proof, forged, newRoot), `forged ${m} -> ${n}`).toBe(
            false,
          );
        }
      }
    }
  });
});

describe('MerkleTree (cached levels)', () => {
  it('gives the same roots and proofs as the definitions, for every size, index and pair of sizes up to 40', () => {
    const leaves = Array.from({ length: 40 }, (_, i) => leafHash(new Uint8Array([i, i * 3])));
    const tree = new MerkleTree(leaves);
    for (let n = 1; n <= 40; n++) {
      const prefix = leaves.slice(0, n);
      expect(hex(tree.root(0, n))).toBe(hex(rootOf(prefix)));
      for (let i = 0; i < n; i++) {
        expect(tree.inclusionProof(i, n).map(hex), `path ${i} of ${n}`).toEqual(
          inclusionProof(prefix, i).map(hex),
        );
      }
      for (let m = 1; m <= n; m++) {
        expect(tree.consistencyProof(m, n).map(hex), `proof ${m} -> ${n}`).toEqual(
          consistencyProof(prefix, m).map(hex),
        );
      }
    }
  });
});

describe('a consistency proof from the old frontier and the newer leaves only (ADR 0024)', () => {
  it('is the RFC 6962 proof, for every old size 1..70 and new size up to 70', () => {
    const leaves = Array.from({ length: 70 }, (_, i) => leafHash(new Uint8Array([i, i >> 8])));
    const tree = new MerkleTree(leaves);
    for (let m = 1; m <= 70; m++) {
      const frontier = new Frontier();
      for (const leaf of leaves.slice(0, m)) frontier.append(leaf);
      for (let n = m; n <= 70; n++) {
        const proof = consistencyProofFromFrontier(frontier.nodes, m, leaves.slice(m, n));
        expect(proof.map(hex)).toEqual(tree.consistencyProof(m, n).map(hex));
        expect(verifyConsistency(m, n, proof, tree.root(0, m), tree.root(0, n))).toBe(true);
      }
    }
  });

  it('a frontier of another size is refused, not used', () => {
    const frontier = new Frontier();
    for (let i = 0; i < 5; i++) frontier.append(leafHash(new Uint8Array([i])));
    expect(() => consistencyProofFromFrontier(frontier.nodes, 6, [])).toThrow(RangeError);
  });
});

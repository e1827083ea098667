import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import {
  consistencyProofFromFrontier,
  Frontier,
  MerkleTree,
  verifyConsistency,
  type Hash,
} from '../../electron/vault/audit/merkle.ts';
import { stats } from './support.ts';

/**
 * `npm run bench -- kept` (ADR 0024): the consistency proof a workstation asks for when another
 * writer has moved the head past its kept checkpoint, at 1,000,000 entries and 1,000 new ones:
 * built from the whole tree (no kept edge), and from the kept right edge and the new leaves only.
 * Synthetic leaf hashes, so the figure is the proof's own; reading the leaves from the file comes
 * on top (1,000 rows for the second, every row for the first).
 */
export async function benchKept(): Promise<void> {
  const total = 1_000_000;
  const kept = total - 1000;
  const leaves: Hash[] = Array.from({ length: total }, () => new Uint8Array(randomBytes(32)));
  const edge = new Frontier();
  for (const leaf of leaves.slice(0, kept)) edge.append(leaf);
  const keptRoot = edge.root();
  const tree = new MerkleTree(leaves);
  const headRoot = tree.root();
  const whole: number[] = [];
  const fromEdge: number[] = [];
  for (let i = 0; i < 5; i++) {
    let start = performance.now();
    const full = new MerkleTree(leaves).consistencyProof(kept, total);
    whole.push(performance.now() - start);
    start = performance.now();
    const short = consistencyProofFromFrontier(edge.nodes, kept, leaves.slice(kept));
    fromEdge.push(performance.now() - start);
    if (!verifyConsistency(kept, total, full, keptRoot, headRoot)) throw new Error('bad proof');
    if (!verifyConsistency(kept, total, short, keptRoot, headRoot)) throw new Error('bad proof');
    await new Promise((resolve) => setImmediate(resolve));
  }
  console.log(
    `kept checkpoint proof, ${kept} -> ${total} entries, on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
  );
  console.log(`  from the whole tree:         ${stats(whole)}`);
  console.log(`  from the kept edge + 1,000:  ${stats(fromEdge)}`);
}

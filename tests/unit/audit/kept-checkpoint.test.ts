import { beforeAll, describe, expect, it } from 'vitest';
import { checkpointBody, type StoredCheckpoint } from '../../../electron/vault/audit/checkpoint.ts';
import {
  compareWithKept,
  keptCheckpointOf,
  keptHeadError,
  type KeptCheckpoint,
} from '../../../electron/vault/audit/kept-checkpoint.ts';
import {
  consistencyProofFromFrontier,
  Frontier,
  leafHash,
  MerkleTree,
  type Hash,
} from '../../../electron/vault/audit/merkle.ts';
import { utf8 } from '../../../electron/vault/crypto/hash.ts';
import {
  newSigningKeyPair,
  sign,
  type SigningKeyPair,
} from '../../../electron/vault/crypto/keys.ts';
import { readySodium } from '../../../electron/vault/crypto/sodium.ts';
import { ErrorCode } from '../../../shared/errors.ts';

/**
 * The comparison a workstation makes between the checkpoint it kept and the head a vault shows
 * (issue 14, ADR 0024): plain trees and signatures, no storage, as the PostgreSQL store will use it.
 */
const VAULT = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
let lena: SigningKeyPair;
let mallory: SigningKeyPair;

beforeAll(async () => {
  await readySodium();
  lena = newSigningKeyPair();
  mallory = newSigningKeyPair();
});

const leavesOf = (prefix: string, count: number): Hash[] =>
  Array.from({ length: count }, (_, i) => leafHash(utf8(`${prefix}-${i}`)));

/** The trail's leaves as a store holds them, and its head signed by `signer`. */
function trail(leaves: Hash[], signer = lena, signerId = 'lena') {
  const tree = new MerkleTree(leaves);
  const root = tree.root();
  const state = new Uint8Array(32).fill(7);
  const head: StoredCheckpoint = {
    size: leaves.length,
    root,
    signerId,
    state,
    signature: sign(signer.secretKey, checkpointBody(VAULT, leaves.length, root, state)),
  };
  return {
    head,
    proofs: { consistencyProof: (from: number, to: number) => tree.consistencyProof(from, to) },
  };
}

const members = () => (id: string) => (id === 'lena' ? lena.publicKey : undefined);

function keep(leaves: Hash[]): KeptCheckpoint {
  const { head } = trail(leaves);
  return keptCheckpointOf(VAULT, head, lena.publicKey, '2026-12-01T10:42:00.000Z');
}

function compare(kept: KeptCheckpoint | undefined, shown: ReturnType<typeof trail>) {
  return compareWithKept({
    vaultId: VAULT,
    kept,
    head: shown.head,
    proofs: shown.proofs,
    signerKey: members(),
  });
}

describe('comparing the kept checkpoint with the vault head (issue 14)', () => {
  const history = leavesOf('entry', 40);

  it('nothing kept: trust on first use, said as such', () => {
    expect(compare(undefined, trail(history)).kind).toBe('first-use');
  });

  it('the same head as kept: same', () => {
    expect(compare(keep(history), trail(history)).kind).toBe('same');
  });

  it('a head that extends the kept one, proved by a consistency proof: advanced', () => {
    const later = [...history, ...leavesOf('later', 13)];
    expect(compare(keep(history), trail(later)).kind).toBe('advanced');
  });

  it('every kept size from 1 to 40 against a head of 41 to 44: advanced (the proof holds for all shapes)', () => {
    const full = [...history, ...leavesOf('later', 4)];
    for (let kept = 1; kept <= 40; kept++) {
      for (let shown = kept + 1; shown <= full.length; shown++) {
        expect(compare(keep(full.slice(0, kept)), trail(full.slice(0, shown))).kind).toBe(
          'advanced',
        );
      }
    }
  });

  it('a head smaller than the kept one: rolled back', () => {
    expect(compare(keep(history), trail(history.slice(0, 31))).kind).toBe('rolled-back');
  });

  it('the same size with another root: forked', () => {
    const other = [...history.slice(0, 39), leafHash(utf8('a different last entry'))];
    expect(compare(keep(history), trail(other)).kind).toBe('forked');
  });

  it('a larger head that does not extend the kept one: forked (two copies extended separately)', () => {
    const copyA = [...history, ...leavesOf('workstation-a', 5)];
    const copyB = [...history, ...leavesOf('workstation-b', 9)];
    expect(compare(keep(copyA), trail(copyB)).kind).toBe('forked');
  });

  it('a store that gives a wrong proof for a real extension: forked, never advanced', () => {
    const later = trail([...history, ...leavesOf('later', 6)]);
    const lying = {
      ...later,
      proofs: { consistencyProof: () => [leafHash(utf8('not a node of the tree'))] },
    };
    expect(compare(keep(history), lying).kind).toBe('forked');
  });

  it('a head not signed by a current member: unsigned, whatever it extends', () => {
    const later = [...history, ...leavesOf('later', 3)];
    expect(compare(keep(history), trail(later, mallory, 'lena')).kind).toBe('unsigned');
    expect(compare(keep(history), trail(later, mallory, 'mallory')).kind).toBe('unsigned');
    expect(compare(undefined, trail(later, mallory, 'mallory')).kind).toBe('unsigned');
  });

  it('a head with no trail at all, when one was kept: rolled back', () => {
    const result = compareWithKept({
      vaultId: VAULT,
      kept: keep(history),
      head: undefined,
      proofs: { consistencyProof: () => [] },
      signerKey: members(),
    });
    expect(result.kind).toBe('rolled-back');
  });
});

describe('with the kept right edge of the tree, only the newer leaves are read (ADR 0024)', () => {
  const history = leavesOf('entry', 40);
  const edgeOf = (leaves: Hash[]) => {
    const frontier = new Frontier();
    for (const leaf of leaves) frontier.append(leaf);
    return frontier.nodes;
  };
  /** A store that has only the leaves after what was kept: asked for anything else, it fails. */
  const newerOnly = (leaves: Hash[]) => ({
    ...trail(leaves),
    proofs: {
      consistencyProof: (
        from: number,
        to: number,
        edge?: readonly { level: number; hash: Hash }[],
      ) => {
        if (!edge) throw new Error('asked for the whole tree');
        return consistencyProofFromFrontier(edge, from, leaves.slice(from, to));
      },
    },
  });
  const keepWithEdge = (leaves: Hash[]) =>
    keptCheckpointOf(
      VAULT,
      trail(leaves).head,
      lena.publicKey,
      '2026-12-01T10:42:00Z',
      edgeOf(leaves),
    );

  it('advanced, from the edge and the newer leaves', () => {
    const later = [...history, ...leavesOf('later', 9)];
    expect(compare(keepWithEdge(history), newerOnly(later)).kind).toBe('advanced');
  });

  it('forked, when the newer leaves come after another history', () => {
    const other = [...leavesOf('rewritten', 40), ...leavesOf('later', 9)];
    expect(compare(keepWithEdge(history), newerOnly(other)).kind).toBe('forked');
  });

  it('an edge that does not give the kept root is not kept at all', () => {
    const kept = keptCheckpointOf(
      VAULT,
      trail(history).head,
      lena.publicKey,
      '2026-12-01T10:42:00Z',
      edgeOf(history.slice(0, 39)),
    );
    expect(kept.frontier).toBeUndefined();
  });
});

describe('the refusal says what was kept, what is shown and what to do', () => {
  const history = leavesOf('entry', 40);
  const names = (id: string) => (id === 'lena' ? 'Lena Lead' : undefined);

  it('a rollback names both checkpoints, when and by whom, and what to do (exit 2 in the CLI)', () => {
    const kept = keep(history);
    const shown = trail(history.slice(0, 31)).head;
    const error = keptHeadError({ kind: 'rolled-back' }, kept, shown, names);
    expect(error.code).toBe(ErrorCode.INTEGRITY);
    const root = Buffer.from(kept.root).toString('hex').slice(0, 12);
    const shownRoot = Buffer.from(shown.root).toString('hex').slice(0, 12);
    expect(error.message).toContain('older');
    expect(error.message).toContain(`40 entries (root ${root}`);
    expect(error.message).toContain('2026-12-01 10:42 UTC');
    expect(error.message).toContain('signed by Lena Lead');
    expect(error.message).toContain(`31 entries (root ${shownRoot}`);
    expect(error.message).toMatch(/newest copy/);
    expect(error.message).toMatch(/Information Security/);
  });

  it('a fork says two histories, and an unnamed signer is shown by id', () => {
    const kept = keptCheckpointOf(
      VAULT,
      trail(history).head,
      lena.publicKey,
      '2026-12-01T10:42:00Z',
    );
    const error = keptHeadError(
      { kind: 'forked' },
      kept,
      trail(leavesOf('x', 40)).head,
      () => undefined,
    );
    expect(error.message).toMatch(/different history/);
    expect(error.message).toContain('signed by member lena');
  });
});

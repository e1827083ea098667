import { beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../../electron/vault/crypto/hash.ts';
import { newBoxKeyPair, newSigningKeyPair } from '../../../electron/vault/crypto/keys.ts';
import { randomId } from '../../../electron/vault/crypto/random.ts';
import { readySodium } from '../../../electron/vault/crypto/sodium.ts';
import {
  applyStatement,
  ChainProblem,
  grantHolders,
  nextStatement,
  validateChain,
  type ChainRow,
  type StatementFields,
  type TrustState,
} from '../../../electron/vault/trust/chain.ts';
import { genesisFor } from '../../../electron/vault/trust/genesis.ts';
import { signedRow } from '../../../electron/vault/trust/upgrade.ts';
import { newMemberKeys, newVaultKey, type MemberKeys } from '../../../electron/vault/keyring.ts';
import type { Role } from '../../../shared/domain/roles.ts';

/**
 * The chain's rules (ADR 0010), on real Ed25519 signatures: who may sign what at each point, from
 * the root key pinned in a slot. The store and the sessions only feed rows in and seal to what
 * comes out, so these rules are the whole of who is a member.
 */
const VAULT = 'v'.repeat(8);
const AT = '2026-12-01T10:00:00.000Z';

interface Actor {
  id: string;
  keys: MemberKeys;
}

function build() {
  const founder: Actor = { id: randomId(), keys: newMemberKeys(newVaultKey()) };
  const genesis = genesisFor(VAULT, AT, founder.id, founder.keys, newBoxKeyPair().publicKey);
  const rows: ChainRow[] = [genesis.row];
  const state: TrustState = genesis.state;
  const append = (by: Actor, fields: StatementFields) => {
    const row = signedRow(by.keys.signing.secretKey, nextStatement(state, by.id, AT, fields));
    applyStatement(state, row);
    rows.push(row);
    return row;
  };
  const add = (by: Actor, role: Role): Actor => {
    const actor = { id: randomId(), keys: newMemberKeys(newVaultKey()) };
    append(by, {
      kind: 'member.added',
      member: actor.id,
      role,
      boxPublicKey: toHex(actor.keys.box.publicKey),
      signPublicKey: toHex(actor.keys.signing.publicKey),
    });
    return actor;
  };
  return { founder, rows, state, append, add };
}

const problem = (check: () => unknown) => {
  try {
    check();
  } catch (error) {
    if (error instanceof ChainProblem) return `${error.where} ${error.problem}`;
    throw error;
  }
  return undefined;
};

describe('the membership chain', () => {
  beforeAll(() => readySodium());

  it('validates from the root to the same members, team key and grants', () => {
    const chain = build();
    const dmt = chain.add(chain.founder, 'dmt');
    const admin = chain.add(chain.founder, 'admin');
    chain.append(dmt, { kind: 'grant.added', account: 'acct-1', member: admin.id });
    const state = validateChain(chain.founder.keys.signing.publicKey, VAULT, chain.rows);
    expect([...state.members.values()].map((m) => m.role)).toEqual(['lead', 'dmt', 'admin']);
    expect(grantHolders(state, 'acct-1').map((m) => m.id)).toEqual([admin.id]);
    expect(state.head.seq).toBe(4);
  });

  it('refuses a chain rooted anywhere but the pinned key', () => {
    const chain = build();
    expect(problem(() => validateChain(newSigningKeyPair().publicKey, VAULT, chain.rows))).toMatch(
      /#1 is not signed by the root key pinned/,
    );
  });

  it('refuses a member added by a dmt, a grant to a non-admin, and one signed by a removed member', () => {
    const chain = build();
    const dmt = chain.add(chain.founder, 'dmt');
    const security = chain.add(chain.founder, 'security');
    expect(problem(() => chain.add(dmt, 'admin'))).toMatch(/adds a member, which a dmt may not/);
    expect(
      problem(() => chain.append(dmt, { kind: 'grant.added', account: 'a', member: security.id })),
    ).toMatch(/not a current admin/);
    chain.append(chain.founder, { kind: 'member.removed', member: dmt.id });
    expect(
      problem(() =>
        chain.append(dmt, {
          kind: 'team-key.rotated',
          teamPublicKey: toHex(newBoxKeyPair().publicKey),
          teamGeneration: 2,
        }),
      ),
    ).toMatch(/not a current member/);
  });

  it('a removal ends the leaver’s grants', () => {
    const chain = build();
    const admin = chain.add(chain.founder, 'admin');
    chain.append(chain.founder, { kind: 'grant.added', account: 'a', member: admin.id });
    chain.append(chain.founder, { kind: 'member.removed', member: admin.id });
    expect(grantHolders(chain.state, 'a')).toEqual([]);
    expect(chain.state.removed.has(admin.id)).toBe(true);
  });

  it('refuses an edited statement, a broken link, and a forged grant when it is used', () => {
    const chain = build();
    const admin = chain.add(chain.founder, 'admin');
    chain.append(chain.founder, { kind: 'grant.added', account: 'a', member: admin.id });
    const root = chain.founder.keys.signing.publicKey;
    const edited = chain.rows.map((row) =>
      row.seq === 2 ? { ...row, statement: row.statement.replace('"admin"', '"lead"') } : row,
    );
    expect(problem(() => validateChain(root, VAULT, edited))).toMatch(/#2 has a signature/);
    expect(problem(() => validateChain(root, VAULT, [chain.rows[0]!, chain.rows[2]!]))).toMatch(
      /out of sequence/,
    );
    const forged = chain.rows.map((row) =>
      row.seq === 3 ? { ...row, signature: new Uint8Array(64) } : row,
    );
    const lazy = validateChain(root, VAULT, forged);
    expect(problem(() => grantHolders(lazy, 'a'))).toMatch(/#3 has a signature/);
    expect(problem(() => validateChain(root, VAULT, forged, { eager: true }))).toMatch(/#3/);
  });

  it('a lead cannot remove themselves; another lead can remove them', () => {
    const chain = build();
    const other = chain.add(chain.founder, 'lead');
    expect(
      problem(() =>
        chain.append(chain.founder, { kind: 'member.removed', member: chain.founder.id }),
      ),
    ).toMatch(/its own signer/);
    chain.append(other, { kind: 'member.removed', member: chain.founder.id });
    expect(chain.state.members.size).toBe(1);
  });

  it('key epochs follow one another, any current member may start one, and only a member rekeys themselves (ADR 0019)', () => {
    const chain = build();
    const security = chain.add(chain.founder, 'security');
    const dmt = chain.add(chain.founder, 'dmt');
    const commitment = toHex(newBoxKeyPair().publicKey);
    expect(chain.state.vaultKey).toBeUndefined();
    chain.append(security, { kind: 'vault-key.rotated', epoch: 1, vaultKeyCommitment: commitment });
    expect(chain.state.vaultKey?.epoch).toBe(1);
    expect(
      problem(() =>
        chain.append(dmt, { kind: 'vault-key.rotated', epoch: 3, vaultKeyCommitment: commitment }),
      ),
    ).toMatch(/skips or repeats a key epoch/);
    const newBox = newBoxKeyPair().publicKey;
    expect(
      problem(() =>
        chain.append(dmt, {
          kind: 'member.rekeyed',
          member: security.id,
          boxPublicKey: toHex(newBox),
        }),
      ),
    ).toMatch(/replaces another member's key/);
    chain.append(dmt, { kind: 'member.rekeyed', member: dmt.id, boxPublicKey: toHex(newBox) });
    const state = validateChain(chain.founder.keys.signing.publicKey, VAULT, chain.rows);
    const held = state.members.get(dmt.id)!;
    expect(toHex(held.boxPublicKey)).toBe(toHex(newBox));
    // The row and certificate still name the key the member was added with.
    expect(toHex(held.certifiedBoxPublicKey)).toBe(toHex(dmt.keys.box.publicKey));
    chain.append(chain.founder, { kind: 'member.removed', member: security.id });
    expect(
      problem(() =>
        chain.append(security, {
          kind: 'vault-key.rotated',
          epoch: 2,
          vaultKeyCommitment: commitment,
        }),
      ),
    ).toMatch(/not a current member/);
  });
});

import { z } from 'zod';
import { holdsTeamKey, ROLES, type Role } from '../../../shared/domain/roles.ts';
import { canonicalJson } from '../canonical-json.ts';
import { bytesEqual, sha256, toHex, utf8 } from '../crypto/hash.ts';
import { verifySignature } from '../crypto/keys.ts';
import { kdfParamsSchema, type KdfParams } from '../crypto/kdf-params.ts';

/**
 * The signed membership and grant chain (ADR 0010). Who is a member, with which role and public
 * keys, which team key is current and which admin holds which account key are decided here and
 * nowhere else: by validating signed statements from a root key pinned in each member's key slot.
 * Pure: no SQL, no clock; the store hands in rows, the callers seal to what comes out.
 */

export const STATEMENT_TYPE = 'custodian.chain-statement/1';
const GENESIS_PREV = '0'.repeat(64);

const hexKey = z.string().regex(/^[0-9a-f]{64}$/, 'a 32-byte key in hex');
const memberId = z.string().regex(/^[0-9a-f]{32}$/, 'a member id');
const common = {
  type: z.literal(STATEMENT_TYPE),
  vault: z.string().min(1),
  seq: z.number().int().min(1),
  prev: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.string().min(1),
  by: memberId,
};
const keysOf = { boxPublicKey: hexKey, signPublicKey: hexKey };
/** Argon2id parameters for new key slots, within the floor and the ceiling (ADR 0030). */
const defaultKdf = z
  .strictObject({
    algorithm: z.literal('argon2id'),
    memoryKiB: z.number(),
    passes: z.number(),
    parallelism: z.number(),
  })
  .pipe(kdfParamsSchema);

const statementSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    ...common,
    kind: z.literal('genesis'),
    member: memberId,
    role: z.literal('lead'),
    ...keysOf,
    teamPublicKey: hexKey,
    teamGeneration: z.number().int().min(1),
    /** Set when a format-4 vault was upgraded: the root is the lead who signed the upgrade. */
    upgradedFromFormat: z.number().int().optional(),
    /** The first key epoch's K_vault commitment (ADR 0019); absent in a chain from before it. */
    vaultKeyCommitment: hexKey.optional(),
    /** The vault's default key derivation for new slots, signed by the founder (ADR 0030). */
    defaultKdf: defaultKdf.optional(),
  }),
  z.strictObject({
    ...common,
    kind: z.literal('member.added'),
    member: memberId,
    role: z.enum(ROLES),
    ...keysOf,
  }),
  z.strictObject({ ...common, kind: z.literal('member.removed'), member: memberId }),
  z.strictObject({
    ...common,
    kind: z.literal('team-key.rotated'),
    teamPublicKey: hexKey,
    teamGeneration: z.number().int().min(2),
  }),
  z.strictObject({
    ...common,
    kind: z.literal('vault-key.rotated'),
    epoch: z.number().int().min(1),
    vaultKeyCommitment: hexKey,
  }),
  z.strictObject({
    ...common,
    kind: z.literal('member.rekeyed'),
    member: memberId,
    boxPublicKey: hexKey,
  }),
  z.strictObject({
    ...common,
    kind: z.literal('kdf-default.set'),
    defaultKdf,
  }),
  z.strictObject({
    ...common,
    kind: z.literal('grant.added'),
    account: z.string().min(1),
    member: memberId,
  }),
  z.strictObject({
    ...common,
    kind: z.literal('grant.ended'),
    account: z.string().min(1),
    member: memberId,
  }),
]);

export type Statement = z.infer<typeof statementSchema>;
export type StatementKind = Statement['kind'];
type CommonFields = 'type' | 'vault' | 'seq' | 'prev' | 'at' | 'by';
/** What a writer supplies; the chain fills in type, vault, seq, prev, at and by. */
export type StatementFields = Statement extends infer S
  ? S extends Statement
    ? Omit<S, CommonFields>
    : never
  : never;

/** A stored statement: its canonical JSON text and the signer's Ed25519 signature over it. */
export interface ChainRow {
  readonly seq: number;
  readonly statement: string;
  readonly signature: Uint8Array;
}

export interface ChainHead {
  readonly seq: number;
  readonly hash: Uint8Array;
}

export interface ChainMember {
  readonly id: string;
  readonly role: Role;
  /** The member's current X25519 key: what keys are sealed to (a passphrase change replaces it). */
  readonly boxPublicKey: Uint8Array;
  /** The X25519 key their certificate and members row name (the one they were added with). */
  readonly certifiedBoxPublicKey: Uint8Array;
  readonly signPublicKey: Uint8Array;
  readonly addedSeq: number;
  readonly addedBy: string;
  readonly addedAt: string;
}

/** A grant whose signature is checked only when the account's key is next sealed (unlock stays fast). */
interface GrantRecord {
  readonly member: string;
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
  readonly signerKey: Uint8Array;
  readonly seq: number;
  verified: boolean;
}

/** What the chain says, as of its head. */
export interface TrustState {
  readonly vault: string;
  readonly root: Uint8Array;
  readonly members: Map<string, ChainMember>;
  readonly removed: Map<string, ChainMember & { readonly removedSeq: number }>;
  team: { publicKey: Uint8Array; generation: number };
  /** The current key epoch and the commitment its K_vault must match (ADR 0019). */
  vaultKey: { epoch: number; commitment: Uint8Array } | undefined;
  /**
   * The default key derivation for new slots as a lead last signed it (ADR 0030); undefined in a
   * chain from before it, until a lead's unlock signs one.
   */
  defaultKdf: KdfParams | undefined;
  head: ChainHead;
  readonly grants: Map<string, Map<string, GrantRecord>>;
}

/** A statement that fails validation: where (its number) and what is wrong, for the error. */
export class ChainProblem extends Error {
  constructor(
    readonly where: string,
    readonly problem: string,
  ) {
    super(`${where} ${problem}`);
  }
}

export const statementHash = (text: string): Uint8Array => sha256(utf8(text));
const fromHex = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'));
const where = (seq: number) => `membership_chain statement #${seq}`;

/** The canonical text of a statement: what is signed, hashed and stored. */
export function statementText(statement: Statement): string {
  return canonicalJson(statement);
}

/** The statement that would follow the head: for a writer to sign, then apply and store. */
export function nextStatement(
  state: Pick<TrustState, 'vault' | 'head'> | { vault: string; head: undefined },
  by: string,
  at: string,
  fields: StatementFields,
): Statement {
  return {
    type: STATEMENT_TYPE,
    vault: state.vault,
    seq: (state.head?.seq ?? 0) + 1,
    prev: state.head ? toHex(state.head.hash) : GENESIS_PREV,
    at,
    by,
    ...fields,
  };
}

function parse(row: ChainRow): Statement {
  let parsed;
  try {
    parsed = statementSchema.safeParse(JSON.parse(row.statement));
  } catch {
    throw new ChainProblem(where(row.seq), 'is not readable');
  }
  if (!parsed.success) throw new ChainProblem(where(row.seq), 'is not a valid statement');
  // One text per statement: a re-encoded (but equal) statement would hash differently.
  if (statementText(parsed.data) !== row.statement || parsed.data.seq !== row.seq) {
    throw new ChainProblem(where(row.seq), 'is not in its canonical form');
  }
  return parsed.data;
}

function memberFrom(
  statement: Extract<Statement, { member: string; signPublicKey: string }>,
): ChainMember {
  return {
    id: statement.member,
    role: statement.role,
    boxPublicKey: fromHex(statement.boxPublicKey),
    certifiedBoxPublicKey: fromHex(statement.boxPublicKey),
    signPublicKey: fromHex(statement.signPublicKey),
    addedSeq: statement.seq,
    addedBy: statement.by,
    addedAt: statement.at,
  };
}

/**
 * Start from the genesis statement, whose signer must be the pinned root key. Returns the state
 * after it; `applyStatement` takes it on from there.
 */
export function genesisState(root: Uint8Array, vault: string, row: ChainRow): TrustState {
  const statement = parse(row);
  const at = where(row.seq);
  if (statement.kind !== 'genesis' || statement.seq !== 1 || statement.prev !== GENESIS_PREV) {
    throw new ChainProblem(at, 'is not the genesis statement');
  }
  if (statement.vault !== vault) throw new ChainProblem(at, 'is for another vault');
  if (statement.by !== statement.member) throw new ChainProblem(at, 'is not self-signed');
  const founder = memberFrom(statement);
  if (!bytesEqual(founder.signPublicKey, root)) {
    throw new ChainProblem(at, 'is not signed by the root key pinned in your key slot');
  }
  if (!verifySignature(root, utf8(row.statement), row.signature)) {
    throw new ChainProblem(at, 'has a signature that does not verify');
  }
  return {
    vault,
    root,
    members: new Map([[founder.id, founder]]),
    removed: new Map(),
    team: { publicKey: fromHex(statement.teamPublicKey), generation: statement.teamGeneration },
    vaultKey: statement.vaultKeyCommitment
      ? { epoch: 1, commitment: fromHex(statement.vaultKeyCommitment) }
      : undefined,
    defaultKdf: statement.defaultKdf,
    head: { seq: 1, hash: statementHash(row.statement) },
    grants: new Map(),
  };
}

/**
 * Apply the next statement: its link to the head, its signer's entitlement at this point in the
 * chain, and (except for grants, checked lazily by `grantHolders`) its signature. Mutates `state`.
 */
export function applyStatement(state: TrustState, row: ChainRow): void {
  const statement = parse(row);
  const at = where(row.seq);
  if (statement.seq !== state.head.seq + 1) throw new ChainProblem(at, 'is out of sequence');
  if (statement.vault !== state.vault) throw new ChainProblem(at, 'is for another vault');
  if (statement.prev !== toHex(state.head.hash)) {
    throw new ChainProblem(at, 'does not follow the statement before it');
  }
  const signer = state.members.get(statement.by);
  if (!signer) throw new ChainProblem(at, 'is signed by someone who is not a current member');
  const message = utf8(row.statement);
  const deferSignature = statement.kind === 'grant.added';
  if (!deferSignature && !verifySignature(signer.signPublicKey, message, row.signature)) {
    throw new ChainProblem(at, 'has a signature that does not verify');
  }
  const entitled = (allowed: (role: Role) => boolean, what: string) => {
    if (!allowed(signer.role))
      throw new ChainProblem(at, `${what}, which a ${signer.role} may not`);
  };
  switch (statement.kind) {
    case 'genesis':
      throw new ChainProblem(at, 'is a second genesis statement');
    case 'member.added': {
      entitled((role) => role === 'lead', 'adds a member');
      if (state.members.has(statement.member) || state.removed.has(statement.member)) {
        throw new ChainProblem(at, 'adds a member id that is already in the chain');
      }
      state.members.set(statement.member, memberFrom(statement));
      break;
    }
    case 'member.removed': {
      entitled((role) => role === 'lead', 'removes a member');
      const member = state.members.get(statement.member);
      if (!member) throw new ChainProblem(at, 'removes someone who is not a current member');
      if (statement.member === statement.by) throw new ChainProblem(at, 'removes its own signer');
      if (![...state.members.values()].some((m) => m.role === 'lead' && m.id !== member.id)) {
        throw new ChainProblem(at, 'removes the last lead');
      }
      state.members.delete(member.id);
      state.removed.set(member.id, { ...member, removedSeq: statement.seq });
      // A leaver's grants end with them.
      for (const holders of state.grants.values()) holders.delete(member.id);
      break;
    }
    case 'team-key.rotated': {
      entitled(holdsTeamKey, 'rotates the team key');
      if (statement.teamGeneration !== state.team.generation + 1) {
        throw new ChainProblem(at, 'skips or repeats a team-key generation');
      }
      state.team = {
        publicKey: fromHex(statement.teamPublicKey),
        generation: statement.teamGeneration,
      };
      break;
    }
    case 'vault-key.rotated': {
      // Any current member: a passphrase change starts an epoch. A member who withholds the new
      // key from someone only locks them out, which deleting their grant row already could.
      if (statement.epoch !== (state.vaultKey?.epoch ?? 0) + 1) {
        throw new ChainProblem(at, 'skips or repeats a key epoch');
      }
      state.vaultKey = {
        epoch: statement.epoch,
        commitment: fromHex(statement.vaultKeyCommitment),
      };
      break;
    }
    case 'kdf-default.set': {
      // Only a lead: the header's copy is under a MAC every member can make (issue 13, attack 10).
      entitled((role) => role === 'lead', "sets the vault's default key derivation");
      state.defaultKdf = statement.defaultKdf;
      break;
    }
    case 'member.rekeyed': {
      // Only the member, signing with the key the chain holds for them: a new X25519 key at a
      // passphrase change, so the old passphrase's key opens nothing sealed from now on.
      if (statement.member !== statement.by) {
        throw new ChainProblem(at, "replaces another member's key");
      }
      state.members.set(signer.id, { ...signer, boxPublicKey: fromHex(statement.boxPublicKey) });
      break;
    }
    case 'grant.added': {
      entitled(holdsTeamKey, 'grants an account key');
      if (state.members.get(statement.member)?.role !== 'admin') {
        throw new ChainProblem(at, 'grants an account key to someone who is not a current admin');
      }
      let holders = state.grants.get(statement.account);
      if (!holders) state.grants.set(statement.account, (holders = new Map<string, GrantRecord>()));
      if (holders.has(statement.member)) throw new ChainProblem(at, 'repeats a grant');
      holders.set(statement.member, {
        member: statement.member,
        message,
        signature: row.signature,
        signerKey: signer.signPublicKey,
        seq: statement.seq,
        verified: false,
      });
      break;
    }
    case 'grant.ended': {
      entitled(holdsTeamKey, 'ends an account-key grant');
      if (!state.grants.get(statement.account)?.delete(statement.member)) {
        throw new ChainProblem(at, 'ends a grant that does not exist');
      }
      break;
    }
  }
  state.head = { seq: statement.seq, hash: statementHash(row.statement) };
}

/**
 * Validate a whole chain from the pinned root. `eager` also checks every grant's signature now
 * (verify does; unlock leaves them to `grantHolders`).
 */
export function validateChain(
  root: Uint8Array,
  vault: string,
  rows: readonly ChainRow[],
  options: { eager?: boolean } = {},
): TrustState {
  const [first, ...rest] = rows;
  if (!first) throw new ChainProblem('membership_chain', 'is empty');
  const state = genesisState(root, vault, first);
  for (const row of rest) applyStatement(state, row);
  if (options.eager) for (const account of state.grants.keys()) grantHolders(state, account);
  return state;
}

/** The current admins who hold a signed grant for the account (each grant's signature checked once). */
export function grantHolders(state: TrustState, account: string): ChainMember[] {
  const holders: ChainMember[] = [];
  for (const grant of state.grants.get(account)?.values() ?? []) {
    if (!grant.verified) {
      if (!verifySignature(grant.signerKey, grant.message, grant.signature)) {
        throw new ChainProblem(where(grant.seq), 'has a signature that does not verify');
      }
      grant.verified = true;
    }
    const member = state.members.get(grant.member);
    if (member?.role === 'admin') holders.push(member);
  }
  return holders;
}

/**
 * An Ed25519 key's fingerprint as people compare it (the founder's, printed at `init`): SHA-256 of
 * the key under a label, the first 128 bits in hex, in groups of four.
 */
export function keyFingerprint(key: Uint8Array): string {
  return (
    toHex(sha256(utf8('custodian/key-fingerprint/v1\n'), key))
      .slice(0, 32)
      .match(/.{4}/g) ?? []
  ).join(' ');
}

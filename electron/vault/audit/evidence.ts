import { toHex } from '../crypto/hash.ts';
import { memberLineOf } from './export-jsonl.ts';
import { invalidInput, VaultError } from '../errors.ts';
import { ErrorCode } from '../../../shared/errors.ts';
import type { VaultSession } from '../session.ts';
import { auditStore } from '../store/audit-store.ts';
import { readHeader } from '../store/header-store.ts';
import { memberStore } from '../store/member-store.ts';
import { EVIDENCE_FORMAT, type Evidence, type MemberLine } from './bundle.ts';
import { formatCheckpoint, originOf } from './checkpoint.ts';
import { auditKindSchema } from './entry.ts';
import { openAuditDetails } from '../store/audit-entry-codec.ts';
import { MerkleTree } from './merkle.ts';

function latestCheckpoint(session: VaultSession) {
  const latest = auditStore.latestCheckpoint(session.db);
  if (!latest) throw new VaultError(ErrorCode.INTEGRITY, 'The audit trail has no checkpoint.');
  const signer = memberStore.byId(session.db, latest.signer_id);
  if (!signer)
    throw new VaultError(
      ErrorCode.INTEGRITY,
      'The latest checkpoint is signed by an unknown member.',
    );
  return { latest, signer };
}

/**
 * The current checkpoint as a C2SP signed note: what security staff keep (on paper, by e-mail)
 * and give back to `audit verify-export --since` next time, to catch a rewrite or a rollback.
 */
export function currentCheckpointText(session: VaultSession): string {
  const { latest, signer } = latestCheckpoint(session);
  return formatCheckpoint(
    session.vaultId,
    {
      size: latest.size,
      root: latest.root,
      signerId: latest.signer_id,
      signature: latest.signature,
      state: latest.state ?? null,
    },
    signer.sign_public_key,
  );
}

/** One entry with its inclusion proof against the latest checkpoint: checkable on its own. */
export function singleEventEvidence(session: VaultSession, seq: number): Evidence {
  session.write(({ audit }) =>
    audit({ kind: 'audit.exported', details: { format: 'evidence', seq: String(seq) } }),
  );
  const { latest, signer } = latestCheckpoint(session);
  if (!Number.isInteger(seq) || seq < 1 || seq > latest.size) {
    throw invalidInput(`There is no audit entry #${seq}; the trail has ${latest.size}.`);
  }
  const row = auditStore.entry(session.db, seq);
  if (!row) throw new VaultError(ErrorCode.INTEGRITY, `Audit entry #${seq} is missing.`);
  const tree = new MerkleTree(auditStore.leaves(session.db, latest.size));
  const details = openAuditDetails(session.keys.vault, row);
  const founder = readHeader(session.db)?.founder_id;
  // The signer's certificate chain back to the founder: all any verifier needs.
  const chain: MemberLine[] = [];
  const seen = new Set<string>();
  for (let current = signer; !seen.has(current.id);) {
    seen.add(current.id);
    const line = memberLineOf(session.keys.vault, current, founder);
    chain.push(line);
    const next = memberStore.byId(session.db, line.certifiedBy);
    if (!next) break;
    current = next;
  }
  return {
    format: EVIDENCE_FORMAT,
    vault: session.vaultId,
    origin: originOf(session.vaultId),
    entry: {
      type: 'entry',
      seq,
      at: row.at,
      kind: auditKindSchema.parse(row.kind),
      actor: row.actor_id,
      account: row.account_id,
      details,
      leaf: toHex(row.leaf_hash),
      proof: tree.inclusionProof(seq - 1, latest.size).map(toHex),
    },
    checkpoint: {
      type: 'checkpoint',
      size: latest.size,
      root: toHex(latest.root),
      signer: latest.signer_id,
      signature: toHex(latest.signature),
      ...(latest.state ? { state: toHex(latest.state) } : {}),
      text: currentCheckpointText(session),
    },
    members: chain,
  };
}

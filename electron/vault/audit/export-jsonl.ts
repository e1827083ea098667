import { toHex } from '../crypto/hash.ts';
import { sign } from '../crypto/keys.ts';
import { openMember } from '../domain/member-records.ts';
import type { SecretBytes } from '../crypto/secret-bytes.ts';
import { invalidInput } from '../errors.ts';
import type { ProgressReporter } from '../progress.ts';
import type { VaultSession } from '../session.ts';
import { auditStore } from '../store/audit-store.ts';
import { readHeader } from '../store/header-store.ts';
import { memberStore, type MemberRow } from '../store/member-store.ts';
import type { CheckpointLine, HeaderLine, MemberLine } from './bundle.ts';
import type { ParsedCheckpoint } from './checkpoint.ts';
import { entryPages, type ResolvedFilters } from './entry-pages.ts';
import type { OutputFile } from './export-file.ts';
import { MerkleTree } from './merkle.ts';
import { SealDigest, sealMessage } from './seal.ts';

/**
 * The JSON Lines bundle (bundle.ts): header, members, checkpoints, entries, an optional
 * consistency proof and the seal, which `audit verify-export` checks offline.
 */
function memberLines(session: VaultSession): MemberLine[] {
  const founder = readHeader(session.db)?.founder_id;
  return memberStore.all(session.db).map((row) => memberLineOf(session.keys.vault, row, founder));
}

/** A member as an export carries them: opened, with the certificate an offline verifier checks. */
export function memberLineOf(
  vaultKey: SecretBytes,
  row: MemberRow,
  founderId: string | undefined,
): MemberLine {
  const profile = openMember(vaultKey, row);
  return {
    type: 'member',
    id: row.id,
    name: profile.name,
    role: profile.role,
    boxPublicKey: toHex(row.box_public_key),
    signPublicKey: toHex(row.sign_public_key),
    certifiedBy: profile.certifiedBy,
    certifiedAt: profile.certifiedAt,
    certificate: profile.certificate,
    founder: row.id === founderId,
    removedAt: row.removed_at,
  };
}

export async function writeJsonl(
  session: VaultSession,
  file: OutputFile,
  header: HeaderLine,
  filters: ResolvedFilters,
  options: {
    filtered: boolean;
    since: ParsedCheckpoint | undefined;
    latest: {
      size: number;
      root: Uint8Array;
      signer_id: string;
      signature: Uint8Array;
      state?: Uint8Array | null;
    };
    progress: ProgressReporter;
  },
): Promise<number> {
  const line = (value: unknown) => file.write(`${JSON.stringify(value)}\n`);
  line(header);
  for (const member of memberLines(session)) line(member);
  // Each written as it is read: a trail in use has a checkpoint every few entries.
  const checkpoints = options.filtered
    ? [options.latest].filter((c) => c.size <= header.treeSize)
    : auditStore.iterateCheckpoints(session.db, header.treeSize);
  for (const c of checkpoints) {
    const checkpoint: CheckpointLine = {
      type: 'checkpoint',
      size: c.size,
      root: toHex(c.root),
      signer: c.signer_id,
      signature: toHex(c.signature),
      ...(c.state ? { state: toHex(c.state) } : {}),
    };
    line(checkpoint);
  }
  // A filtered trail proves each entry against the latest checkpoint; that needs the whole tree.
  const needsTree = options.filtered || options.since !== undefined;
  const tree = needsTree ? new MerkleTree(allLeaves(session, header.treeSize)) : undefined;
  const seal = new SealDigest(header);
  let count = 0;
  // A filtered entry carries its inclusion proof against the latest checkpoint.
  const proof =
    options.filtered && tree
      ? (seq: number) => tree.inclusionProof(seq - 1, header.treeSize).map(toHex)
      : undefined;
  const pages = entryPages(session.path, session.keys.vault, header.treeSize, filters, {
    ...(proof ? { proof } : {}),
    db: session.db,
  });
  for await (const page of pages) {
    if (page.text.length > 0) file.writeBytes(page.text);
    seal.add(page.leaves, page.seqs.length);
    count += page.seqs.length;
    await options.progress(Math.min(header.treeSize, page.upTo), header.treeSize);
  }
  if (options.since && tree) {
    if (options.since.size > header.treeSize) {
      throw invalidInput(
        `The --since checkpoint (size ${options.since.size}) is newer than this trail (${header.treeSize}).`,
      );
    }
    line({
      type: 'consistency',
      fromSize: options.since.size,
      toSize: header.treeSize,
      proof: tree.consistencyProof(options.since.size, header.treeSize).map(toHex),
    });
  }
  const digest = seal.digest();
  line({
    type: 'seal',
    entries: count,
    digest: toHex(digest),
    signer: session.member.id,
    signature: toHex(sign(session.keys.signing.secretKey, sealMessage(digest, count))),
  });
  return count;
}

function allLeaves(session: VaultSession, size: number): Uint8Array[] {
  return auditStore.leaves(session.db, size);
}

import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { bytesEqual, toHex } from '../crypto/hash.ts';
import { verifySignature } from '../crypto/keys.ts';
import { readySodium } from '../crypto/sodium.ts';
import { certificateValid } from '../member-certificate.ts';
import {
  bundleLine,
  evidenceSchema,
  quickEntryLine,
  EVIDENCE_FORMAT,
  type BundleLine,
  type CheckpointLine,
  type EntryLine,
  type HeaderLine,
  type MemberLine,
} from './bundle.ts';
import {
  checkpointBody,
  keyHash,
  keyNameOf,
  originOf,
  parseCheckpoint,
  type ParsedCheckpoint,
} from './checkpoint.ts';
import { entryLeafHashIfWellFormed } from './entry.ts';
import { BLANK, checkedBlocks, ENTRY, LineTooLongError } from './bundle-blocks.ts';
import { SignatureChecks } from '../crypto/signature-checks.ts';
import { keyFingerprint } from '../trust/chain.ts';
import { CheckpointSigners } from './checkpoint-signers.ts';
import { findIllFormedText } from '../../../shared/domain/text.ts';
import { SealDigest, sealMessage } from './seal.ts';
import { Frontier, verifyConsistency, verifyInclusion } from './merkle.ts';

export type ExportVerdict =
  | {
      readonly ok: true;
      readonly kind: 'bundle' | 'evidence';
      readonly entries: number;
      readonly treeSize: number;
      readonly root: string;
      readonly since: number | null;
      /** The founder key's fingerprint the bundle's certificates chain to (issue 13, attack 7). */
      readonly founderFingerprint: string;
      /** What ties the bundle to the real vault: a kept checkpoint, the founder's fingerprint, or nothing. */
      readonly anchoredBy: 'checkpoint' | 'founder' | null;
    }
  | { readonly ok: false; readonly where: string; readonly problem: string };

class Failure extends Error {
  constructor(
    readonly where: string,
    readonly problem: string,
  ) {
    super(`${where}: ${problem}`);
  }
}

/** Where a bundle's lines are checked (bundle-blocks.ts); tests make a small bundle use workers. */
export interface LineWorkers {
  readonly inlineUpToBytes?: number;
  readonly workers?: number;
  readonly blockBytes?: number;
  readonly maxLineBytes?: number;
}

const fromHex = (hex: string) => new Uint8Array(Buffer.from(hex, 'hex'));

/**
 * Check an exported trail with no vault and no passphrase (issue 5): every leaf hash, every
 * inclusion proof, each checkpoint's root and signature, each signer's certificate chain back to
 * the founding lead, the exporter's seal over exactly the entries present, and, given the
 * checkpoint security staff kept last time, that this trail extends it (no rewrite, no rollback).
 */
export async function verifyExport(
  path: string,
  options: { since?: string; founder?: string; lineWorkers?: LineWorkers } = {},
): Promise<ExportVerdict> {
  await readySodium();
  try {
    const since = options.since === undefined ? undefined : parseKept(options.since);
    const first = firstBytes(path, 200);
    const verdict =
      first.includes(`"format":"${EVIDENCE_FORMAT}"`) ||
      first.includes(`"format": "${EVIDENCE_FORMAT}"`)
        ? await withSignatureChecks((signatures) => verifyEvidence(path, since, signatures))
        : await withSignatureChecks((signatures) =>
            verifyBundle(path, since, signatures, options.lineWorkers ?? {}),
          );
    return anchored(verdict, since !== undefined, options.founder);
  } catch (error) {
    if (error instanceof Failure) return { ok: false, where: error.where, problem: error.problem };
    if (error instanceof LineTooLongError)
      return { ok: false, where: `line ${error.lineNumber}`, problem: error.message };
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { ok: false, where: path, problem: 'does not exist' };
    throw error;
  }
}

/**
 * Anything can be internally consistent: fresh keys sign a fabricated trail as well as real ones
 * sign the real trail. Only a kept checkpoint (checked above) or the founder's fingerprint, known
 * from outside the bundle (`custodian init` prints it), ties it to the real vault.
 */
function anchored(verdict: ExportVerdict, byCheckpoint: boolean, founder?: string): ExportVerdict {
  if (!verdict.ok) return verdict;
  if (founder !== undefined) {
    const given = normaliseFingerprint(founder);
    if (given !== normaliseFingerprint(verdict.founderFingerprint)) {
      throw new Failure(
        'the bundle',
        `chains to the founder fingerprint ${verdict.founderFingerprint}, not the one given: it is not from that vault`,
      );
    }
  }
  return {
    ...verdict,
    anchoredBy: byCheckpoint ? 'checkpoint' : founder !== undefined ? 'founder' : null,
  };
}

const normaliseFingerprint = (text: string) => text.replace(/[\s:]/g, '').toLowerCase();

function founderFingerprintOf(members: ReadonlyMap<string, MemberLine>): string {
  const founder = [...members.values()].find((member) => member.founder)!;
  return keyFingerprint(fromHex(founder.signPublicKey));
}

/** The start of a file, to tell an evidence file from a bundle without reading it all. */
function firstBytes(path: string, length: number): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const read = readSync(fd, buffer, 0, length, 0);
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function parseKept(text: string): ParsedCheckpoint {
  try {
    return parseCheckpoint(text);
  } catch (error) {
    throw new Failure('the kept checkpoint', `is not readable: ${(error as Error).message}`);
  }
}

/** Members whose certificates verify, chained through leads to the one self-signed founder. */
function certifiedMembers(vault: string, members: readonly MemberLine[]): Map<string, MemberLine> {
  const byId = new Map(members.map((m) => [m.id, m]));
  const founders = members.filter((m) => m.founder);
  if (founders.length !== 1 || founders[0]!.certifiedBy !== founders[0]!.id) {
    throw new Failure('members', 'do not name exactly one self-signed founding lead');
  }
  for (const member of members) {
    const certifier = byId.get(member.certifiedBy);
    if (!certifier || certifier.role !== 'lead')
      throw new Failure(`member ${member.name}`, 'was not certified by a lead in this trail');
    const valid = certificateValid(
      fromHex(certifier.signPublicKey),
      {
        vault,
        member: member.id,
        role: member.role,
        boxPublicKey: fromHex(member.boxPublicKey),
        signPublicKey: fromHex(member.signPublicKey),
        certifiedBy: member.certifiedBy,
        certifiedAt: member.certifiedAt,
      },
      fromHex(member.certificate),
    );
    if (!valid)
      throw new Failure(
        `member ${member.name}`,
        'has a public key or certificate that does not verify (a swapped key?)',
      );
  }
  // Every chain ends at the founder: certifiers are leads, and leads are certified in turn.
  for (const member of members) {
    const seen = new Set<string>();
    let current = member;
    while (current.id !== founders[0]!.id) {
      if (seen.has(current.id))
        throw new Failure(`member ${member.name}`, 'has a certificate chain that loops');
      seen.add(current.id);
      current = byId.get(current.certifiedBy)!;
    }
  }
  return byId;
}

/**
 * The checkpoint's root here; its signature is queued on `signatures`, which reports the
 * checkpoint's size if it fails (badSignature says so).
 */
function checkCheckpoint(
  vault: string,
  members: ReadonlyMap<string, MemberLine>,
  checkpoint: CheckpointLine,
  root: Uint8Array,
  signatures: SignatureChecks<number>,
): void {
  const where = `checkpoint at size ${checkpoint.size}`;
  if (toHex(root) !== checkpoint.root)
    throw new Failure(where, 'does not match the entries it covers');
  const signer = members.get(checkpoint.signer);
  if (!signer) throw new Failure(where, 'is signed by someone who is not a certified member');
  const state = checkpoint.state === undefined ? null : fromHex(checkpoint.state);
  const body = checkpointBody(vault, checkpoint.size, root, state);
  signatures.add(
    fromHex(signer.signPublicKey),
    body,
    fromHex(checkpoint.signature),
    checkpoint.size,
  );
}

const badSignature = (size: number) =>
  new Failure(`checkpoint at size ${size}`, 'has a signature that does not verify');

/**
 * Run a verifier's checks with checkpoint signatures on worker threads, and still name the first
 * problem: a problem found here is reported only once every signature queued before it is known
 * good, since a bad one among them came first in the bundle.
 */
async function withSignatureChecks<T>(
  check: (signatures: SignatureChecks<number>) => T | Promise<T>,
): Promise<T> {
  const signatures = new SignatureChecks<number>();
  try {
    let result: T;
    try {
      result = await check(signatures);
    } catch (error) {
      if (!(error instanceof Failure)) throw error;
      const earlier = await signatures.firstFailure();
      throw earlier === undefined ? error : badSignature(earlier);
    }
    const bad = await signatures.firstFailure();
    if (bad !== undefined) throw badSignature(bad);
    return result;
  } finally {
    await signatures.close();
  }
}

/** The kept checkpoint must be signed by a member of this trail, for this vault. */
function checkKept(
  vault: string,
  members: ReadonlyMap<string, MemberLine>,
  kept: ParsedCheckpoint,
): void {
  if (kept.origin !== originOf(vault))
    throw new Failure('the kept checkpoint', 'is for another vault');
  const valid = kept.signatures.some((sig) => {
    const member = [...members.values()].find((m) => keyNameOf(m.id) === sig.keyName);
    if (!member) return false;
    const key = fromHex(member.signPublicKey);
    return (
      bytesEqual(keyHash(sig.keyName, key), sig.keyHash) &&
      verifySignature(key, kept.body, sig.signature)
    );
  });
  if (!valid)
    throw new Failure(
      'the kept checkpoint',
      'is not signed by any member key in this trail (keys replaced, or a forged trail)',
    );
}

async function verifyBundle(
  path: string,
  kept: ParsedCheckpoint | undefined,
  signatures: SignatureChecks<number>,
  lineWorkers: LineWorkers,
): Promise<ExportVerdict> {
  let lineNo = 0;
  let header: HeaderLine | undefined;
  const members: MemberLine[] = [];
  let certified: Map<string, MemberLine> | undefined;
  const checkpoints: CheckpointLine[] = [];
  let latest: CheckpointLine | undefined;
  const frontier = new Frontier();
  let nextCheckpoint = 0;
  let lastSeq = 0;
  let entries = 0;
  let seal: SealDigest | undefined;
  let keptRootChecked = false;
  let consistencyChecked = false;
  let sealed = false;
  // Who signed what (issue 13, attack 6): names from the bundle's certified member lines.
  const witness = new CheckpointSigners(
    (id) => members.find((member) => member.id === id)?.name ?? `member ${id}`,
  );

  let current = 'header';

  for await (const block of checkedBlocks(path, lineWorkers)) {
    let nextRaw = 0;
    let nextEntry = 0;
    for (let index = 0; index < block.count; index++) {
      lineNo += 1;
      const kind = block.classes[index];
      if (kind === BLANK) continue;
      const where = `line ${lineNo}`;
      if (sealed) throw new Failure(where, 'follows the seal (lines were added)');
      // An entry line the workers found well-formed with its own leaf; any other line, as its text.
      let line: BundleLine | CheckedEntryLine;
      if (kind === ENTRY) {
        const at = nextEntry++;
        line = {
          type: 'entry',
          seq: block.seqs[at]!,
          actor: block.actors[at]!,
          removedMember: block.removed[at] ?? undefined,
          proof: block.proofs?.[at] ?? undefined,
          leafBytes: block.leaves.subarray(at * 32, at * 32 + 32),
        };
      } else {
        const text = block.raws[nextRaw++]!;
        let raw: unknown;
        try {
          raw = JSON.parse(text);
        } catch {
          throw new Failure(where, 'is not JSON');
        }
        line = quickEntryLine(raw) ?? parseLine(raw, where);
      }
      if (lineNo === 1 && line.type !== 'header') throw new Failure(where, 'must be the header');
      if (line.type !== 'header' && !header) throw new Failure(where, 'comes before the header');
      if (line.type !== current) {
        if (LINE_ORDER.indexOf(current) > LINE_ORDER.indexOf(line.type))
          throw new Failure(where, `is out of place (a ${line.type} line after a ${current} line)`);
        current = line.type;
      }

      switch (line.type) {
        case 'header':
          if (header) throw new Failure(where, 'is a second header');
          if (line.origin !== originOf(line.vault))
            throw new Failure(where, 'names an origin that is not its vault');
          header = line;
          seal = new SealDigest(line);
          break;
        case 'member':
          members.push(line);
          break;
        case 'checkpoint': {
          certified ??= certifiedMembers(header!.vault, members);
          if (checkpoints.length > 0 && line.size <= checkpoints.at(-1)!.size)
            throw new Failure(where, 'checkpoints are out of order');
          checkpoints.push(line);
          latest = line;
          break;
        }
        case 'entry': {
          certified ??= certifiedMembers(header!.vault, members);
          if (!latest || latest.size !== header!.treeSize)
            throw new Failure('checkpoints', `do not include the trail's size ${header!.treeSize}`);
          const entryWhere = `${where} (entry #${line.seq})`;
          if (line.seq <= lastSeq) throw new Failure(entryWhere, 'is out of order or repeated');
          if (!header!.filtered && line.seq !== lastSeq + 1)
            throw new Failure(`entry #${lastSeq + 1}`, 'is missing (the sequence jumps)');
          const leaf = 'leafBytes' in line ? line.leafBytes : checkedLeaf(line, entryWhere);
          if (header!.filtered) {
            if (!line.proof) throw new Failure(entryWhere, 'has no inclusion proof');
            if (
              !verifyInclusion(
                leaf,
                line.seq - 1,
                latest.size,
                line.proof.map(fromHex),
                fromHex(latest.root),
              )
            ) {
              throw new Failure(
                entryWhere,
                'is not in the tree its checkpoint signs (inclusion proof fails)',
              );
            }
          } else {
            const late = witness.entry(line.seq, line.actor);
            if (late) throw new Failure(entryWhere, late);
            const leaver = 'leafBytes' in line ? line.removedMember : removedMemberOf(line);
            if (leaver !== undefined) witness.removed(leaver, line.seq);
            frontier.append(leaf);
            while (
              nextCheckpoint < checkpoints.length &&
              checkpoints[nextCheckpoint]!.size === frontier.size
            ) {
              const checkpoint = checkpoints[nextCheckpoint]!;
              checkCheckpoint(header!.vault, certified, checkpoint, frontier.root(), signatures);
              const resigned = witness.checkpoint(checkpoint.signer);
              if (resigned) throw new Failure(`checkpoint at size ${checkpoint.size}`, resigned);
              // A bad signature the workers have already found, with all before it good: stop here.
              const bad = signatures.settledFailure();
              if (bad !== undefined) throw badSignature(bad);
              nextCheckpoint += 1;
            }
            if (kept && frontier.size === kept.size) {
              if (!bytesEqual(frontier.root(), kept.root)) {
                throw new Failure(
                  'the kept checkpoint',
                  `does not match this trail at size ${kept.size}: the trail was rewritten`,
                );
              }
              keptRootChecked = true;
            }
          }
          seal!.add(leaf);
          lastSeq = line.seq;
          entries += 1;
          break;
        }
        case 'consistency': {
          if (!kept || line.fromSize !== kept.size) break;
          if (line.toSize !== header!.treeSize)
            throw new Failure(where, 'is not to the trail size');
          if (
            !verifyConsistency(
              kept.size,
              line.toSize,
              line.proof.map(fromHex),
              kept.root,
              fromHex(latest!.root),
            )
          ) {
            throw new Failure(
              'the kept checkpoint',
              'is not a prefix of this trail (consistency proof fails): the trail was rewritten',
            );
          }
          consistencyChecked = true;
          break;
        }
        case 'seal': {
          const signer = certified?.get(line.signer);
          if (!signer || signer.id !== header!.exportedBy.id)
            throw new Failure(where, 'is not signed by the member the header names as exporter');
          if (line.entries !== entries)
            throw new Failure(
              where,
              `counts ${line.entries} entries but the bundle holds ${entries} (lines deleted or inserted)`,
            );
          const digest = seal!.digest();
          if (toHex(digest) !== line.digest)
            throw new Failure(
              where,
              'does not match the entries present (lines deleted, inserted or reordered)',
            );
          if (
            !verifySignature(
              fromHex(signer.signPublicKey),
              sealMessage(digest, entries),
              fromHex(line.signature),
            )
          ) {
            throw new Failure(where, 'has a signature that does not verify');
          }
          sealed = true;
          break;
        }
      }
    }
  }
  if (!header) throw new Failure(path, 'is empty');
  if (!sealed)
    throw new Failure(`line ${lineNo + 1}`, 'the seal is missing (the bundle was cut short)');
  if (!latest) throw new Failure('checkpoints', 'are missing');
  certified ??= certifiedMembers(header.vault, members);
  if (header.filtered) {
    checkCheckpoint(header.vault, certified, latest, fromHex(latest.root), signatures);
  } else {
    if (frontier.size !== header.treeSize) {
      throw new Failure(
        `entry #${frontier.size + 1}`,
        `and after are missing (the trail ends at ${frontier.size}, its checkpoint says ${header.treeSize})`,
      );
    }
    if (nextCheckpoint < checkpoints.length)
      throw new Failure(
        `checkpoint at size ${checkpoints[nextCheckpoint]!.size}`,
        'covers entries that are missing',
      );
  }
  if (kept) {
    checkKept(header.vault, certified, kept);
    if (kept.size > header.treeSize) {
      throw new Failure(
        'the trail',
        `ends at ${header.treeSize}, before the checkpoint you kept (size ${kept.size}): it was cut back (rollback)`,
      );
    }
    if (kept.size === header.treeSize && !bytesEqual(kept.root, fromHex(latest.root))) {
      throw new Failure(
        'the kept checkpoint',
        'has the same size but another root: the trail was rewritten',
      );
    }
    if (header.filtered && kept.size < header.treeSize && !consistencyChecked) {
      throw new Failure(
        'the bundle',
        `has no consistency proof from size ${kept.size}; export it again with --since`,
      );
    }
    if (!header.filtered && kept.size < header.treeSize && !keptRootChecked) {
      throw new Failure('the kept checkpoint', 'was not reached by this trail');
    }
  }
  return {
    ok: true,
    kind: 'bundle',
    entries,
    treeSize: header.treeSize,
    root: latest.root,
    since: kept?.size ?? null,
    founderFingerprint: founderFingerprintOf(certified),
    anchoredBy: null,
  };
}

/**
 * What the line workers hand back for an entry line they checked (bundle-blocks.ts): the line's
 * sequence number, actor, proof and the member a removal names, with its leaf, recomputed and
 * equal to the one the line states.
 */
interface CheckedEntryLine {
  readonly type: 'entry';
  readonly seq: number;
  readonly actor: string;
  readonly removedMember: string | undefined;
  readonly proof: string[] | undefined;
  readonly leafBytes: Uint8Array;
}

/** The entry line's leaf, recomputed; a failure if it is not the one the line states. */
function checkedLeaf(line: EntryLine, where: string): Uint8Array {
  const leaf = recomputeLeaf(line, where);
  if (toHex(leaf) !== line.leaf) throw new Failure(where, 'does not match its leaf hash (edited)');
  return leaf;
}

/** The member a `member.removed` entry names, whose later signatures are then refused. */
function removedMemberOf(line: EntryLine): string | undefined {
  const member = line.details['member'];
  return line.kind === 'member.removed' && typeof member === 'string' ? member : undefined;
}

/**
 * The entry's leaf, as RFC 8785 defines it. Text that is not well-formed Unicode has no canonical
 * form (JCS needs I-JSON): such an entry is a failed check, named, not an error of the verifier.
 */
function recomputeLeaf(line: EntryLine, where: string): Uint8Array {
  const leaf = entryLeafHashIfWellFormed({
    seq: line.seq,
    at: line.at,
    kind: line.kind,
    actor: line.actor,
    account: line.account,
    details: line.details,
  });
  if (leaf !== null) return leaf;
  const broken = findIllFormedText(line);
  throw new Failure(
    where,
    `holds text that is not well-formed Unicode (${broken?.path.join('.') ?? 'somewhere'}), so it has no RFC 8785 form and no other verifier could check it`,
  );
}

/** The order of a bundle's kinds of line. */
const LINE_ORDER = ['header', 'member', 'checkpoint', 'entry', 'consistency', 'seal'];

/** A line by the bundle's schema; a line it refuses is named, with the schema's first issue. */
function parseLine(raw: unknown, where: string): BundleLine {
  const parsed = bundleLine.safeParse(raw);
  if (!parsed.success)
    throw new Failure(
      where,
      `is not a valid bundle line (${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''})`,
    );
  return parsed.data;
}

function verifyEvidence(
  path: string,
  kept: ParsedCheckpoint | undefined,
  signatures: SignatureChecks<number>,
): ExportVerdict {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new Failure(path, 'is not JSON');
  }
  const parsed = evidenceSchema.safeParse(raw);
  if (!parsed.success) throw new Failure(path, 'is not a valid evidence file');
  const evidence = parsed.data;
  if (evidence.origin !== originOf(evidence.vault))
    throw new Failure('evidence', 'names an origin that is not its vault');
  const members = certifiedMembers(evidence.vault, evidence.members);
  const { entry, checkpoint } = evidence;
  const leaf = recomputeLeaf(entry, `entry #${entry.seq}`);
  if (!bytesEqual(leaf, fromHex(entry.leaf)))
    throw new Failure(`entry #${entry.seq}`, 'does not match its leaf hash (edited)');
  checkCheckpoint(evidence.vault, members, checkpoint, fromHex(checkpoint.root), signatures);
  const note = parseKept(checkpoint.text);
  if (note.size !== checkpoint.size || !bytesEqual(note.root, fromHex(checkpoint.root))) {
    throw new Failure('evidence checkpoint', 'text does not match the checkpoint it names');
  }
  if (
    !verifyInclusion(
      leaf,
      entry.seq - 1,
      checkpoint.size,
      entry.proof.map(fromHex),
      fromHex(checkpoint.root),
    )
  ) {
    throw new Failure(
      `entry #${entry.seq}`,
      'is not in the tree its checkpoint signs (inclusion proof fails)',
    );
  }
  if (kept) {
    checkKept(evidence.vault, members, kept);
    if (kept.size === checkpoint.size && !bytesEqual(kept.root, fromHex(checkpoint.root))) {
      throw new Failure(
        'the kept checkpoint',
        'has the same size but another root: the trail was rewritten',
      );
    }
  }
  return {
    ok: true,
    kind: 'evidence',
    entries: 1,
    treeSize: checkpoint.size,
    root: checkpoint.root,
    since: kept?.size ?? null,
    founderFingerprint: founderFingerprintOf(members),
    anchoredBy: null,
  };
}

import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_KINDS } from '../../../shared/domain/audit.ts';
import { exportAudit } from '../../../electron/vault/audit/export.ts';
import { BLANK, ENTRY, RAW, checkBlock } from '../../../electron/vault/audit/leaf-worker.mjs';
import { verifyExport } from '../../../electron/vault/audit/verify-export.ts';
import { newVault, tempDir } from '../../helpers/vault.ts';

/**
 * Issue 17: `verify-export` parses a large bundle's lines and recomputes their leaves on worker
 * threads, a block of lines each, and must give the verdict it gives checking every line in
 * turn: the first problem named, with the same line number and words. Here a small bundle is
 * sent to two workers in blocks of 4 KiB (a few dozen lines each), so that a problem lands in a
 * block after others that are still being checked.
 */
const workers = { inlineUpToBytes: 0, blockBytes: 4096, workers: 2 } as const;

describe('verify-export with its lines checked on worker threads', () => {
  let dir: string;
  let cleanup: () => void;
  let bundle: string;
  let lines: string[];
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    const session = await newVault(`${dir}/lines.vault`);
    try {
      for (let i = 0; i < 40; i++) {
        session.write(({ audit }) => {
          for (let j = 0; j < 5; j++) {
            audit({
              kind: 'credential.revealed',
              account: 'a'.repeat(32),
              details: { field: 'password', reason: `reveal ${i}.${j}` },
            });
          }
        });
      }
      bundle = `${dir}/trail.jsonl`;
      await exportAudit(session, { format: 'jsonl', out: bundle });
    } finally {
      session.close();
    }
    lines = readFileSync(bundle, 'utf8').trimEnd().split('\n');
  }, 120_000);
  afterAll(() => cleanup());

  const written = (name: string, text: string) => {
    const out = `${dir}/${name}.jsonl`;
    writeFileSync(out, text);
    return out;
  };
  const edited = (name: string, edit: (line: string, index: number) => string) =>
    written(name, `${lines.map(edit).join('\n')}\n`);
  const entryAt = (line: string, seq: number) =>
    line.startsWith('{"type":"entry"') && (JSON.parse(line) as { seq: number }).seq === seq;
  const editedEntry = (line: string) => line.replace(/"reason":"reveal /, '"reason":"revealed ');
  /** The verdict with workers, which must be the one given on this thread. */
  const bothWays = async (file: string) => {
    const inline = await verifyExport(file);
    expect(await verifyExport(file, { lineWorkers: workers })).toEqual(inline);
    return inline;
  };

  it('passes the trail as exported, spread over many blocks', async () => {
    expect(readFileSync(bundle).length).toBeGreaterThan(20 * workers.blockBytes);
    expect(await bothWays(bundle)).toMatchObject({
      ok: true,
      entries: lines.filter((line) => line.startsWith('{"type":"entry"')).length,
    });
  });

  it('names an edited entry late in the bundle by its line', async () => {
    const file = edited('late-edit', (line) => (entryAt(line, 190) ? editedEntry(line) : line));
    expect(await bothWays(file)).toEqual({
      ok: false,
      where: `line ${lines.findIndex((line) => entryAt(line, 190)) + 1} (entry #190)`,
      problem: 'does not match its leaf hash (edited)',
    });
  });

  it('names the first of two edited entries, blocks apart', async () => {
    const file = edited('two-edits', (line) =>
      entryAt(line, 60) || entryAt(line, 180) ? editedEntry(line) : line,
    );
    expect(await bothWays(file)).toMatchObject({
      ok: false,
      where: `line ${lines.findIndex((line) => entryAt(line, 60)) + 1} (entry #60)`,
    });
  });

  it('counts blank lines and CRLF line ends as the line reader does', async () => {
    const at = lines.findIndex((line) => entryAt(line, 150));
    const crlf = lines.map((line, i) => (i === at ? '{"type":"entry" broken' : line));
    crlf.splice(100, 0, '', '   ');
    const verdict = await bothWays(written('crlf', `${crlf.join('\r\n')}\r\n`));
    expect(verdict).toEqual({ ok: false, where: `line ${at + 3}`, problem: 'is not JSON' });
  });

  it('names lines cut short or added after the seal', async () => {
    expect(await bothWays(written('cut', lines.slice(0, -40).join('\n')))).toMatchObject({
      ok: false,
    });
    expect(
      await bothWays(written('added', `${lines.join('\n')}\n${lines.at(-3)!}\n`)),
    ).toMatchObject({ ok: false, where: `line ${lines.length + 1}` });
  });
});

describe("a line worker's block", () => {
  const kinds = new Set<string>(AUDIT_KINDS);
  const encode = (text: string) => new TextEncoder().encode(text);
  const entry = {
    type: 'entry',
    seq: 1,
    at: '2026-12-02T00:00:00.000Z',
    kind: 'credential.revealed',
    actor: 'm',
    account: null,
    details: { field: 'password' },
    // SHA-256 of 0x00 and the entry's RFC 8785 text: computed by the app's own leaf hash.
    leaf: '',
  };

  it('hands back as text every line that is not an entry with its own leaf', async () => {
    const { entryLeafHash } = await import('../../../electron/vault/audit/entry.ts');
    const leaf = Buffer.from(entryLeafHash(entry as never)).toString('hex');
    const good = JSON.stringify({ ...entry, leaf });
    const wrongLeaf = JSON.stringify({ ...entry, leaf: 'f'.repeat(64) });
    const unknownKind = JSON.stringify({ ...entry, kind: 'credential.stolen', leaf });
    const block = checkBlock(
      encode(`${good}\n\n${wrongLeaf}\r\nnot json\r${unknownKind}\n`),
      kinds,
    );
    expect(block.count).toBe(5);
    expect([...block.classes]).toEqual([ENTRY, BLANK, RAW, RAW, RAW]);
    expect(block.raws).toEqual([wrongLeaf, 'not json', unknownKind]);
    expect([...block.seqs]).toEqual([1]);
    expect(Buffer.from(block.leaves).toString('hex')).toBe(leaf);
  });
});

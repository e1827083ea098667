import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkedBlocks,
  LineTooLongError,
  MAX_LINE_BYTES,
  rawBlocks,
} from '../../../electron/vault/audit/bundle-blocks.ts';
import { exportAudit } from '../../../electron/vault/audit/export.ts';
import { verifyExport } from '../../../electron/vault/audit/verify-export.ts';
import { newVault, tempDir } from '../../helpers/vault.ts';

/**
 * A bundle is read in blocks cut at line breaks; a line longer than a block used to be copied
 * again at every read (quadratic: a hostile bundle of one 64 MiB line held verify-export for
 * 22 s). Now such a line is kept as the blocks it was read in and joined once, and a line longer
 * than any Custodian writes (MAX_LINE_BYTES) is refused with its line number and what to do.
 */
describe('a bundle line longer than a block', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  function blocksOf(
    text: string | Buffer,
    blockBytes: number,
    maxLineBytes?: number,
  ): { blocks: Buffer[]; copied: number } {
    const path = join(dir, 'blocks.jsonl');
    writeFileSync(path, text);
    const fd = openSync(path, 'r');
    const copied = { bytes: 0 };
    try {
      const blocks = [
        ...rawBlocks(fd, blockBytes, {
          copied,
          ...(maxLineBytes === undefined ? {} : { maxLineBytes }),
        }),
      ].map((block) => Buffer.from(block));
      return { blocks, copied: copied.bytes };
    } finally {
      closeSync(fd);
    }
  }

  it('is joined whole, each block ending at a line break, the file unchanged', () => {
    const text = `first\n${'x'.repeat(10_000)}\nthird\r\nfourth\r${'y'.repeat(5000)}`;
    const { blocks } = blocksOf(text, 1024);
    expect(Buffer.concat(blocks).toString()).toBe(text);
    for (const block of blocks.slice(0, -1)) expect([0x0a, 0x0d]).toContain(block.at(-1));
    expect(blocks.some((block) => block.toString().includes('x'.repeat(10_000)))).toBe(true);
  });

  it('is copied once, not again at every read: the bytes copied stay linear in its length', () => {
    const line = Buffer.alloc(8 << 20, 0x61);
    const { blocks, copied } = blocksOf(line, 64 << 10);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]!.length).toBe(line.length);
    // Joined once (8 MiB); re-copied at each of its 128 reads it would be 512 MiB.
    expect(copied).toBeLessThanOrEqual(2 * line.length);
  });

  it('longer than MAX_LINE_BYTES, is refused with its line number, before it is read whole', () => {
    const text = Buffer.concat([
      Buffer.from('{"type":"header"}\r\n{}\n'),
      Buffer.alloc(MAX_LINE_BYTES + (1 << 20), 0x61),
    ]);
    let refused: unknown;
    try {
      blocksOf(text, 96 << 10);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(LineTooLongError);
    expect((refused as LineTooLongError).lineNumber).toBe(3);
    expect((refused as Error).message).toMatch(
      /longer than 16777216 bytes.*not a bundle Custodian exported, or it was altered.*custodian audit export/,
    );
  });

  it('over the limit on worker threads too: checkedBlocks refuses it', async () => {
    const path = join(dir, 'workers.jsonl');
    writeFileSync(path, `{}\n${'a'.repeat(300_000)}\n`);
    const read = async () => {
      let blocks = 0;
      for await (const block of checkedBlocks(path, {
        inlineUpToBytes: 0,
        workers: 1,
        blockBytes: 4096,
        maxLineBytes: 100_000,
      }))
        blocks += block.count;
      return blocks;
    };
    await expect(read()).rejects.toMatchObject({ lineNumber: 2, limitBytes: 100_000 });
  });

  it('verify-export names the line and says what to do, and a real bundle passes under the same limit', async () => {
    const session = await newVault(join(dir, 'long.vault'));
    const bundle = join(dir, 'trail.jsonl');
    try {
      session.write(({ audit }) =>
        audit({ kind: 'credential.revealed', details: { field: 'password', reason: 'r' } }),
      );
      await exportAudit(session, { format: 'jsonl', out: bundle });
    } finally {
      session.close();
    }
    const lines = readFileSync(bundle, 'utf8').split('\n');
    const longest = Math.max(...lines.map((line) => Buffer.byteLength(line)));
    const lineWorkers = { blockBytes: 128, maxLineBytes: longest + 1 };
    expect(await verifyExport(bundle, { lineWorkers })).toMatchObject({ ok: true });

    lines.splice(2, 0, 'a'.repeat(longest + 1));
    writeFileSync(bundle, lines.join('\n'));
    const verdict = await verifyExport(bundle, { lineWorkers });
    expect(verdict).toMatchObject({ ok: false, where: 'line 3' });
    expect(verdict.ok ? '' : verdict.problem).toMatch(
      /is longer than \d+ bytes, far longer than any line Custodian writes.*verify a fresh export/,
    );
  });
});

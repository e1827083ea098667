import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAudit } from '../../../electron/vault/audit/export.ts';
import { verifyExport } from '../../../electron/vault/audit/verify-export.ts';
import { newVault, tempDir } from '../../helpers/vault.ts';

/**
 * Issue 17: `verify-export` checks checkpoint signatures on worker threads once a trail has more
 * than a few hundred of them, and must still name the first problem, as it did checking each in
 * turn. A trail of 400 transactions, a signed checkpoint each, takes most of them to the workers.
 */
describe('verify-export with signatures on worker threads names the first problem', () => {
  let dir: string;
  let cleanup: () => void;
  let bundle: string;
  let lines: string[];
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    const session = await newVault(`${dir}/many.vault`);
    try {
      for (let i = 0; i < 400; i++) {
        session.write(({ audit }) => {
          audit({
            kind: 'credential.revealed',
            account: 'a'.repeat(32),
            details: { field: 'password', reason: `reveal ${i}` },
          });
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

  /** The bundle with some lines changed, written beside it. */
  const edited = (name: string, edit: (line: string) => string) => {
    const out = `${dir}/${name}.jsonl`;
    writeFileSync(out, `${lines.map(edit).join('\n')}\n`);
    return out;
  };
  const sizeOf = (line: string) => (JSON.parse(line) as { size?: number }).size;
  const seqOf = (line: string) => (JSON.parse(line) as { seq?: number }).seq;
  const checkpointAt = (line: string, size: number) =>
    line.startsWith('{"type":"checkpoint"') && sizeOf(line) === size;
  const entryAt = (line: string, seq: number) =>
    line.startsWith('{"type":"entry"') && seqOf(line) === seq;
  /** A checkpoint's signature with one bit changed: well-formed, and wrong. */
  const badSignature = (line: string) =>
    line.replace(/"signature":"(.)/, (_, c: string) => `"signature":"${c === '0' ? '1' : '0'}`);
  const editedEntry = (line: string) => line.replace(/"reason":"reveal /, '"reason":"revealed ');
  const lineOfEntry = (seq: number) => lines.findIndex((line) => entryAt(line, seq)) + 1;

  it('passes the trail as exported', async () => {
    expect(lines.filter((line) => line.startsWith('{"type":"checkpoint"')).length).toBeGreaterThan(
      400,
    );
    expect(await verifyExport(bundle)).toMatchObject({ ok: true });
  });

  it('names a bad signature on a checkpoint the workers checked', async () => {
    const file = edited('bad-signature', (line) =>
      checkpointAt(line, 390) ? badSignature(line) : line,
    );
    expect(await verifyExport(file)).toEqual({
      ok: false,
      where: 'checkpoint at size 390',
      problem: 'has a signature that does not verify',
    });
  });

  it('names the bad signature before an edited entry after it', async () => {
    const file = edited('signature-then-entry', (line) =>
      checkpointAt(line, 350) ? badSignature(line) : entryAt(line, 395) ? editedEntry(line) : line,
    );
    expect(await verifyExport(file)).toMatchObject({ ok: false, where: 'checkpoint at size 350' });
  });

  it('names an edited entry before a bad signature after it', async () => {
    const file = edited('entry-then-signature', (line) =>
      checkpointAt(line, 390) ? badSignature(line) : entryAt(line, 380) ? editedEntry(line) : line,
    );
    expect(await verifyExport(file)).toEqual({
      ok: false,
      where: `line ${lineOfEntry(380)} (entry #380)`,
      problem: 'does not match its leaf hash (edited)',
    });
  });

  it('names the earlier of two bad signatures', async () => {
    const file = edited('two-signatures', (line) =>
      checkpointAt(line, 300) || checkpointAt(line, 398) ? badSignature(line) : line,
    );
    expect(await verifyExport(file)).toMatchObject({ ok: false, where: 'checkpoint at size 300' });
  });
});

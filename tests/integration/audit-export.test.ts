import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { custodian, FAST_KDF, type CliResult } from '../helpers/cli.ts';
import { tempDir, vaultLocation } from '../helpers/vault.ts';

const LEAD = { CUSTODIAN_USER: 'Lena Lead', CUSTODIAN_PASSPHRASE: 'lead passphrase one' };
const SECURITY = { CUSTODIAN_USER: 'Sam Security', CUSTODIAN_PASSPHRASE: 'security passphrase' };
const PASSWORD = 'Secret-Canary-Password-8812';
const TRICKY_REASON = 'Complaint 2026/14, "urgent"\nsecond line, with commas';

/** Issue 5: exports for security staff, and an offline verifier that catches every kind of edit. */
describe('audit exports and the offline verifier', () => {
  let dir: string;
  let cleanup: () => void;
  let vault: string;
  let kept: string;
  let founder: string;
  const run = async (env: Record<string, string>, ...args: string[]): Promise<CliResult> => {
    const result = await custodian(args, env);
    expect(result.code, `${args.join(' ')}\n${result.stderr}`).toBe(0);
    return result;
  };
  const verify = (file: string, ...extra: string[]) =>
    custodian(['audit', 'verify-export', file, ...extra]);
  const lines = (file: string) => readFileSync(file, 'utf8').trimEnd().split('\n');
  const tampered = (name: string, edit: (lines: string[]) => string[]) => {
    const out = `${dir}/${name}.jsonl`;
    writeFileSync(out, `${edit(lines(`${dir}/full.jsonl`)).join('\n')}\n`);
    return out;
  };
  /** Change the first hex digit after `marker`, whatever it was (a fixed replacement may be a no-op). */
  const flipHex = (line: string, marker: string) => {
    const at = line.indexOf(marker) + marker.length;
    return line.slice(0, at) + (line[at] === '0' ? '1' : '0') + line.slice(at + 1);
  };
  const entryIndex = (all: string[], seq: number) =>
    all.findIndex((l) => l.startsWith('{"type":"entry"') && l.includes(`"seq":${seq},`));

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    vault = vaultLocation(`${dir}/trail.vault`);
    const created = await run(LEAD, 'init', vault, ...FAST_KDF);
    founder = /Founder fingerprint: ([0-9a-f ]+)\n/.exec(created.stdout)![1]!;
    await run(
      { ...LEAD, CUSTODIAN_NEW_PASSPHRASE: SECURITY.CUSTODIAN_PASSPHRASE },
      'member',
      'add',
      vault,
      '--name',
      'Sam Security',
      '--role',
      'security',
    );
    writeFileSync(`${dir}/pw`, PASSWORD);
    await run(
      LEAD,
      'account',
      'add',
      vault,
      '--platform',
      'x',
      '--handle',
      'NorfolkPolice',
      '--force',
      'norfolk',
      '--unit-type',
      'department',
      '--unit',
      'Comms',
      '--username',
      'comms',
      '--password-file',
      `${dir}/pw`,
    );
    await run(
      LEAD,
      'account',
      'add',
      vault,
      '--platform',
      'facebook',
      '--handle',
      'SuffolkPolice',
      '--force',
      'suffolk',
      '--unit-type',
      'department',
      '--unit',
      'Comms',
      '--username',
      'sfk',
      '--generate',
    );
    kept = `${dir}/kept-checkpoint.txt`;
    writeFileSync(kept, (await run(SECURITY, 'audit', 'checkpoint', vault)).stdout);
    await run(LEAD, 'reveal', vault, 'x:NorfolkPolice', '--reason', TRICKY_REASON);
    await run(LEAD, 'rotate', vault, 'x:NorfolkPolice', '--reason', 'compromise', '--generate');
    await run(
      SECURITY,
      'audit',
      'export',
      vault,
      '--format',
      'jsonl',
      '--out',
      `${dir}/full.jsonl`,
    );
  });
  afterAll(() => cleanup());

  it('a full bundle verifies with no vault, and extends the checkpoint kept earlier', async () => {
    const result = await verify(`${dir}/full.jsonl`, '--since', kept);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /^verified bundle: \d+ entries against checkpoint size \d+, root [0-9a-f]{64}; extends the kept checkpoint at size \d+\n$/,
    );
  });

  it('no secret appears in any export; a reveal shows who, when, which account and the reason', async () => {
    await run(SECURITY, 'audit', 'export', vault, '--format', 'csv', '--out', `${dir}/all.csv`);
    await run(SECURITY, 'audit', 'export', vault, '--format', 'pdf', '--out', `${dir}/all.pdf`);
    for (const file of ['full.jsonl', 'all.csv', 'all.pdf']) {
      expect(readFileSync(`${dir}/${file}`).includes(Buffer.from(PASSWORD)), file).toBe(false);
    }
    const reveal = lines(`${dir}/full.jsonl`)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l['kind'] === 'credential.revealed');
    expect(reveal).toMatchObject({
      actor: expect.any(String),
      account: expect.any(String),
      at: expect.any(String),
      details: { reason: TRICKY_REASON },
    });
  });

  it.each([
    [
      'an edited entry',
      (all: string[]) =>
        all.map((l, i) => (i === entryIndex(all, 3) ? l.replace(/"at":"\d{4}/, '"at":"1999') : l)),
      /entry #3\) does not match its leaf hash/,
    ],
    [
      'a deleted entry',
      (all: string[]) => all.filter((_, i) => i !== entryIndex(all, 4)),
      /entry #4 is missing/,
    ],
    [
      'two entries swapped',
      (all: string[]) => {
        const a = entryIndex(all, 5);
        const copy = [...all];
        [copy[a], copy[a + 1]] = [copy[a + 1]!, copy[a]!];
        return copy;
      },
      /entry #5 is missing|out of order/,
    ],
    [
      'an inserted entry',
      (all: string[]) => {
        const i = entryIndex(all, 6);
        return [...all.slice(0, i), all[i]!, ...all.slice(i)];
      },
      /entry #6\) is out of order or repeated/,
    ],
    [
      'a swapped public key',
      (all: string[]) =>
        all.map((l) =>
          l.startsWith('{"type":"member"') && l.includes('"name":"Sam Security"')
            ? flipHex(l, '"signPublicKey":"')
            : l,
        ),
      /member Sam Security has a public key or certificate that does not verify/,
    ],
    [
      'a forged checkpoint root',
      (all: string[]) =>
        all.map((l) =>
          l.startsWith('{"type":"checkpoint","size":3,') ? flipHex(l, '"root":"') : l,
        ),
      /checkpoint at size 3 does not match/,
    ],
    ['the seal removed', (all: string[]) => all.slice(0, -1), /seal is missing/],
  ])('verify-export exits 2 naming the cause for %s', async (_, edit, cause) => {
    const result = await verify(tampered(_.replace(/\s+/g, '-'), edit));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(cause);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('a trail cut back below the kept checkpoint is caught as a rollback', async () => {
    const later = `${dir}/later-checkpoint.txt`;
    writeFileSync(later, (await run(SECURITY, 'audit', 'checkpoint', vault)).stdout);
    // The earlier export is shorter than the checkpoint kept after it: what a rolled-back vault shows.
    const result = await verify(`${dir}/full.jsonl`, '--since', later);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/before the checkpoint you kept.*rollback/);
  });

  it('a rewritten history is caught against the kept checkpoint', async () => {
    const forged = readFileSync(kept, 'utf8').replace(
      /\n[A-Za-z0-9+/]{43}=\n/,
      `\n${Buffer.alloc(32, 7).toString('base64')}\n`,
    );
    writeFileSync(`${dir}/forged-kept.txt`, forged);
    const result = await verify(`${dir}/full.jsonl`, '--since', `${dir}/forged-kept.txt`);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/kept checkpoint/);
  });

  it('a filtered bundle proves each entry against the latest checkpoint, and catches a dropped line', async () => {
    const part = `${dir}/part.jsonl`;
    await run(
      SECURITY,
      'audit',
      'export',
      vault,
      '--format',
      'jsonl',
      '--out',
      part,
      '--account',
      'x:NorfolkPolice',
      '--since',
      kept,
    );
    const ok = await verify(part, '--since', kept);
    expect(ok.code, ok.stderr).toBe(0);
    const all = lines(part);
    expect(
      all.filter((l) => l.startsWith('{"type":"entry"')).every((l) => l.includes('"proof":[')),
    ).toBe(true);
    writeFileSync(
      `${dir}/part-dropped.jsonl`,
      `${all.filter((l, i) => !(l.startsWith('{"type":"entry"') && i === all.findIndex((x) => x.startsWith('{"type":"entry"')))).join('\n')}\n`,
    );
    const dropped = await verify(`${dir}/part-dropped.jsonl`);
    expect(dropped.code).toBe(2);
    expect(dropped.stderr).toMatch(/seal|deleted/);
  });

  it('single-event evidence verifies on its own against the checkpoint it names', async () => {
    await run(SECURITY, 'audit', 'evidence', vault, '--seq', '3', '--out', `${dir}/ev.json`);
    const ok = await verify(`${dir}/ev.json`, '--founder', founder);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^verified evidence: 1 entries/);
    const evidence = JSON.parse(readFileSync(`${dir}/ev.json`, 'utf8')) as {
      entry: { at: string };
    };
    evidence.entry.at = '2000-01-01T00:00:00.000Z';
    writeFileSync(`${dir}/ev-edited.json`, JSON.stringify(evidence));
    const bad = await verify(`${dir}/ev-edited.json`);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/entry #3 does not match its leaf hash/);
  });

  it('the CSV parses back: quoted fields, commas and newlines in reasons, ISO dates, no nested JSON', () => {
    const parsed = Papa.parse<string[]>(readFileSync(`${dir}/all.csv`, 'utf8'), {
      skipEmptyLines: true,
    });
    expect(parsed.errors).toEqual([]);
    const [head, ...rows] = parsed.data;
    expect(head).toEqual([
      'Sequence',
      'Time (UTC, ISO 8601)',
      'Event',
      'Who',
      'Account',
      'Reason given',
      'Details',
      'Leaf hash',
    ]);
    const reveal = rows.find((r) => r[2] === 'credential.revealed')!;
    expect(reveal[3]).toBe('Lena Lead');
    expect(reveal[4]).toBe('x:NorfolkPolice');
    expect(reveal[5]).toBe(TRICKY_REASON);
    for (const row of rows) {
      expect(row[1]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(row[6]).not.toMatch(/[{[]/);
    }
  });

  it('the PDF cover carries the checkpoint root and the entry count (pdftotext)', async () => {
    const exported = await run(
      SECURITY,
      'audit',
      'export',
      vault,
      '--format',
      'pdf',
      '--out',
      `${dir}/case.pdf`,
      '--account',
      'x:NorfolkPolice',
    );
    const [, count, root] = /Exported (\d+) entries .* root ([0-9a-f]{64})/.exec(exported.stdout)!;
    const text = execFileSync('pdftotext', ['-layout', `${dir}/case.pdf`, '-'], {
      encoding: 'utf8',
    });
    const cover = text.split('\f')[0]!;
    expect(cover).toMatch(new RegExp(`Entries in this export\\s+${count}`));
    expect(cover.replace(/\s+/g, '')).toContain(root);
    expect(cover).toMatch(/account = x:NorfolkPolice/);
    // The anchor a reader compares with the one `init` printed (issue 13, attack 7).
    expect(cover).toMatch(new RegExp(`Founder fingerprint\\s+${founder}`));
    expect(text).toContain('credential.revealed');
    // The event in words beside its kind (issue 15).
    expect(text).toMatch(/Credential\s+revealed/);
  });

  it('only lead and security export; the export is itself audited', async () => {
    await run(
      { ...LEAD, CUSTODIAN_NEW_PASSPHRASE: 'dmt passphrase two' },
      'member',
      'add',
      vault,
      '--name',
      'Dev Dmt',
      '--role',
      'dmt',
    );
    const refused = await custodian(
      ['audit', 'export', vault, '--format', 'csv', '--out', `${dir}/no.csv`],
      { CUSTODIAN_USER: 'Dev Dmt', CUSTODIAN_PASSPHRASE: 'dmt passphrase two' },
    );
    expect(refused.code).toBe(4);
    const all = lines(`${dir}/full.jsonl`).map((l) => JSON.parse(l) as { kind?: string });
    expect(all.some((l) => l.kind === 'audit.exported')).toBe(true);
  });
});

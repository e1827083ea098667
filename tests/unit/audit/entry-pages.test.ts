import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryPages } from '../../../electron/vault/audit/entry-pages.ts';
import type { VaultSession } from '../../../electron/vault/session.ts';
import { newVault, tempDir } from '../../helpers/vault.ts';

describe('export entry pages', () => {
  const { dir, cleanup } = tempDir();
  let session: VaultSession;

  beforeAll(async () => {
    session = await newVault(`${dir}/pages.vault`);
    session.write(({ audit }) => {
      for (let i = 0; i < 25; i++) {
        audit({
          kind: 'credential.revealed',
          account: 'a'.repeat(32),
          details: { field: 'password', reason: `line "${i}",\nwith a comma` },
        });
      }
    });
  });
  afterAll(() => {
    session.close();
    cleanup();
  });

  const all = async (pageSize: number, filters = {}) => {
    const size = session.db
      .prepare('SELECT MAX(seq) AS n FROM audit_entries')
      .pluck()
      .get() as number;
    const pages = await collect(
      entryPages(session.path, session.keys.vault, size, filters, { pageSize }),
    );
    const text = Buffer.concat(pages.map((p) => p.text)).toString('utf8');
    expect(text.endsWith('\n')).toBe(true);
    return {
      lines: text.slice(0, -1).split('\n'),
      seqs: pages.flatMap((p) => p.seqs),
      leaves: Buffer.concat(pages.map((p) => p.leaves)),
      size,
    };
  };

  it('gives the same lines, in order, whatever the page size', async () => {
    const one = await all(1000);
    const small = await all(4);
    expect(small.lines).toEqual(one.lines);
    expect(small.leaves.equals(one.leaves)).toBe(true);
    expect(one.seqs).toEqual(Array.from({ length: one.size }, (_, i) => i + 1));
    expect(one.leaves.length).toBe(one.size * 32);
  });

  it('writes each entry as a JSON line whose details are the sealed JSON, newlines escaped', async () => {
    const { lines } = await all(7);
    const revealed = lines.map(
      (l) => JSON.parse(l) as { kind: string; details: { reason?: string } },
    );
    expect(revealed.filter((e) => e.kind === 'credential.revealed')).toHaveLength(25);
    expect(revealed.find((e) => e.details.reason === 'line "3",\nwith a comma')).toBeDefined();
    expect(lines).toHaveLength(revealed.length);
  });

  it('adds each entry its proof as the last field, when asked', async () => {
    const size = session.db
      .prepare('SELECT MAX(seq) AS n FROM audit_entries')
      .pluck()
      .get() as number;
    const [page] = await collect(
      entryPages(
        session.path,
        session.keys.vault,
        size,
        { kind: 'credential' },
        {
          proof: (seq) => [`proof-of-${seq}`],
        },
      ),
    );
    const lines = page!.text
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(25);
    for (const line of lines) {
      expect(line['proof']).toEqual([`proof-of-${String(line['seq'])}`]);
      expect(Object.keys(line).at(-1)).toBe('proof');
    }
  });

  it('filters by kind across pages', async () => {
    const { seqs, leaves } = await all(3, { kind: 'credential' });
    expect(seqs).toHaveLength(25);
    expect(leaves.length).toBe(25 * 32);
  });

  it('names the entry whose sealed details were changed', async () => {
    session.db
      .prepare('UPDATE audit_entries SET sealed = randomblob(length(sealed)) WHERE seq = 9')
      .run();
    await expect(all(4)).rejects.toThrow(/audit_entries row 9/);
  });
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe('export entry pages when the reader fails', () => {
  it('rejects with a clear error and leaves no page it asked for ahead unhandled', async () => {
    const { dir, cleanup } = tempDir();
    const session = await newVault(`${dir}/reader-fails.vault`);
    try {
      const pages = entryPages(`${dir}/no-such.vault`, session.keys.vault, 5000, {});
      await expect(collect(pages)).rejects.toMatchObject({ code: expect.any(String) });
      // The pages asked for ahead were rejected too: give an unhandled rejection time to surface.
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      session.close();
      cleanup();
    }
  });
});

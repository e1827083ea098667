import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { newSymmetricKey } from '../../../electron/vault/crypto/aead.ts';
import { readySodium } from '../../../electron/vault/crypto/sodium.ts';
import { openRow, sealRow } from '../../../electron/vault/store/sealed-row.ts';

await readySodium();

describe('sealed rows', () => {
  const key = newSymmetricKey();
  const schema = z.object({ handle: z.string() });
  const row = { table: 'accounts', id: 'a1', version: 1, clear: { created_at: '2026-01-01' } };
  const blob = sealRow(key, row, { handle: 'NorfolkPolice' });

  it('open with the same address', () => {
    expect(openRow(key, row, blob, schema)).toEqual({ handle: 'NorfolkPolice' });
  });

  it.each([
    ['another row', { ...row, id: 'a2' }],
    ['another table', { ...row, table: 'rotations' }],
    ['an older version', { ...row, version: 0 }],
    ['an edited clear column', { ...row, clear: { created_at: '2026-01-02' } }],
  ])('do not open when moved to %s, and name the row', (_, address) => {
    expect(() => openRow(key, address, blob, schema)).toThrow(
      /Integrity check failed: (accounts|rotations) row a[12]/,
    );
  });

  it('do not open with another key', () => {
    expect(() => openRow(newSymmetricKey(), row, blob, schema)).toThrow(/Integrity check failed/);
  });

  it('never hold the plaintext in the blob', () => {
    expect(Buffer.from(blob).includes(Buffer.from('NorfolkPolice'))).toBe(false);
  });
});

describe('associated data', () => {
  it('is the canonical JSON of the address (same bytes as RFC 8785 for this shape)', async () => {
    const { associatedData } = await import('../../../electron/vault/store/sealed-row.ts');
    const { canonicalJson } = await import('../../../electron/vault/canonical-json.ts');
    const address = {
      table: 't"x',
      id: 7,
      version: 3,
      clear: { b: null, a: 'é\n', c: 12, d: new Uint8Array([1, 255]) },
    };
    const expected = canonicalJson({
      custodian: 1,
      table: 't"x',
      id: '7',
      version: 3,
      clear: { b: null, a: 'é\n', c: 12, d: '01ff' },
    });
    expect(Buffer.from(associatedData(address)).toString('utf8')).toBe(expected);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { newSymmetricKey, OpenFailed, seal } from '../../../electron/vault/crypto/aead.ts';
import { BatchOpener } from '../../../electron/vault/crypto/batch-open.ts';
import { utf8 } from '../../../electron/vault/crypto/hash.ts';
import { readySodium } from '../../../electron/vault/crypto/sodium.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();

describe('BatchOpener (the audit export opens a million entries with it)', () => {
  beforeAll(readySodium);

  it('opens what aead.seal sealed, given as SQLite hex(), many times over', () => {
    const key = newSymmetricKey();
    const opener = new BatchOpener(key);
    try {
      for (let i = 0; i < 50; i++) {
        const text = JSON.stringify({ reason: `reveal ${i} — naïve café`, n: i });
        const blob = seal(key, utf8(text), utf8(`address ${i}`));
        expect(opener.openHexText(hex(blob), `address ${i}`)).toBe(text);
      }
    } finally {
      opener.close();
    }
  });

  it('refuses a changed byte, other associated data, another key and a truncated blob', () => {
    const key = newSymmetricKey();
    const blob = seal(key, utf8('{"a":1}'), utf8('row 1'));
    const opener = new BatchOpener(key);
    const other = new BatchOpener(newSymmetricKey());
    try {
      const flipped = Uint8Array.from(blob);
      flipped[30]! ^= 1;
      expect(() => opener.openHexText(hex(flipped), 'row 1')).toThrow(OpenFailed);
      expect(() => opener.openHexText(hex(blob), 'row 2')).toThrow(OpenFailed);
      expect(() => other.openHexText(hex(blob), 'row 1')).toThrow(OpenFailed);
      expect(() => opener.openHexText(hex(blob).slice(0, 60), 'row 1')).toThrow(OpenFailed);
      expect(() => opener.openHexText(`${hex(blob)}A`, 'row 1')).toThrow(OpenFailed);
      expect(opener.openHexText(hex(blob), 'row 1')).toBe('{"a":1}');
    } finally {
      opener.close();
      other.close();
    }
  });

  it('hands back a blob larger than its scratch region for the ordinary path', () => {
    const key = newSymmetricKey();
    const opener = new BatchOpener(key, 64);
    try {
      const big = seal(key, utf8('x'.repeat(100)), utf8('row'));
      expect(opener.openHexText(hex(big), 'row')).toBeUndefined();
      const longAddress = 'a'.repeat(65);
      const small = seal(key, utf8('y'), utf8(longAddress));
      expect(opener.openHexText(hex(small), longAddress)).toBeUndefined();
    } finally {
      opener.close();
    }
  });

  it('cannot be used once closed', () => {
    const key = newSymmetricKey();
    const opener = new BatchOpener(key);
    opener.close();
    expect(() => opener.openHexText(hex(seal(key, utf8('z'), utf8('r'))), 'r')).toThrow(/closed/);
  });
});

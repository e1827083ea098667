import { describe, expect, it } from 'vitest';
import { DEFAULT_KDF, deriveKek, MINIMUM_KDF } from '../../../electron/vault/crypto/kdf.ts';

describe('Argon2id key derivation', () => {
  const salt = new Uint8Array(16).fill(7);

  it('the default is at least 256 MiB and 3 passes', () => {
    expect(DEFAULT_KDF.memoryKiB).toBeGreaterThanOrEqual(256 * 1024);
    expect(DEFAULT_KDF.passes).toBeGreaterThanOrEqual(3);
  });

  it('is deterministic for passphrase, salt and parameters, and differs when any changes', async () => {
    const a = (await deriveKek('a passphrase', salt, MINIMUM_KDF)).reveal();
    const b = (await deriveKek('a passphrase', salt, MINIMUM_KDF)).reveal();
    const otherSalt = (
      await deriveKek('a passphrase', new Uint8Array(16).fill(8), MINIMUM_KDF)
    ).reveal();
    const otherParams = (
      await deriveKek('a passphrase', salt, { ...MINIMUM_KDF, passes: 3 })
    ).reveal();
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(otherSalt))).toBe(false);
    expect(Buffer.from(a).equals(Buffer.from(otherParams))).toBe(false);
  });

  it('treats the same words in composed and decomposed Unicode as one passphrase', async () => {
    const composed = (await deriveKek('caf\u00e9 au lait', salt, MINIMUM_KDF)).reveal();
    const decomposed = (await deriveKek('cafe\u0301 au lait', salt, MINIMUM_KDF)).reveal();
    expect(Buffer.from(composed).equals(Buffer.from(decomposed))).toBe(true);
  });

  it('never blocks the event loop while it derives at the default parameters', async () => {
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 5);
    await deriveKek('a passphrase', salt, DEFAULT_KDF);
    clearInterval(timer);
    // A blocking derivation would let no timer fire at all until it returned.
    expect(ticks).toBeGreaterThan(5);
  });

  it('hides key material from logs and JSON, and refuses use once wiped', async () => {
    const key = await deriveKek('a passphrase', salt, MINIMUM_KDF);
    expect(JSON.stringify({ key })).toBe('{"key":"[SecretBytes]"}');
    expect(String(key)).toBe('[SecretBytes]');
    key.wipe();
    expect(() => key.reveal()).toThrow(/after the vault locked/);
  });
});

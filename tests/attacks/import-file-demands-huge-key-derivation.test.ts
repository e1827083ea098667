import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import kdbxweb from 'kdbxweb';
import { openImportSource } from '../../electron/vault/import/open-source.ts';
import { encryptBitwardenExport } from '../helpers/import-sources.ts';

/**
 * Attack: an "export" sent to the DMT to import names a key derivation so costly that deriving it
 * exhausts the workstation (KDBX Argon2 memory of 8 GiB; a Bitwarden export's PBKDF2 at two
 * billion iterations or Argon2id at 64 GiB). The import refuses before deriving anything, saying
 * what to do; the limits are well above what KeePassXC and Bitwarden choose.
 */
describe('an import file that demands a ruinous key derivation is refused before deriving it', () => {
  const passphrase = () => Promise.resolve('source passphrase');

  it('a KDBX 4 whose Argon2 memory was raised to 8 GiB', async () => {
    const db = kdbxweb.Kdbx.create(
      new kdbxweb.Credentials(kdbxweb.ProtectedValue.fromString('source passphrase')),
      'bomb',
    );
    db.setKdf(kdbxweb.Consts.KdfId.Argon2id);
    db.header.kdfParameters!.set(
      'M',
      kdbxweb.VarDictionary.ValueType.UInt64,
      new kdbxweb.Int64(8 * 1024 * 1024),
    );
    const bytes = Buffer.from(await db.save());
    // The header's "M" entry (type UInt64, key "M", 8-byte value), rewritten to 8 GiB, and the
    // header's plain SHA-256 after it recomputed, as an attacker would: the header's HMAC can be
    // checked only with the derived key, so the reader meets this value before anything says no.
    const entry = Buffer.from([0x05, 0x01, 0, 0, 0, 0x4d, 0x08, 0, 0, 0]);
    const at = bytes.indexOf(entry);
    expect(at).toBeGreaterThan(0);
    bytes.writeBigUInt64LE(8n * 1024n ** 3n, at + entry.length);
    let end = 12; // after the signature and version; then fields of id, 4-byte size, data
    for (let id = -1; id !== 0;) {
      id = bytes[end]!;
      end += 5 + bytes.readUInt32LE(end + 1);
    }
    createHash('sha256').update(bytes.subarray(0, end)).digest().copy(bytes, end);
    const started = performance.now();
    await expect(openImportSource(bytes, { passphrase })).rejects.toThrow(
      /asks for 8192 MiB, more than an import gives it \(1024 MiB\)\. Lower it in KeePassXC/,
    );
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it.each([
    [{ kdfType: 0, kdfIterations: 2_000_000_000 }],
    [{ kdfType: 1, kdfIterations: 3, kdfMemory: 65_536, kdfParallelism: 4 }],
    [{ kdfType: 1, kdfIterations: 100_000, kdfMemory: 64, kdfParallelism: 4 }],
  ])('a password-protected Bitwarden export asking %j', async (kdf) => {
    const file = {
      ...(JSON.parse(await encryptBitwardenExport('{"items":[]}', 'x')) as object),
      ...kdf,
    };
    await expect(
      openImportSource(Buffer.from(JSON.stringify(file)), { passphrase }),
    ).rejects.toThrow(/asks its key derivation for more than an import gives it .*Export it again/);
  });
});

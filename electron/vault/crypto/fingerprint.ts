import { hmacSha256, toHex, utf8 } from './hash.ts';
import type { SecretBytes } from './secret-bytes.ts';

/**
 * A reuse fingerprint: HMAC-SHA256 of the password under the vault's reuse key (kept across key
 * epochs, ADR 0013; for a vault from before them, the K_vault subkey it was made with). Equal passwords
 * give equal fingerprints, so health can flag reuse for roles that cannot read passwords
 * (`security`); without K_vault the fingerprint says nothing. A K_vault holder could test guesses
 * against it, which is why it is never a plain hash and never leaves the vault in an export.
 */
export function reuseFingerprint(reuseKey: SecretBytes, password: string): string {
  const text = utf8(password.normalize('NFC'));
  try {
    return toHex(hmacSha256(reuseKey.reveal(), text));
  } finally {
    text.fill(0);
  }
}

/**
 * The lookup tag of an account (platform:handle, case-insensitive), under another K_vault subkey:
 * finds one account, or refuses a duplicate, without opening every row.
 */
export function accountLookupTag(vaultKey: SecretBytes, label: string): Uint8Array {
  const subkey = hmacSha256(vaultKey.reveal(), utf8('custodian/account-lookup/v1'));
  try {
    return hmacSha256(subkey, utf8(label.normalize('NFC').toLowerCase()));
  } finally {
    subkey.fill(0);
  }
}

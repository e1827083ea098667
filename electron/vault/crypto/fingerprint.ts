import { hmacSha256, toHex, utf8 } from './hash.ts';
import type { SecretBytes } from './secret-bytes.ts';

/**
 * A reuse label (issue 13, attack 9): HMAC-SHA256 of the password under a subkey of the team's
 * secret key, which only lead and dmt members hold, and they can read every password anyway.
 * Equal passwords under one team key give equal labels, so health shows `security` which accounts
 * share a password; without the team secret a label tests no guess. (The label it replaces was
 * keyed by K_vault, which every member holds: a password oracle at HMAC speed.) The label names
 * the team-key generation, `t3:…`, so labels from before a rotation never match later ones.
 */
export function reuseLabel(
  teamSecretKey: SecretBytes,
  generation: number,
  password: string,
): string {
  const subkey = hmacSha256(teamSecretKey.reveal(), utf8('custodian/reuse-label/v2'));
  const text = utf8(password.normalize('NFC'));
  try {
    return `t${generation}:${toHex(hmacSha256(subkey, text))}`;
  } finally {
    subkey.fill(0);
    text.fill(0);
  }
}

/** A label made under the team key (above), not one of the K_vault fingerprints before it. */
export function isTeamKeyedLabel(label: string): boolean {
  return /^t\d+:[0-9a-f]{64}$/.test(label);
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

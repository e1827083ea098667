import type { Role } from '../../shared/domain/roles.ts';
import { canonicalJson } from './canonical-json.ts';
import { toHex, utf8 } from './crypto/hash.ts';
import { sign, verifySignature, type SigningKeyPair } from './crypto/keys.ts';

/**
 * A member certificate: a lead's signature binding a member id to a role and public keys
 * (DESIGN.md "Keys"). Kept apart from the keyring (slots, passphrases, the KDF) because the
 * offline verifier checks certificates with nothing but public keys, and must load no more.
 */
export interface CertificateBody {
  readonly vault: string;
  readonly member: string;
  readonly role: Role;
  readonly boxPublicKey: Uint8Array;
  readonly signPublicKey: Uint8Array;
  readonly certifiedBy: string;
  readonly certifiedAt: string;
}

export function certificateBytes(body: CertificateBody): Uint8Array {
  return utf8(
    canonicalJson({
      type: 'custodian.member-certificate/1',
      vault: body.vault,
      member: body.member,
      role: body.role,
      boxPublicKey: toHex(body.boxPublicKey),
      signPublicKey: toHex(body.signPublicKey),
      certifiedBy: body.certifiedBy,
      certifiedAt: body.certifiedAt,
    }),
  );
}

export function signCertificate(signer: SigningKeyPair, body: CertificateBody): Uint8Array {
  return sign(signer.secretKey, certificateBytes(body));
}

export function certificateValid(
  signerPublicKey: Uint8Array,
  body: CertificateBody,
  signature: Uint8Array,
): boolean {
  return verifySignature(signerPublicKey, certificateBytes(body), signature);
}

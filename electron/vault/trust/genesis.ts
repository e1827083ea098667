import { toHex } from '../crypto/hash.ts';
import type { KdfParams } from '../crypto/kdf-params.ts';
import type { MemberKeys } from '../keyring.ts';
import {
  genesisState,
  nextStatement,
  type ChainRow,
  type Statement,
  type TrustState,
} from './chain.ts';
import { signedRow } from './upgrade.ts';

/**
 * A new vault's genesis statement: the founder, self-signed, with the first team key (ADR 0010)
 * the commitment to the first key epoch's K_vault (ADR 0019) and the default key derivation for
 * new slots (ADR 0030).
 */
export function genesisFor(
  vaultId: string,
  at: string,
  founderId: string,
  keys: MemberKeys,
  teamPublicKey: Uint8Array,
  vaultKeyCommitment?: Uint8Array,
  defaultKdf?: KdfParams,
): { statement: Statement; row: ChainRow; state: TrustState } {
  const statement = nextStatement({ vault: vaultId, head: undefined }, founderId, at, {
    kind: 'genesis',
    member: founderId,
    role: 'lead',
    boxPublicKey: toHex(keys.box.publicKey),
    signPublicKey: toHex(keys.signing.publicKey),
    teamPublicKey: toHex(teamPublicKey),
    teamGeneration: 1,
    ...(vaultKeyCommitment ? { vaultKeyCommitment: toHex(vaultKeyCommitment) } : {}),
    // The founder signs the default key derivation for new slots (ADR 0030).
    ...(defaultKdf ? { defaultKdf } : {}),
  });
  const row = signedRow(keys.signing.secretKey, statement);
  return { statement, row, state: genesisState(keys.signing.publicKey, vaultId, row) };
}

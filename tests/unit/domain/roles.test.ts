import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../shared/errors.ts';
import { OpenFailed, open } from '../../../electron/vault/crypto/aead.ts';
import { boxPublicKeyOf, openSealed } from '../../../electron/vault/crypto/keys.ts';
import { openTeamKeyGrant } from '../../../electron/vault/store/key-wrap-codec.ts';
import { readHeader } from '../../../electron/vault/store/header-store.ts';
import { SecretBytes } from '../../../electron/vault/crypto/secret-bytes.ts';
import { listAccounts } from '../../../electron/vault/domain/accounts.ts';
import { grantAdministrator } from '../../../electron/vault/domain/administrators.ts';
import { revealPassword } from '../../../electron/vault/domain/reveal.ts';
import { rotatePassword } from '../../../electron/vault/domain/rotations.ts';
import { findMemberByName, removeMember } from '../../../electron/vault/domain/members.ts';
import { VaultError } from '../../../electron/vault/errors.ts';
import { accountStore } from '../../../electron/vault/store/account-store.ts';
import { memberStore } from '../../../electron/vault/store/member-store.ts';
import { typedPathChooser } from '../../../electron/vault/file-handles.ts';
import { VaultRouter } from '../../../electron/vault/router.ts';
import { MemoryClipboard } from '../../../scripts/preview/console-page.ts';
import { unlockAt } from '../../helpers/router.ts';
import { PASSPHRASES, populatedVault, tempDir, unlockAs } from '../../helpers/vault.ts';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof VaultError) return error.code;
    throw error;
  }
  return undefined;
}

describe('role limits are cryptographic', () => {
  let path: string;
  let cleanup: () => void;
  let accounts: string[];
  beforeEach(async () => {
    const temp = tempDir();
    cleanup = temp.cleanup;
    path = `${temp.dir}/team.vault`;
    ({ accounts } = await populatedVault(path));
  });
  afterEach(() => cleanup());

  it('a security member lists accounts but is refused a reveal', async () => {
    const security = await unlockAs(path, 'Sam Security', PASSPHRASES.security);
    expect(listAccounts(security).map((a) => a.handle)).toEqual([
      'NorfolkPolice',
      'SuffolkRoadsPolicing',
    ]);
    expect(codeOf(() => revealPassword(security, accounts[0]!, 'curious'))).toBe(
      ErrorCode.FORBIDDEN,
    );
    security.close();
  });

  it("a security member's unwrapped keys cannot open a credential blob, whatever they try", async () => {
    const security = await unlockAs(path, 'Sam Security', PASSPHRASES.security);
    const { db, keys } = security;
    expect(security.team).toBeUndefined();
    // Their team_key_grants row is a decoy (ADR 0028): it opens, to bytes that are no team key.
    const decoy = openTeamKeyGrant(
      keys.box,
      memberStore.teamGrant(db, security.member.id)!.sealed_box,
    );
    const header = readHeader(db)!;
    expect(Buffer.from(boxPublicKeyOf(decoy)).equals(header.team_public_key)).toBe(false);
    const candidates = [
      keys.vault,
      keys.box.secretKey,
      new SecretBytes(keys.signing.secretKey.reveal().slice(0, 32)),
      decoy,
    ];
    for (const credential of accountStore.allCredentials(db)) {
      for (const key of candidates) {
        // Even with the associated data guessed right, no key of theirs opens the blob.
        expect(() => open(key, credential.sealed, new Uint8Array())).toThrow(OpenFailed);
      }
      for (const wrap of accountStore.wrapsFor(db, credential.account_id)) {
        expect(() => openSealed(keys.box, wrap.sealed_box)).toThrow(OpenFailed);
        const asTeam = { publicKey: boxPublicKeyOf(decoy), secretKey: decoy };
        expect(() => openSealed(asTeam, wrap.sealed_box)).toThrow(OpenFailed);
      }
    }
    security.close();
  });

  it('an admin reads only the accounts they administer (policy 10.2)', async () => {
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    grantAdministrator(lead, accounts[0]!, findMemberByName(lead, 'Ada Admin').id);
    lead.close();
    const admin = await unlockAs(path, 'Ada Admin', PASSPHRASES.admin);
    expect(revealPassword(admin, accounts[0]!, 'posting an appeal').expose()).toBe(
      'first-Password-1',
    );
    expect(codeOf(() => revealPassword(admin, accounts[1]!, 'curious'))).toBe(ErrorCode.FORBIDDEN);
    rotatePassword(admin, accounts[0]!, { reason: 'scheduled', password: 'admin-Rotated-3' });
    expect(revealPassword(admin, accounts[0]!, 'check').expose()).toBe('admin-Rotated-3');
    admin.close();
  });

  it('only a lead adds or removes members: the contract says so and the router refuses the rest', async () => {
    // The role rule lives in the contract alone (issue 12); every way in goes through the router.
    const router = new VaultRouter({ clipboard: new MemoryClipboard(), files: typedPathChooser });
    expect((await unlockAt(router, path, 'Dev Dmt', PASSPHRASES.dmt)).ok).toBe(true);
    const add = await router.invoke('members.add', {
      name: 'New Person',
      role: 'dmt',
      passphrase: 'a long passphrase',
    });
    const remove = await router.invoke('members.remove', { name: 'Ada Admin' });
    for (const refused of [add, remove]) {
      expect(refused).toMatchObject({ ok: false, error: { code: ErrorCode.FORBIDDEN } });
    }
    router.lock('asked');
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    // Nobody was added, and Ada is still a member.
    expect(memberStore.all(lead.db)).toHaveLength(4);
    expect(memberStore.all(lead.db).every((m) => m.removed_at === null)).toBe(true);
    lead.close();
  });
});

describe('removing a member (policy 10.2)', () => {
  let path: string;
  let cleanup: () => void;
  let accounts: string[];
  beforeEach(async () => {
    const temp = tempDir();
    cleanup = temp.cleanup;
    path = `${temp.dir}/team.vault`;
    ({ accounts } = await populatedVault(path));
  });
  afterEach(() => cleanup());

  it('a dmt leaver makes every account rotation due, and the rotation answers it', async () => {
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    expect(removeMember(lead, 'Dev Dmt').accountsMarked).toBe(2);
    expect(listAccounts(lead).every((a) => a.rotationDueSince !== null)).toBe(true);
    rotatePassword(lead, accounts[0]!, {
      reason: 'membership-change',
      password: 'after-Leaver-1',
      informed: ['Ada Admin'],
    });
    const [first, second] = listAccounts(lead);
    expect(first!.rotationDueSince).toBeNull();
    expect(second!.rotationDueSince).not.toBeNull();
    lead.close();
  });

  it("a dmt leaver's copy of the old team key opens nothing written after they left", async () => {
    const dmt = await unlockAs(path, 'Dev Dmt', PASSPHRASES.dmt);
    const kept = {
      publicKey: dmt.team!.publicKey,
      secretKey: new SecretBytes(dmt.team!.secretKey.reveal().slice()),
    };
    dmt.close();
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    removeMember(lead, 'Dev Dmt');
    rotatePassword(lead, accounts[0]!, { reason: 'membership-change', password: 'after-Leaver-2' });
    for (const wrap of accountStore.wrapsFor(lead.db, accounts[0]!)) {
      expect(() => openSealed(kept, wrap.sealed_box)).toThrow(OpenFailed);
    }
    expect(revealPassword(lead, accounts[0]!, 'check').expose()).toBe('after-Leaver-2');
    lead.close();
  });

  it('an admin leaver marks only the accounts they administered; a security leaver marks none', async () => {
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    grantAdministrator(lead, accounts[1]!, findMemberByName(lead, 'Ada Admin').id);
    expect(removeMember(lead, 'Ada Admin').accountsMarked).toBe(1);
    expect(listAccounts(lead).map((a) => a.rotationDueSince !== null)).toEqual([false, true]);
    expect(removeMember(lead, 'Sam Security').accountsMarked).toBe(0);
    lead.close();
  });

  it('the last lead cannot be removed, nor can a lead remove themselves', async () => {
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    expect(codeOf(() => removeMember(lead, 'Lena Lead'))).toBe(ErrorCode.INVALID_INPUT);
    lead.close();
  });
});

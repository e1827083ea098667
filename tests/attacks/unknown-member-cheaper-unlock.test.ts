import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode } from '../../shared/errors.ts';
import { addMember } from '../../electron/vault/domain/members.ts';
import { createVault } from '../../electron/vault/vault.ts';
import { PASSPHRASES, tempDir, unlockAs, vaultLocation } from '../helpers/vault.ts';
import { kdfJson, lowerDefaultKdfAsMember } from './insider.ts';

/** Every Argon2 derivation's memory cost, recorded on the way through to the real one. */
const memoryCosts = vi.hoisted(() => [] as number[]);
/** Memory and passes of every derivation, as `MiB/passes`. */
const settings = vi.hoisted(() => [] as string[]);
vi.mock('@node-rs/argon2', async (importActual) => {
  const actual = await importActual<typeof import('@node-rs/argon2')>();
  return {
    ...actual,
    hashRaw: (input: Buffer, options: { memoryCost?: number; timeCost?: number }) => {
      memoryCosts.push(options.memoryCost ?? 0);
      settings.push(`${(options.memoryCost ?? 0) / 1024}/${options.timeCost ?? 0}`);
      return actual.hashRaw(input, options);
    },
  };
});

/**
 * Issue 13, attack 14: an unknown name derived with the header's default while a real member's
 * slot used stronger parameters, so a quicker "unlock failed" told an outsider the name was not a
 * member. An unknown name now costs the strongest slot's derivation.
 */
describe('an unknown name costs as much as the strongest slot (issue 13, attack 14)', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    path = `${dir}/team.vault`;
  });
  afterEach(() => cleanup());

  it('after the default is lowered below a slot, an unknown name still derives at the slot', async () => {
    const founder = await createVault(vaultLocation(path), {
      founderName: 'Lena Lead',
      passphrase: PASSPHRASES.lead,
      kdf: JSON.parse(kdfJson(24, 2)) as never,
    });
    await addMember(founder, {
      name: 'Sam Security',
      role: 'security',
      passphrase: PASSPHRASES.security,
    });
    founder.close();
    await lowerDefaultKdfAsMember(
      path,
      { name: 'Sam Security', passphrase: PASSPHRASES.security },
      kdfJson(19, 2),
    );

    memoryCosts.length = 0;
    await expect(unlockAs(path, 'Nobody Here', 'any passphrase at all')).rejects.toMatchObject({
      code: ErrorCode.AUTH_FAILED,
    });
    expect(memoryCosts).toEqual([24 * 1024]);

    memoryCosts.length = 0;
    await expect(unlockAs(path, 'Lena Lead', 'the wrong passphrase')).rejects.toMatchObject({
      code: ErrorCode.AUTH_FAILED,
    });
    expect(memoryCosts).toEqual([24 * 1024]);
  });

  it('with slots at two settings, a stranger, a wrong passphrase and a member each derive at both, strongest first', async () => {
    const founder = await createVault(vaultLocation(path), {
      founderName: 'Lena Lead',
      passphrase: PASSPHRASES.lead,
      kdf: JSON.parse(kdfJson(24, 2)) as never,
    });
    await addMember(founder, {
      name: 'Sam Security',
      role: 'security',
      passphrase: PASSPHRASES.security,
    });
    founder.close();
    // A member moves the default (re-MACed); it is not what the founder signed (24 MiB, 2
    // passes), so the next member's slot takes the stronger of that and the app's default
    // (ADR 0030): 256 MiB and 3 passes.
    await lowerDefaultKdfAsMember(
      path,
      { name: 'Sam Security', passphrase: PASSPHRASES.security },
      kdfJson(19, 3),
    );
    const lead = await unlockAs(path, 'Lena Lead', PASSPHRASES.lead);
    try {
      await addMember(lead, { name: 'Dev Dmt', role: 'dmt', passphrase: PASSPHRASES.dmt });
    } finally {
      lead.close();
    }
    const expected = ['256/3', '24/2'];
    for (const [name, passphrase, outcome] of [
      ['Nobody Here', 'any passphrase at all', 'refused'],
      ['Dev Dmt', 'the wrong passphrase', 'refused'],
      ['Lena Lead', PASSPHRASES.lead, 'unlocked'],
      ['Dev Dmt', PASSPHRASES.dmt, 'unlocked'],
    ] as const) {
      settings.length = 0;
      if (outcome === 'refused') {
        await expect(unlockAs(path, name, passphrase)).rejects.toMatchObject({
          code: ErrorCode.AUTH_FAILED,
        });
      } else {
        (await unlockAs(path, name, passphrase)).close();
      }
      expect(settings, `${name}, ${outcome}`).toEqual(expected);
    }
  });
});

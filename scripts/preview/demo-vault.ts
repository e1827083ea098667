import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ROLES } from '../../shared/domain/roles.ts';
import { MINIMUM_KDF } from '../../electron/vault/crypto/kdf.ts';
import { importAccounts } from '../../electron/vault/domain/import.ts';
import { addMember } from '../../electron/vault/domain/members.ts';
import { createVault } from '../../electron/vault/vault.ts';

const membersSchema = z.object({
  lead: z.object({ name: z.string(), passphrase: z.string() }),
  members: z.array(z.object({ name: z.string(), role: z.enum(ROLES), passphrase: z.string() })),
});
export type DemoMembers = z.infer<typeof membersSchema>;

const resource = (name: string) => new URL(`../../resources/demo/${name}`, import.meta.url);

export function demoMembers(): DemoMembers {
  return membersSchema.parse(JSON.parse(readFileSync(resource('members.json'), 'utf8')));
}

/**
 * A demo vault built from resources/demo through the real core: members with each role and the
 * accounts of accounts.csv, every step audited. The KDF floor keeps it quick; it holds nothing real.
 */
export async function createDemoVault(path: string): Promise<DemoMembers> {
  const members = demoMembers();
  const lead = await createVault(path, {
    founderName: members.lead.name,
    passphrase: members.lead.passphrase,
    kdf: MINIMUM_KDF,
  });
  try {
    for (const m of members.members) {
      await addMember(lead, { name: m.name, role: m.role, passphrase: m.passphrase });
    }
    const imported = await importAccounts(lead, readFileSync(resource('accounts.csv'), 'utf8'));
    if (imported.written !== imported.total)
      throw new Error(`The demo accounts.csv has ${imported.invalid} rows the import refuses.`);
  } finally {
    lead.close();
  }
  return members;
}

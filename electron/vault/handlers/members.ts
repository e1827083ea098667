import { addMember, changeOwnPassphrase, listMembers, removeMember } from '../domain/members.ts';
import type { HandlerContext, Handlers } from './types.ts';

/** Vault members: the lead adds and removes them; each changes their own passphrase. */
export function membersHandlers(ctx: HandlerContext): Handlers<'members'> {
  return {
    'members.list': () =>
      listMembers(ctx.session()).map((m) => ({
        id: m.id,
        name: m.name,
        role: m.role,
        certifiedBy: m.certifiedBy,
        addedAt: m.addedAt,
        removedAt: m.removedAt,
      })),
    'members.add': async (r) => {
      const m = await addMember(ctx.session(), r);
      return { id: m.id, name: m.name, role: m.role };
    },
    'members.remove': (r) => removeMember(ctx.session(), r.name),
    'members.change-passphrase': async (r) => {
      await changeOwnPassphrase(ctx.session(), r.passphrase);
      return {};
    },
  };
}

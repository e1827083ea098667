import { copyVault } from '../vault-copy.ts';
import type { HandlerContext, Handlers } from './types.ts';

/**
 * The vault channels that hold no router state (the others, create, unlock and lock, start and
 * end the router's session, so router.ts handles them): the copy of the open vault (ADR 0032).
 * The copy records the session's lock before its snapshot; the router then ends the session
 * (router.ts #endIfEnded), whether the copy succeeded or not.
 */
export function vaultHandlers(ctx: HandlerContext): Pick<Handlers<'vault'>, 'vault.copy'> {
  return {
    'vault.copy': (r) => copyVault(ctx.session(), ctx.file(r.to, 'new-vault')),
  };
}

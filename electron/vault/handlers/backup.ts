import { basename } from 'node:path';
import { ErrorCode } from '../../../shared/errors.ts';
import { isServerUrl } from '../../../shared/vault-location.ts';
import { backupVault } from '../backup.ts';
import { invalidInput, VaultError } from '../errors.ts';
import type { HandlerContext, Handlers } from './types.ts';

/** `custodian backup` in the console: the open vault copied, sealed as it is, to a new file. */
export function backupHandlers(ctx: HandlerContext): Handlers<'backup'> {
  return {
    'backup.create': async (r) => {
      const session = ctx.session();
      if (isServerUrl(session.path))
        throw invalidInput(
          'This vault is on a PostgreSQL server: it is backed up there (pg_dump, by whoever runs the server), not from the console; nothing was written.',
        );
      const out = ctx.file(r.file, 'backup');
      const name = basename(out);
      try {
        const { bytes } = await backupVault(session.path, out);
        return { name, bytes };
      } catch (error) {
        // The export's wording offers --replace; a backup never replaces a file (a restore loses
        // nothing because every backup it might need is still there).
        if (error instanceof VaultError && error.code === ErrorCode.EXISTS)
          throw new VaultError(
            ErrorCode.EXISTS,
            `${name} already exists, and a backup never replaces a file; nothing was written. Choose a new name (with today's date in it, say).`,
          );
        throw error;
      }
    },
  };
}

import type { VaultRouter } from '../../electron/vault/router.ts';
import { isServerUrl } from '../../shared/vault-location.ts';
import { vaultLocation } from './vault.ts';

type Purpose = 'open-vault' | 'new-vault' | 'export';

/**
 * A handle for a typed path, as the preview's window gets one (the router's host must have been
 * given `typedPathChooser`): create, unlock and export take handles, never paths.
 */
export async function fileHandle(
  router: VaultRouter,
  path: string,
  purpose: Purpose = 'open-vault',
): Promise<string> {
  const chosen = await router.invoke('files.choose', { purpose, typedPath: path });
  if (!chosen.ok) throw new Error(`files.choose refused ${path}: ${chosen.error.message}`);
  const file = (chosen.value as { file: { handle: string } | null }).file;
  if (!file) throw new Error(`files.choose returned no file for ${path}`);
  return file.handle;
}

/**
 * vault.unlock for the vault a test names by `path`: the file through a handle, or on the server
 * backend (tests/backends.ts) its database's URL, as the console's "Team server" tab sends it.
 */
export async function unlockAt(
  router: VaultRouter,
  path: string,
  memberName: string,
  passphrase: string,
) {
  const location = vaultLocation(path);
  return router.invoke('vault.unlock', {
    ...(isServerUrl(location)
      ? { server: location }
      : { file: await fileHandle(router, location) }),
    memberName,
    passphrase,
  });
}

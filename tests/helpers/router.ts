import type { VaultRouter } from '../../electron/vault/router.ts';

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

/** vault.unlock for the file at `path`, through a handle. */
export async function unlockAt(
  router: VaultRouter,
  path: string,
  memberName: string,
  passphrase: string,
) {
  return router.invoke('vault.unlock', {
    file: await fileHandle(router, path),
    memberName,
    passphrase,
  });
}

import { typedPathChooser } from '../../electron/vault/file-handles.ts';
import { VaultRouter } from '../../electron/vault/router.ts';
import { MemoryClipboard } from '../../scripts/preview/console-page.ts';
import { isServerUrl } from '../../shared/vault-location.ts';
import { ManualTimers } from './timers.ts';
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

/**
 * A console's router as the preview's window has one (typed paths, a clipboard and timers of the
 * test's own). `live`: it watches the vault as an open console does (ADR 0033), its poll left
 * long so that the test asks for each refresh itself.
 */
export function consoleRouter(
  options: { onLocked?: (why: string) => void; live?: boolean } = {},
): VaultRouter {
  return new VaultRouter({
    clipboard: new MemoryClipboard(),
    timers: new ManualTimers(),
    files: typedPathChooser,
    onLocked: options.onLocked ?? (() => undefined),
    ...(options.live ? { onVaultChanged: () => undefined, liveRefresh: { pollMs: 60_000 } } : {}),
  });
}

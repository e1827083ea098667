import { expect } from 'vitest';
import { typedPathChooser } from '../../electron/vault/file-handles.ts';
import { VaultRouter } from '../../electron/vault/router.ts';
import { MemoryClipboard } from '../../scripts/preview/console-page.ts';
import { unlockAt } from './router.ts';

export type Result<T = unknown> =
  { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** A router unlocked as a member, as the console holds one: every request goes through the contract. */
export async function routerAs(
  path: string,
  name: string,
  passphrase: string,
): Promise<VaultRouter> {
  const router = new VaultRouter({ clipboard: new MemoryClipboard(), files: typedPathChooser });
  expect(await unlockAt(router, path, name, passphrase)).toMatchObject({ ok: true });
  return router;
}

export async function call<T = unknown>(
  router: VaultRouter,
  channel: string,
  request: unknown,
): Promise<Result<T>> {
  return (await router.invoke(channel, request)) as Result<T>;
}

/** The value of a request that must succeed; its message if it does not. */
export async function value<T = unknown>(
  router: VaultRouter,
  channel: string,
  request: unknown,
): Promise<T> {
  const result = await call<T>(router, channel, request);
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.value;
}

import { ErrorCode } from '../../shared/errors.ts';
import type { Channel, IpcResult, RequestOf, ResponseOf } from '../../shared/ipc/contract.ts';
import type { TaskProgress } from '../../shared/ipc/channels.ts';
import { VaultError } from '../vault/errors.ts';
import { typedPathChooser, type FilePurpose } from '../vault/file-handles.ts';
import { VaultRouter } from '../vault/router.ts';
import { redactServerUrl } from '../../shared/vault-location.ts';
import { KeptCheckpointFolder, keptCheckpointDir } from '../vault/kept-checkpoints.ts';
import { currentIo } from './io.ts';
import { readPassphrase } from './prompt.ts';
import { acting, GENERATE, LOCK_WAIT_MS } from './support.ts';

/**
 * One contract request, its result unwrapped: the response, or the failure thrown as the
 * VaultError it was (so `runCli` prints the same one line and exit code as for any refusal).
 * An INTERNAL failure is thrown as a plain error: it is a bug, and the CLI says so as for any
 * other (the fuzz tests count it as unexpected).
 */
export type Call = <C extends Channel>(channel: C, request: RequestOf<C>) => Promise<ResponseOf<C>>;

/** A password newPassword read, or one the open vault generates through the contract. */
export async function passwordFor(call: Call, given: string | typeof GENERATE): Promise<string> {
  if (given !== GENERATE) return given;
  return (await call('generator.generate', { kind: 'characters' })).password;
}

export interface VaultClient {
  readonly call: Call;
  /** A handle for a path named on the command line, for a request that takes a file (export). */
  readonly file: (path: string, purpose: FilePurpose) => Promise<string>;
}

export interface ClientOptions {
  /** Told how far a long task (export, import) has got. */
  readonly onProgress?: (progress: TaskProgress) => void;
  /** A lead accepting a restored backup (`custodian accept-restore`, ADR 0024). */
  readonly acceptRestore?: { readonly reason: string };
  /** Told what the unlock answered (an accepted restore). */
  readonly onUnlocked?: (unlocked: ResponseOf<'vault.unlock'>) => void;
}

/**
 * The CLI's way into a vault, the same as the console's (STYLE.md 13): a VaultRouter whose files
 * are the paths on the command line (typedPathChooser), unlocked through `vault.unlock` with the
 * acting member's passphrase, one command's requests, then locked. The router validates each
 * request against the contract and checks the role; the CLI only parses and prints.
 */
export async function withVault<T>(
  vault: string,
  options: { as?: string; takeOverStaleLock?: boolean },
  run: (client: VaultClient) => Promise<T> | T,
  clientOptions: ClientOptions = {},
): Promise<T> {
  const memberName = acting(options);
  const passphrase = await readPassphrase(`Passphrase for ${memberName}: `, 'CUSTODIAN_PASSPHRASE');
  const router = openRouter(clientOptions);
  const client = clientOf(router);
  try {
    const unlocked = await client.call('vault.unlock', {
      file: await client.file(vault, 'open-vault'),
      memberName,
      passphrase,
      ...(options.takeOverStaleLock ? { takeOverStaleLock: true } : {}),
      ...(clientOptions.acceptRestore ? { acceptRestore: clientOptions.acceptRestore } : {}),
    });
    clientOptions.onUnlocked?.(unlocked);
    if (unlocked.trustedOnFirstUse) {
      currentIo().err(
        `note: this workstation had kept no checkpoint of ${redactServerUrl(vault)}, so it trusts the vault as it is now (first use). From now on every open checks that the vault extends what was seen here.`,
      );
    }
    return await run(client);
  } finally {
    // After a failed integrity check the router has already let go without writing.
    router.lock('quit');
  }
}

/** A router for one command: no clipboard, no idle lock (the command ends it), the CLI's lock wait. */
export function openRouter(options: ClientOptions = {}): VaultRouter {
  return new VaultRouter({
    clipboard: NO_CLIPBOARD,
    files: typedPathChooser,
    timers: NEVER,
    lockWaitMs: LOCK_WAIT_MS,
    sharesWriterBetweenBatches: true,
    // The CLI's own environment (CUSTODIAN_CHECKPOINT_DIR, else the user's state folder).
    keptCheckpoints: new KeptCheckpointFolder(keptCheckpointDir(currentIo().env)),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}

export function clientOf(router: VaultRouter): VaultClient {
  const call: Call = async (channel, request) =>
    unwrap(await router.invoke(channel, request)) as ResponseOf<typeof channel>;
  return {
    call,
    file: async (path, purpose) => {
      const { file } = await call('files.choose', { purpose, typedPath: path });
      if (!file) throw new VaultError(ErrorCode.INVALID_INPUT, `No file at ${path}.`);
      return file.handle;
    },
  };
}

function unwrap(result: IpcResult<unknown>): unknown {
  if (result.ok) return result.value;
  if (result.error.code === ErrorCode.INTERNAL) throw new Error('internal error behind the router');
  throw new VaultError(result.error.code, result.error.message);
}

/** The CLI never copies: a secret it shows goes to stdout, where the person asked for it. */
const NO_CLIPBOARD = {
  writeText: () => {
    throw new Error('The command line has no clipboard.');
  },
  readText: () => '',
  clear: () => undefined,
};

/** A command locks when it ends; an idle timer would only keep the process alive. */
const NEVER = { after: () => () => undefined };

import type { Channel, Invoke, IpcResult, RequestOf, ResponseOf } from '../shared/ipc/contract.ts';
import { ErrorCode } from '../shared/errors.ts';

/**
 * Told with the message whenever the core refuses a call as an integrity failure: it has locked
 * the vault (an unlock, or a refresh that saw a rolled-back or forked trail), and the window shows
 * the refusal screen (App.tsx).
 */
export const REFUSED_EVENT = 'custodian:vault-refused';

declare global {
  interface Window {
    /** Exposed by the preload (Electron) or by the preview's binding: the one way to the vault. */
    readonly custodian?: { readonly invoke: Invoke };
  }
}

/** A failed call, with the router's code and its message written for people. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Call a channel; resolves with its value or rejects with an ApiError carrying the message. */
export async function call<C extends Channel>(
  channel: C,
  request: RequestOf<C>,
): Promise<ResponseOf<C>> {
  const bridge = window.custodian;
  if (!bridge)
    throw new ApiError(
      'INTERNAL',
      'Custodian is not connected to its vault process. Restart the app.',
    );
  const result: IpcResult<ResponseOf<C>> = await bridge.invoke(channel, request);
  if (!result.ok) {
    // The core locks the vault on an integrity failure, wherever it is found (unlock, a refresh
    // that sees a rolled-back or forked trail): the window says so on the refusal screen.
    if (result.error.code === ErrorCode.INTEGRITY) {
      window.dispatchEvent(new CustomEvent(REFUSED_EVENT, { detail: result.error.message }));
    }
    throw new ApiError(result.error.code, result.error.message);
  }
  return result.value;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : 'Something went wrong.';
}

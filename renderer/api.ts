import type { Channel, Invoke, IpcResult, RequestOf, ResponseOf } from '../shared/ipc/contract.ts';

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
  if (!result.ok) throw new ApiError(result.error.code, result.error.message);
  return result.value;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : 'Something went wrong.';
}

import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { ErrorCode } from '../../shared/errors.ts';
import { IPC_INVOKE_CHANNEL, type IpcResult } from '../../shared/ipc/contract.ts';
import type { VaultRouter } from '../vault/router.ts';
import { isAppUrl } from './security.ts';

/**
 * The one IPC handler. The sender's frame must be the app's own top frame (checklist 17): a frame
 * from anywhere else — an injected iframe, a page navigated to — gets a refusal and reaches nothing.
 */
export function handleInvoke(
  ipcMain: IpcMain,
  router: VaultRouter,
  isAppWindow: (event: IpcMainInvokeEvent) => boolean,
): void {
  ipcMain.handle(
    IPC_INVOKE_CHANNEL,
    (event, channel: unknown, payload: unknown): Promise<IpcResult<unknown>> => {
      if (!trustedSender(event) || !isAppWindow(event)) {
        return Promise.resolve({
          ok: false,
          error: {
            code: ErrorCode.FORBIDDEN,
            message: 'Refused: the request did not come from the Custodian window.',
          },
        });
      }
      return router.invoke(channel, payload);
    },
  );
}

export function trustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}

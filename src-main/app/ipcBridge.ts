import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { ApiError, IPC_EVENT, IPC_INVOKE } from '#shared/api/index';
import type { ApiService } from '#main/services/api/apiService';

/**
 * The IPC side of the contract. Every call is checked twice: the sender must be a studio window
 * showing the app's own page (not a frame or a page it navigated to), and the method and params
 * are validated by ApiService with the contract's zod schemas before any service runs.
 */
export function bridgeIpc(
  service: ApiService,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
  windows: () => WebContents[],
): () => void {
  ipcMain.handle(IPC_INVOKE, async (event, method: unknown, params: unknown) => {
    if (!isTrustedSender(event)) {
      return {
        ok: false,
        error: new ApiError('unauthorized', 'IPC from an untrusted sender').toData(),
      };
    }
    try {
      return { ok: true, result: await service.call(method, params) };
    } catch (e) {
      return { ok: false, error: ApiError.from(e).toData() };
    }
  });
  const unsubscribe = service.subscribe((event, payload) => {
    for (const wc of windows()) if (!wc.isDestroyed()) wc.send(IPC_EVENT, event, payload);
  });
  return () => {
    ipcMain.removeHandler(IPC_INVOKE);
    unsubscribe();
  };
}

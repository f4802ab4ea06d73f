import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT, IPC_INVOKE, MEDIA_SCHEME, type PoseStudioBridge } from '#shared/api/client';

/**
 * The only thing the page gets: invoke a contract method, receive events, and the media scheme.
 * Never ipcRenderer itself; main validates the sender and every payload.
 */
const bridge: PoseStudioBridge = {
  invoke: (method, params) => ipcRenderer.invoke(IPC_INVOKE, String(method), params),
  subscribe: (listener) => {
    const handler = (_e: IpcRendererEvent, event: unknown, payload: unknown) => {
      if (typeof event === 'string') listener(event, payload);
    };
    ipcRenderer.on(IPC_EVENT, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, handler);
    };
  },
  mediaScheme: MEDIA_SCHEME,
};

contextBridge.exposeInMainWorld('poseStudio', bridge);

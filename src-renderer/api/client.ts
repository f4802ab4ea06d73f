import type { PoseStudioBridge, PoseStudioClient } from '#shared/api/index';
import { IpcClient } from './ipcClient';
import { WebSocketClient } from './wsClient';

declare global {
  interface Window {
    poseStudio?: PoseStudioBridge;
  }
}

/**
 * Picks the transport at start: the preload bridge when running in the desktop app, else a
 * WebSocket to the host that served the page (token from `?token=` if present).
 */
export function createClient(): PoseStudioClient {
  if (window.poseStudio) return new IpcClient(window.poseStudio);
  return WebSocketClient.fromLocation(window.location);
}

export const api: PoseStudioClient = createClient();

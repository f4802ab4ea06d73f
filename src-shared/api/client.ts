import type { ApiEventName, ApiEventPayload } from './events';
import type { ApiMethodName, ApiParams, ApiResult } from './methods';

/**
 * What a UI holds: one typed call function, event subscription, and a way to turn a project media
 * path into a URL. Implemented over IPC (preload) and over WebSocket (browser mode).
 */
export interface PoseStudioClient {
  call<M extends ApiMethodName>(method: M, params: ApiParams<M>): Promise<ApiResult<M>>;
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEventPayload<E>) => void): () => void;
  mediaUrl(mediaPath: string, version?: string | number): string;
  readonly transport: 'ipc' | 'websocket';
}

/**
 * The narrow bridge the preload script exposes as `window.poseStudio` (contextBridge). Untyped at
 * the boundary on purpose: main validates everything that comes through it.
 */
export interface PoseStudioBridge {
  invoke(method: string, params: unknown): Promise<unknown>;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
  readonly mediaScheme: string;
}

/**
 * Names of the events of the contract. events.ts owns their schemas, but it loads zod, which the
 * preload and the UI's first screen must not wait for; so the names are listed again here, zod-free,
 * and the compiler checks the two lists are equal.
 */
export const apiEventNames = [
  'render.progress',
  'render.job',
  'engine.status',
  'ui.command',
] as const;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _namesMatch: Same<ApiEventName, (typeof apiEventNames)[number]> = true;
void _namesMatch;

export function isApiEventName(name: string): name is ApiEventName {
  return (apiEventNames as readonly string[]).includes(name);
}

/** The custom protocol of project media in the desktop app (never file://). */
export const MEDIA_SCHEME = 'pose-studio-media';
/** The HTTP route of project media in browser mode (same rules as the protocol). */
export const MEDIA_ROUTE = '/media/';
/** IPC channel names. */
export const IPC_INVOKE = 'pose-studio:invoke';
export const IPC_EVENT = 'pose-studio:event';

export function encodeMediaPath(mediaPath: string): string {
  return mediaPath.split('/').map(encodeURIComponent).join('/');
}

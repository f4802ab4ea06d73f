import type {
  ApiEventName,
  ApiEventPayload,
  ApiMethodName,
  ApiParams,
  ApiResult,
  PoseStudioBridge,
  PoseStudioClient,
} from '#shared/api/index';
import { encodeMediaPath, isApiEventName } from '#shared/api/client';
import { ApiError, isApiErrorData } from '#shared/api/errors';

/** Desktop mode: the API through the preload bridge (`window.poseStudio`). */
export class IpcClient implements PoseStudioClient {
  readonly transport = 'ipc' as const;
  private readonly listeners = new Map<ApiEventName, Set<(p: unknown) => void>>();

  constructor(private readonly bridge: PoseStudioBridge) {
    bridge.subscribe((event, payload) => {
      if (!isApiEventName(event)) return;
      for (const l of this.listeners.get(event) ?? []) l(payload);
    });
  }

  async call<M extends ApiMethodName>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> {
    const raw = await this.bridge.invoke(method, params);
    if (typeof raw !== 'object' || raw === null)
      throw new ApiError('internal', 'unreadable reply from main');
    const reply = raw as { ok: true; result: unknown } | { ok: false; error: unknown };
    if (reply.ok === true) return reply.result as ApiResult<M>;
    throw isApiErrorData(reply.error)
      ? ApiError.fromData(reply.error)
      : new ApiError('internal', 'unreadable error from main');
  }

  on<E extends ApiEventName>(
    event: E,
    listener: (payload: ApiEventPayload<E>) => void,
  ): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (p: unknown) => void);
    return () => set.delete(listener as (p: unknown) => void);
  }

  mediaUrl(mediaPath: string, version?: string | number): string {
    const v = version === undefined ? '' : `?v=${encodeURIComponent(String(version))}`;
    return `${this.bridge.mediaScheme}://project/${encodeMediaPath(mediaPath)}${v}`;
  }
}

// Zod-free imports only: the first screen must not wait for the schema library (bench:ui).
import type {
  ApiEventName,
  ApiEventPayload,
  ApiMethodName,
  ApiParams,
  ApiResult,
  PoseStudioClient,
} from '#shared/api/index';
import { MEDIA_ROUTE, encodeMediaPath, isApiEventName } from '#shared/api/client';
import { ApiError, isApiErrorData } from '#shared/api/errors';
import { CLOSE_TOO_BIG, MAX_FRAME_BYTES } from '#shared/api/sizeLimits';

type Pending = { resolve: (v: unknown) => void; reject: (e: ApiError) => void };

/**
 * Browser mode: the API over a WebSocket to the host that served this page. Reconnects after a
 * drop (the host restarted) and fails calls that were in flight with a clear error.
 */
export class WebSocketClient implements PoseStudioClient {
  readonly transport = 'websocket' as const;
  private ws: WebSocket | null = null;
  private opening: Promise<WebSocket> | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<ApiEventName, Set<(p: unknown) => void>>();
  private readonly connectionListeners = new Set<(connected: boolean) => void>();

  constructor(
    private readonly baseUrl: URL,
    private readonly token: string | null,
  ) {}

  static fromLocation(location: Location): WebSocketClient {
    const token = new URLSearchParams(location.search).get('token');
    return new WebSocketClient(new URL(location.href), token);
  }

  onConnection(listener: (connected: boolean) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  async call<M extends ApiMethodName>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> {
    const ws = await this.connect();
    const id = this.nextId++;
    return new Promise<ApiResult<M>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      ws.send(JSON.stringify({ type: 'call', id, method, params }));
    });
  }

  on<E extends ApiEventName>(
    event: E,
    listener: (payload: ApiEventPayload<E>) => void,
  ): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (p: unknown) => void);
    void this.connect().catch(() => undefined);
    return () => set.delete(listener as (p: unknown) => void);
  }

  mediaUrl(mediaPath: string, version?: string | number): string {
    const url = new URL(MEDIA_ROUTE + encodeMediaPath(mediaPath), this.baseUrl);
    if (this.token) url.searchParams.set('token', this.token);
    if (version !== undefined) url.searchParams.set('v', String(version));
    return url.pathname + url.search;
  }

  private connect(): Promise<WebSocket> {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) return Promise.resolve(this.ws);
    if (this.opening) return this.opening;
    const url = new URL('/api', this.baseUrl);
    url.protocol = this.baseUrl.protocol === 'https:' ? 'wss:' : 'ws:';
    if (this.token) url.searchParams.set('token', this.token);
    this.opening = new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => {
        this.ws = ws;
        this.opening = null;
        for (const l of this.connectionListeners) l(true);
        resolve(ws);
      };
      ws.onmessage = (ev) => this.receive(String(ev.data));
      ws.onclose = (ev) => {
        const wasOpen = this.ws === ws;
        this.ws = null;
        this.opening = null;
        const lost =
          ev.code === CLOSE_TOO_BIG
            ? new ApiError(
                'bad-request',
                `the message was too large for the studio host (over ${Math.round(MAX_FRAME_BYTES / 1024 / 1024)} MB)`,
                'Use a smaller picture or file; the studio reconnects by itself.',
              )
            : new ApiError(
                'unavailable',
                'lost the connection to the studio host',
                'Check that `pose-studio serve` is still running, then retry.',
              );
        for (const [, p] of this.pending) p.reject(lost);
        this.pending.clear();
        if (wasOpen) {
          for (const l of this.connectionListeners) l(false);
          // Keep events flowing after a host restart.
          setTimeout(() => void this.connect().catch(() => undefined), 1000);
        } else {
          reject(
            new ApiError(
              'unavailable',
              'cannot connect to the studio host',
              this.token === null
                ? 'Start `pose-studio serve` and open the URL it prints (with its ?token= if it shows one).'
                : 'Check that `pose-studio serve` is running and that the token in the URL is the one it printed.',
            ),
          );
        }
      };
    });
    return this.opening;
  }

  private receive(text: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return;
    }
    // Valid JSON that is not an object ("null", "5") is no frame either.
    if (typeof parsed !== 'object' || parsed === null) return;
    const frame = parsed as Record<string, unknown>;
    if (frame.type === 'event') {
      if (typeof frame.event !== 'string' || !isApiEventName(frame.event)) return;
      for (const l of this.listeners.get(frame.event) ?? []) l(frame.payload);
      return;
    }
    if (typeof frame.id !== 'number') return;
    const p = this.pending.get(frame.id);
    if (!p) return;
    this.pending.delete(frame.id);
    if (frame.type === 'result') p.resolve(frame.result);
    else if (frame.type === 'error' && isApiErrorData(frame.error))
      p.reject(ApiError.fromData(frame.error));
    else p.reject(new ApiError('internal', 'unreadable reply from the studio host'));
  }
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
// Only what serving the page needs is imported up front. ws, zod (the wire schemas) and the media
// resolver load right after the host listens, while the browser is fetching and starting the UI:
// on a 2-core machine that overlap is a good part of the time to an interactive studio.
import { MEDIA_ROUTE } from '#shared/api/client';
import { contentSecurityPolicy } from '#shared/api/csp';
import { decodeUrlPath, MALFORMED_URL_TEXT } from '#shared/api/urlPath';
import type { HostFrame } from '#shared/api/wire';
import type { ApiService } from '#main/services/api/apiService';
import { hostHeaderAllowed, isLoopbackHost, newToken, originAllowed, tokenMatches } from './access';
import { serveStatic } from './staticFiles';

export interface HostOptions {
  /** The services, or a promise of them: the host listens (and serves the UI) while they load. */
  service: ApiService | Promise<ApiService>;
  /** Folder of the built renderer (index.html + assets/). */
  rendererDir: string;
  host?: string;
  port?: number;
  /** Required on any non-loopback bind (generated when not given); optional on loopback. */
  token?: string;
}

export interface RunningHost {
  /** URL to open in a browser (with the token when one is required). */
  url: string;
  host: string;
  port: number;
  token: string | null;
  close(): Promise<void>;
}

export const API_PATH = '/api';

async function lateModules() {
  const [ws, wire, errors, media] = await Promise.all([
    import('ws'),
    import('#shared/api/wire'),
    import('#shared/api/errors'),
    import('#main/services/api/mediaFiles'),
  ]);
  return {
    WebSocketServer: ws.WebSocketServer,
    MAX_FRAME_BYTES: wire.MAX_FRAME_BYTES,
    idOf: wire.idOf,
    parseCallFrame: wire.parseCallFrame,
    ApiError: errors.ApiError,
    mediaResponse: media.mediaResponse,
  };
}
type LateModules = Awaited<ReturnType<typeof lateModules>>;

/** Security headers on every HTTP response of the host. */
export function securityHeaders(): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
  };
}

/**
 * Browser mode: the built UI over HTTP and the API over a WebSocket on the same port. Binds
 * 127.0.0.1 unless told otherwise; any other interface needs the token (query `?token=`) for the
 * API and for project media.
 */
export async function startHost(opts: HostOptions): Promise<RunningHost> {
  const host = opts.host ?? '127.0.0.1';
  const loopback = isLoopbackHost(host);
  const token = opts.token ?? (loopback ? null : newToken());
  const headers = securityHeaders();
  const clients = new Set<WebSocket>();
  const service = Promise.resolve(opts.service);
  let late: Promise<LateModules> | undefined;
  const loadLate = () => (late ??= lateModules());

  const authorized = (req: IncomingMessage): boolean => {
    if (!token) return true;
    const given = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
    return tokenMatches(token, given);
  };

  const http = createServer((req, res) => {
    // A client that aborts its request or disconnects mid-response emits errors on these streams;
    // without a listener Node would throw them and end serve for every other client.
    req.on('error', () => req.destroy());
    res.on('error', () => res.destroy());
    handleHttp(req, res).catch(() => {
      // The reason stays in the host (it may name the app's own files); the client gets a line.
      if (!res.headersSent) res.writeHead(500, { ...headers, 'content-type': 'text/plain' });
      res.end('the studio host could not answer this request; try again');
    });
  });
  // Malformed HTTP (bad request line, headers too large, a reset): an answer for this client
  // only, with the status Node itself would use.
  http.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const status =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? '431 Request Header Fields Too Large'
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? '408 Request Timeout'
          : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostHeaderAllowed(loopback, req.headers.host)) {
      res.writeHead(421, { ...headers, 'content-type': 'text/plain' });
      res.end('wrong host name for a loopback-only studio');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, allow: 'GET, HEAD' });
      res.end();
      return;
    }
    const path = (req.url ?? '/').split('?')[0]!;
    if (path.startsWith(MEDIA_ROUTE)) {
      if (!authorized(req)) {
        res.writeHead(401, { ...headers, 'content-type': 'text/plain' });
        res.end('token required');
        return;
      }
      const mediaPath = decodeUrlPath(path.slice(MEDIA_ROUTE.length));
      if (mediaPath === null) {
        res.writeHead(400, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
        res.end(MALFORMED_URL_TEXT);
        return;
      }
      const { mediaResponse } = await loadLate();
      const m = await mediaResponse((await service).projectFolder(), mediaPath, req.headers.range);
      res.writeHead(m.status, { ...headers, ...m.headers });
      if (typeof m.body === 'string') res.end(m.body);
      else if (req.method === 'HEAD') {
        m.body.destroy();
        res.end();
        // pipeline, not pipe: a client that disconnects mid-video closes the file too.
      } else await pipeline(m.body, res).catch(() => undefined);
      return;
    }
    await serveStatic(opts.rendererDir, path, res, headers);
  }

  let wss: WebSocketServer | undefined;
  const socketServer = async (): Promise<WebSocketServer> => {
    const m = await loadLate();
    if (wss) return wss;
    wss = new m.WebSocketServer({ noServer: true, maxPayload: m.MAX_FRAME_BYTES });
    wss.on('error', () => undefined);
    wss.on('connection', (ws: WebSocket) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      // A protocol error (frame over the limit, invalid UTF-8, bad opcode, unmasked frame, bad
      // close code) is this client's alone: ws has already closed it with the matching code
      // (1009, 1007, 1002 …). Without a listener the error would be thrown and end serve.
      ws.on('error', () => clients.delete(ws));
      ws.on('message', (data: RawData, isBinary: boolean) => {
        void handleMessage(m, ws, data, isBinary);
      });
    });
    return wss;
  };
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A reset during the handshake must not reach the process as an unhandled error.
    socket.on('error', () => socket.destroy());
    const path = (req.url ?? '/').split('?')[0];
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    };
    if (path !== API_PATH) return refuse(404, 'Not Found');
    if (!hostHeaderAllowed(loopback, req.headers.host)) return refuse(421, 'Misdirected Request');
    if (!originAllowed(req.headers.origin, req.headers.host)) return refuse(403, 'Forbidden');
    if (!authorized(req)) return refuse(401, 'Unauthorized');
    void socketServer().then(
      (server) =>
        server.handleUpgrade(req, socket, head, (ws) => server.emit('connection', ws, req)),
      () => refuse(500, 'Internal Server Error'),
    );
  });

  const send = (ws: WebSocket, frame: HostFrame) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };

  async function handleMessage(
    { ApiError, idOf, parseCallFrame }: LateModules,
    ws: WebSocket,
    data: RawData,
    isBinary: boolean,
  ): Promise<void> {
    const text = isBinary ? '' : data.toString();
    let id: number | null = idOf(text);
    try {
      if (isBinary)
        throw new ApiError(
          'bad-request',
          'binary messages are not part of the API; send JSON text',
        );
      const call = parseCallFrame(text);
      id = call.id;
      const result = await (await service).call(call.method, call.params);
      send(ws, { type: 'result', id: call.id, result });
    } catch (e) {
      send(ws, { type: 'error', id, error: ApiError.from(e).toData() });
    }
  }

  const unsubscribe = service.then((s) =>
    s.subscribe((event, payload) => {
      for (const ws of clients) send(ws, { type: 'event', event, payload });
    }),
  );
  // A service that fails to start is reported by whoever created it; calls then fail with it.
  unsubscribe.catch(() => undefined);

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port ?? 5170, host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  setImmediate(() => void loadLate().catch(() => undefined));
  const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const url = `http://${shown}:${port}/${token ? `?token=${encodeURIComponent(token)}` : ''}`;

  return {
    url,
    host,
    port,
    token,
    async close() {
      (await unsubscribe.catch(() => () => undefined))();
      for (const ws of clients) ws.terminate();
      wss?.close();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}

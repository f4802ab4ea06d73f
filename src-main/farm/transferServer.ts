import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RgbImage } from '#shared/image/rgbImage';
import type { Segment } from '#shared/render/plan';
import { decodeSegment } from '#main/scheduler/cache/segmentCodec';
import { sameToken, sha256, sha256File } from './fileHash';

interface Expected {
  segment: Pick<Segment, 'index' | 'hash' | 'start' | 'end'>;
  width: number;
  height: number;
  resolve(result: { frames: RgbImage[]; sha256: string; bytes: number }): void;
}

export interface TransferServerOptions {
  /** Interface to listen on (default 127.0.0.1; 0.0.0.0 for workers on other machines). */
  host?: string;
  port?: number;
  /** Host name workers use to reach this machine (default: `host`). */
  advertise?: string;
}

/**
 * The manager's side of the transfer: workers fetch a render's inputs by content hash
 * (`GET /assets/<sha256>`) and upload each encoded segment (`PUT /segments/<hash>` with its
 * sha-256 in `x-content-sha256`). Every request carries the render's token. An upload is accepted
 * only for a segment the manager is waiting for, only if its bytes match the sha-256 and decode to
 * exactly that segment (hash, frame range, size): what enters the segment cache is checked here.
 */
export class TransferServer {
  readonly token = randomBytes(32).toString('hex');
  private readonly assets = new Map<string, string>();
  private readonly expected = new Map<string, Expected>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(options: TransferServerOptions = {}): Promise<TransferServer> {
    const host = options.host ?? '127.0.0.1';
    // The handler needs the instance, which needs the listening server's port.
    const ref: { self?: TransferServer } = {};
    const server = createServer((req, res) => {
      ref.self!.handle(req, res).catch((e: unknown) => {
        send(res, 500, `transfer failed: ${e instanceof Error ? e.message : String(e)}`);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const shown = options.advertise ?? (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);
    const self = new TransferServer(
      server,
      `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`,
    );
    ref.self = self;
    return self;
  }

  /** Offers a file to the workers; returns its sha-256, the name they fetch it by. */
  async addAsset(path: string): Promise<string> {
    const hash = await sha256File(path);
    this.assets.set(hash, path);
    return hash;
  }

  /**
   * Resolves with the segment's frames once a worker uploaded a valid encoding of it. `release`
   * stops waiting (cancel, failure): a later upload is refused.
   */
  expectSegment(
    segment: Expected['segment'],
    size: { width: number; height: number },
  ): { result: Promise<{ frames: RgbImage[]; sha256: string; bytes: number }>; release(): void } {
    let resolve!: Expected['resolve'];
    const result = new Promise<{ frames: RgbImage[]; sha256: string; bytes: number }>((r) => {
      resolve = r;
    });
    const entry: Expected = { segment, ...size, resolve };
    this.expected.set(segment.hash, entry);
    return {
      result,
      release: () => {
        if (this.expected.get(segment.hash) === entry) this.expected.delete(segment.hash);
      },
    };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const auth = req.headers.authorization;
    if (!sameToken(auth?.startsWith('Bearer ') ? auth.slice(7) : undefined, this.token))
      return send(res, 401, 'wrong or missing render token');
    const url = new URL(req.url ?? '/', 'http://x');
    const asset = /^\/assets\/([0-9a-f]{64})$/.exec(url.pathname);
    if (asset && req.method === 'GET') {
      const path = this.assets.get(asset[1]!);
      if (!path) return send(res, 404, 'no such asset in this render');
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const stream = createReadStream(path);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
      return;
    }
    const seg = /^\/segments\/([0-9a-f]{32})$/.exec(url.pathname);
    if (seg && req.method === 'PUT') return this.receive(seg[1]!, req, res);
    send(res, 404, 'unknown request');
  }

  private async receive(hash: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const want = this.expected.get(hash);
    if (!want) return send(res, 409, 'this render is not waiting for that segment');
    const declared = String(req.headers['x-content-sha256'] ?? '');
    if (!/^[0-9a-f]{64}$/.test(declared)) return send(res, 400, 'x-content-sha256 is missing');
    const frames = want.segment.end - want.segment.start;
    // Deflate never grows data by more than a few bytes per 16 KiB block: the raw size plus 1%
    // and a header's worth is the most a genuine segment can weigh.
    const limit = Math.ceil(frames * want.width * want.height * 3 * 1.01) + 64 * 1024;
    const body = await readBody(req, limit);
    if (!body) return send(res, 413, `segment upload is larger than ${limit} bytes`);
    const digest = sha256(body);
    if (digest !== declared) return send(res, 400, 'segment upload does not match its sha-256');
    let decoded;
    try {
      decoded = await decodeSegment(body);
    } catch (e) {
      return send(res, 400, `segment upload is not a segment: ${(e as Error).message}`);
    }
    const h = decoded.header;
    if (
      h.hash !== hash ||
      h.start !== want.segment.start ||
      h.end !== want.segment.end ||
      h.width !== want.width ||
      h.height !== want.height ||
      decoded.frames.length !== frames
    )
      return send(res, 400, 'segment upload holds another segment (hash, frames or size differ)');
    // Taken by the first valid upload only: a second (a stalled worker that came back) is refused.
    if (this.expected.get(hash) !== want) return send(res, 409, 'segment already received');
    this.expected.delete(hash);
    want.resolve({ frames: decoded.frames, sha256: digest, bytes: body.length });
    send(res, 200, 'ok');
  }
}

function send(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(message);
}

/** The request body, or null once it passes `limit` bytes (the rest is not read). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve(null);
        return;
      }
      parts.push(c);
    });
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(parts)));
    req.on('error', reject);
  });
}

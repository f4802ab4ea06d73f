import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/**
 * A WebSocket client at the byte level, for sending what a real client library never would:
 * frames over the size limit, invalid UTF-8, bad opcodes, unmasked frames, bad close codes,
 * truncated frames. The upgrade itself is a real, valid handshake.
 */
export interface RawSocket {
  socket: Socket;
  /** Writes bytes (a frame made by `frame`, or anything else). */
  write(bytes: Buffer): void;
  /**
   * Resolves when the server ends the connection: the close code of its close frame (null if it
   * sent none) and the text frames it sent before.
   */
  ended: Promise<{ closeCode: number | null; texts: string[] }>;
}

export interface FrameSpec {
  opcode: number;
  payload?: Buffer;
  fin?: boolean;
  /** Client frames must be masked; false sends an unmasked (illegal) frame. */
  masked?: boolean;
  /** RSV1-3 bits (illegal without an extension that defines them). */
  rsv?: number;
  /** Length to declare in the header instead of the real one (a lie, e.g. 2^40). */
  declaredLength?: number;
}

/** One WebSocket frame as RFC 6455 lays it out. */
export function frame(spec: FrameSpec): Buffer {
  const payload = spec.payload ?? Buffer.alloc(0);
  const masked = spec.masked ?? true;
  const len = spec.declaredLength ?? payload.length;
  const head: number[] = [((spec.fin ?? true) ? 0x80 : 0) | ((spec.rsv ?? 0) << 4) | spec.opcode];
  const maskBit = masked ? 0x80 : 0;
  let ext = Buffer.alloc(0);
  if (len < 126) head.push(maskBit | len);
  else if (len < 65536) {
    head.push(maskBit | 126);
    ext = Buffer.alloc(2);
    ext.writeUInt16BE(len);
  } else {
    head.push(maskBit | 127);
    ext = Buffer.alloc(8);
    ext.writeBigUInt64BE(BigInt(len));
  }
  if (!masked) return Buffer.concat([Buffer.from(head), ext, payload]);
  const key = randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i]! ^= key[i % 4]!;
  return Buffer.concat([Buffer.from(head), ext, key, body]);
}

export const text = (s: string | Buffer): Buffer =>
  frame({ opcode: 1, payload: typeof s === 'string' ? Buffer.from(s) : s });

export function closeFrame(code: number): Buffer {
  const p = Buffer.alloc(2);
  p.writeUInt16BE(code);
  return frame({ opcode: 8, payload: p });
}

/** Reads the unmasked frames a server sends (enough for text and close frames). */
function serverFrames(buf: Buffer): {
  frames: { opcode: number; payload: Buffer }[];
  rest: Buffer;
} {
  const frames: { opcode: number; payload: Buffer }[] = [];
  let at = 0;
  for (;;) {
    if (buf.length - at < 2) break;
    const opcode = buf[at]! & 0x0f;
    let len = buf[at + 1]! & 0x7f;
    let head = 2;
    if (len === 126) {
      if (buf.length - at < 4) break;
      len = buf.readUInt16BE(at + 2);
      head = 4;
    } else if (len === 127) {
      if (buf.length - at < 10) break;
      len = Number(buf.readBigUInt64BE(at + 2));
      head = 10;
    }
    if (buf.length - at < head + len) break;
    frames.push({ opcode, payload: buf.subarray(at + head, at + head + len) });
    at += head + len;
  }
  return { frames, rest: buf.subarray(at) };
}

/** Connects to `ws://127.0.0.1:<port><path>` with a real handshake; rejects on a refusal. */
export function rawUpgrade(port: number, path = '/api'): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let buf: Buffer = Buffer.alloc(0);
    let upgraded = false;
    let closeCode: number | null = null;
    const texts: string[] = [];
    let endedResolve!: (v: { closeCode: number | null; texts: string[] }) => void;
    const ended = new Promise<{ closeCode: number | null; texts: string[] }>(
      (r) => (endedResolve = r),
    );
    socket.on('error', () => undefined);
    socket.on('close', () => {
      endedResolve({ closeCode, texts });
      if (!upgraded) reject(new Error('connection closed before the upgrade'));
    });
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (!upgraded) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const status = buf.subarray(0, end).toString('latin1').split('\r\n')[0] ?? '';
        if (!status.includes(' 101 ')) {
          socket.destroy();
          return reject(new Error(`upgrade refused: ${status}`));
        }
        upgraded = true;
        buf = buf.subarray(end + 4);
        resolve({ socket, write: (b) => void (socket.writable && socket.write(b)), ended });
      }
      const { frames, rest } = serverFrames(buf);
      buf = rest;
      for (const f of frames) {
        if (f.opcode === 1) texts.push(f.payload.toString('utf8'));
        if (f.opcode === 8) closeCode = f.payload.length >= 2 ? f.payload.readUInt16BE(0) : null;
      }
    });
    socket.write(
      [
        `GET ${path} HTTP/1.1`,
        `Host: 127.0.0.1:${port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        '',
        '',
      ].join('\r\n'),
    );
  });
}

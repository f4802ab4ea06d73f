import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_FRAME_BYTES, MAX_PICTURE_BASE64 } from '#shared/api/sizeLimits';
import { closeFrame, frame, rawUpgrade, text } from '#test/helpers/rawWebSocket';
import { buildUiOnce, startServe, type ServeProcess } from './harness';

/** One call over a real ws client; resolves with the reply frame. */
function call(ws: WebSocket, id: number, method: string, params: unknown = {}): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer to ${method}`)), 10_000);
    const onMessage = (data: WebSocket.RawData) => {
      const reply = JSON.parse(String(data)) as { id?: number };
      if (reply.id !== id) return;
      clearTimeout(timer);
      ws.off('message', onMessage);
      resolve(reply);
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ type: 'call', id, method, params }));
  });
}

const settingsDir = mkdtempSync(join(tmpdir(), 'ps-e2e-resilience-'));
let serve: ServeProcess;
let port: number;
let other: WebSocket;
let nextId = 1;

beforeAll(async () => {
  await buildUiOnce();
  serve = await startServe(['--port', '0', '--settings-dir', settingsDir]);
  port = Number(new URL(serve.url).port);
  other = new WebSocket(`ws://127.0.0.1:${port}/api`);
  await new Promise((r, j) => other.once('open', r).once('error', j));
}, 180_000);
afterAll(async () => {
  other?.close();
  await serve?.stop();
  rmSync(settingsDir, { recursive: true, force: true });
});

/** The other client still gets answers and the serve process is still running. */
async function expectServeAlive(): Promise<void> {
  expect(serve.child.exitCode, serve.output()).toBeNull();
  const id = nextId++;
  expect(await call(other, id, 'app.info')).toMatchObject({ type: 'result', id });
}

describe('one bad WebSocket client cannot end serve', () => {
  const cases: [string, () => Buffer, number][] = [
    [
      'a frame over the size limit',
      () => frame({ opcode: 1, payload: Buffer.from('{}'), declaredLength: MAX_FRAME_BYTES + 1 }),
      1009,
    ],
    ['invalid UTF-8 in a text frame', () => text(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), 1007],
    ['a reserved opcode', () => frame({ opcode: 3, payload: Buffer.from('x') }), 1002],
    [
      'an unmasked client frame',
      () => frame({ opcode: 1, payload: Buffer.from('{}'), masked: false }),
      1002,
    ],
    ['a close frame with a bad code', () => closeFrame(999), 1002],
    [
      'RSV bits without an extension',
      () => frame({ opcode: 1, payload: Buffer.from('{}'), rsv: 4 }),
      1002,
    ],
    ['a fragmented ping', () => frame({ opcode: 9, fin: false, payload: Buffer.from('p') }), 1002],
    [
      'a continuation with nothing to continue',
      () => frame({ opcode: 0, payload: Buffer.from('x') }),
      1002,
    ],
  ];
  for (const [name, bytes, code] of cases) {
    it(`${name}: closed with ${code}, the other client keeps its answers`, async () => {
      const raw = await rawUpgrade(port);
      raw.write(bytes());
      const { closeCode } = await raw.ended;
      expect(closeCode).toBe(code);
      await expectServeAlive();
    });
  }

  it('a picture over the limit is refused with the limit in words, the connection stays', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api`);
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    const reply = await call(ws, 7, 'character.importPicture', {
      fileName: 'huge.png',
      dataBase64: 'A'.repeat(MAX_PICTURE_BASE64 + 4),
    });
    expect(reply).toMatchObject({
      type: 'error',
      id: 7,
      error: {
        code: 'bad-request',
        message: expect.stringContaining('the picture is larger than 48 MB') as unknown as string,
      },
    });
    expect(await call(ws, 8, 'app.info')).toMatchObject({ type: 'result', id: 8 });
    ws.close();
    await expectServeAlive();
  });

  it('a client killed midway through a frame', async () => {
    const raw = await rawUpgrade(port);
    raw.write(text(JSON.stringify({ type: 'call', id: 1, method: 'app.info' })).subarray(0, 9));
    raw.socket.destroy();
    await raw.ended;
    await expectServeAlive();
  });

  it('a client that disconnects before its answer is sent', async () => {
    const raw = await rawUpgrade(port);
    raw.write(text(JSON.stringify({ type: 'call', id: 1, method: 'engine.info', params: {} })));
    raw.socket.destroy();
    await raw.ended;
    await expectServeAlive();
  });
});

describe('HTTP: malformed requests get a 4xx, serve lives', () => {
  it('answers 400 to malformed percent-encoding in every route that decodes the path', async () => {
    for (const path of ['/media/%E0%A4%A', '/%E0%A4%A', '/assets/%C0.js', '/media/a%2']) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      expect(res.status, path).toBe(400);
      expect(await res.text()).toMatch(/malformed percent-escape/);
    }
    await expectServeAlive();
  });

  it('answers 400 to a malformed request line (clientError) and to an aborted upload', async () => {
    const reply = await new Promise<string>((resolve) => {
      const s = connect(port, '127.0.0.1');
      let out = '';
      s.on('data', (d: Buffer) => (out += d.toString()));
      s.on('close', () => resolve(out));
      s.on('error', () => undefined);
      s.write('GARBAGE \x00\x01 nonsense\r\n\r\n');
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    const long = await fetch(`http://127.0.0.1:${port}/${'a'.repeat(20_000)}`);
    expect(long.status).toBe(431);
    await new Promise<void>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.on('error', () => undefined);
      s.on('close', () => resolve());
      s.write(
        `POST /media/x.png HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\ncontent-length: 100000\r\n\r\nabc`,
        () => s.destroy(),
      );
    });
    await expectServeAlive();
  });
});

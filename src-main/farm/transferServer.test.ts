import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RgbImage } from '#shared/image/rgbImage';
import { encodeSegment } from '#main/scheduler/cache/segmentCodec';
import { sha256 } from './fileHash';
import { TransferServer } from './transferServer';

const dir = mkdtempSync(join(tmpdir(), 'ps-transfer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const W = 8;
const H = 6;
const HASH = 'ab'.repeat(16);
const seg = { index: 3, hash: HASH, start: 10, end: 13 };
const frames = (n: number, w = W, h = H): RgbImage[] =>
  Array.from({ length: n }, (_, i) => ({
    width: w,
    height: h,
    data: Uint8Array.from({ length: w * h * 3 }, (_, k) => (k * 7 + i) & 255),
  }));
const encoded = (over: Partial<{ hash: string; start: number; end: number; w: number }> = {}) => {
  const start = over.start ?? 10;
  const end = over.end ?? 13;
  const w = over.w ?? W;
  return encodeSegment(
    { hash: over.hash ?? HASH, start, end, width: w, height: H, frames: end - start },
    frames(end - start, w),
  );
};

let server: TransferServer;
beforeEach(async () => {
  server = await TransferServer.start();
});
afterEach(() => server.close());

async function put(body: Buffer, o: { token?: string; sha?: string; hash?: string } = {}) {
  const res = await fetch(`${server.url}/segments/${o.hash ?? HASH}`, {
    method: 'PUT',
    headers: {
      authorization: `Bearer ${o.token ?? server.token}`,
      'x-content-sha256': o.sha ?? sha256(body),
    },
    body,
  });
  return { status: res.status, text: await res.text() };
}

describe('transfer server: segment uploads', () => {
  it('accepts a valid upload of the awaited segment and hands its frames over once', async () => {
    const wait = server.expectSegment(seg, { width: W, height: H });
    const body = await encoded();
    expect((await put(body)).status).toBe(200);
    const got = await wait.result;
    expect(got.frames.map((f) => Buffer.from(f.data))).toEqual(
      frames(3).map((f) => Buffer.from(f.data)),
    );
    expect(got.sha256).toBe(sha256(body));
    // A second copy (a worker presumed dead came back) is refused: nothing is delivered twice.
    expect((await put(body)).status).toBe(409);
  });

  it('refuses a wrong or missing token', async () => {
    server.expectSegment(seg, { width: W, height: H });
    const body = await encoded();
    expect((await put(body, { token: 'f'.repeat(64) })).status).toBe(401);
    const res = await fetch(`${server.url}/segments/${HASH}`, { method: 'PUT', body });
    expect(res.status).toBe(401);
  });

  it('refuses bytes that do not match their sha-256 (damaged in transit)', async () => {
    server.expectSegment(seg, { width: W, height: H });
    const body = await encoded();
    const sha = sha256(body);
    body[body.length - 1] = body[body.length - 1]! ^ 1;
    const r = await put(body, { sha });
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/sha-256/);
  });

  it('refuses a segment it is not waiting for, another segment, another size, a truncated file', async () => {
    expect((await put(await encoded())).status).toBe(409); // nobody waits
    server.expectSegment(seg, { width: W, height: H });
    const other = await encoded({ hash: 'cd'.repeat(16) });
    expect((await put(other)).status).toBe(400); // header names another segment
    expect((await put(await encoded({ start: 11, end: 14 }))).status).toBe(400);
    expect((await put(await encoded({ w: W + 2 }))).status).toBe(400);
    const whole = await encoded();
    const cut = whole.subarray(0, whole.length - 5);
    const r = await put(Buffer.from(cut));
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/not a segment/);
    expect((await put(Buffer.from('hello'))).status).toBe(400);
  });

  it('refuses an upload larger than the segment could weigh without reading it all', async () => {
    server.expectSegment(seg, { width: W, height: H });
    const huge = Buffer.alloc(2 * 1024 * 1024, 1);
    const r = await put(huge);
    expect(r.status).toBe(413);
  });

  it('refuses an upload once the render stopped waiting (cancel)', async () => {
    const wait = server.expectSegment(seg, { width: W, height: H });
    wait.release();
    expect((await put(await encoded())).status).toBe(409);
  });
});

describe('transfer server: inputs', () => {
  it('serves an offered file by its sha-256 and nothing else', async () => {
    const file = join(dir, 'picture.png');
    writeFileSync(file, 'picture bytes');
    const hash = await server.addAsset(file);
    const auth = { authorization: `Bearer ${server.token}` };
    const ok = await fetch(`${server.url}/assets/${hash}`, { headers: auth });
    expect(await ok.text()).toBe('picture bytes');
    expect((await fetch(`${server.url}/assets/${'0'.repeat(64)}`, { headers: auth })).status).toBe(
      404,
    );
    expect((await fetch(`${server.url}/assets/${hash}`)).status).toBe(401);
    // No path ever reaches the file system: only the hashes of offered files resolve.
    for (const p of ['/assets/../../etc/passwd', '/assets/%2e%2e%2fetc%2fpasswd', '/etc/passwd'])
      expect((await fetch(`${server.url}${p}`, { headers: auth })).status).toBe(404);
  });
});

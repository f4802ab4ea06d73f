import { describe, expect, it } from 'vitest';
import { drawPoseFrame } from './fakeWorker';
import { decodeSegment, encodeSegment } from './segmentCodec';

describe('segment codec', () => {
  it('round-trips frames exactly and stores moving content compactly', async () => {
    const frames = Array.from({ length: 12 }, (_, f) => {
      const p = new Float64Array(408);
      for (let i = 0; i < 136; i++) p.set([(i * 7 + f) % 256, (i * 3) % 256, 1], i * 3);
      return drawPoseFrame(p, 256, 256);
    });
    const header = {
      hash: 'a'.repeat(32),
      start: 10,
      end: 22,
      width: 256,
      height: 256,
      frames: 12,
    };
    const buf = await encodeSegment(header, frames);
    const back = await decodeSegment(buf);
    expect(back.header).toEqual(header);
    back.frames.forEach((f, i) =>
      expect(Buffer.from(f.data).equals(Buffer.from(frames[i]!.data))).toBe(true),
    );
    expect(buf.length).toBeLessThan((256 * 256 * 3 * 12) / 20);
  });

  it('rejects truncated files', async () => {
    const f = drawPoseFrame(new Float64Array(408), 8, 8);
    const buf = await encodeSegment(
      { hash: 'b'.repeat(32), start: 0, end: 2, width: 8, height: 8, frames: 2 },
      [f, f],
    );
    await expect(decodeSegment(buf.subarray(0, buf.length - 3))).rejects.toThrow(/truncated/);
  });
});

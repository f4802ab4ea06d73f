import { describe, expect, it } from 'vitest';
import { drawPoseFrame } from '#test/helpers/fakeWorker';
import {
  SegmentEncoder,
  decodeSegment,
  delta,
  encodeSegment,
  segmentHeader,
  undelta,
} from './segmentCodec';

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

  it('keeps the alpha plane of transparent frames, and refuses a segment that mixes them', async () => {
    const frames = Array.from({ length: 3 }, (_, f) => ({
      width: 7,
      height: 5,
      data: Uint8Array.from({ length: 105 }, (_, i) => (i * 13 + f) & 255),
      alpha: Uint8Array.from({ length: 35 }, (_, i) => (i === f ? 0 : i * 7) & 255),
    }));
    const header = segmentHeader({ index: 0, hash: 'b'.repeat(32), start: 0, end: 3 }, frames);
    expect(header.alpha).toBe(true);
    const back = await decodeSegment(await encodeSegment(header, frames));
    back.frames.forEach((f, i) => {
      expect([...f.data]).toEqual([...frames[i]!.data]);
      expect([...f.alpha!]).toEqual([...frames[i]!.alpha]);
    });
    const mixed = [frames[0]!, { width: 7, height: 5, data: frames[1]!.data }];
    const enc = new SegmentEncoder();
    enc.add(mixed[0]!);
    expect(() => enc.add(mixed[1]!)).toThrow(/alpha/);
    // A truncated alpha plane is refused, not read past.
    expect(() => new SegmentEncoder().add({ ...frames[0]!, alpha: new Uint8Array(34) })).toThrow(
      /alpha plane/,
    );
  });

  it('takes byte-wise differences exactly, word by word or byte by byte (any alignment, any length)', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    for (const [length, offset] of [
      [4096, 0],
      [4099, 0],
      [4096, 1],
      [7, 4],
      [3, 0],
    ] as const) {
      const store = (n: number) => new Uint8Array(new ArrayBuffer(n + offset), offset, n);
      const a = store(length);
      const b = store(length);
      for (let i = 0; i < length; i++) [a[i], b[i]] = [rnd(), rnd()];
      // Include the extremes where a borrow or carry would cross bytes.
      a.set([0, 255, 0x80, 0x7f].slice(0, length));
      b.set([255, 0, 0x7f, 0x80].slice(0, length));
      const d = delta(a, b);
      for (let i = 0; i < length; i++) expect(d[i]).toBe((a[i]! - b[i]!) & 255);
      const back = undelta(Uint8Array.from(d), b);
      expect(Buffer.from(back).equals(Buffer.from(a))).toBe(true);
    }
  });

  it('encodes frames added one by one to the same bytes, and refuses a frame of another size', async () => {
    const frames = [0, 1, 2].map((f) => {
      const p = new Float64Array(408);
      for (let i = 0; i < 136; i++) p.set([(i * 5 + f * 3) % 64, (i * 2) % 48, 1], i * 3);
      return drawPoseFrame(p, 64, 48);
    });
    const header = { hash: 'c'.repeat(32), start: 0, end: 3, width: 64, height: 48, frames: 3 };
    const encoder = new SegmentEncoder();
    for (const f of frames) encoder.add(f);
    expect((await encoder.finish(header)).equals(await encodeSegment(header, frames))).toBe(true);
    expect(() => encoder.add(drawPoseFrame(new Float64Array(408), 8, 8))).toThrow(/another size/);
    await expect(encoder.finish({ ...header, frames: 2 })).rejects.toThrow(/does not match/);
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

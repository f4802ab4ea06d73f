import { describe, expect, it } from 'vitest';
import { type PixelRuns, decodeRuns, encodeRuns, packPixels, unpackPixels } from './pixelRuns';

/** A seeded pseudo-random byte source (xorshift), so failures repeat. */
function bytesOf(n: number, seed: number, levels: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = (s >>> 0) % levels;
  }
  return out;
}

describe('pixel runs', () => {
  it('gives every plane back exactly: flat, noisy, one pixel, 1 to 4 channels', () => {
    const planes: [Uint8Array, number][] = [
      [new Uint8Array(512 * 512).fill(255), 1],
      [bytesOf(999, 7, 2), 1],
      [bytesOf(300 * 3, 9, 3), 3],
      [bytesOf(64 * 4, 11, 256), 4],
      [new Uint8Array([42]), 1],
      [new Uint8Array(0), 3],
    ];
    // A plate-like plane: one colour with a block of another in the middle.
    const plate = new Uint8Array(100 * 100 * 3);
    for (let i = 0; i < plate.length; i += 3)
      plate.set(i > 9000 && i < 12000 ? [1, 2, 3] : [9, 9, 9], i);
    planes.push([plate, 3]);
    for (const [bytes, channels] of planes) {
      const runs = encodeRuns(bytes, channels)!;
      expect(decodeRuns(runs)).toEqual(bytes);
      expect(unpackPixels(packPixels(bytes, channels), channels, bytes.length / channels)).toEqual(
        bytes,
      );
    }
  });

  it('keeps pixels whole: runs of 3-byte pixels do not merge on equal single bytes', () => {
    const bytes = new Uint8Array([5, 5, 5, 5, 5, 6, 5, 5, 6]);
    const runs = encodeRuns(bytes, 3)!;
    expect(Array.from(runs.lengths)).toEqual([1, 2]);
    expect(Array.from(runs.values)).toEqual([5, 5, 5, 5, 5, 6]);
  });

  it('packs a flat plane to a few bytes and leaves a noisy one raw', () => {
    const flat = new Uint8Array(512 * 512 * 3).fill(255);
    const packed = packPixels(flat, 3) as PixelRuns;
    expect(packed.lengths.length).toBe(1);
    expect(packed.lengths.byteLength + packed.values.byteLength).toBeLessThan(16);
    const noisy = bytesOf(512 * 512 * 3, 3, 256);
    expect(packPixels(noisy, 3)).toBe(noisy);
    expect(encodeRuns(noisy, 3, 1000)).toBeUndefined();
  });

  it('refuses runs that do not add up, before allocating anything large', () => {
    const bad = (r: Partial<PixelRuns>): PixelRuns => ({
      channels: 1,
      pixels: 4,
      lengths: new Uint32Array([2, 2]),
      values: new Uint8Array([1, 2]),
      ...r,
    });
    expect(() => decodeRuns(bad({ lengths: new Uint32Array([2, 3]) }))).toThrow(RangeError);
    expect(() => decodeRuns(bad({ values: new Uint8Array([1]) }))).toThrow(RangeError);
    expect(() => decodeRuns(bad({ pixels: Number.NaN }))).toThrow(RangeError);
    expect(() => decodeRuns(bad({ pixels: -1 }))).toThrow(RangeError);
    expect(() => decodeRuns(bad({ channels: 0 }))).toThrow(RangeError);
    // 2³² − 1 pixels per run, claimed consistently: the client's own size check refuses it first.
    const huge = bad({
      pixels: 2 * 0xffffffff,
      lengths: new Uint32Array([0xffffffff, 0xffffffff]),
    });
    expect(() => unpackPixels(huge, 1, 4)).toThrow(RangeError);
    expect(() => unpackPixels(bad({}), 3, 4)).toThrow(RangeError);
    expect(() => unpackPixels(new Uint8Array(5), 1, 4)).toThrow(RangeError);
    expect(() => encodeRuns(new Uint8Array(5), 3)).toThrow(RangeError);
  });
});

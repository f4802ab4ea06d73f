import { describe, expect, it } from 'vitest';
import { binarize, boxMean, fillHoles, guidedFilter, maskIoU, refineSoftMask } from './maskRefine';

function bruteBoxMean(src: Float32Array, w: number, h: number, r: number) {
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      let n = 0;
      for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++)
        for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
          s += src[yy * w + xx]!;
          n++;
        }
      out[y * w + x] = s / n;
    }
  return out;
}

describe('boxMean', () => {
  it('equals the window mean, clipped at the borders', () => {
    const w = 13;
    const h = 7;
    const src = Float32Array.from({ length: w * h }, (_, i) => Math.sin(i * 1.7) * 3 + (i % 5));
    for (const r of [0, 1, 3, 10]) {
      const fast = boxMean(src, w, h, r);
      const slow = bruteBoxMean(src, w, h, r);
      for (let i = 0; i < fast.length; i++) expect(fast[i]).toBeCloseTo(slow[i]!, 4);
    }
  });
});

describe('guidedFilter', () => {
  it('snaps a blurred mask edge to the picture edge', () => {
    // Picture: dark left half, bright right half (edge between x = 9 and 10). The model's mask
    // is the same split, blurred over 8 px, as an upsampled 256² output is.
    const w = 20;
    const h = 6;
    const guide = new Float32Array(w * h);
    const soft = new Float32Array(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        guide[y * w + x] = x >= 10 ? 0.9 : 0.1;
        soft[y * w + x] = Math.min(1, Math.max(0, (x - 5.5) / 8));
      }
    const q = guidedFilter(guide, soft, w, h, 3, 1e-3);
    for (let y = 0; y < h; y++) {
      // Away from the image border, the edge is sharp where the picture's is.
      expect(q[y * w + 8]! - soft[y * w + 8]!).toBeLessThan(0);
      expect(q[y * w + 11]! - soft[y * w + 11]!).toBeGreaterThan(0);
      expect(q[y * w + 11]! - q[y * w + 8]!).toBeGreaterThan(
        soft[y * w + 11]! - soft[y * w + 8]! + 0.15,
      );
    }
  });

  it('smooths where the picture is flat (variance ≪ eps)', () => {
    const w = 9;
    const h = 9;
    const guide = new Float32Array(w * h).fill(0.5);
    const soft = new Float32Array(w * h);
    soft[4 * w + 4] = 1; // a lone speck
    const q = guidedFilter(guide, soft, w, h, 2, 1e-2);
    expect(q[4 * w + 4]).toBeLessThan(0.1);
    expect(binarize(q)[4 * w + 4]).toBe(0);
  });

  it('never leaves 0–1', () => {
    const w = 16;
    const h = 16;
    const guide = Float32Array.from({ length: w * h }, (_, i) => ((i * 7919) % 256) / 255);
    const soft = Float32Array.from({ length: w * h }, (_, i) => ((i * 104729) % 97) / 96);
    const q = guidedFilter(guide, soft, w, h, 2, 1e-4);
    for (const v of q) expect(v >= 0 && v <= 1).toBe(true);
  });
});

describe('fillHoles', () => {
  it('fills enclosed holes and keeps gaps open to the border', () => {
    // A ring (hole inside) beside a U open at the bottom (gap reaches the border).
    const rows = ['..........', '.###..###.', '.#.#..#.#.', '.###..#.#.', '......#.#.'];
    const w = rows[0]!.length;
    const mask = Uint8Array.from(rows.join(''), (c) => (c === '#' ? 1 : 0));
    const out = fillHoles(mask, w, rows.length);
    expect(out[2 * w + 2]).toBe(1); // the ring's hole
    expect(out[3 * w + 7]).toBe(0); // inside the U: open to the bottom border
    expect(out[0]).toBe(0);
  });
});

describe('maskIoU and refineSoftMask', () => {
  it('measures overlap', () => {
    expect(maskIoU(Uint8Array.of(1, 1, 0, 0), Uint8Array.of(1, 0, 1, 0))).toBeCloseTo(1 / 3);
    expect(maskIoU(new Uint8Array(4), new Uint8Array(4))).toBe(1);
    expect(() => maskIoU(new Uint8Array(3), new Uint8Array(4))).toThrow(/sizes differ/);
  });

  it('turns a soft blob into a filled binary mask on the picture', () => {
    const w = 24;
    const h = 24;
    const rgba = new Uint8Array(w * h * 4).fill(255);
    const soft = new Float32Array(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const d = Math.hypot(x - 12, y - 12);
        soft[y * w + x] = d < 8 ? (d < 3 ? 0.2 : 0.9) : 0; // a weak centre: a hole to fill
      }
    const mask = refineSoftMask(soft, rgba, w, h, 2);
    expect(mask[12 * w + 12]).toBe(1);
    expect(mask[0]).toBe(0);
  });
});

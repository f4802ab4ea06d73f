import { describe, expect, it } from 'vitest';
import { decodeYolox, iou, nms } from './yolox';

function output(entries: [number, number[]][], size = 64): Float32Array {
  const anchors = [8, 16, 32].reduce((n, s) => n + (size / s) ** 2, 0);
  const out = new Float32Array(anchors * 7); // 2 classes
  for (const [a, v] of entries) out.set(v, a * 7);
  return out;
}

describe('YOLOX post-processing', () => {
  it('decodes grid offsets and log sizes per stride and undoes the letterbox ratio', () => {
    // Stride 8 has 8×8 = 64 anchors; then stride 16's 4×4 grid, row-major.
    const a = 64 + 1 * 4 + 2; // stride 16, gx 2, gy 1
    const dets = decodeYolox(
      output([[a, [0.5, 0.5, Math.log(2), Math.log(4), 0.9, 0.8, 0.1]]]),
      7,
      {
        inputW: 64,
        inputH: 64,
        ratio: 2,
      },
    );
    expect(dets).toHaveLength(1);
    // centre (2.5 × 16, 1.5 × 16) = (40, 24), size 32 × 64 → /2.
    [12, -4, 28, 28].forEach((v, i) => expect(dets[0]!.box[i]).toBeCloseTo(v, 5));
    expect(dets[0]!.score).toBeCloseTo(0.72);
  });

  it('keeps people only, above 0.3, after class-agnostic NMS', () => {
    const dets = decodeYolox(
      output([
        [0, [0.5, 0.5, 1, 1, 0.9, 0.9, 0]],
        [1, [0.4, 0.5, 1, 1, 0.9, 0.6, 0]], // overlaps the first, weaker → suppressed
        [20, [0.5, 0.5, 1, 1, 0.9, 0.1, 0.95]], // another class wins → dropped
        [40, [0.5, 0.5, 1, 1, 0.5, 0.5, 0]], // 0.25 ≤ 0.3 → dropped
        [60, [0.5, 0.5, 1, 1, 0.9, 0.5, 0]], // separate person, 0.45 → kept
      ]),
      7,
      { inputW: 64, inputH: 64, ratio: 1 },
    );
    expect(dets.map((d) => Number(d.score.toFixed(2)))).toEqual([0.81, 0.45]);
  });

  it('refuses an output whose anchor count does not fit the input size', () => {
    expect(() =>
      decodeYolox(new Float32Array(7 * 10), 7, { inputW: 64, inputH: 64, ratio: 1 }),
    ).toThrow(/anchors, expected 84/);
  });

  it('iou and nms', () => {
    expect(iou([0, 0, 2, 2], [1, 1, 3, 3])).toBeCloseTo(1 / 7);
    expect(iou([0, 0, 1, 1], [2, 2, 3, 3])).toBe(0);
    const kept = nms(
      [
        { box: [0, 0, 10, 10], score: 0.5 },
        { box: [1, 1, 10, 10], score: 0.9 },
        { box: [20, 20, 30, 30], score: 0.4 },
      ],
      0.45,
    );
    expect(kept.map((d) => d.score)).toEqual([0.9, 0.4]);
  });
});

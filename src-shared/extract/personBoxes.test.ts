import { describe, expect, it } from 'vitest';
import { distinctPeople, squareCrop } from './personBoxes';

describe('distinctPeople', () => {
  it('drops weak, overlapping and contained boxes and keeps at most max', () => {
    const kept = distinctPeople(
      [
        { box: [0, 0, 100, 200], score: 0.7 },
        { box: [5, 0, 100, 200], score: 0.5 }, // duplicate
        { box: [40, 10, 60, 40], score: 0.4 }, // a head inside the first
        { box: [300, 0, 400, 200], score: 0.3 },
        { box: [600, 0, 700, 200], score: 0.1 }, // too weak
      ],
      0.25,
      4,
    );
    expect(kept.map((d) => d.score)).toEqual([0.7, 0.3]);
    expect(
      distinctPeople(
        [
          { box: [0, 0, 1, 1], score: 1 },
          { box: [5, 5, 6, 6], score: 1 },
        ],
        0.2,
        1,
      ),
    ).toHaveLength(1);
  });
});

describe('squareCrop', () => {
  it('cuts a padded square around the box, grey outside the picture', () => {
    const image = { width: 4, height: 2, data: Uint8Array.from({ length: 24 }, (_, i) => i) };
    const { crop, x0, y0 } = squareCrop(image, [1, 0, 3, 2], 1.5);
    expect(crop.width).toBe(3);
    expect([x0, y0]).toEqual([1, 0]);
    // Row 0 of the crop = picture row 0, x 1..3.
    expect([...crop.data.subarray(0, 9)]).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
    // Row 2 lies below the picture: grey.
    expect([...crop.data.subarray(18, 27)]).toEqual(Array(9).fill(128));
  });
});

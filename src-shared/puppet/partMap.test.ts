import { describe, expect, it } from 'vitest';
import { NO_PART, partMap } from './partMap';
import type { PartLabels } from './partLabels';

/** Labels on 2-pixel cells over a box at (1, 0), 2 cells × 1: left cell part 3, right cell part 5. */
function labels(first: number[]): PartLabels {
  const n = first.length;
  return {
    x0: 1,
    y0: 0,
    w: n,
    h: 1,
    scale: 2,
    first: Int8Array.from(first),
    second: new Int8Array(n).fill(-1),
    d1: new Float32Array(n),
    d2: new Float32Array(n).fill(Infinity),
  };
}

describe('partMap', () => {
  it("gives each mask pixel the mesh's part of its cell, background and unreached pixels none", () => {
    const w = 6;
    const h = 2;
    // Row 0: x = 0 is left of the labels' box; x = 1, 2 → cell 0; x = 3, 4 → cell 1; x = 5 outside.
    const mask = Uint8Array.of(1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0);
    const map = partMap(mask, labels([3, 5]), w, h);
    expect([...map.slice(0, 6)]).toEqual([NO_PART, 3, 3, 5, 5, NO_PART]);
    expect(map[6]).toBe(NO_PART); // background
    expect([...map.slice(7, 11)]).toEqual([3, 3, 5, 5]); // a cell is 2 pixels high
  });

  it('leaves pixels of a cell no bone reached without a part', () => {
    const mask = Uint8Array.of(0, 1, 1, 1, 1);
    const map = partMap(mask, labels([-1, 7]), 5, 1);
    expect([...map]).toEqual([NO_PART, NO_PART, NO_PART, 7, 7]);
  });
});

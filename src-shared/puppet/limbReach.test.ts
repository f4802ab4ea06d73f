import { describe, expect, it } from 'vitest';
import { Joint } from '#shared/pose/skeleton';
import { POINTS_LENGTH } from '#shared/pose/types';
import { type BoneName, boneIndex } from './bones';
import { halfWidths } from './limbReach';
import { labelCell, partLabels } from './partLabels';

const N = 128;

function rect(mask: Uint8Array, x0: number, x1: number, y0: number, y1: number) {
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) mask[y * N + x] = 1;
}

function pose(points: [number, number, number][]): Float64Array {
  const p = new Float64Array(POINTS_LENGTH);
  for (const [j, x, y] of points) p.set([x, y, 1], j * 3);
  return p;
}

/**
 * A wide body with an arm on each side at shoulder height and, above the left one, a second arm
 * the pose has no place for (a six-armed creature's): the body's flank between the two is nearer
 * the mapped arm's shoulder than the spine.
 */
function creature() {
  const mask = new Uint8Array(N * N);
  rect(mask, 20, 80, 20, 110); // body
  rect(mask, 81, 115, 72, 78); // left arm (mapped)
  rect(mask, 5, 19, 72, 78); // right arm (mapped)
  rect(mask, 81, 115, 50, 56); // another left arm, unmapped
  const ref = pose([
    [Joint.neck, 50, 20],
    [Joint.rShoulder, 20, 75],
    [Joint.rElbow, 12, 75],
    [Joint.rWrist, 6, 75],
    [Joint.lShoulder, 80, 75],
    [Joint.lElbow, 97, 75],
    [Joint.lWrist, 112, 75],
    [Joint.rHip, 35, 110],
    [Joint.lHip, 65, 110],
  ]);
  return { mask, ref };
}

describe('limbReach', () => {
  it('an arm the pose has no place for stays with the body, not with the mapped arm beside it', () => {
    const { mask, ref } = creature();
    const labels = partLabels(ref, mask, N, N, 6);
    const part = (x: number, y: number) => labels.first[labelCell(labels, x, y)]!;
    for (let x = 84; x <= 114; x += 5) expect(part(x, 53)).toBe(boneIndex('torso'));
    // The mapped arm is still an arm all along.
    expect(part(88, 75)).toBe(boneIndex('lUpperArm'));
    expect(part(108, 75)).toBe(boneIndex('lForearm'));
    expect(part(12, 75)).toBe(boneIndex('rForearm'));
  });

  it('a limb still gets what only it can reach beyond its reach (a flap hanging off the forearm)', () => {
    const { mask, ref } = creature();
    rect(mask, 96, 102, 79, 110); // hangs from the forearm only, 4–35 px off its bone
    const labels = partLabels(ref, mask, N, N, 6);
    const part = (x: number, y: number) => labels.first[labelCell(labels, x, y)]!;
    const arm = ['lUpperArm', 'lForearm', 'lHand'].map((b) => boneIndex(b as BoneName));
    for (let y = 80; y <= 110; y += 5) expect(arm).toContain(part(99, y));
    for (let c = 0; c < labels.first.length; c++) {
      const x = labels.x0 + (c % labels.w);
      const y = labels.y0 + Math.floor(c / labels.w);
      if (mask[y * N + x]) expect(labels.first[c]).toBeGreaterThanOrEqual(0);
    }
  });

  it('half-widths: the distance to the outside, in cells', () => {
    const inside = new Uint8Array(9 * 9);
    for (let y = 1; y < 8; y++) for (let x = 1; x < 8; x++) inside[y * 9 + x] = 1;
    const d = halfWidths(inside, 9, 9);
    expect(d[0]).toBe(0);
    expect(d[1 * 9 + 1]).toBe(1);
    expect(d[4 * 9 + 4]).toBe(4);
  });
});

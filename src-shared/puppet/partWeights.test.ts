import { describe, expect, it } from 'vitest';
import { Joint } from '#shared/pose/skeleton';
import { BONE_COUNT, boneIndex } from './bones';
import { coarseGridFor } from './coarseGrid';
import { frameInputs } from './frameInputs';
import { partWeights } from './partWeights';
import { stockPose } from '#test/fixtures/characters/drawCharacter';

/** A coarse mask of capsules along the stock pose's limbs and a torso block. */
function stockMask(grid: ReturnType<typeof coarseGridFor>): Uint8Array {
  const ref = stockPose();
  const m = new Uint8Array(grid.w * grid.h);
  const pairs = [
    [2, 3],
    [3, 4],
    [5, 6],
    [6, 7],
    [8, 9],
    [9, 10],
    [11, 12],
    [12, 13],
    [1, 0],
  ];
  for (let j = 0; j < grid.h; j++)
    for (let i = 0; i < grid.w; i++) {
      const x = i * grid.stride;
      const y = j * grid.stride;
      let inside = x > 212 && x < 300 && y > 146 && y < 300;
      for (const [a, b] of pairs) {
        const ax = ref[a! * 3]!,
          ay = ref[a! * 3 + 1]!,
          bx = ref[b! * 3]!,
          by = ref[b! * 3 + 1]!;
        const t = Math.max(
          0,
          Math.min(
            1,
            ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2),
          ),
        );
        if (Math.hypot(x - ax - t * (bx - ax), y - ay - t * (by - ay)) < 12) inside = true;
      }
      m[j * grid.w + i] = inside ? 1 : 0;
    }
  return m;
}

describe('part weights', () => {
  const grid = coarseGridFor(512, 512);
  const mask = stockMask(grid);
  const { weights, boxes } = partWeights(stockPose(), mask, grid);
  const n = grid.w * grid.h;
  const at = (x: number, y: number) => {
    const c = Math.round(y / grid.stride) * grid.w + Math.round(x / grid.stride);
    return Array.from({ length: BONE_COUNT }, (_, k) => weights[k * n + c]!);
  };

  it('sum to one on the character and zero elsewhere', () => {
    for (let c = 0; c < n; c++) {
      let s = 0;
      for (let k = 0; k < BONE_COUNT; k++) s += weights[k * n + c]!;
      expect(s).toBeCloseTo(mask[c] ? 1 : 0, 5);
    }
  });

  it('give mid-limb pixels to their own bone and blend only near joints', () => {
    expect(at(186, 178)[boneIndex('rUpperArm')]).toBeGreaterThan(0.99);
    expect(at(130, 214)[boneIndex('rForearm')]).toBeGreaterThan(0.99);
    expect(at(222, 332)[boneIndex('rThigh')]).toBeGreaterThan(0.99);
    expect(at(256, 220)[boneIndex('torso')]).toBeGreaterThan(0.99);
    const elbow = at(158, 196);
    expect(elbow[boneIndex('rUpperArm')]! + elbow[boneIndex('rForearm')]!).toBeCloseTo(1, 5);
    expect(elbow[boneIndex('rUpperArm')]).toBeGreaterThan(0.2);
    expect(elbow[boneIndex('rForearm')]).toBeGreaterThan(0.2);
  });

  it('crop the frame to where the character can be', () => {
    const rig = { width: 512, height: 512, grid, reference: stockPose(), boxes };
    const still = frameInputs(rig, stockPose()).crop;
    expect(still[1]).toBeLessThanOrEqual(stockPose()[Joint.rWrist * 3]! - 10);
    expect(still[3]).toBeGreaterThanOrEqual(stockPose()[Joint.lWrist * 3]! + 10);
    const gone = stockPose().map((v, i) => (i % 3 === 0 ? v + 2000 : v));
    expect(frameInputs(rig, gone).crop).toEqual([0, 0, 0, 0]);
  });
});

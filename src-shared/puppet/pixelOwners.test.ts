import { describe, expect, it } from 'vitest';
import { Joint } from '#shared/pose/skeleton';
import { emptyPoints, setPoint } from '#shared/pose/types';
import { boneIndex } from './bones';
import { coarseGridFor, coarseMask } from './coarseGrid';
import { partWeights } from './partWeights';
import { ALL_PARTS, pixelOwners } from './pixelOwners';
import { silhouetteSeeds } from './silhouetteSeeds';

const W = 512;
const H = 512;

/** Sprout's body joints (assets/sample-project): arms hang down and out beside a wide shirt. */
function hangingArmsPose(): Float64Array {
  const p = emptyPoints();
  const joints: [number, number, number][] = [
    [Joint.nose, 256, 112],
    [Joint.neck, 256, 152],
    [Joint.rShoulder, 214, 162],
    [Joint.rElbow, 188, 222],
    [Joint.rWrist, 172, 282],
    [Joint.lShoulder, 298, 162],
    [Joint.lElbow, 324, 222],
    [Joint.lWrist, 340, 282],
    [Joint.rHip, 234, 292],
    [Joint.rKnee, 230, 372],
    [Joint.rAnkle, 228, 448],
    [Joint.lHip, 278, 292],
    [Joint.lKnee, 282, 372],
    [Joint.lAnkle, 284, 448],
  ];
  for (const [j, x, y] of joints) setPoint(p, j, x, y);
  return p;
}

const near = (x: number, y: number, a: number[], b: number[], r: number) => {
  const dx = b[0]! - a[0]!;
  const dy = b[1]! - a[1]!;
  const t = Math.max(0, Math.min(1, ((x - a[0]!) * dx + (y - a[1]!) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - a[0]! - t * dx, y - a[1]! - t * dy) < r;
};

/**
 * A shirt 96 px wide (x 208–304) and arms 30 px thick along the pose: the right sleeve joins the
 * shirt at the shoulder, and below the armpit a gap of a few pixels opens between them.
 */
function hangingArmsMask(): Uint8Array {
  const m = new Uint8Array(W * H);
  const limbs = [
    [
      [214, 162],
      [188, 222],
      [172, 282],
    ],
    [
      [298, 162],
      [324, 222],
      [340, 282],
    ],
  ];
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      let inside = x >= 208 && x <= 304 && y >= 150 && y <= 300; // shirt
      inside ||= Math.hypot(x - 256, y - 112) < 40; // head
      for (const [s, e, w] of limbs) inside ||= near(x, y, s!, e!, 15) || near(x, y, e!, w!, 9);
      inside ||= near(x, y, [234, 292], [228, 448], 12) || near(x, y, [278, 292], [284, 448], 12);
      m[y * W + x] = inside ? 1 : 0;
    }
  return m;
}

describe('pixel owners (which parts may draw a picture pixel)', () => {
  const ref = hangingArmsPose();
  const mask = hangingArmsMask();
  const grid = coarseGridFor(W, H);
  const torso = 1 << boneIndex('torso');
  const arm = 1 << boneIndex('rUpperArm');
  // Below the armpit: the shirt's edge (x 208–211) and, 4–8 px to its left, the sleeve's inner edge.
  const shirtEdge = [209, 226] as const;
  const sleeveEdge = [198, 226] as const;
  it('the mask has the gap the test is about', () => {
    expect(mask[226 * W + 209]).toBe(1);
    expect(mask[226 * W + 204]).toBe(0);
    expect(mask[226 * W + 198]).toBe(1);
    expect(mask[175 * W + 205]).toBe(1); // joined at the shoulder
  });

  it('coarse weights blend across the gap: the shirt edge carries upper-arm weight (the cause)', () => {
    const { weights } = partWeights(ref, coarseMask(mask, W, H, grid), grid);
    const n = grid.w * grid.h;
    const c =
      Math.round(shirtEdge[1] / grid.stride) * grid.w + Math.round(shirtEdge[0] / grid.stride);
    expect(weights[boneIndex('rUpperArm') * n + c]).toBeGreaterThan(0.2);
  });

  it('give the shirt edge below the armpit to the torso and the sleeve edge to the arm', () => {
    const owners = pixelOwners(ref, mask, W, H, grid, silhouetteSeeds(ref, mask, W, H));
    const at = (p: readonly [number, number]) => owners[p[1] * W + p[0]]!;
    expect(at(shirtEdge)).toBe(torso);
    expect(at(sleeveEdge) & torso).toBe(0); // the arm's (with the forearm: the elbow is near)
    expect(at(sleeveEdge) & arm).toBeTruthy();
    // The middle of each part is its own, and where sleeve and shirt are joined both may draw.
    expect(at([256, 230])).toBe(torso);
    expect(at([200, 190]) & arm).toBeTruthy();
    const seam = owners.subarray(165 * W + 200, 165 * W + 232);
    expect(seam.some((b) => b === (torso | arm))).toBe(true);
  });

  it('without silhouette seeds the arm still reaches the shirt edge round the armpit', () => {
    // The seeds alone (the arm's axis vs the torso quad pulled in) put the shirt's edge nearer the
    // arm: full resolution is not enough, the walks are what hand it back to the torso.
    const owners = pixelOwners(ref, mask, W, H, grid);
    expect(owners[(shirtEdge[1] - 12) * W + shirtEdge[0]]! & arm).toBeTruthy();
  });

  it('lets any part draw transparent pixels and islands no seed reaches', () => {
    const withIsland = mask.slice();
    for (let y = 20; y < 30; y++) for (let x = 20; x < 30; x++) withIsland[y * W + x] = 1;
    const owners = pixelOwners(ref, withIsland, W, H, grid);
    expect(owners[5 * W + 5]).toBe(ALL_PARTS);
    expect(owners[25 * W + 25]).toBe(ALL_PARTS);
    expect(pixelOwners(ref, new Uint8Array(W * H), W, H, grid).every((b) => b === ALL_PARTS)).toBe(
      true,
    );
  });

  it('solves large pictures on a downscaled grid with the same answer', () => {
    const big = new Uint8Array(4 * W * H);
    for (let y = 0; y < 2 * H; y++)
      for (let x = 0; x < 2 * W; x++) big[y * 2 * W + x] = mask[(y >> 1) * W + (x >> 1)]!;
    const ref2 = ref.map((v, i) => (i % 3 === 2 ? v : 2 * v));
    const grid2 = coarseGridFor(2 * W, 2 * H);
    const owners = pixelOwners(
      ref2,
      big,
      2 * W,
      2 * H,
      grid2,
      silhouetteSeeds(ref2, big, 2 * W, 2 * H),
    );
    expect(owners[2 * shirtEdge[1] * 2 * W + 2 * shirtEdge[0]]).toBe(torso);
    expect(owners[2 * sleeveEdge[1] * 2 * W + 2 * sleeveEdge[0]]! & torso).toBe(0);
  });
});

describe('silhouette seeds', () => {
  const ref = hangingArmsPose();
  const mask = hangingArmsMask();
  const extra = silhouetteSeeds(ref, mask, W, H);

  it('walk the torso rows that end at background, not those that run into a sleeve', () => {
    const rows = extra[boneIndex('torso')]!.map(([a, b]) => [a[1], Math.min(a[0], b[0])]);
    // Below the armpit the row ends at the shirt's edge; at the shoulder it would cross the arm.
    expect(rows.some(([y, x]) => y! > 215 && y! < 235 && Math.abs(x! - 208) <= 1)).toBe(true);
    expect(rows.some(([y]) => y! < 175)).toBe(false);
  });

  it('walk across the upper arms only, and only as far as their own silhouette', () => {
    expect(extra[boneIndex('rUpperArm')]!.length).toBeGreaterThan(10);
    expect(extra[boneIndex('lUpperArm')]!.length).toBeGreaterThan(10);
    for (const k of ['head', 'rForearm', 'rThigh'] as const)
      expect(extra[boneIndex(k)]).toHaveLength(0);
    for (const [, end] of extra[boneIndex('rUpperArm')]!) expect(end[0]).toBeLessThan(208);
  });
});

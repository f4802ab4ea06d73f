/**
 * Seeds that reach the silhouette: where a part's cross-section ends at background without
 * touching another part, all of it is that part.
 *
 * The part seeds (`boneSeeds`) are the bones' axes and the torso quad pulled toward its centre,
 * so a pixel's part is decided by its distance to those axes. That fails beside the armpit of a
 * character whose arm hangs a few pixels from a wide shirt (Sprout): the shirt's edge below the
 * armpit is ~20 px from the torso seed and only ~19 px from the upper arm's axis, so the upper arm
 * owns it, and the sleeve's inner edge, ~13 px from the arm axis, sits just as close to the torso
 * round the armpit's tip. Raised far from the reference, the arm then carries the shirt's edge
 * along as a strand beside the sleeve, and the shirt keeps a sliver of the sleeve.
 *
 * Fix: walk from the torso's spine along pixel rows (between the shoulder and hip lines) and from
 * each upper arm's axis across the arm, through the picture's mask. A walk that ends at background
 * without coming near another part's seed crossed only this part — its pixels become seeds of
 * it (a segment from the axis to the last mask pixel). A walk that runs into another part (the
 * shoulder, where arm and shirt are joined, or a hand on the hip) is dropped, so connected parts
 * keep their seams where the axes put them.
 */
import { Joint } from '#shared/pose/skeleton';
import { BONE_COUNT, boneIndex, point } from './bones';
import { type Seed, boneSeeds, distToSegment, insidePolygon } from './partWeights';

type P = readonly [number, number];

/** Default spacing of the walks (px): rows of the torso, points along each upper arm. */
export const SILHOUETTE_STEP = 2;
/** A walk that passes this close (px) to another part's seed has entered that part. */
const TOUCH = 1.5;

/**
 * Extra seed segments per bone (index = bone), from walks through `mask` (W×H, 1 = character)
 * spaced `step` px apart.
 */
export function silhouetteSeeds(
  ref: Float64Array,
  mask: Uint8Array,
  width: number,
  height: number,
  step = SILHOUETTE_STEP,
): (readonly [P, P])[][] {
  const extra: (readonly [P, P])[][] = Array.from({ length: BONE_COUNT }, () => []);
  const seeds = boneSeeds(ref);
  const inMask = (x: number, y: number) => {
    const xi = Math.round(x);
    const yi = Math.round(y);
    return xi >= 0 && yi >= 0 && xi < width && yi < height && mask[yi * width + xi] === 1;
  };
  // Which bones' seeds cover each pixel (bit k), rasterised once: segments thickened by TOUCH,
  // polygons filled.
  const seedBits = new Uint16Array(width * height);
  const paint = (box: readonly number[], k: number, hit: (x: number, y: number) => boolean) => {
    const x0 = Math.max(0, Math.floor(box[0]! - TOUCH));
    const y0 = Math.max(0, Math.floor(box[1]! - TOUCH));
    const x1 = Math.min(width - 1, Math.ceil(box[2]! + TOUCH));
    const y1 = Math.min(height - 1, Math.ceil(box[3]! + TOUCH));
    for (let y = y0; y <= y1; y++)
      for (let x = x0; x <= x1; x++) if (hit(x, y)) seedBits[y * width + x]! |= 1 << k;
  };
  seeds.forEach((s: Seed, k) => {
    for (const [a, b] of s.segments)
      paint(
        [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1])],
        k,
        (x, y) => distToSegment(x, y, a, b) <= TOUCH,
      );
    const poly = s.polygon;
    if (poly)
      paint(
        [
          Math.min(...poly.map((p) => p[0])),
          Math.min(...poly.map((p) => p[1])),
          Math.max(...poly.map((p) => p[0])),
          Math.max(...poly.map((p) => p[1])),
        ],
        k,
        (x, y) => insidePolygon(x, y, poly),
      );
  });
  /** True when (x, y) is on or next to the seed of a bone other than `own`. */
  const touchesOther = (x: number, y: number, own: number) =>
    (seedBits[Math.round(y) * width + Math.round(x)]! & ~(1 << own)) !== 0;
  /** Walks from `from` along unit `dir` to the last mask pixel; undefined if it meets another part. */
  const walk = (from: P, dir: P, own: number): P | undefined => {
    let last: P | undefined;
    for (let t = 0; t < width + height; t += 0.5) {
      const x = from[0] + dir[0] * t;
      const y = from[1] + dir[1] * t;
      if (!inMask(x, y)) return last;
      if (touchesOther(x, y, own)) return undefined;
      last = [x, y];
    }
    return undefined;
  };

  // Torso: rows between the shoulder line and the hip line, from the spine out to both sides.
  const neck = point(ref, Joint.neck);
  const rHip = point(ref, Joint.rHip);
  const lHip = point(ref, Joint.lHip);
  const shoulders = [point(ref, Joint.rShoulder), point(ref, Joint.lShoulder)].filter(
    (p) => p !== undefined,
  );
  if (neck && rHip && lHip && shoulders.length > 0) {
    const hip: P = [(rHip[0] + lHip[0]) / 2, (rHip[1] + lHip[1]) / 2];
    const top = Math.max(...shoulders.map((p) => p[1]));
    const bottom = hip[1];
    for (let y = Math.ceil(top); y <= bottom; y += step) {
      // The spine's x on this row (neck → mid-hip), clamped to the segment.
      const t = bottom > neck[1] ? Math.min(1, Math.max(0, (y - neck[1]) / (bottom - neck[1]))) : 0;
      const spine: P = [neck[0] + (hip[0] - neck[0]) * t, y];
      if (!inMask(spine[0], spine[1])) continue;
      for (const dir of [
        [-1, 0],
        [1, 0],
      ] as const) {
        const end = walk(spine, dir, 0);
        if (end) extra[0]!.push([spine, end]);
      }
    }
  }

  // Upper arms: across the arm from points along its axis, both ways.
  for (const name of ['rUpperArm', 'lUpperArm'] as const) {
    const k = boneIndex(name);
    const [a, b] =
      name === 'rUpperArm' ? [Joint.rShoulder, Joint.rElbow] : [Joint.lShoulder, Joint.lElbow];
    const pa = point(ref, a);
    const pb = point(ref, b);
    if (!pa || !pb) continue;
    const len = Math.hypot(pb[0] - pa[0], pb[1] - pa[1]);
    if (len < 1) continue;
    const u: P = [(pb[0] - pa[0]) / len, (pb[1] - pa[1]) / len];
    for (let s = 0; s <= len; s += step) {
      const from: P = [pa[0] + u[0] * s, pa[1] + u[1] * s];
      if (!inMask(from[0], from[1])) continue;
      for (const dir of [
        [-u[1], u[0]],
        [u[1], -u[0]],
      ] as const) {
        const end = walk(from, dir, k);
        if (end) extra[k]!.push([from, end]);
      }
    }
  }
  return extra;
}

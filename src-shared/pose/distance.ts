import { torsoSize } from './geometry';
import { PARTS, POINT_COUNT, type PartName } from './skeleton';
import { STRIDE } from './types';

/**
 * Pose distance as PoseCrafter uses it to pick a reference frame: the L2 norm of the coordinate
 * differences over the points present in both poses. Optionally each pose is first centred on
 * those common points and divided by its torso size (neck → mid-hip), so the distance measures
 * pose shape, not where or how big the person is.
 */
export interface PoseDistanceOptions {
  /** Centre each pose on the common points and divide by its torso size (default false). */
  normalize?: boolean;
  /** Only compare these parts (default: all 136 points). */
  parts?: readonly PartName[];
}

export interface PoseDistance {
  /** sqrt(Σ |a_i − b_i|²) over the common points (PoseCrafter's L2). */
  l2: number;
  /** l2 / sqrt(count): root-mean-square point distance, comparable across point counts. */
  rms: number;
  /** Number of points present in both poses (0: distance undefined, l2 and rms are Infinity). */
  count: number;
}

function selection(parts: readonly PartName[] | undefined): Uint8Array {
  const sel = new Uint8Array(POINT_COUNT);
  if (!parts) return sel.fill(1);
  for (const name of parts) {
    const r = PARTS[name];
    if (!r) throw new RangeError(`unknown pose part "${String(name)}"`);
    sel.fill(1, r.start, r.start + r.count);
  }
  return sel;
}

/** How a pose is mapped into the space where it is compared: (x − cx) / s. */
interface Frame {
  cx: number;
  cy: number;
  s: number;
}

function normalisation(p: Float64Array, common: Uint8Array): Frame {
  let cx = 0;
  let cy = 0;
  let n = 0;
  for (let i = 0; i < POINT_COUNT; i++)
    if (common[i]) {
      cx += p[i * STRIDE]!;
      cy += p[i * STRIDE + 1]!;
      n++;
    }
  cx /= n;
  cy /= n;
  let s = torsoSize(p);
  if (!(s > 0)) {
    // no torso: fall back to the RMS radius of the common points
    let r2 = 0;
    for (let i = 0; i < POINT_COUNT; i++)
      if (common[i]) r2 += (p[i * STRIDE]! - cx) ** 2 + (p[i * STRIDE + 1]! - cy) ** 2;
    s = Math.sqrt(r2 / n);
  }
  return { cx, cy, s: s > 0 ? s : 1 };
}

export function poseDistance(
  a: Float64Array,
  b: Float64Array,
  options: PoseDistanceOptions = {},
): PoseDistance {
  const sel = selection(options.parts);
  const common = new Uint8Array(POINT_COUNT);
  let count = 0;
  for (let i = 0; i < POINT_COUNT; i++)
    if (sel[i] && a[i * STRIDE + 2]! > 0 && b[i * STRIDE + 2]! > 0) {
      common[i] = 1;
      count++;
    }
  if (count === 0) return { l2: Infinity, rms: Infinity, count: 0 };
  const fa: Frame = options.normalize ? normalisation(a, common) : { cx: 0, cy: 0, s: 1 };
  const fb: Frame = options.normalize ? normalisation(b, common) : { cx: 0, cy: 0, s: 1 };
  let sum = 0;
  for (let i = 0; i < POINT_COUNT; i++) {
    if (!common[i]) continue;
    const o = i * STRIDE;
    const dx = (a[o]! - fa.cx) / fa.s - (b[o]! - fb.cx) / fb.s;
    const dy = (a[o + 1]! - fa.cy) / fa.s - (b[o + 1]! - fb.cy) / fb.s;
    sum += dx * dx + dy * dy;
  }
  const l2 = Math.sqrt(sum);
  return { l2, rms: l2 / Math.sqrt(count), count };
}

export interface NearestReferenceOptions extends PoseDistanceOptions {
  /** Which number to minimise (default 'rms', fair when references miss different points). */
  metric?: 'l2' | 'rms';
  /** References sharing fewer points than this with the target are skipped (default 1). */
  minCommonPoints?: number;
}

export interface NearestReference {
  /** Index of the closest reference, or −1 when none shares enough points with the target. */
  index: number;
  distance: number;
  /** Distance to every reference (Infinity where skipped). */
  distances: number[];
}

/** The reference pose closest to `target` (e.g. which reference picture to animate a frame from). */
export function nearestReference(
  target: Float64Array,
  references: readonly Float64Array[],
  options: NearestReferenceOptions = {},
): NearestReference {
  const metric = options.metric ?? 'rms';
  const minCommon = options.minCommonPoints ?? 1;
  let index = -1;
  let distance = Infinity;
  const distances = references.map((ref, i) => {
    const d = poseDistance(target, ref, options);
    const v = d.count >= minCommon ? d[metric] : Infinity;
    if (v < distance) {
      distance = v;
      index = i;
    }
    return v;
  });
  return { index, distance, distances };
}

/**
 * How far a limb's part may reach from its bone. The parts spread geodesically through the
 * character's pixels (`partLabels`), so without a bound a limb takes whatever lies nearer to it than
 * to any other seed: on a drawing whose rig has more limbs than the pose (a six-armed creature's
 * other arms, an animal's rump behind its hind leg) the extra arms and the rump became part of the
 * mapped arm or thigh and swung away with it, tearing the body in two. A limb keeps the pixels
 * along its own bone — within a few of its own half-widths of its joint segment, and not behind the
 * joint it hangs from — and whatever else only the limb can reach (`partLabels` hands that back to
 * it after every other part has spread), so an unmapped appendage rides with the body part it
 * grows from.
 */
import { Joint } from '#shared/pose/skeleton';
import { BONES, BONE_COUNT, point } from './bones';
import { distToSegment } from './boneSeeds';

/** A limb reaches this many of its half-widths from its bone's axis. */
export const REACH_HALF_WIDTHS = 3;

/** …and at least this fraction of its bone's length (a curved forearm). */
export const REACH_LENGTH = 0.5;

type P = readonly [number, number];

export interface LimbReach {
  /** Whether part `k` may claim picture point (x, y) while other parts are still spreading. */
  readonly allows: (k: number, x: number, y: number) => boolean;
}

/**
 * Chamfer distance (3-4) from each inside cell to the nearest outside cell, in cells: the
 * character's local half-width.
 */
export function halfWidths(inside: Uint8Array, w: number, h: number): Float32Array {
  const big = 1e9;
  const d = new Float32Array(w * h);
  for (let i = 0; i < d.length; i++) d[i] = inside[i] ? big : 0;
  const at = (i: number, j: number) => (i < 0 || j < 0 || i >= w || j >= h ? 0 : d[j * w + i]!);
  for (let j = 0; j < h; j++)
    for (let i = 0; i < w; i++) {
      const c = j * w + i;
      if (!d[c]) continue;
      d[c] = Math.min(
        d[c]!,
        at(i - 1, j) + 3,
        at(i, j - 1) + 3,
        at(i - 1, j - 1) + 4,
        at(i + 1, j - 1) + 4,
      );
    }
  for (let j = h - 1; j >= 0; j--)
    for (let i = w - 1; i >= 0; i--) {
      const c = j * w + i;
      if (!d[c]) continue;
      d[c] = Math.min(
        d[c]!,
        at(i + 1, j) + 3,
        at(i, j + 1) + 3,
        at(i + 1, j + 1) + 4,
        at(i - 1, j + 1) + 4,
      );
    }
  for (let i = 0; i < d.length; i++) d[i] = d[i]! / 3;
  return d;
}

/** The two segments of each limb (upper, lower) by the joints that define them. */
const CHAINS: readonly (readonly [number, number, number])[] = [
  [Joint.rShoulder, Joint.rElbow, Joint.rWrist],
  [Joint.lShoulder, Joint.lElbow, Joint.lWrist],
  [Joint.rHip, Joint.rKnee, Joint.rAnkle],
  [Joint.lHip, Joint.lKnee, Joint.lAnkle],
];

/**
 * Each limb bone's reach on the label grid (`cellAt` maps a picture point to its cell or −1;
 * `widths` the half-widths per cell in picture pixels). A limb's half-width is the median of the
 * character's half-width along its two segments (a limb drawn thick reaches further); the bones
 * hanging from the torso (upper arms, thighs) may not reach more than that half-width behind their
 * joint.
 */
export function limbReach(
  ref: Float64Array,
  widths: Float32Array,
  cellAt: (x: number, y: number) => number,
): LimbReach {
  const reach = new Float64Array(BONE_COUNT).fill(Infinity);
  const behind = new Float64Array(BONE_COUNT).fill(Infinity);
  for (const chain of CHAINS) {
    const pts = chain.map((j) => point(ref, j));
    const samples: number[] = [];
    for (let s = 0; s + 1 < pts.length; s++) {
      const a = pts[s];
      const b = pts[s + 1];
      if (!a || !b) continue;
      for (let t = 0.1; t < 1; t += 0.1) {
        const c = cellAt(a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t);
        if (c >= 0 && widths[c]! > 0) samples.push(widths[c]!);
      }
    }
    if (samples.length === 0) continue;
    samples.sort((u, v) => u - v);
    const half = samples[samples.length >> 1]!;
    for (let k = 0; k < BONE_COUNT; k++) {
      const seg = BONES[k]!.segment;
      if (!seg || !chain.includes(seg[0]) || !chain.includes(seg[1])) continue;
      const a = point(ref, seg[0]);
      const b = point(ref, seg[1]);
      if (!a || !b) continue;
      // A drawn limb bends along its length: it reaches half its length from its straight bone too.
      reach[k] = Math.max(
        REACH_HALF_WIDTHS * half,
        REACH_LENGTH * Math.hypot(b[0] - a[0], b[1] - a[1]),
      );
      if (BONES[k]!.parent === 0) behind[k] = half;
    }
  }
  const segs: (readonly [P, P] | undefined)[] = BONES.map((b) => {
    if (!b.segment) return undefined;
    const a = point(ref, b.segment[0]);
    const c = point(ref, b.segment[1]);
    return a && c ? ([a, c] as const) : undefined;
  });
  return {
    allows: (k, x, y) => {
      const seg = segs[k];
      if (!seg || reach[k] === Infinity) return true;
      const [a, b] = seg;
      if (distToSegment(x, y, a, b) > reach[k]!) return false;
      if (behind[k] === Infinity) return true;
      const dx = b[0] - a[0];
      const dy = b[1] - a[1];
      const len = Math.hypot(dx, dy);
      return len === 0 || ((x - a[0]) * dx + (y - a[1]) * dy) / len >= -behind[k]!;
    },
  };
}

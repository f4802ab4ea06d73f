import { torsoSize } from './geometry';
import { FEET, FK_ORDER, Joint, PARENT, RIGID_GROUPS } from './skeleton';
import { POINTS_LENGTH, STRIDE } from './types';

/**
 * Retargeting: put a driving pose (from a video or another person) onto a character's proportions.
 *
 * - Scale s = character torso / driving-reference torso (neck → mid-hip).
 * - Root: the neck goes to the character's neck plus s × how far the driving neck has moved from
 *   its reference position (so a sequence keeps its travel, scaled, starting where the character
 *   stands).
 * - Body and feet: each bone keeps the driving pose's direction and takes the character's length
 *   (s × the driving length where the character lacks that bone).
 * - Face and hands: rigid copies of the driving group, scaled by s, hung from the retargeted nose
 *   and wrists.
 * Points missing in the driving pose stay missing; confidences come from the driving pose.
 */
export interface RetargetOptions {
  /**
   * The driving sequence's reference pose (usually its first frame): its torso sets the scale and
   * its neck the origin of root motion. Default: the driving pose itself (root = character neck).
   */
  drivingReference?: Float64Array;
}

const BODY_END = FEET.start + FEET.count;
const BODY_ORDER = FK_ORDER.filter((i) => i < BODY_END);

function has(p: Float64Array, i: number): boolean {
  return p[i * STRIDE + 2]! > 0;
}

/** Height of the bounding box of the present body points, a scale fallback when a torso is missing. */
function bodyHeight(p: Float64Array): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < BODY_END; i++)
    if (has(p, i)) {
      lo = Math.min(lo, p[i * STRIDE + 1]!);
      hi = Math.max(hi, p[i * STRIDE + 1]!);
    }
  return hi - lo;
}

/** The character-to-driving size ratio used by retargetPose (1 when it cannot be measured). */
export function retargetScale(reference: Float64Array, character: Float64Array): number {
  const tc = torsoSize(character);
  const td = torsoSize(reference);
  if (tc > 0 && td > 0) return tc / td;
  const hc = bodyHeight(character);
  const hd = bodyHeight(reference);
  if (hc > 0 && hd > 0 && Number.isFinite(hc) && Number.isFinite(hd)) return hc / hd;
  return 1;
}

export function retargetPose(
  driving: Float64Array,
  character: Float64Array,
  options: RetargetOptions = {},
): Float64Array {
  const ref = options.drivingReference ?? driving;
  for (const [name, p] of [
    ['driving', driving],
    ['character', character],
    ['drivingReference', ref],
  ] as const)
    if (p.length !== POINTS_LENGTH)
      throw new RangeError(`${name} pose must hold ${POINTS_LENGTH} numbers, got ${p.length}`);
  const s = retargetScale(ref, character);
  const out = new Float64Array(POINTS_LENGTH);
  // where a point with no present ancestor goes: the character's neck is the origin
  const n = Joint.neck;
  const refNeck = has(ref, n) && has(character, n);
  const ox = refNeck ? character[n * STRIDE]! : 0;
  const oy = refNeck ? character[n * STRIDE + 1]! : 0;
  const rx = refNeck ? ref[n * STRIDE]! : 0;
  const ry = refNeck ? ref[n * STRIDE + 1]! : 0;
  const sAbs = refNeck ? s : 1; // without a neck to anchor on, keep driving coordinates
  const placeAbsolute = (i: number): void => {
    out[i * STRIDE] = ox + sAbs * (driving[i * STRIDE]! - rx);
    out[i * STRIDE + 1] = oy + sAbs * (driving[i * STRIDE + 1]! - ry);
  };

  for (const i of BODY_ORDER) {
    if (!has(driving, i)) continue;
    out[i * STRIDE + 2] = driving[i * STRIDE + 2]!;
    let q = PARENT[i]!;
    while (q >= 0 && !has(driving, q)) q = PARENT[q]!;
    if (q < 0) {
      placeAbsolute(i);
      continue;
    }
    const dx = driving[i * STRIDE]! - driving[q * STRIDE]!;
    const dy = driving[i * STRIDE + 1]! - driving[q * STRIDE + 1]!;
    const len = Math.hypot(dx, dy);
    let target = s * len;
    if (has(character, i) && has(character, q))
      target = Math.hypot(
        character[i * STRIDE]! - character[q * STRIDE]!,
        character[i * STRIDE + 1]! - character[q * STRIDE + 1]!,
      );
    const k = len > 0 ? target / len : 0;
    out[i * STRIDE] = out[q * STRIDE]! + dx * k;
    out[i * STRIDE + 1] = out[q * STRIDE + 1]! + dy * k;
  }

  for (const g of RIGID_GROUPS) {
    const a = g.anchor;
    const anchored = has(driving, a);
    for (let k = 0; k < g.range.count; k++) {
      const i = g.range.start + k;
      if (!has(driving, i)) continue;
      out[i * STRIDE + 2] = driving[i * STRIDE + 2]!;
      if (!anchored) {
        placeAbsolute(i);
        continue;
      }
      out[i * STRIDE] = out[a * STRIDE]! + s * (driving[i * STRIDE]! - driving[a * STRIDE]!);
      out[i * STRIDE + 1] =
        out[a * STRIDE + 1]! + s * (driving[i * STRIDE + 1]! - driving[a * STRIDE + 1]!);
    }
  }
  return out;
}

/** Retargets a whole driving sequence, its first frame being the reference. */
export function retargetSequence(
  driving: readonly Float64Array[],
  character: Float64Array,
): Float64Array[] {
  if (driving.length === 0) return [];
  const drivingReference = driving[0]!;
  return driving.map((d) => retargetPose(d, character, { drivingReference }));
}

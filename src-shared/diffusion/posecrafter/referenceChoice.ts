import { BODY_COUNT } from '#shared/pose/skeleton';
import { STRIDE, type PoseFrame } from '#shared/pose/types';

/**
 * PoseCrafter's choice of reference frame: the one whose pose is closest (mean L2 over the body
 * points present in both, in canvas pixels) to the target pose. With several reference pictures
 * of the character, each frame starts from the best-matching one.
 */
export function poseDistance(a: PoseFrame, b: PoseFrame): number {
  const pa = a.people[0]?.points;
  const pb = b.people[0]?.points;
  if (!pa || !pb) return Infinity;
  let sum = 0;
  let count = 0;
  for (let j = 0; j < BODY_COUNT; j++) {
    const o = j * STRIDE;
    if (pa[o + 2]! <= 0 || pb[o + 2]! <= 0) continue;
    sum += Math.hypot(pa[o]! - pb[o]!, pa[o + 1]! - pb[o + 1]!);
    count++;
  }
  return count === 0 ? Infinity : sum / count;
}

/** Index of the reference pose nearest to `target` (ties: the first). */
export function nearestReference(references: readonly PoseFrame[], target: PoseFrame): number {
  if (references.length === 0) throw new RangeError('at least one reference pose is needed');
  let best = 0;
  let bestDistance = Infinity;
  references.forEach((r, i) => {
    const d = poseDistance(r, target);
    if (d < bestDistance) {
      best = i;
      bestDistance = d;
    }
  });
  return best;
}

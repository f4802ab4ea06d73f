/**
 * A DWPose person (133 COCO-WholeBody keypoints + scores, source pixels) → our 136 points, as the
 * DWPose annotator does it: points scoring below the threshold (0.3) are missing, the neck is the
 * shoulders' midpoint when both shoulders are present, and the pupils come from the body's eyes.
 */
import {
  COCO17_L_EYE,
  COCO17_L_SHOULDER,
  COCO17_R_EYE,
  COCO17_R_SHOULDER,
  FACE_L_PUPIL,
  FACE_R_PUPIL,
  WHOLEBODY133_TO_OURS,
} from '#shared/pose/formats/layouts';
import { Joint } from '#shared/pose/skeleton';
import { emptyPoints, setPoint } from '#shared/pose/types';

export const WHOLEBODY_POINTS = 133;
export const DWPOSE_MIN_SCORE = 0.3;

export function wholeBodyToPoints(
  xy: Float64Array,
  scores: Float64Array,
  minScore = DWPOSE_MIN_SCORE,
): Float64Array {
  if (xy.length !== WHOLEBODY_POINTS * 2 || scores.length !== WHOLEBODY_POINTS)
    throw new RangeError(`expected ${WHOLEBODY_POINTS} keypoints, got ${scores.length}`);
  const points = emptyPoints();
  const ok = (k: number) => scores[k]! > minScore;
  for (let k = 0; k < WHOLEBODY_POINTS; k++)
    if (ok(k)) setPoint(points, WHOLEBODY133_TO_OURS[k]!, xy[k * 2]!, xy[k * 2 + 1]!, scores[k]!);
  if (ok(COCO17_L_SHOULDER) && ok(COCO17_R_SHOULDER)) {
    const l = COCO17_L_SHOULDER * 2;
    const r = COCO17_R_SHOULDER * 2;
    setPoint(
      points,
      Joint.neck,
      (xy[l]! + xy[r]!) / 2,
      (xy[l + 1]! + xy[r + 1]!) / 2,
      Math.min(scores[COCO17_L_SHOULDER]!, scores[COCO17_R_SHOULDER]!),
    );
  }
  for (const [pupil, eye] of [
    [FACE_R_PUPIL, COCO17_R_EYE],
    [FACE_L_PUPIL, COCO17_L_EYE],
  ] as const)
    if (ok(eye)) setPoint(points, pupil, xy[eye * 2]!, xy[eye * 2 + 1]!, scores[eye]!);
  return points;
}

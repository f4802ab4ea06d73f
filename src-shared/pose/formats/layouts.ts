import { FACE, FEET, LEFT_HAND, RIGHT_HAND } from '#shared/pose/skeleton';

/**
 * Index maps from foreign keypoint layouts into Pose Studio's 136 points. Each array lists, for a
 * source point, the target slot (−1: no slot, dropped).
 */

/** OpenPose BODY_25 → ours: 0–7 as COCO-18, 8 MidHip has no slot, 9–18 shift by one, 19–24 feet. */
export const BODY25_TO_OURS: readonly number[] = [
  0,
  1,
  2,
  3,
  4,
  5,
  6,
  7,
  -1,
  8,
  9,
  10,
  11,
  12,
  13,
  14,
  15,
  16,
  17,
  FEET.start,
  FEET.start + 1,
  FEET.start + 2,
  FEET.start + 3,
  FEET.start + 4,
  FEET.start + 5,
];

/** COCO-17 (nose, eyes, ears, then left before right) → our COCO-18 body (neck is computed). */
export const COCO17_TO_OURS: readonly number[] = [
  0, 15, 14, 17, 16, 5, 2, 6, 3, 7, 4, 11, 8, 12, 9, 13, 10,
];

/** COCO-17 indices of the shoulders, whose midpoint is the COCO-18 neck. */
export const COCO17_L_SHOULDER = 5;
export const COCO17_R_SHOULDER = 6;
export const COCO17_R_EYE = 2;
export const COCO17_L_EYE = 1;

/** COCO-WholeBody 133 → ours: body via COCO-17, feet 17–22, face 68, left hand, right hand. */
export const WHOLEBODY133_TO_OURS: readonly number[] = [
  ...COCO17_TO_OURS,
  ...Array.from({ length: 6 }, (_, i) => FEET.start + i),
  ...Array.from({ length: 68 }, (_, i) => FACE.start + i),
  ...Array.from({ length: 21 }, (_, i) => LEFT_HAND.start + i),
  ...Array.from({ length: 21 }, (_, i) => RIGHT_HAND.start + i),
];

/** Face points 68/69 (pupils) that 68-point faces lack: filled from the body's eyes. */
export const FACE_R_PUPIL = FACE.start + 68;
export const FACE_L_PUPIL = FACE.start + 69;

/**
 * MediaPipe BlazePose 33 → ours. Eyes are the eye centres (2, 5), heels 29/30, "foot index"
 * (31/32) is the big toe. Eye corners, mouth and the pinky/index/thumb landmarks have no slot.
 */
export const BLAZEPOSE33_TO_OURS: readonly number[] = [
  0,
  -1,
  15,
  -1,
  -1,
  14,
  -1,
  17,
  16,
  -1,
  -1,
  5,
  2,
  6,
  3,
  7,
  4,
  -1,
  -1,
  -1,
  -1,
  -1,
  -1,
  11,
  8,
  12,
  9,
  13,
  10,
  FEET.start + 2,
  FEET.start + 5,
  FEET.start,
  FEET.start + 3,
];
export const BLAZEPOSE_L_SHOULDER = 11;
export const BLAZEPOSE_R_SHOULDER = 12;

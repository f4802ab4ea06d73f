/**
 * The 136-point whole-body skeleton every process of Pose Studio shares.
 *
 * Layout (indices into a person's point list):
 *   0–17    body, COCO-18 order (the ControlNet body)
 *   18–23   feet, COCO-WholeBody order: left big toe, left small toe, left heel, right …
 *   24–93   face, 70 points (OpenPose: 68 iBUG landmarks + 2 pupils)
 *   94–114  left hand, 21 points (wrist, then 4 per finger thumb → little)
 *   115–135 right hand, 21 points
 *
 * "Left" is the person's own left, as in OpenPose's `hand_left_keypoints_2d`.
 */

export const BODY_COUNT = 18;
export const FEET_COUNT = 6;
export const FACE_COUNT = 70;
export const HAND_COUNT = 21;
export const POINT_COUNT = BODY_COUNT + FEET_COUNT + FACE_COUNT + 2 * HAND_COUNT; // 136

export interface PointRange {
  readonly start: number;
  readonly count: number;
}

export const BODY: PointRange = { start: 0, count: BODY_COUNT };
export const FEET: PointRange = { start: 18, count: FEET_COUNT };
export const FACE: PointRange = { start: 24, count: FACE_COUNT };
export const LEFT_HAND: PointRange = { start: 94, count: HAND_COUNT };
export const RIGHT_HAND: PointRange = { start: 115, count: HAND_COUNT };

export type PartName = 'body' | 'feet' | 'face' | 'leftHand' | 'rightHand';
export const PARTS: Readonly<Record<PartName, PointRange>> = {
  body: BODY,
  feet: FEET,
  face: FACE,
  leftHand: LEFT_HAND,
  rightHand: RIGHT_HAND,
};

/** COCO-18 body joints by name. */
export const Joint = {
  nose: 0,
  neck: 1,
  rShoulder: 2,
  rElbow: 3,
  rWrist: 4,
  lShoulder: 5,
  lElbow: 6,
  lWrist: 7,
  rHip: 8,
  rKnee: 9,
  rAnkle: 10,
  lHip: 11,
  lKnee: 12,
  lAnkle: 13,
  rEye: 14,
  lEye: 15,
  rEar: 16,
  lEar: 17,
  lBigToe: 18,
  lSmallToe: 19,
  lHeel: 20,
  rBigToe: 21,
  rSmallToe: 22,
  rHeel: 23,
} as const;

const BODY_NAMES = [
  'nose',
  'neck',
  'r_shoulder',
  'r_elbow',
  'r_wrist',
  'l_shoulder',
  'l_elbow',
  'l_wrist',
  'r_hip',
  'r_knee',
  'r_ankle',
  'l_hip',
  'l_knee',
  'l_ankle',
  'r_eye',
  'l_eye',
  'r_ear',
  'l_ear',
];
const FEET_NAMES = ['l_big_toe', 'l_small_toe', 'l_heel', 'r_big_toe', 'r_small_toe', 'r_heel'];
const FINGER_NAMES = ['thumb', 'index', 'middle', 'ring', 'little'];
const handNames = (side: 'l' | 'r'): string[] => [
  `${side}_hand_wrist`,
  ...FINGER_NAMES.flatMap((f) => [1, 2, 3, 4].map((k) => `${side}_hand_${f}_${k}`)),
];
const FACE_NAMES = Array.from({ length: FACE_COUNT }, (_, i) => {
  if (i === 68) return 'face_r_pupil';
  if (i === 69) return 'face_l_pupil';
  return `face_${i}`;
});

/** Human-readable name of each of the 136 points, in layout order. */
export const POINT_NAMES: readonly string[] = [
  ...BODY_NAMES,
  ...FEET_NAMES,
  ...FACE_NAMES,
  ...handNames('l'),
  ...handNames('r'),
];

/**
 * The 17 limbs of the ControlNet OpenPose body, as 0-based joint pairs, in drawing order.
 * Limb i is drawn in LIMB_COLORS[i] × 0.6 (see conditioning renderer).
 */
export const BODY_LIMBS: readonly (readonly [number, number])[] = [
  [1, 2],
  [1, 5],
  [2, 3],
  [3, 4],
  [5, 6],
  [6, 7],
  [1, 8],
  [8, 9],
  [9, 10],
  [1, 11],
  [11, 12],
  [12, 13],
  [1, 0],
  [0, 14],
  [14, 16],
  [0, 15],
  [15, 17],
];

/** ControlNet's 18-colour palette (RGB). Limb i uses colour i; joint k uses colour k. */
export const PALETTE: readonly (readonly [number, number, number])[] = [
  [255, 0, 0],
  [255, 85, 0],
  [255, 170, 0],
  [255, 255, 0],
  [170, 255, 0],
  [85, 255, 0],
  [0, 255, 0],
  [0, 255, 85],
  [0, 255, 170],
  [0, 255, 255],
  [0, 170, 255],
  [0, 85, 255],
  [0, 0, 255],
  [85, 0, 255],
  [170, 0, 255],
  [255, 0, 255],
  [255, 0, 170],
  [255, 0, 85],
];

/** The 20 edges of a 21-point hand (indices relative to the hand's first point). */
export const HAND_EDGES: readonly (readonly [number, number])[] = [
  [0, 1],
  [1, 2],
  [2, 3],
  [3, 4],
  [0, 5],
  [5, 6],
  [6, 7],
  [7, 8],
  [0, 9],
  [9, 10],
  [10, 11],
  [11, 12],
  [0, 13],
  [13, 14],
  [14, 15],
  [15, 16],
  [0, 17],
  [17, 18],
  [18, 19],
  [19, 20],
];

/** Feet are drawn only on request (the standard annotator omits them): ankle → toes and heel. */
export const FOOT_LIMBS: readonly (readonly [number, number])[] = [
  [Joint.lAnkle, Joint.lBigToe],
  [Joint.lAnkle, Joint.lSmallToe],
  [Joint.lAnkle, Joint.lHeel],
  [Joint.rAnkle, Joint.rBigToe],
  [Joint.rAnkle, Joint.rSmallToe],
  [Joint.rAnkle, Joint.rHeel],
];

/** Rigid groups: moved as one similarity transform attached to an anchor joint. */
export interface RigidGroup {
  readonly part: PartName;
  readonly range: PointRange;
  /** The body joint the group hangs from (wrist for hands, nose for the face). */
  readonly anchor: number;
}
export const RIGID_GROUPS: readonly RigidGroup[] = [
  { part: 'face', range: FACE, anchor: Joint.nose },
  { part: 'leftHand', range: LEFT_HAND, anchor: Joint.lWrist },
  { part: 'rightHand', range: RIGHT_HAND, anchor: Joint.rWrist },
];

/**
 * Parent of each point in the bone tree (−1 for the root, the neck). Body and feet form the
 * forward-kinematics chain; the face hangs from the nose and each hand's wrist point from the body
 * wrist, with fingers chained inside the hand.
 */
export const PARENT: readonly number[] = (() => {
  const p = new Array<number>(POINT_COUNT).fill(-1);
  const body: Record<number, number> = {
    0: 1,
    2: 1,
    3: 2,
    4: 3,
    5: 1,
    6: 5,
    7: 6,
    8: 1,
    9: 8,
    10: 9,
    11: 1,
    12: 11,
    13: 12,
    14: 0,
    15: 0,
    16: 14,
    17: 15,
    18: 13,
    19: 13,
    20: 13,
    21: 10,
    22: 10,
    23: 10,
  };
  for (const [child, parent] of Object.entries(body)) p[Number(child)] = parent;
  for (let i = 0; i < FACE_COUNT; i++) p[FACE.start + i] = Joint.nose;
  for (const [hand, wrist] of [
    [LEFT_HAND, Joint.lWrist],
    [RIGHT_HAND, Joint.rWrist],
  ] as const) {
    p[hand.start] = wrist;
    for (const [a, b] of HAND_EDGES) p[hand.start + b] = hand.start + a;
  }
  return p;
})();

/** Order in which a forward-kinematics pass can visit points (every parent before its children). */
export const FK_ORDER: readonly number[] = (() => {
  const order: number[] = [];
  const seen = new Array<boolean>(POINT_COUNT).fill(false);
  const visit = (i: number): void => {
    if (seen[i]) return;
    const parent = PARENT[i]!;
    if (parent >= 0) visit(parent);
    seen[i] = true;
    order.push(i);
  };
  for (let i = 0; i < POINT_COUNT; i++) visit(i);
  return order;
})();

/** Face landmarks mirrored left/right (iBUG 68 convention + the two pupils). */
const FACE_MIRROR_PAIRS: readonly (readonly [number, number])[] = [
  ...Array.from({ length: 8 }, (_, i) => [i, 16 - i] as const),
  [17, 26],
  [18, 25],
  [19, 24],
  [20, 23],
  [21, 22],
  [31, 35],
  [32, 34],
  [36, 45],
  [37, 44],
  [38, 43],
  [39, 42],
  [40, 47],
  [41, 46],
  [48, 54],
  [49, 53],
  [50, 52],
  [55, 59],
  [56, 58],
  [60, 64],
  [61, 63],
  [65, 67],
  [68, 69],
];

/** MIRROR[i] is the point that i becomes when a pose is mirrored left/right. */
export const MIRROR: readonly number[] = (() => {
  const m = Array.from({ length: POINT_COUNT }, (_, i) => i);
  const swap = (a: number, b: number): void => {
    m[a] = b;
    m[b] = a;
  };
  for (const [a, b] of [
    [2, 5],
    [3, 6],
    [4, 7],
    [8, 11],
    [9, 12],
    [10, 13],
    [14, 15],
    [16, 17],
    [18, 21],
    [19, 22],
    [20, 23],
  ] as const)
    swap(a, b);
  for (const [a, b] of FACE_MIRROR_PAIRS) swap(FACE.start + a, FACE.start + b);
  for (let i = 0; i < HAND_COUNT; i++) swap(LEFT_HAND.start + i, RIGHT_HAND.start + i);
  return m;
})();

/** Which part a point index belongs to. */
export function partOf(index: number): PartName {
  if (index < FEET.start) return 'body';
  if (index < FACE.start) return 'feet';
  if (index < LEFT_HAND.start) return 'face';
  if (index < RIGHT_HAND.start) return 'leftHand';
  return 'rightHand';
}

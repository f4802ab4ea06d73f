/**
 * The built-in extractor's raw results (MoveNet COCO-17 body, 21-point hands, MediaPipe face mesh
 * from @vladmandic/human) → our 136 points. Hands and faces are found separately from bodies, so
 * each is given to the body it belongs to: a face to the body whose nose lies nearest its centre
 * (inside the face box), a hand to the nearest body wrist, whose side names the hand.
 */
import { FACE, Joint, LEFT_HAND, RIGHT_HAND } from '#shared/pose/skeleton';
import { STRIDE, emptyPoints, setPoint } from '#shared/pose/types';

export interface RawKeypoint {
  part: string;
  x: number;
  y: number;
  score: number;
}
export interface RawBody {
  score: number;
  keypoints: RawKeypoint[];
}
export interface RawHand {
  score: number;
  /** 21 points, MediaPipe order (wrist, thumb 1–4, index … little), = OpenPose order. */
  points: readonly (readonly [number, number])[];
}
export interface RawFace {
  score: number;
  box: readonly [number, number, number, number];
  /** 468 (or 478 with irises) MediaPipe face-mesh points. */
  mesh: readonly (readonly [number, number])[];
}

/** MoveNet / COCO-17 part names → our body slots (the neck is computed). */
const BODY_PARTS: Record<string, number> = {
  nose: Joint.nose,
  leftEye: Joint.lEye,
  rightEye: Joint.rEye,
  leftEar: Joint.lEar,
  rightEar: Joint.rEar,
  leftShoulder: Joint.lShoulder,
  rightShoulder: Joint.rShoulder,
  leftElbow: Joint.lElbow,
  rightElbow: Joint.rElbow,
  leftWrist: Joint.lWrist,
  rightWrist: Joint.rWrist,
  leftHip: Joint.lHip,
  rightHip: Joint.rHip,
  leftKnee: Joint.lKnee,
  rightKnee: Joint.rKnee,
  leftAnkle: Joint.lAnkle,
  rightAnkle: Joint.rAnkle,
};

/**
 * MediaPipe face mesh index of each of the 68 iBUG landmarks (jaw 0–16, brows, nose, eyes, lips),
 * the correspondence commonly used to convert face-mesh results to dlib/OpenPose faces.
 */
export const MESH_TO_IBUG68: readonly number[] = [
  127, 234, 132, 58, 172, 150, 176, 148, 152, 377, 400, 379, 397, 288, 361, 454, 356, 70, 63, 105,
  66, 107, 336, 296, 334, 293, 300, 168, 197, 5, 4, 75, 97, 2, 326, 305, 33, 160, 158, 133, 153,
  144, 362, 385, 387, 263, 373, 380, 61, 39, 37, 0, 267, 269, 291, 405, 314, 17, 84, 181, 78, 82,
  13, 312, 308, 317, 14, 87,
];
/** Iris centres of the refined mesh (478 points). */
const IRIS_CENTRES = [468, 473];
/** Eye corners of the mesh: subject's right eye (33, 133), left eye (362, 263). */
const R_EYE = [33, 133];
const L_EYE = [362, 263];

export function bodyToPoints(body: RawBody, minScore: number): Float64Array {
  const points = emptyPoints();
  for (const k of body.keypoints) {
    const slot = BODY_PARTS[k.part];
    if (slot === undefined || !(k.score >= minScore)) continue;
    setPoint(points, slot, k.x, k.y, k.score);
  }
  const l = Joint.lShoulder * STRIDE;
  const r = Joint.rShoulder * STRIDE;
  if (points[l + 2]! > 0 && points[r + 2]! > 0)
    setPoint(
      points,
      Joint.neck,
      (points[l]! + points[r]!) / 2,
      (points[l + 1]! + points[r + 1]!) / 2,
      Math.min(points[l + 2]!, points[r + 2]!),
    );
  return points;
}

function point(points: Float64Array, i: number): [number, number] | null {
  return points[i * STRIDE + 2]! > 0 ? [points[i * STRIDE]!, points[i * STRIDE + 1]!] : null;
}

function mid(mesh: RawFace['mesh'], a: number, b: number): [number, number] {
  return [(mesh[a]![0] + mesh[b]![0]) / 2, (mesh[a]![1] + mesh[b]![1]) / 2];
}

export function addFace(points: Float64Array, face: RawFace): void {
  const c = face.score;
  MESH_TO_IBUG68.forEach((m, i) => {
    const p = face.mesh[m];
    if (p) setPoint(points, FACE.start + i, p[0], p[1], c);
  });
  if (face.mesh.length < 478) return;
  const rEye = mid(face.mesh, R_EYE[0]!, R_EYE[1]!);
  for (const k of IRIS_CENTRES) {
    const p = face.mesh[k]!;
    const lEye = mid(face.mesh, L_EYE[0]!, L_EYE[1]!);
    const toR = Math.hypot(p[0] - rEye[0], p[1] - rEye[1]);
    const toL = Math.hypot(p[0] - lEye[0], p[1] - lEye[1]);
    setPoint(points, FACE.start + (toR < toL ? 68 : 69), p[0], p[1], c);
  }
}

/** Assembles whole-body people from separately detected bodies, faces and hands. */
export function assembleBuiltin(
  bodies: readonly RawBody[],
  faces: readonly RawFace[],
  hands: readonly RawHand[],
  minScore: number,
): Float64Array[] {
  const people = bodies.map((b) => bodyToPoints(b, minScore));
  const faceTaken = new Set<number>();
  for (const face of faces) {
    if (!(face.score >= minScore)) continue;
    const [x, y, w, h] = face.box;
    let best = -1;
    let bestD = Infinity;
    people.forEach((p, i) => {
      const nose = point(p, Joint.nose);
      if (!nose || faceTaken.has(i)) return;
      if (nose[0] < x || nose[0] > x + w || nose[1] < y || nose[1] > y + h) return;
      const d = Math.hypot(nose[0] - (x + w / 2), nose[1] - (y + h / 2));
      if (d < bestD) [best, bestD] = [i, d];
    });
    if (best >= 0) {
      faceTaken.add(best);
      addFace(people[best]!, face);
    }
  }
  const handTaken = new Set<string>();
  for (const hand of hands) {
    if (!(hand.score >= minScore) || hand.points.length !== 21) continue;
    const [hx, hy] = hand.points[0]!;
    const span = Math.max(...hand.points.map((p) => Math.hypot(p[0] - hx, p[1] - hy)), 1);
    let best: { person: number; left: boolean } | null = null;
    let bestD = Infinity;
    people.forEach((p, i) => {
      for (const left of [true, false]) {
        const w = point(p, left ? Joint.lWrist : Joint.rWrist);
        if (!w || handTaken.has(`${i}:${left}`)) continue;
        const d = Math.hypot(w[0] - hx, w[1] - hy);
        // A wrist farther than about one and a half hand lengths belongs to someone else.
        if (d < bestD && d < 1.5 * span) [best, bestD] = [{ person: i, left }, d];
      }
    });
    if (!best) continue;
    const { person, left } = best;
    handTaken.add(`${person}:${left}`);
    const start = (left ? LEFT_HAND : RIGHT_HAND).start;
    hand.points.forEach((p, k) => setPoint(people[person]!, start + k, p[0], p[1], hand.score));
  }
  return people;
}

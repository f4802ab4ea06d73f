/**
 * The sample character "Sprout": its reference pose on a 512×512 picture and a tiny forward-
 * kinematics rig that poses it from joint angles. Used only to author the sample motions and the
 * picture (run `npx tsx assets/scripts/makeSamples.ts`); the app reads the generated files.
 */
import { POINT_COUNT } from '#shared/pose/skeleton';

export const SIZE = 512;
type P = [number, number];

/** Body (COCO-18) and feet, in picture pixels; the character faces the viewer (its right on our left). */
const BODY: P[] = [
  [256, 112], // 0 nose
  [256, 152], // 1 neck
  [214, 162], // 2 right shoulder
  [188, 222], // 3 right elbow
  [172, 282], // 4 right wrist
  [298, 162], // 5 left shoulder
  [324, 222], // 6 left elbow
  [340, 282], // 7 left wrist
  [234, 292], // 8 right hip
  [230, 372], // 9 right knee
  [228, 448], // 10 right ankle
  [278, 292], // 11 left hip
  [282, 372], // 12 left knee
  [284, 448], // 13 left ankle
  [245, 101], // 14 right eye
  [267, 101], // 15 left eye
  [229, 108], // 16 right ear
  [283, 108], // 17 left ear
  [292, 466], // 18 left big toe
  [302, 462], // 19 left small toe
  [281, 456], // 20 left heel
  [220, 466], // 21 right big toe
  [210, 462], // 22 right small toe
  [231, 456], // 23 right heel
];

function face(): P[] {
  const pts: P[] = [];
  const cx = 256;
  const cy = 108;
  for (let i = 0; i < 17; i++) {
    const a = Math.PI * (i / 16); // jaw, right ear round the chin to the left ear
    pts.push([cx - 30 * Math.cos(a), cy + 4 + 30 * Math.sin(a)]);
  }
  for (let i = 0; i < 5; i++)
    pts.push([cx - 22 + i * 4, cy - 14 - Math.sin((i / 4) * Math.PI) * 2]); // right brow
  for (let i = 0; i < 5; i++) pts.push([cx + 6 + i * 4, cy - 14 - Math.sin((i / 4) * Math.PI) * 2]); // left brow
  for (let i = 0; i < 4; i++) pts.push([cx, cy - 6 + i * 4]); // nose bridge
  for (let i = 0; i < 5; i++) pts.push([cx - 6 + i * 3, cy + 9]); // nostrils
  const eye = (ex: number): P[] =>
    Array.from({ length: 6 }, (_, i) => {
      const a = (i / 6) * 2 * Math.PI;
      return [ex + 6 * Math.cos(a), 101 + 3 * Math.sin(a)] as P;
    });
  pts.push(...eye(245), ...eye(267));
  for (let i = 0; i < 12; i++) {
    const a = (i / 12) * 2 * Math.PI;
    pts.push([cx + 11 * Math.cos(a), cy + 18 + 4 * Math.sin(a)]); // outer lips
  }
  for (let i = 0; i < 8; i++) {
    const a = (i / 8) * 2 * Math.PI;
    pts.push([cx + 7 * Math.cos(a), cy + 18 + 2 * Math.sin(a)]); // inner lips
  }
  pts.push([245, 101], [267, 101]); // pupils
  return pts;
}

/** 21 hand points: wrist, then 4 per finger thumb → little, fanned below the wrist. */
function hand(wrist: P, side: 1 | -1): P[] {
  const pts: P[] = [wrist];
  for (let f = 0; f < 5; f++) {
    const a = Math.PI / 2 + side * (f - 2) * 0.28 + (f === 0 ? side * -0.35 : 0);
    for (let j = 1; j <= 4; j++) {
      const r = 5 + j * (f === 0 ? 4 : 5);
      pts.push([wrist[0] + r * Math.cos(a), wrist[1] + r * Math.sin(a)]);
    }
  }
  return pts;
}

export const REFERENCE: P[] = [...BODY, ...face(), ...hand(BODY[7]!, -1), ...hand(BODY[4]!, 1)];
if (REFERENCE.length !== POINT_COUNT) throw new Error(`rig has ${REFERENCE.length} points`);

export function toPoints(pts: P[]): number[] {
  return pts.flatMap(([x, y]) => [round(x), round(y), 1]);
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

/** Joint angles in radians (positive = clockwise on screen) and a root offset in pixels. */
export interface Angles {
  x?: number;
  y?: number;
  torso?: number;
  head?: number;
  rShoulder?: number;
  rElbow?: number;
  lShoulder?: number;
  lElbow?: number;
  rHip?: number;
  rKnee?: number;
  lHip?: number;
  lKnee?: number;
}

const rot = (v: P, a: number): P => [
  v[0] * Math.cos(a) - v[1] * Math.sin(a),
  v[0] * Math.sin(a) + v[1] * Math.cos(a),
];
const sub = (a: P, b: P): P => [a[0] - b[0], a[1] - b[1]];
const add = (a: P, b: P): P => [a[0] + b[0], a[1] + b[1]];

const FACE = Array.from({ length: 70 }, (_, i) => 24 + i);
const L_HAND = Array.from({ length: 21 }, (_, i) => 94 + i);
const R_HAND = Array.from({ length: 21 }, (_, i) => 115 + i);

/** Poses the reference with forward kinematics: pelvis → torso → neck/head/arms, pelvis → legs. */
export function pose(a: Angles): P[] {
  const R = REFERENCE;
  const out: P[] = R.map((p) => [p[0], p[1]] as P);
  const pelvis: P = [(R[8]![0] + R[11]![0]) / 2, (R[8]![1] + R[11]![1]) / 2];
  const root: P = add(pelvis, [a.x ?? 0, a.y ?? 0]);
  const torso = a.torso ?? 0;
  const place = (i: number, parentNew: P, parentRef: P, angle: number) => {
    out[i] = add(parentNew, rot(sub(R[i]!, parentRef), angle));
  };
  for (const i of [8, 11]) place(i, root, pelvis, 0);
  place(1, root, pelvis, torso);
  const neck = out[1]!;
  for (const i of [2, 5]) place(i, neck, R[1]!, torso);
  const headA = torso + (a.head ?? 0);
  for (const i of [0, 14, 15, 16, 17, ...FACE]) place(i, neck, R[1]!, headA);
  const arm = (s: number, e: number, w: number, handPts: number[], sa: number, ea: number) => {
    place(e, out[s]!, R[s]!, torso + sa);
    place(w, out[e]!, R[e]!, torso + sa + ea);
    for (const i of handPts) place(i, out[w]!, R[w]!, torso + sa + ea);
  };
  arm(2, 3, 4, R_HAND, a.rShoulder ?? 0, a.rElbow ?? 0);
  arm(5, 6, 7, L_HAND, a.lShoulder ?? 0, a.lElbow ?? 0);
  const leg = (h: number, k: number, an: number, feet: number[], ha: number, ka: number) => {
    place(k, out[h]!, R[h]!, ha);
    place(an, out[k]!, R[k]!, ha + ka);
    for (const i of feet) place(i, out[an]!, R[an]!, ha + ka);
  };
  leg(8, 9, 10, [21, 22, 23], a.rHip ?? 0, a.rKnee ?? 0);
  leg(11, 12, 13, [18, 19, 20], a.lHip ?? 0, a.lKnee ?? 0);
  return out;
}

import { createRgbImage, type RgbImage } from '#shared/image/rgbImage';
import { ellipse2Poly, ELLIPSE_MAX_POINTS } from './raster/ellipsePoly';
import { circleFilled } from './raster/circle';
import { fillConvexPoly } from './raster/fillConvexPoly';
import { thickLine } from './raster/line';
import { cvRound } from './raster/paint';
import {
  BODY_COUNT,
  BODY_LIMBS,
  FACE,
  FOOT_LIMBS,
  HAND_EDGES,
  Joint,
  LEFT_HAND,
  PALETTE,
  RIGHT_HAND,
  type PointRange,
} from './skeleton';
import type { PoseFrame } from './types';

/**
 * The ControlNet OpenPose conditioning image, drawn the way the annotators draw it
 * (controlnet_aux `draw_bodypose` / `draw_handpose` / `draw_facepose` on OpenCV), pixel for pixel:
 * see docs/pose-math.md for the rules and the few places where we knowingly differ.
 */
export interface ConditioningOptions {
  /** Draw both hands (default true). */
  hands?: boolean;
  /** Draw the 70 face points (default true). */
  face?: boolean;
  /** Draw the 6 foot points and their limbs; the standard annotator does not (default false). */
  feet?: boolean;
  /**
   * Multiplier of the limb ellipses' minor axis (stick width 4). 'auto' (default) is the
   * high-resolution rule `1 if max_side < 500 else min(2 + max_side // 1000, 7)`; 1 is the classic
   * annotator at any size.
   */
  stickScale?: 'auto' | number;
}

const STICK_WIDTH = 4;
const JOINT_RADIUS = 4;
const HAND_POINT_RADIUS = 4;
const HAND_LINE_THICKNESS = 2;
const FACE_RADIUS = 3;
/** The annotators skip hand and face points whose integer pixel coordinate is ≤ this. */
const EPS = 0.01;
const RAD_TO_DEG = 180 / Math.PI; // CPython's math.degrees multiplies by this constant

/**
 * How thick the limbs of a ControlNet conditioning image are, as the pose model was trained:
 * `classic` — the OpenPose annotator of ControlNet 1.0/1.1 (lllyasviel's SD1.5 OpenPose models):
 * stick width 4 at any size; `high-resolution` — xinsir's rule for the SDXL pose models (thicker
 * sticks on large canvases, see autoStickScale). The project's `generator.params.stickWidth`.
 */
export const STICK_WIDTHS = ['classic', 'high-resolution'] as const;
export type StickWidth = (typeof STICK_WIDTHS)[number];

/** The ConditioningOptions.stickScale a stick-width choice draws with. */
export function stickScaleFor(stickWidth: StickWidth): 'auto' | number {
  return stickWidth === 'classic' ? 1 : 'auto';
}

/** The high-resolution stick scale for a canvas (xinsir's rule, used by the SDXL pose models). */
export function autoStickScale(width: number, height: number): number {
  const maxSide = Math.max(width, height);
  return maxSide < 500 ? 1 : Math.min(2 + Math.floor(maxSide / 1000), 7);
}

/** Limb colour: `[int(float(c) * 0.6) for c in color]` — truncated, as controlnet_aux does. */
const LIMB_COLORS: readonly (readonly [number, number, number])[] = PALETTE.map(
  (c) => c.map((v) => Math.trunc(v * 0.6)) as unknown as readonly [number, number, number],
);

/**
 * Hand edge e colour: matplotlib `hsv_to_rgb([e / 20, 1, 1]) * 255`, then OpenCV's conversion of
 * the float colour to bytes (round half to even). Computed with the same float64 steps as numpy.
 */
export function handEdgeColor(e: number): [number, number, number] {
  const h = e / HAND_EDGES.length;
  const s = 1;
  const v = 1;
  const i = Math.trunc(h * 6);
  const f = h * 6 - i;
  const p = v * (1 - s);
  const q = v * (1 - s * f);
  const t = v * (1 - s * (1 - f));
  const rgb: [number, number, number][] = [
    [v, t, p],
    [q, v, p],
    [p, v, t],
    [p, q, v],
    [t, p, v],
    [v, p, q],
  ];
  const [r, g, b] = rgb[i % 6]!;
  const byte = (x: number): number => Math.min(255, Math.max(0, cvRound(x * 255)));
  return [byte(r), byte(g), byte(b)];
}

const HAND_COLORS = HAND_EDGES.map((_, e) => handEdgeColor(e));

// Scratch buffer for one ellipse polygon: the render loop allocates nothing.
const polygon = new Int32Array(ELLIPSE_MAX_POINTS * 2);

/**
 * Draws `frame` as a conditioning image. With `target` (same size as the frame) the image is
 * cleared to black and drawn in place, so a render loop can reuse one buffer.
 */
export function renderConditioning(
  frame: PoseFrame,
  options: ConditioningOptions = {},
  target?: RgbImage,
): RgbImage {
  const { width, height } = frame;
  let img: RgbImage;
  if (target) {
    if (target.width !== width || target.height !== height)
      throw new RangeError(
        `target image is ${target.width}×${target.height} but the pose frame is ${width}×${height}`,
      );
    if (target.data.length !== width * height * 3)
      throw new RangeError(
        `target image buffer has ${target.data.length} bytes, expected ${width * height * 3}`,
      );
    img = target;
    img.data.fill(0);
  } else {
    img = createRgbImage(width, height);
  }
  const scale = options.stickScale ?? 'auto';
  let stickScale: number;
  if (scale === 'auto') stickScale = autoStickScale(width, height);
  else if (Number.isFinite(scale) && scale > 0) stickScale = scale;
  else throw new RangeError(`stickScale must be 'auto' or a positive number, got ${String(scale)}`);
  const minorAxis = Math.max(1, Math.round(STICK_WIDTH * stickScale));

  for (const person of frame.people) {
    const pts = person.points;
    drawBody(img, pts, minorAxis, options.feet ?? false);
    if (options.hands ?? true) {
      drawHand(img, pts, LEFT_HAND);
      drawHand(img, pts, RIGHT_HAND);
    }
    if (options.face ?? true) drawFace(img, pts, FACE);
  }
  return img;
}

/**
 * Coordinates beyond ±1e6 px (or not finite) are treated as missing: OpenCV would overflow its
 * int coordinates there, and a scan converter walking millions of off-canvas rows helps nobody.
 */
const FAR = 1e6;

function present(pts: Float64Array, k: number): boolean {
  const x = pts[k * 3]!;
  const y = pts[k * 3 + 1]!;
  return pts[k * 3 + 2]! > 0 && Math.abs(x) <= FAR && Math.abs(y) <= FAR;
}

/** Python's int() on a pixel coordinate (truncation toward zero; −0 becomes 0). */
function ipx(v: number): number {
  return Math.trunc(v) + 0;
}

function drawLimb(
  img: RgbImage,
  pts: Float64Array,
  a: number,
  b: number,
  minorAxis: number,
  color: readonly [number, number, number],
): void {
  const xa = pts[a * 3]!;
  const ya = pts[a * 3 + 1]!;
  const xb = pts[b * 3]!;
  const yb = pts[b * 3 + 1]!;
  const mx = (xa + xb) / 2;
  const my = (ya + yb) / 2;
  const length = Math.sqrt((ya - yb) ** 2 + (xa - xb) ** 2);
  const angle = Math.trunc(Math.atan2(ya - yb, xa - xb) * RAD_TO_DEG);
  const n = ellipse2Poly(ipx(mx), ipx(my), Math.trunc(length / 2), minorAxis, angle, polygon);
  fillConvexPoly(img, polygon, n, 0, color[0], color[1], color[2]);
}

function drawBody(img: RgbImage, pts: Float64Array, minorAxis: number, feet: boolean): void {
  for (let i = 0; i < BODY_LIMBS.length; i++) {
    const [a, b] = BODY_LIMBS[i]!;
    if (!present(pts, a) || !present(pts, b)) continue;
    drawLimb(img, pts, a, b, minorAxis, LIMB_COLORS[i]!);
  }
  if (feet) drawFootLimbs(img, pts, minorAxis);
  for (let k = 0; k < BODY_COUNT; k++) {
    if (!present(pts, k)) continue;
    const c = PALETTE[k]!;
    circleFilled(img, ipx(pts[k * 3]!), ipx(pts[k * 3 + 1]!), JOINT_RADIUS, c[0], c[1], c[2]);
  }
  if (feet) drawFootPoints(img, pts);
}

/**
 * Feet are not part of the standard annotator. When asked for, each foot limb is drawn like a body
 * limb in the colour of the shank above it (knee → ankle), after the body limbs, and each foot
 * point as a joint circle in that ankle's joint colour, after the body joints.
 */
function drawFootLimbs(img: RgbImage, pts: Float64Array, minorAxis: number): void {
  for (const [a, b] of FOOT_LIMBS) {
    if (!present(pts, a) || !present(pts, b)) continue;
    drawLimb(img, pts, a, b, minorAxis, LIMB_COLORS[a === Joint.lAnkle ? 11 : 8]!);
  }
}

function drawFootPoints(img: RgbImage, pts: Float64Array): void {
  for (const [a, b] of FOOT_LIMBS) {
    if (!present(pts, b)) continue;
    const c = PALETTE[a]!;
    circleFilled(img, ipx(pts[b * 3]!), ipx(pts[b * 3 + 1]!), JOINT_RADIUS, c[0], c[1], c[2]);
  }
}

function drawHand(img: RgbImage, pts: Float64Array, hand: PointRange): void {
  const s = hand.start;
  for (let e = 0; e < HAND_EDGES.length; e++) {
    const [a, b] = HAND_EDGES[e]!;
    if (!present(pts, s + a) || !present(pts, s + b)) continue;
    const x1 = ipx(pts[(s + a) * 3]!);
    const y1 = ipx(pts[(s + a) * 3 + 1]!);
    const x2 = ipx(pts[(s + b) * 3]!);
    const y2 = ipx(pts[(s + b) * 3 + 1]!);
    if (x1 > EPS && y1 > EPS && x2 > EPS && y2 > EPS) {
      const c = HAND_COLORS[e]!;
      thickLine(img, x1, y1, x2, y2, HAND_LINE_THICKNESS, c[0], c[1], c[2]);
    }
  }
  for (let k = 0; k < hand.count; k++) {
    if (!present(pts, s + k)) continue;
    const x = ipx(pts[(s + k) * 3]!);
    const y = ipx(pts[(s + k) * 3 + 1]!);
    if (x > EPS && y > EPS) circleFilled(img, x, y, HAND_POINT_RADIUS, 0, 0, 255);
  }
}

function drawFace(img: RgbImage, pts: Float64Array, face: PointRange): void {
  for (let k = 0; k < face.count; k++) {
    const i = face.start + k;
    if (!present(pts, i)) continue;
    const x = ipx(pts[i * 3]!);
    const y = ipx(pts[i * 3 + 1]!);
    if (x > EPS && y > EPS) circleFilled(img, x, y, FACE_RADIUS, 255, 255, 255);
  }
}

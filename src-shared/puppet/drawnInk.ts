/**
 * A drawing photographed on paper, uncropped: the paper lies on a table, a shadow crosses it, so
 * the picture has no flat border to flood from, and the person-segmentation model, shown a child's
 * drawing, finds a blob or nobody (AnimatedDrawings' garlic: a blob over half the body, nine joints
 * outside it). What is drawn is still darker than the paper right around it, so, as AnimatedDrawings
 * itself does: within the pose's box (with a margin), ink is each pixel darker than its
 * neighbourhood's mean by `INK_CONTRAST` (an adaptive threshold, on the darkest channel so that
 * coloured ink shows); the outline's gaps are closed (flatBackground.ts), the paper flooded from the
 * box's border, and what it does not reach is the character.
 */
import { outlineGapRadius } from './flatBackground';
import { countSet, dilate, reachedFromBorder, type Rgba } from './mask';
import { boxMean } from './maskRefine';

/** How much darker than its neighbourhood's mean (0–255) a pixel must be to count as ink. */
export const INK_CONTRAST = 8;

/**
 * More of the box than this darker than its surroundings is a photo's texture (clothes, grass, a
 * fence: 25–27% on the shared photos), not lines on paper (6–16% on AnimatedDrawings' drawings).
 */
export const MAX_INK_SHARE = 0.2;

/** The box around the pose's joints grows by this share of its long side on every side. */
const MARGIN = 0.3;

/** The long side the box is worked on at (larger boxes are averaged down). */
const WORK_SIDE = 512;

/** A larger closing is taken when it grows the drawing by more than this (it closed a leak). */
export const LEAK_STEP = 1.5;

/** The neighbourhood's radius, as a share of the box's long side (AnimatedDrawings: ~1/8 across). */
const NEIGHBOURHOOD = 1 / 16;

/** The paper (1) flooded from the box's border with the ink's gaps closed by `gap` px. */
function paperAround(ink: Uint8Array, w: number, h: number, gap: number): Uint8Array {
  return dilate(reachedFromBorder(dilate(ink, w, h, gap), w, h), w, h, gap);
}

/**
 * The paper with the outline's gaps closed as little as works: the smallest gap (from 1 px up to
 * `outlineGapRadius`) that no larger one grows the drawing from by over `LEAK_STEP` (a larger one
 * that does closed a leak: the paper ran into the body through a gap). A larger closing also fills
 * the narrow gaps of the drawing itself: AnimatedDrawings' char4, photographed, raises a hand beside
 * its head, and 2 px filled the space between them (IoU 0.82 → 0.51).
 */
function closedPaper(ink: Uint8Array, w: number, h: number): Uint8Array {
  const papers: Uint8Array[] = [];
  for (let gap = 1; gap <= outlineGapRadius(w, h); gap++) papers.push(paperAround(ink, w, h, gap));
  const areas = papers.map((p) => p.length - countSet(p));
  const i = areas.findIndex((a, k) => areas.slice(k + 1).every((b) => b <= LEAK_STEP * a));
  return papers[i]!;
}

/** The box around the visible body joints (COCO-18), with the margin, clipped to the picture. */
function poseBox(ref: Float64Array, W: number, H: number) {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let k = 0; k < 18; k++) {
    if (!(ref[k * 3 + 2]! > 0)) continue;
    x0 = Math.min(x0, ref[k * 3]!);
    x1 = Math.max(x1, ref[k * 3]!);
    y0 = Math.min(y0, ref[k * 3 + 1]!);
    y1 = Math.max(y1, ref[k * 3 + 1]!);
  }
  if (!(x1 >= x0 && y1 >= y0)) return undefined;
  const m = MARGIN * Math.max(x1 - x0, y1 - y0, 1);
  const left = Math.max(0, Math.floor(x0 - m));
  const top = Math.max(0, Math.floor(y0 - m));
  const right = Math.min(W, Math.ceil(x1 + m) + 1);
  const bottom = Math.min(H, Math.ceil(y1 + m) + 1);
  return right - left >= 8 && bottom - top >= 8 ? { left, top, right, bottom } : undefined;
}

/**
 * The character drawn in ink within the pose's box (1 = character, the picture's size), or
 * undefined when the pose has no joints in the picture, the box is too small to say, or the box is
 * too busy to be a drawing (`MAX_INK_SHARE`).
 */
export function maskFromDrawnInk(img: Rgba, ref: Float64Array): Uint8Array | undefined {
  const { width: W, height: H, data } = img;
  const box = poseBox(ref, W, H);
  if (!box) return undefined;
  // Worked on at most `WORK_SIDE` px a side, each cell the mean of its pixels: a phone photo's
  // paper grain and JPEG noise at full size are darker than their surroundings everywhere.
  const scale = Math.max(
    1,
    Math.ceil(Math.max(box.right - box.left, box.bottom - box.top) / WORK_SIDE),
  );
  const w = Math.ceil((box.right - box.left) / scale);
  const h = Math.ceil((box.bottom - box.top) / scale);
  const dark = new Float32Array(w * h);
  const count = new Float32Array(w * h);
  for (let y = box.top; y < box.bottom; y++) {
    const row = ((y - box.top) / scale) | 0;
    for (let x = box.left; x < box.right; x++) {
      const i = (y * W + x) * 4;
      const c = row * w + (((x - box.left) / scale) | 0);
      dark[c]! += Math.min(data[i]!, data[i + 1]!, data[i + 2]!);
      count[c]! += 1;
    }
  }
  for (let c = 0; c < dark.length; c++) dark[c]! /= count[c]!;
  const mean = boxMean(dark, w, h, Math.max(4, Math.round(Math.max(w, h) * NEIGHBOURHOOD)));
  const ink = new Uint8Array(w * h);
  for (let i = 0; i < ink.length; i++) ink[i] = dark[i]! < mean[i]! - INK_CONTRAST ? 1 : 0;
  let inked = 0;
  for (let i = 0; i < ink.length; i++) inked += ink[i]!;
  if (inked > MAX_INK_SHARE * ink.length) return undefined;
  const paper = closedPaper(ink, w, h);
  const mask = new Uint8Array(W * H);
  for (let y = box.top; y < box.bottom; y++) {
    const row = (((y - box.top) / scale) | 0) * w;
    for (let x = box.left; x < box.right; x++)
      mask[y * W + x] = 1 - paper[row + (((x - box.left) / scale) | 0)]!;
  }
  return mask;
}

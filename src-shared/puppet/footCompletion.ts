/**
 * Feet the person-segmentation model left out. The model sometimes stops a photo's person at the
 * ankle (a dark shoe on grass, a boot in shadow): the shoe then stays in the background plate and,
 * when the leg moves, is left standing on the ground as a ghost. Beyond each ankle the pose says
 * where the foot is, so the mask is completed there: from the mask's own pixels near the ankle,
 * the connected pixels that do not look like the background around the foot are added, inside a
 * capsule past the ankle sized by the shin (and along the foot's own points when the pose has
 * them). It runs only where the mask really stops at the ankle: a foot the model found is left as
 * it is (on the shared photos both feet are found and nothing changes). Pure maths, no I/O.
 */
import { Joint } from '#shared/pose/skeleton';
import { fillHoles } from './maskRefine';

/**
 * The foot lies within this distance of the ankle (× shin length), on the far side of it from the
 * knee: a shoe is about half a shin long and may point any way across the shin (side view, front
 * view, on tiptoe).
 */
const RADIUS = 0.5;
/** Radius around the segments to the toe and heel points, when the pose has them (× shin). */
const TOE_RADIUS = 0.15;
/** The mask already reaches this far past the ankle (× shin): the foot is there, leave it. */
const FOUND = 0.15;
/** Width of the ring outside the capsule whose unmasked pixels are the local background (× shin). */
const RING = 0.3;
/** Most background colours compared per foot (evenly picked): bounds the cost on big photos. */
const MAX_SAMPLES = 256;
/** RGB distance under which a pixel looks like the background around the foot … */
const BACKGROUND_DISTANCE = 40;
/**
 * … when at least this share of the background samples (and 3) are that close: a thin pole or a
 * ski's edge in the ring does not make every dark pixel look like the background.
 */
const BACKGROUND_SHARE = 0.03;
/** Nothing is added more than this far above the ankle, along the shin (× shin): the leg's job. */
const ABOVE_ANKLE = 0.1;
/** Shins shorter than this (px) are too small to say where a foot is. */
const MIN_SHIN = 4;

interface Foot {
  knee: number;
  ankle: number;
  points: number[];
}

const FEET: Foot[] = [
  { knee: Joint.rKnee, ankle: Joint.rAnkle, points: [Joint.rBigToe, Joint.rSmallToe, Joint.rHeel] },
  { knee: Joint.lKnee, ankle: Joint.lAnkle, points: [Joint.lBigToe, Joint.lSmallToe, Joint.lHeel] },
];

function known(pose: Float64Array, k: number): boolean {
  return pose[k * 3 + 2]! > 0 && Number.isFinite(pose[k * 3]!) && Number.isFinite(pose[k * 3 + 1]!);
}

/** Squared distance from (px, py) to the segment (ax, ay)–(bx, by). */
function segmentDistance2(
  px: number,
  py: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2)) : 0;
  const ex = px - ax - t * dx;
  const ey = py - ay - t * dy;
  return ex * ex + ey * ey;
}

/** Where one foot may be: capsules past the ankle, in picture pixels. */
interface FootZone {
  ax: number;
  ay: number;
  /** Unit shin direction (knee → ankle) and shin length. */
  ux: number;
  uy: number;
  shin: number;
  /** Segments [ax, ay, bx, by, radius] whose union is the zone. */
  capsules: number[][];
}

function footZone(pose: Float64Array, foot: Foot): FootZone | undefined {
  if (!known(pose, foot.knee) || !known(pose, foot.ankle)) return undefined;
  const ax = pose[foot.ankle * 3]!;
  const ay = pose[foot.ankle * 3 + 1]!;
  const sx = ax - pose[foot.knee * 3]!;
  const sy = ay - pose[foot.knee * 3 + 1]!;
  const shin = Math.hypot(sx, sy);
  if (!(shin >= MIN_SHIN) || !Number.isFinite(shin)) return undefined;
  const ux = sx / shin;
  const uy = sy / shin;
  const capsules = [[ax, ay, ax, ay, RADIUS * shin]];
  for (const k of foot.points) {
    if (!known(pose, k)) continue;
    const bx = pose[k * 3]!;
    const by = pose[k * 3 + 1]!;
    // A toe point far from the ankle is a wrong detection, not a foot: ignore it.
    if (Math.hypot(bx - ax, by - ay) > shin) continue;
    capsules.push([ax, ay, bx, by, TOE_RADIUS * shin]);
  }
  return { ax, ay, ux, uy, shin, capsules };
}

/** How far (px) a point lies outside every capsule of the zone (0 = inside it). */
function zoneDistance(zone: FootZone, x: number, y: number): number {
  let best = Infinity;
  for (const [ax, ay, bx, by, r] of zone.capsules) {
    const d = Math.sqrt(segmentDistance2(x, y, ax!, ay!, bx!, by!)) - r!;
    if (d < best) best = d;
  }
  return Math.max(0, best);
}

/** The zone's bounding box grown by the background ring, clipped to the picture. */
function zoneBox(zone: FootZone, width: number, height: number) {
  const grow = RING * zone.shin;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const [ax, ay, bx, by, r] of zone.capsules) {
    x0 = Math.min(x0, ax! - r!, bx! - r!);
    x1 = Math.max(x1, ax! + r!, bx! + r!);
    y0 = Math.min(y0, ay! - r!, by! - r!);
    y1 = Math.max(y1, ay! + r!, by! + r!);
  }
  return {
    x0: Math.max(0, Math.floor(x0 - grow)),
    y0: Math.max(0, Math.floor(y0 - grow)),
    x1: Math.min(width - 1, Math.ceil(x1 + grow)),
    y1: Math.min(height - 1, Math.ceil(y1 + grow)),
  };
}

/** Whether `need` of the background samples lie within BACKGROUND_DISTANCE of a pixel's colour. */
function looksLikeBackground(
  rgba: Uint8Array,
  i: number,
  samples: Float64Array,
  need: number,
): boolean {
  const r = rgba[i * 4]!;
  const g = rgba[i * 4 + 1]!;
  const b = rgba[i * 4 + 2]!;
  const t2 = BACKGROUND_DISTANCE * BACKGROUND_DISTANCE;
  let close = 0;
  for (let s = 0; s < samples.length; s += 3) {
    const dr = r - samples[s]!;
    const dg = g - samples[s + 1]!;
    const db = b - samples[s + 2]!;
    if (dr * dr + dg * dg + db * db < t2 && ++close >= need) return true;
  }
  return false;
}

/** Completes one foot in `out` (in place); returns how many pixels were added. */
function completeFoot(
  out: Uint8Array,
  rgba: Uint8Array,
  width: number,
  height: number,
  zone: FootZone,
): number {
  const box = zoneBox(zone, width, height);
  if (box.x1 < box.x0 || box.y1 < box.y0) return 0;
  const bw = box.x1 - box.x0 + 1;
  const bh = box.y1 - box.y0 + 1;
  // 1 = where a foot may be added, 2 = the background around it (outside the mask), 0 = neither.
  const kind = new Uint8Array(bw * bh);
  let reach = -Infinity;
  const ring = RING * zone.shin;
  const ringIdx: number[] = [];
  for (let y = box.y0; y <= box.y1; y++) {
    for (let x = box.x0; x <= box.x1; x++) {
      const d = zoneDistance(zone, x, y);
      const i = y * width + x;
      const j = (y - box.y0) * bw + (x - box.x0);
      const along = (x - zone.ax) * zone.ux + (y - zone.ay) * zone.uy;
      if (d === 0 && along >= -ABOVE_ANKLE * zone.shin) {
        kind[j] = 1;
        if (out[i]) reach = Math.max(reach, along);
      } else if (d <= ring && !out[i]) {
        // Beside the shin above the ankle or around the zone: the background the foot stands on.
        kind[j] = 2;
        ringIdx.push(i);
      }
    }
  }
  // The model found this foot: it reaches well past the ankle already.
  if (reach >= FOUND * zone.shin) return 0;
  if (ringIdx.length === 0) return 0;
  const step = Math.max(1, Math.ceil(ringIdx.length / MAX_SAMPLES));
  const samples = new Float64Array(Math.ceil(ringIdx.length / step) * 3);
  for (let s = 0, k = 0; s < ringIdx.length; s += step, k++) {
    samples[k * 3] = rgba[ringIdx[s]! * 4]!;
    samples[k * 3 + 1] = rgba[ringIdx[s]! * 4 + 1]!;
    samples[k * 3 + 2] = rgba[ringIdx[s]! * 4 + 2]!;
  }
  const need = Math.max(3, Math.ceil((BACKGROUND_SHARE * samples.length) / 3));
  // Grow from the mask's pixels in the zone (or the ankle itself) through foot-coloured pixels.
  const stack: number[] = [];
  for (let j = 0; j < kind.length; j++) {
    const i = (box.y0 + Math.floor(j / bw)) * width + box.x0 + (j % bw);
    if (kind[j] === 1 && out[i]) stack.push(j);
  }
  const ankleX = Math.round(zone.ax) - box.x0;
  const ankleY = Math.round(zone.ay) - box.y0;
  // The ankle seeds the growth only when the leg is in the mask: a foot is completed, never
  // made up where the model found nobody (that mask is left to the pose-capsule fallback).
  if (
    stack.length === 0 &&
    ankleX >= 0 &&
    ankleX < bw &&
    ankleY >= 0 &&
    ankleY < bh &&
    legNearAnkle(out, width, height, zone)
  ) {
    stack.push(ankleY * bw + ankleX);
  }
  const seen = new Uint8Array(bw * bh);
  for (const j of stack) seen[j] = 1;
  let added = 0;
  while (stack.length > 0) {
    const j = stack.pop()!;
    const jx = j % bw;
    const jy = (j - jx) / bw;
    for (let n = 0; n < 4; n++) {
      const nx = jx + (n === 0 ? 1 : n === 1 ? -1 : 0);
      const ny = jy + (n === 2 ? 1 : n === 3 ? -1 : 0);
      if (nx < 0 || ny < 0 || nx >= bw || ny >= bh) continue;
      const k = ny * bw + nx;
      if (seen[k] || kind[k] !== 1) continue;
      seen[k] = 1;
      const i = (box.y0 + ny) * width + box.x0 + nx;
      if (out[i]) {
        stack.push(k);
        continue;
      }
      if (looksLikeBackground(rgba, i, samples, need)) continue;
      out[i] = 1;
      added++;
      stack.push(k);
    }
  }
  return added;
}

/**
 * The mask with the feet the model missed added (a new array; `mask` is not changed; holes the
 * added foot closes, a logo on the shoe, are filled), and how many pixels were added. `rgba` is the picture (W×H×4), `pose` the reference pose (COCO-18 + feet,
 * x, y, confidence per point). Feet without a known knee and ankle are left as they are.
 */
export function completeFeet(
  mask: Uint8Array,
  rgba: Uint8Array,
  width: number,
  height: number,
  pose: Float64Array,
): { mask: Uint8Array; added: number } {
  const out = Uint8Array.from(mask);
  let added = 0;
  for (const foot of FEET) {
    const zone = footZone(pose, foot);
    if (zone) added += completeFoot(out, rgba, width, height, zone);
  }
  return { mask: added > 0 ? fillHoles(out, width, height) : out, added };
}

/** Whether the mask has a pixel on the shin's last quarter above the ankle (the leg is there). */
function legNearAnkle(mask: Uint8Array, width: number, height: number, zone: FootZone): boolean {
  const reach = Math.max(2, 0.25 * zone.shin);
  const r = Math.max(1, Math.round(0.1 * zone.shin));
  for (let t = 0; t <= reach; t += 1) {
    const cx = Math.round(zone.ax - zone.ux * t);
    const cy = Math.round(zone.ay - zone.uy * t);
    for (let y = Math.max(0, cy - r); y <= Math.min(height - 1, cy + r); y++)
      for (let x = Math.max(0, cx - r); x <= Math.min(width - 1, cx + r); x++)
        if (mask[y * width + x]) return true;
  }
  return false;
}

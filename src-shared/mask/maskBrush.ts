/**
 * Painting on a character mask (1 = character, one byte per picture pixel): a round brush dragged
 * from one point to the next sets (add) or clears (erase) every pixel within `radius` of the
 * segment between them, so a fast stroke leaves no gaps between pointer events. Returns the
 * rectangle it touched, so the studio redraws only that part of its overlay.
 */

export interface MaskRect {
  x0: number;
  y0: number;
  /** Exclusive. */
  x1: number;
  y1: number;
}

export interface BrushDab {
  x: number;
  y: number;
}

/** Largest brush radius in pixels (a brush wider than any picture side makes no sense). */
export const MAX_BRUSH_RADIUS = 4096;
/** Coordinates beyond this (picture pixels) are clamped to it. */
const FAR = 1e6;

/** Squared distance from (px, py) to the segment a→b. */
function distance2(px: number, py: number, a: BrushDab, b: BrushDab): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? ((px - a.x) * dx + (py - a.y) * dy) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const ex = a.x + t * dx - px;
  const ey = a.y + t * dy - py;
  return ex * ex + ey * ey;
}

/**
 * Paints the segment `from`→`to` (picture pixels; a dab when they are equal) with `value` (1 add,
 * 0 erase). Points that are not finite paint nothing. Returns the touched rectangle (empty when
 * the stroke lies outside the picture).
 */
export function paintStroke(
  mask: Uint8Array,
  width: number,
  height: number,
  from: BrushDab,
  to: BrushDab,
  radius: number,
  value: 0 | 1,
): MaskRect {
  const none = { x0: 0, y0: 0, x1: 0, y1: 0 };
  if (![from.x, from.y, to.x, to.y, radius].every(Number.isFinite) || radius <= 0) return none;
  const r = Math.min(radius, MAX_BRUSH_RADIUS);
  // Far-away points (a pointer cannot make them; a hostile caller can) are pulled in so the
  // segment maths stays finite (1e308² overflows).
  const clamp = (v: number) => Math.max(-FAR, Math.min(FAR, v));
  from = { x: clamp(from.x), y: clamp(from.y) };
  to = { x: clamp(to.x), y: clamp(to.y) };
  const x0 = Math.max(0, Math.floor(Math.min(from.x, to.x) - r));
  const y0 = Math.max(0, Math.floor(Math.min(from.y, to.y) - r));
  const x1 = Math.min(width, Math.ceil(Math.max(from.x, to.x) + r) + 1);
  const y1 = Math.min(height, Math.ceil(Math.max(from.y, to.y) + r) + 1);
  if (x0 >= x1 || y0 >= y1) return none;
  const r2 = r * r;
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++)
      // Pixel centres: a radius-1 dab at (5, 5) covers pixel (5, 5) and its four neighbours.
      if (distance2(x + 0.5, y + 0.5, from, to) <= r2) mask[y * width + x] = value;
  return { x0, y0, x1, y1 };
}

/** Number of character pixels. */
export function maskArea(mask: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i]! ? 1 : 0;
  return n;
}

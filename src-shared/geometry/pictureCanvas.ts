/**
 * The one geometry between a picture and a canvas: the picture is scaled uniformly (aspect kept)
 * until it just fits, and centred. The Editor draws the character picture there, the skeleton is
 * drawn in canvas pixels on top, imported poses drawn on the picture are moved there, and the
 * render maps the track's canvas back onto the picture with the inverse — so a joint on the
 * character's hand in the Editor is on the hand in the video.
 *
 * The same placement fits any rectangle into another (a pose file's canvas into the project's,
 * a rendered frame into the output), so `fitFrame.ts` builds on it too.
 */

export interface Size {
  width: number;
  height: number;
}

/** Where the picture lies on the canvas, in canvas pixels: its top-left corner, size and scale. */
export interface Placement {
  /** Canvas pixels per picture pixel (the same across and down). */
  scale: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Largest side a picture or canvas may have (pixels). Far beyond any picture a person makes; it
 * keeps products of sizes and coordinates finite, so 1e308 is refused instead of giving Infinity.
 */
export const MAX_SIDE = 1 << 20;

/** A side length the geometry can place: finite, at least one pixel, at most MAX_SIDE. */
function usableSide(n: number): boolean {
  return Number.isFinite(n) && n >= 1 && n <= MAX_SIDE;
}

/** True when both sides of `s` are usable (see MAX_SIDE). */
export function usableSize(s: Size | null | undefined): s is Size {
  return !!s && usableSide(s.width) && usableSide(s.height);
}

/**
 * The picture fitted into the canvas, centred; null when either size cannot be placed (zero,
 * negative, NaN, Infinity or above MAX_SIDE) — callers then leave points as they are.
 */
export function placePicture(picture: Size, canvas: Size): Placement | null {
  if (!usableSize(picture) || !usableSize(canvas)) return null;
  const scale = Math.min(canvas.width / picture.width, canvas.height / picture.height);
  const width = picture.width * scale;
  const height = picture.height * scale;
  return { scale, x: (canvas.width - width) / 2, y: (canvas.height - height) / 2, width, height };
}

/** True when the placement changes nothing (same size): mapping can hand the points back. */
function identity(p: Placement): boolean {
  return p.scale === 1 && p.x === 0 && p.y === 0;
}

/**
 * Pose points (x, y, confidence triples) from picture pixels to canvas pixels, confidences kept.
 * Every point moves, missing ones (confidence 0) too: readers skip them by confidence, and a
 * missing point moved there and back is where it was.
 */
export function pictureToCanvas(points: Float64Array, placement: Placement | null): Float64Array {
  if (!placement || identity(placement)) return points;
  const { scale, x, y } = placement;
  return mapPoints(
    points,
    (px) => px * scale + x,
    (py) => py * scale + y,
  );
}

/** The inverse of `pictureToCanvas`: canvas pixels back to picture pixels. */
export function canvasToPicture(points: Float64Array, placement: Placement | null): Float64Array {
  if (!placement || identity(placement)) return points;
  const { scale, x, y } = placement;
  return mapPoints(
    points,
    (cx) => (cx - x) / scale,
    (cy) => (cy - y) / scale,
  );
}

function mapPoints(
  points: Float64Array,
  mx: (x: number) => number,
  my: (y: number) => number,
): Float64Array {
  const out = new Float64Array(points.length);
  for (let i = 0; i + 2 < points.length; i += 3) {
    out[i + 2] = points[i + 2]!;
    out[i] = mx(points[i]!);
    out[i + 1] = my(points[i + 1]!);
  }
  return out;
}

/**
 * Joint markers: saturated colour dots painted on the character's joints before setup, found
 * again in a rendered frame. A marker must land on its target joint (its pixels' centroid within
 * a few pixels) and its colour must appear nowhere else (a copy elsewhere is a ghost: the part
 * drawn twice, or left behind).
 */
export type Rgb = readonly [number, number, number];

export interface MarkerSpot {
  x: number;
  y: number;
  color: Rgb;
}

/** Dot radius (pixels): big enough to survive bilinear resampling, small enough to sit on a limb. */
export const MARKER_RADIUS = 3;
/** A pixel "is" a marker colour when every channel is within this many levels of it. */
export const MARKER_TOLERANCE = 32;

const hueColour = (h: number): Rgb => {
  const f = (n: number) => {
    const k = (n + h / 60) % 6;
    return Math.round(255 * (1 - Math.max(0, Math.min(k, 4 - k, 1))));
  };
  return [f(5), f(3), f(1)];
};

export const matches = (data: Uint8Array, i: number, channels: number, c: Rgb, tol: number) =>
  Math.abs(data[i * channels]! - c[0]) <= tol &&
  Math.abs(data[i * channels + 1]! - c[1]) <= tol &&
  Math.abs(data[i * channels + 2]! - c[2]) <= tol;

/**
 * Colours of the RGB cube at levels 0/85/170/255 (85 apart, more than 2× the tolerance), leaving
 * out the near-greys every drawing has in its outlines and shading: the markers' second choice,
 * for pictures that use many of the saturated hues themselves (a cartoon in red, blue and yellow).
 */
const CUBE_COLOURS: readonly Rgb[] = (() => {
  const levels = [0, 85, 170, 255];
  const out: Rgb[] = [];
  for (const r of levels)
    for (const g of levels)
      for (const b of levels) if (Math.max(r, g, b) - Math.min(r, g, b) >= 170) out.push([r, g, b]);
  return out;
})();

/**
 * `count` colours the picture does not already use and no two of which can be taken for each
 * other: from 36 saturated hues (10° apart) those with no picture pixel within 2× the tolerance,
 * kept greedily when more than 2× the tolerance from every colour kept before, then spread as far
 * apart in hue as the choice allows. When the picture leaves too few hues, darker and paler
 * colours of the cube join them. Throws when even those are too few.
 */
export function pickMarkerColours(picture: Uint8Array, channels: number, count: number): Rgb[] {
  const n = picture.length / channels;
  const apart = (a: Rgb, b: Rgb) =>
    Math.max(...a.map((v, c) => Math.abs(v - b[c]!))) > 2 * MARKER_TOLERANCE;
  const unused = (c: Rgb) => {
    for (let i = 0; i < n; i++) {
      if (channels === 4 && picture[i * 4 + 3]! === 0) continue;
      if (matches(picture, i, channels, c, 2 * MARKER_TOLERANCE)) return false;
    }
    return true;
  };
  const kept: Rgb[] = [];
  for (let h = 0; h < 360; h += 10) {
    const c = hueColour(h);
    if (kept.every((k) => apart(k, c)) && unused(c)) kept.push(c);
  }
  if (kept.length > 1 && !apart(kept[0]!, kept[kept.length - 1]!)) kept.pop(); // hue wraps around
  for (const c of CUBE_COLOURS) {
    if (kept.length >= count) break;
    if (kept.every((k) => apart(k, c)) && unused(c)) kept.push(c);
  }
  if (kept.length < count)
    throw new RangeError(`the picture uses too many colours for ${count} distinct markers`);
  return Array.from({ length: count }, (_, k) => kept[Math.floor((k * kept.length) / count)]!);
}

/**
 * Paints each marker as a dot into an RGBA picture, only on the character (alpha ≥ 128), fully
 * opaque. Returns the number of pixels painted per marker (0 = the joint is off the drawing).
 */
export function paintMarkers(
  rgba: Uint8Array,
  width: number,
  height: number,
  spots: readonly MarkerSpot[],
  radius = MARKER_RADIUS,
): number[] {
  return spots.map(({ x, y, color }) => {
    let painted = 0;
    const r2 = radius * radius;
    for (let v = Math.floor(y - radius); v <= Math.ceil(y + radius); v++)
      for (let u = Math.floor(x - radius); u <= Math.ceil(x + radius); u++) {
        if (u < 0 || v < 0 || u >= width || v >= height) continue;
        if ((u - x) ** 2 + (v - y) ** 2 > r2) continue;
        const i = (v * width + u) * 4;
        if (rgba[i + 3]! < 128) continue;
        rgba[i] = color[0];
        rgba[i + 1] = color[1];
        rgba[i + 2] = color[2];
        rgba[i + 3] = 255;
        painted++;
      }
    return painted;
  });
}

/** A marker with fewer pixels painted (its joint off the drawing, or on its edge) is not measured. */
export const MIN_MARKER_PIXELS = 5;

/**
 * Where the measured markers other than joint `j`'s should be in `pose` (`joints[k]` painted
 * `painted[k]` pixels): `findMarker`'s `others`.
 */
export function otherMarkerTargets(
  pose: Float64Array,
  joints: readonly number[],
  painted: readonly number[],
  j: number,
): [number, number][] {
  return joints
    .filter((o, k) => o !== j && painted[k]! >= MIN_MARKER_PIXELS)
    .map((o) => [pose[o * 3]!, pose[o * 3 + 1]!]);
}

export interface MarkerFound {
  /** Distance from the target to the centroid of the marker's pixels near it (∞: not there). */
  error: number;
  /** Marker-coloured pixels near the target. */
  pixels: number;
  /** Marker-coloured pixels farther than `ghostRadius` from the target (copies, leftovers). */
  ghostPixels: number;
}

/**
 * Finds a marker colour in an RGB frame. Near = within `searchRadius` of the target; a ghost is a
 * marker-coloured pixel beyond `ghostRadius` (the dot's radius + the allowed error + 3 px of
 * resampling blur by default) from the target and off the rim of the `others` (the other markers'
 * targets; the dot's radius + 2 px): where another marker's dot is resampled its colour blends
 * with the picture's, and a blend of blue and a dark outline can be this marker's dark blue
 * without anything drawn twice.
 */
export function findMarker(
  frame: Uint8Array,
  width: number,
  height: number,
  color: Rgb,
  target: readonly [number, number],
  allowed = 2.5,
  radius = MARKER_RADIUS,
  others: readonly (readonly [number, number])[] = [],
): MarkerFound {
  const searchRadius = radius + allowed + 8;
  const ghostRadius = radius + allowed + 3;
  // Another dot's rim: its radius, a pixel of resampling and one of where it landed.
  const rim = radius + 2;
  const blendOfAnother = (u: number, v: number) =>
    others.some(([x, y]) => Math.hypot(u - x, v - y) <= rim);
  let sx = 0;
  let sy = 0;
  let pixels = 0;
  let ghostPixels = 0;
  for (let v = 0; v < height; v++)
    for (let u = 0; u < width; u++) {
      if (!matches(frame, v * width + u, 3, color, MARKER_TOLERANCE)) continue;
      const d = Math.hypot(u - target[0], v - target[1]);
      if (d > ghostRadius && !blendOfAnother(u, v)) ghostPixels++;
      if (d <= searchRadius) {
        sx += u;
        sy += v;
        pixels++;
      }
    }
  const error = pixels ? Math.hypot(sx / pixels - target[0], sy / pixels - target[1]) : Infinity;
  return { error, pixels, ghostPixels };
}

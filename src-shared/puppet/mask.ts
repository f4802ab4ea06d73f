/**
 * The character's foreground mask in the reference picture (1 = character), from the picture's
 * alpha, a flood fill of a near-uniform background from the borders (flatBackground.ts), or — when
 * nothing else works — the pose itself (capsules around the bones), which is rough but never leaves
 * the puppet without a body. The person-segmentation model for photos runs in the engine
 * (engine/mask/characterMask.ts). Also the mask operations they share: dilation, the flood from the
 * picture's border, the pieces that hold the pose.
 */
import { BODY_LIMBS } from '#shared/pose/skeleton';

export interface Rgba {
  width: number;
  height: number;
  /** RGBA, 8 bits per channel, row-major. */
  data: Uint8Array;
}

/** Where the character's mask came from, best first (the order the engine tries them in). */
export const MASK_SOURCES = [
  'user',
  'alpha',
  'flood-fill',
  'segmentation',
  'drawing',
  'pose',
] as const;
export type MaskSource = (typeof MASK_SOURCES)[number];

/** True when some pixels are meaningfully transparent. */
export function hasTransparency(img: Rgba): boolean {
  const n = img.width * img.height;
  let transparent = 0;
  for (let i = 0; i < n; i++) if (img.data[i * 4 + 3]! < 128) transparent++;
  return transparent > n * 0.005;
}

export function maskFromAlpha(img: Rgba): Uint8Array {
  const n = img.width * img.height;
  const m = new Uint8Array(n);
  for (let i = 0; i < n; i++) m[i] = img.data[i * 4 + 3]! >= 128 ? 1 : 0;
  return m;
}

/**
 * A rough body from the pose: capsules around the limbs, radius from the body's size (`scale` ×
 * the mean bone length; 0.3 draws a body, larger ones how far a person's pixels may reach).
 */
export function maskFromPose(
  width: number,
  height: number,
  pose: Float64Array,
  scale = 0.3,
): Uint8Array {
  const m = new Uint8Array(width * height);
  const pt = (i: number) =>
    pose[i * 3 + 2]! > 0 ? ([pose[i * 3]!, pose[i * 3 + 1]!] as const) : undefined;
  let total = 0;
  let count = 0;
  for (const [a, b] of BODY_LIMBS) {
    const pa = pt(a);
    const pb = pt(b);
    if (pa && pb) {
      total += Math.hypot(pb[0] - pa[0], pb[1] - pa[1]);
      count++;
    }
  }
  const radius = Math.max(2, count > 0 ? (total / count) * scale : 4);
  const capsule = (pa: readonly [number, number], pb: readonly [number, number], r: number) => {
    const x0 = Math.max(0, Math.floor(Math.min(pa[0], pb[0]) - r));
    const x1 = Math.min(width - 1, Math.ceil(Math.max(pa[0], pb[0]) + r));
    const y0 = Math.max(0, Math.floor(Math.min(pa[1], pb[1]) - r));
    const y1 = Math.min(height - 1, Math.ceil(Math.max(pa[1], pb[1]) + r));
    const dx = pb[0] - pa[0];
    const dy = pb[1] - pa[1];
    const l2 = dx * dx + dy * dy;
    for (let y = y0; y <= y1; y++)
      for (let x = x0; x <= x1; x++) {
        const t = l2 > 0 ? Math.max(0, Math.min(1, ((x - pa[0]) * dx + (y - pa[1]) * dy) / l2)) : 0;
        if (Math.hypot(x - pa[0] - t * dx, y - pa[1] - t * dy) <= r) m[y * width + x] = 1;
      }
  };
  for (const [a, b] of BODY_LIMBS) {
    const pa = pt(a);
    const pb = pt(b);
    if (pa && pb) capsule(pa, pb, radius);
  }
  // The torso quad between shoulders and hips.
  const quad = [2, 5, 11, 8].map(pt);
  if (quad.every((p) => p !== undefined)) {
    for (const [a, b] of [
      [0, 3],
      [1, 2],
      [0, 2],
      [1, 3],
    ] as const)
      capsule(quad[a]!, quad[b]!, radius * 1.2);
  }
  return m;
}

/**
 * Keeps the connected pieces of the mask that touch a present body joint (or, if none does, the
 * largest one): specks and stray shapes of the background are not the character.
 */
export function keepCharacterComponents(
  mask: Uint8Array,
  width: number,
  height: number,
  pose: Float64Array,
): Uint8Array {
  const label = new Int32Array(width * height);
  const sizes: number[] = [0];
  const stack = new Int32Array(width * height);
  let next = 1;
  for (let s = 0; s < mask.length; s++) {
    if (!mask[s] || label[s]) continue;
    const id = next++;
    let size = 0;
    let top = 0;
    stack[top++] = s;
    label[s] = id;
    while (top > 0) {
      const i = stack[--top]!;
      size++;
      const x = i % width;
      if (x > 0 && mask[i - 1] && !label[i - 1]) {
        label[i - 1] = id;
        stack[top++] = i - 1;
      }
      if (x < width - 1 && mask[i + 1] && !label[i + 1]) {
        label[i + 1] = id;
        stack[top++] = i + 1;
      }
      if (i >= width && mask[i - width] && !label[i - width]) {
        label[i - width] = id;
        stack[top++] = i - width;
      }
      if (i < mask.length - width && mask[i + width] && !label[i + width]) {
        label[i + width] = id;
        stack[top++] = i + width;
      }
    }
    sizes.push(size);
  }
  const keep = new Uint8Array(next);
  for (let k = 0; k < 24; k++) {
    if (pose[k * 3 + 2]! <= 0) continue;
    const x = Math.round(pose[k * 3]!);
    const y = Math.round(pose[k * 3 + 1]!);
    // A joint may sit a few pixels off the silhouette: look in a small window.
    for (let dy = -3; dy <= 3; dy++)
      for (let dx = -3; dx <= 3; dx++) {
        const xx = x + dx;
        const yy = y + dy;
        if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
        const l = label[yy * width + xx]!;
        if (l) keep[l] = 1;
      }
  }
  if (!keep.includes(1) && sizes.length > 1) {
    let best = 1;
    for (let l = 2; l < sizes.length; l++) if (sizes[l]! > sizes[best]!) best = l;
    keep[best] = 1;
  }
  // keep[0] is 0: background stays background.
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) out[i] = keep[label[i]!]!;
  return out;
}

/** The mask at 1/k (sides rounded up): a block is set when any of its pixels is. */
export function shrinkAny(mask: Uint8Array, width: number, height: number, k: number): Uint8Array {
  const w = Math.ceil(width / k);
  const out = new Uint8Array(w * Math.ceil(height / k));
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / k) * w;
    for (let x = 0; x < width; x++) if (mask[y * width + x]) out[row + Math.floor(x / k)] = 1;
  }
  return out;
}

export function countSet(mask: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i]!;
  return n;
}

/**
 * Square dilation by r pixels: 1 wherever a set pixel lies within r along both axes. Separable,
 * each pass a sliding count of set pixels in the window; both passes walk rows in memory order
 * (the column pass keeps one count per column), with no per-pixel calls: the setup runs it on
 * every picture while the engine's code is still cold.
 */
export function dilate(mask: Uint8Array, width: number, height: number, r: number): Uint8Array {
  if (r <= 0) return mask.slice();
  const rows = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    const o = y * width;
    let count = 0;
    for (let x = 0; x < Math.min(r, width); x++) if (mask[o + x]) count++;
    for (let x = 0; x < width; x++) {
      if (x + r < width && mask[o + x + r]) count++;
      if (x > r && mask[o + x - r - 1]) count--;
      if (count > 0) rows[o + x] = 1;
    }
  }
  const out = new Uint8Array(mask.length);
  const counts = new Int32Array(width);
  for (let y = 0; y < Math.min(r, height); y++)
    for (let x = 0, o = y * width; x < width; x++) counts[x]! += rows[o + x]!;
  for (let y = 0; y < height; y++) {
    if (y + r < height)
      for (let x = 0, o = (y + r) * width; x < width; x++) counts[x]! += rows[o + x]!;
    if (y > r) for (let x = 0, o = (y - r - 1) * width; x < width; x++) counts[x]! -= rows[o + x]!;
    for (let x = 0, o = y * width; x < width; x++) if (counts[x]! > 0) out[o + x] = 1;
  }
  return out;
}

/** The border's pixel indices (corners twice; harmless). */
export function borderPixels(W: number, H: number): Int32Array {
  const border = new Int32Array(2 * W + 2 * H);
  let k = 0;
  for (let x = 0; x < W; x++) {
    border[k++] = x;
    border[k++] = (H - 1) * W + x;
  }
  for (let y = 0; y < H; y++) {
    border[k++] = y * W;
    border[k++] = y * W + W - 1;
  }
  return border;
}

/** The pixels a flood fill from the borders reaches without crossing `walls` (4-connected). */
export function reachedFromBorder(walls: Uint8Array, W: number, H: number): Uint8Array {
  const reached = new Uint8Array(W * H);
  // Typed stack, no closures: this runs over every pixel of pictures up to 4096².
  const stack = new Int32Array(W * H);
  let top = 0;
  for (const i of borderPixels(W, H))
    if (!walls[i] && !reached[i]) {
      reached[i] = 1;
      stack[top++] = i;
    }
  while (top > 0) {
    const i = stack[--top]!;
    const x = i % W;
    if (x > 0 && !walls[i - 1] && !reached[i - 1]) {
      reached[i - 1] = 1;
      stack[top++] = i - 1;
    }
    if (x < W - 1 && !walls[i + 1] && !reached[i + 1]) {
      reached[i + 1] = 1;
      stack[top++] = i + 1;
    }
    if (i >= W && !walls[i - W] && !reached[i - W]) {
      reached[i - W] = 1;
      stack[top++] = i - W;
    }
    if (i < W * (H - 1) && !walls[i + W] && !reached[i + W]) {
      reached[i + W] = 1;
      stack[top++] = i + W;
    }
  }
  return reached;
}

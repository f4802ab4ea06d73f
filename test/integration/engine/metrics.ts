/** Measurements for puppet tests: PSNR, CIE Lab ΔE, marker centroids, forward skinning. */
import type { RgbImage } from '#shared/image/rgbImage';
import type { Affine } from '#shared/puppet/affine';
import { pictureToFrame } from '#shared/puppet/meshForward';
import { type PartLabels, labelCell } from '#shared/puppet/partLabels';
import type { PuppetMesh } from '#shared/puppet/puppetMesh';
import { dilate } from '#shared/puppet/mask';

export function psnr(a: Uint8Array, b: Uint8Array): number {
  let se = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    se += d * d;
  }
  const mse = se / a.length;
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}

/** sRGB (0–255) → CIE Lab (D65). */
export function toLab(r: number, g: number, b: number): [number, number, number] {
  const lin = (c: number) => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const R = lin(r);
  const G = lin(g);
  const B = lin(b);
  const x = (0.4124 * R + 0.3576 * G + 0.1805 * B) / 0.95047;
  const y = 0.2126 * R + 0.7152 * G + 0.0722 * B;
  const z = (0.0193 * R + 0.1192 * G + 0.9505 * B) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

export const deltaE = (a: readonly number[], b: readonly number[]): number =>
  Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);

/** Centroid of pixels within `tol` of a colour, searched within `radius` of a point. */
export function markerCentroid(
  img: RgbImage,
  color: readonly number[],
  near: readonly [number, number],
  radius = 24,
  tol = 40,
): { x: number; y: number; count: number } {
  let sx = 0;
  let sy = 0;
  let n = 0;
  for (
    let y = Math.max(0, Math.floor(near[1] - radius));
    y <= Math.min(img.height - 1, near[1] + radius);
    y++
  )
    for (
      let x = Math.max(0, Math.floor(near[0] - radius));
      x <= Math.min(img.width - 1, near[0] + radius);
      x++
    ) {
      const o = (y * img.width + x) * 3;
      const d = Math.hypot(
        img.data[o]! - color[0]!,
        img.data[o + 1]! - color[1]!,
        img.data[o + 2]! - color[2]!,
      );
      if (d <= tol) {
        sx += x;
        sy += y;
        n++;
      }
    }
  return { x: sx / n, y: sy / n, count: n };
}

/** What the hole and colour checks need of a character set up in this process. */
export interface SkinnedCharacter {
  rig: { width: number; height: number };
  mask: Uint8Array;
  mesh: PuppetMesh;
  labels: PartLabels;
}

/** Where each picture pixel lands for a pose's bone maps (the mesh read forward; NaN: nowhere). */
export function forwardMap(ch: SkinnedCharacter, forward: Affine[]): Float32Array {
  return pictureToFrame(ch.mesh, forward, ch.rig.width, ch.rig.height);
}

/**
 * Fraction of the expected character pixels (forward skinning of every mask pixel, 1 px inside that
 * silhouette) that show the background colour in the frame: pixels with no source.
 */
export function holeFraction(
  ch: SkinnedCharacter,
  forward: Affine[],
  frame: RgbImage,
  bg: readonly number[],
): { holes: number; expected: number } {
  const { width: W, height: H } = ch.rig;
  const hit = new Uint8Array(W * H);
  const map = forwardMap(ch, forward);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      if (!ch.mask[y * W + x]) continue;
      const u = map[2 * (y * W + x)]!;
      const v = map[2 * (y * W + x) + 1]!;
      if (Number.isNaN(u)) continue;
      for (const [dx, dy] of [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ] as const) {
        const xi = Math.floor(u) + dx;
        const yi = Math.floor(v) + dy;
        if (xi >= 0 && yi >= 0 && xi < W && yi < H) hit[yi * W + xi] = 1;
      }
    }
  let expected = 0;
  let holes = 0;
  for (let i = W; i < W * (H - 1); i++) {
    if (!hit[i] || !hit[i - 1] || !hit[i + 1] || !hit[i - W] || !hit[i + W]) continue;
    expected++;
    const o = i * 3;
    if (
      Math.hypot(
        frame.data[o]! - bg[0]!,
        frame.data[o + 1]! - bg[1]!,
        frame.data[o + 2]! - bg[2]!,
      ) < 12
    )
      holes++;
  }
  return { holes: holes / expected, expected };
}

/**
 * ΔE (Lab) between each part's mean colour in the picture (its own flat-coloured pixels, away from
 * seams) and the mean colour at the same pixels carried to the frame by forward skinning.
 */
export function partColourDeltaE(
  ch: SkinnedCharacter,
  forward: Affine[],
  picture: Uint8Array,
  frame: RgbImage,
  parts: Record<string, { bone: number; color: readonly number[] }>,
): Record<string, { deltaE: number; pixels: number }> {
  const { width: W, height: H } = ch.rig;
  const out: Record<string, { deltaE: number; pixels: number }> = {};
  const map = forwardMap(ch, forward);
  for (const [part, { bone, color }] of Object.entries(parts)) {
    let refLab = [0, 0, 0];
    let outLab = [0, 0, 0];
    let n = 0;
    for (let y = 3; y < H - 3; y++)
      for (let x = 3; x < W - 3; x++) {
        const o = (y * W + x) * 3;
        if (
          Math.hypot(
            picture[o]! - color[0]!,
            picture[o + 1]! - color[1]!,
            picture[o + 2]! - color[2]!,
          ) > 2
        )
          continue;
        const c = labelCell(ch.labels, x, y);
        if (c < 0 || ch.labels.first[c] !== bone) continue;
        const u = map[2 * (y * W + x)]!;
        const v = map[2 * (y * W + x) + 1]!;
        if (Number.isNaN(u)) continue;
        const xi = Math.round(u);
        const yi = Math.round(v);
        if (xi < 0 || yi < 0 || xi >= W || yi >= H) continue;
        const q = (yi * W + xi) * 3;
        const a = toLab(picture[o]!, picture[o + 1]!, picture[o + 2]!);
        const b = toLab(frame.data[q]!, frame.data[q + 1]!, frame.data[q + 2]!);
        refLab = refLab.map((s, i) => s + a[i]!);
        outLab = outLab.map((s, i) => s + b[i]!);
        n++;
      }
    out[part] = {
      deltaE: deltaE(
        refLab.map((s) => s / n),
        outLab.map((s) => s / n),
      ),
      pixels: n,
    };
  }
  return out;
}

/**
 * Stray pixels: frame pixels that show something no part of the character should put there.
 * Every reference mask pixel is carried to the frame by forward skinning (the expected picture,
 * computed from the mesh read forward, not by the rasterizer); a frame pixel passes if its colour is within `tol`
 * (RGB distance) of the plate at that pixel, or of any reference pixel that lands within `radius`
 * px of it. The rest — a torn seam sampling the wrong part, a streak interpolated across distant
 * sources, a gap showing the plate inside a part is NOT counted here (see holeFraction) — are
 * stray. Counted only inside `box` [x0, y0, x1, y1] when given.
 */
export function strayPixels(
  ch: SkinnedCharacter,
  forward: Affine[],
  picture: Uint8Array,
  plate: Uint8Array,
  frame: RgbImage,
  opts: { radius?: number; tol?: number; box?: readonly [number, number, number, number] } = {},
): { stray: number; checked: number; map: Uint8Array } {
  const { width: W, height: H } = ch.rig;
  const r = opts.radius ?? 2;
  const tol2 = (opts.tol ?? 40) ** 2;
  const [bx0, by0, bx1, by1] = opts.box ?? [0, 0, W, H];
  const ok = new Uint8Array(W * H);
  const near = (o: number, c: Uint8Array, q: number) => {
    const dr = frame.data[o]! - c[q]!;
    const dg = frame.data[o + 1]! - c[q + 1]!;
    const db = frame.data[o + 2]! - c[q + 2]!;
    return dr * dr + dg * dg + db * db <= tol2;
  };
  for (let i = 0; i < W * H; i++) if (near(i * 3, plate, i * 3)) ok[i] = 1;
  const fwd = forwardMap(ch, forward);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const s = y * W + x;
      if (!ch.mask[s]) continue;
      const u = fwd[2 * s]!;
      const v = fwd[2 * s + 1]!;
      if (Number.isNaN(u)) continue;
      const ui = Math.round(u);
      const vi = Math.round(v);
      for (let yy = Math.max(0, vi - r); yy <= Math.min(H - 1, vi + r); yy++)
        for (let xx = Math.max(0, ui - r); xx <= Math.min(W - 1, ui + r); xx++) {
          const t = yy * W + xx;
          if (!ok[t] && near(t * 3, picture, s * 3)) ok[t] = 1;
        }
    }
  let stray = 0;
  let checked = 0;
  const map = new Uint8Array(W * H);
  for (let y = Math.max(0, by0); y < Math.min(H, by1); y++)
    for (let x = Math.max(0, bx0); x < Math.min(W, bx1); x++) {
      checked++;
      if (!ok[y * W + x]) {
        stray++;
        map[y * W + x] = 1;
      }
    }
  return { stray, checked, map };
}

/**
 * Slivers: thin pieces of the character in the frame — a sleeve torn into strands with background
 * between them, a frayed edge, a 1–3 px line of another part's edge carried along with a limb.
 * Measured on the frame alone (the forward-skinned "expected picture" of `strayPixels` smears
 * exactly the seam pixels that tear, and Sprout's sleeve and shirt share one colour): a pixel is
 * foreground when its colour is more than `tol` from the plate there; an opening with a
 * (2r+1)² square removes every foreground structure thinner than 2r+1 px, and what it removes,
 * inside `box`, are sliver pixels. Solid parts lose nothing but the tips of acute corners, so
 * compare against the same count at the reference pose.
 */
export function sliverPixels(
  frame: RgbImage,
  plate: Uint8Array,
  opts: { tol?: number; r?: number; box?: readonly [number, number, number, number] } = {},
): { slivers: number; map: Uint8Array } {
  const { width: W, height: H, data } = frame;
  const tol2 = (opts.tol ?? 40) ** 2;
  const r = opts.r ?? 2;
  const fg = new Uint8Array(W * H);
  for (let i = 0; i < W * H; i++) {
    const dr = data[i * 3]! - plate[i * 3]!;
    const dg = data[i * 3 + 1]! - plate[i * 3 + 1]!;
    const db = data[i * 3 + 2]! - plate[i * 3 + 2]!;
    fg[i] = dr * dr + dg * dg + db * db > tol2 ? 1 : 0;
  }
  // Erosion = complement of the dilated complement; opening = dilation of the erosion.
  const bg = new Uint8Array(W * H);
  for (let i = 0; i < W * H; i++) bg[i] = 1 - fg[i]!;
  const grownBg = dilate(bg, W, H, r);
  const eroded = new Uint8Array(W * H);
  for (let i = 0; i < W * H; i++) eroded[i] = 1 - grownBg[i]!;
  const opened = dilate(eroded, W, H, r);
  const [bx0, by0, bx1, by1] = opts.box ?? [0, 0, W, H];
  const map = new Uint8Array(W * H);
  let slivers = 0;
  for (let y = Math.max(0, by0); y < Math.min(H, by1); y++)
    for (let x = Math.max(0, bx0); x < Math.min(W, bx1); x++) {
      const i = y * W + x;
      if (fg[i] && !opened[i]) {
        map[i] = 1;
        slivers++;
      }
    }
  return { slivers, map };
}

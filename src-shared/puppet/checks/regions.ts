/**
 * Whole-frame checks on a rendered character: PSNR over a region, the character's pixels (from
 * two renders over black and white), its connected pieces and the holes enclosed in it.
 */
import { reachedFromBorder } from '../mask';

/** PSNR (dB) of two RGB images over the pixels where `region` is set (∞ when equal there). */
export function psnrOver(a: Uint8Array, b: Uint8Array, region: Uint8Array): number {
  let se = 0;
  let n = 0;
  for (let i = 0; i < region.length; i++) {
    if (!region[i]) continue;
    for (let c = 0; c < 3; c++) se += (a[i * 3 + c]! - b[i * 3 + c]!) ** 2;
    n += 3;
  }
  if (n === 0) throw new RangeError('the region is empty');
  return se === 0 ? Infinity : 10 * Math.log10((255 * 255 * n) / se);
}

/**
 * Per-pixel coverage from the same frame rendered over black and over white: a pixel the
 * character covers with alpha a reads a·C over black and a·C + (1 − a)·255 over white.
 */
export function alphaFromTwoBackgrounds(onBlack: Uint8Array, onWhite: Uint8Array): Float32Array {
  const n = onBlack.length / 3;
  const alpha = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let d = 0;
    for (let c = 0; c < 3; c++) d += onWhite[i * 3 + c]! - onBlack[i * 3 + c]!;
    alpha[i] = Math.min(1, Math.max(0, 1 - d / (3 * 255)));
  }
  return alpha;
}

export function threshold(values: Float32Array | Uint8Array, atLeast: number): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i]! >= atLeast ? 1 : 0;
  return out;
}

export const count = (mask: Uint8Array) => mask.reduce((s, v) => s + (v ? 1 : 0), 0);

/** The 8-connected pieces of a mask: per pixel its piece's number (0 = not in the mask, 1, 2, …). */
export function pieceIds(mask: Uint8Array, width: number, height: number): Int32Array {
  const id = new Int32Array(mask.length);
  const stack: number[] = [];
  let next = 0;
  for (let s = 0; s < mask.length; s++) {
    if (!mask[s] || id[s]) continue;
    id[s] = ++next;
    stack.push(s);
    while (stack.length) {
      const i = stack.pop()!;
      const x = i % width;
      const y = (i / width) | 0;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const u = x + dx;
          const v = y + dy;
          if (u < 0 || v < 0 || u >= width || v >= height) continue;
          const j = v * width + u;
          if (mask[j] && !id[j]) {
            id[j] = next;
            stack.push(j);
          }
        }
    }
  }
  return id;
}

/** Sizes of the 8-connected pieces of a mask, largest first. */
export function pieces(mask: Uint8Array, width: number, height: number): number[] {
  const id = pieceIds(mask, width, height);
  const sizes: number[] = [];
  for (const k of id) if (k) sizes[k - 1] = (sizes[k - 1] ?? 0) + 1;
  return sizes.sort((a, b) => b - a);
}

/** Background pixels enclosed by the character (not 4-connected to the frame's border). */
export function enclosedHolePixels(mask: Uint8Array, width: number, height: number): number {
  const outside = reachedFromBorder(mask, width, height);
  let holes = 0;
  for (let i = 0; i < mask.length; i++) if (!mask[i] && !outside[i]) holes++;
  return holes;
}

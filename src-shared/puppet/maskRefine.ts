/**
 * Turning a segmentation model's soft, low-resolution person mask into the character's mask at the
 * picture's own resolution: the edge snapped to the picture's edges with a guided filter (He, Sun
 * and Tang 2013: the output is locally a linear function of the picture, so it follows the
 * picture's edges and not the model's blurred 256² ones), then thresholded, and holes inside the
 * body filled (a logo or a shadow on a shirt that the model left out still moves with the shirt).
 */
import { reachedFromBorder } from './mask';

/** Mean over the (2r+1)² window around each pixel, clipped at the borders (summed-area table). */
export function boxMean(src: Float32Array, width: number, height: number, r: number): Float32Array {
  const W1 = width + 1;
  const sat = new Float64Array(W1 * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += src[y * width + x]!;
      sat[(y + 1) * W1 + x + 1] = sat[y * W1 + x + 1]! + row;
    }
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(height, y + r + 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(width, x + r + 1);
      const sum = sat[y1 * W1 + x1]! - sat[y0 * W1 + x1]! - sat[y1 * W1 + x0]! + sat[y0 * W1 + x0]!;
      out[y * width + x] = sum / ((x1 - x0) * (y1 - y0));
    }
  }
  return out;
}

/**
 * The guided filter of `p` (the soft mask, 0–1) with the grayscale `guide` (0–1), window radius r
 * and regulariser eps: q = mean(a)·I + mean(b) with a = cov(I, p) / (var(I) + eps). Where the
 * picture is flat (var ≪ eps) it smooths p; across a picture edge it copies that edge.
 */
export function guidedFilter(
  guide: Float32Array,
  p: Float32Array,
  width: number,
  height: number,
  r: number,
  eps: number,
): Float32Array {
  const n = width * height;
  const ip = new Float32Array(n);
  const ii = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    ip[i] = guide[i]! * p[i]!;
    ii[i] = guide[i]! * guide[i]!;
  }
  const mI = boxMean(guide, width, height, r);
  const mP = boxMean(p, width, height, r);
  const mIP = boxMean(ip, width, height, r);
  const mII = boxMean(ii, width, height, r);
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const cov = mIP[i]! - mI[i]! * mP[i]!;
    const v = mII[i]! - mI[i]! * mI[i]!;
    a[i] = cov / (v + eps);
    b[i] = mP[i]! - a[i]! * mI[i]!;
  }
  const mA = boxMean(a, width, height, r);
  const mB = boxMean(b, width, height, r);
  const q = new Float32Array(n);
  for (let i = 0; i < n; i++) q[i] = Math.max(0, Math.min(1, mA[i]! * guide[i]! + mB[i]!));
  return q;
}

/** Rec. 601 luma of an RGBA picture, 0–1: the guide of the filter. */
export function lumaOf(rgba: Uint8Array, width: number, height: number): Float32Array {
  const n = width * height;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++)
    out[i] = (0.299 * rgba[i * 4]! + 0.587 * rgba[i * 4 + 1]! + 0.114 * rgba[i * 4 + 2]!) / 255;
  return out;
}

/** 1 where the soft mask is at least `threshold`. */
export function binarize(soft: Float32Array, threshold = 0.5): Uint8Array {
  const m = new Uint8Array(soft.length);
  for (let i = 0; i < soft.length; i++) m[i] = soft[i]! >= threshold ? 1 : 0;
  return m;
}

/**
 * Fills every hole of the mask: background pixels not connected (4-neighbours) to the picture's
 * border become character. A gap between the legs that opens onto the border stays background.
 */
export function fillHoles(mask: Uint8Array, width: number, height: number): Uint8Array {
  const out = reachedFromBorder(mask, width, height);
  for (let i = 0; i < out.length; i++) out[i] = 1 - out[i]!;
  return out;
}

/** Intersection over union of two binary masks of the same size (1 when both are empty). */
export function maskIoU(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error(`mask sizes differ: ${a.length} vs ${b.length}`);
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]! > 0;
    const y = b[i]! > 0;
    if (x && y) inter++;
    if (x || y) union++;
  }
  return union === 0 ? 1 : inter / union;
}

/**
 * The character mask from a model's soft mask in picture pixels: guided-filtered against the
 * picture's luma (radius `r`, about two model pixels in picture pixels), thresholded at ½, holes
 * filled. Keeping only the pieces at the pose's joints is the caller's (keepCharacterComponents).
 */
export function refineSoftMask(
  soft: Float32Array,
  rgba: Uint8Array,
  width: number,
  height: number,
  r: number,
  eps = 1e-3,
): Uint8Array {
  const refined =
    r > 0 ? guidedFilter(lumaOf(rgba, width, height), soft, width, height, r, eps) : soft;
  return fillHoles(binarize(refined, 0.5), width, height);
}

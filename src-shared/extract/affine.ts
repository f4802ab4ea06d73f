/**
 * Image warping for the pose models' pre-processing, as the DWPose reference does it with OpenCV:
 * YOLOX letterbox (cv2.resize INTER_LINEAR into the top-left of a 114-grey square) and the
 * top-down affine crop of a person box (cv2.warpAffine, border 0). Pure: RGB bytes in, a CHW
 * float tensor out.
 */
import type { RgbImage } from '#shared/image/rgbImage';

/** dst = (src − centre) · scale + offset, per axis (no rotation: the reference uses rot = 0). */
export interface AxisAffine {
  scale: number;
  /** Source x, y that map to dst (0, 0). */
  srcX0: number;
  srcY0: number;
}

/** Maps a point of the model input back to the source picture. */
export function toSource(t: AxisAffine, x: number, y: number): [number, number] {
  return [t.srcX0 + x / t.scale, t.srcY0 + y / t.scale];
}

export interface WarpOptions {
  width: number;
  height: number;
  /** Value of pixels outside the source (before normalisation), per channel. */
  fill: number;
  /** Per-channel mean/std applied after sampling (default none). */
  mean?: readonly [number, number, number];
  std?: readonly [number, number, number];
  /** cv2.resize samples at pixel centres ((x + .5)/s − .5); cv2.warpAffine at corners (x/s). */
  halfPixel: boolean;
}

/**
 * Samples `image` through the affine `t` into a [3, height, width] float tensor (RGB planes),
 * bilinear, like OpenCV's INTER_LINEAR.
 */
export function warpToTensor(image: RgbImage, t: AxisAffine, o: WarpOptions): Float32Array {
  const { width: W, height: H } = o;
  const out = new Float32Array(3 * W * H);
  const plane = W * H;
  const src = image.data;
  const sw = image.width;
  const sh = image.height;
  const mean = o.mean ?? [0, 0, 0];
  const inv = o.std ? o.std.map((s) => 1 / s) : [1, 1, 1];
  const half = o.halfPixel ? 0.5 : 0;
  // Column lookups once per row sweep: left column, weight, which of the two columns are inside.
  const xs0 = new Int32Array(W);
  const wx = new Float32Array(W);
  const in0 = new Uint8Array(W);
  const in1 = new Uint8Array(W);
  for (let x = 0; x < W; x++) {
    const sx = t.srcX0 + (x + half) / t.scale - half;
    const fx = Math.floor(sx);
    xs0[x] = fx;
    wx[x] = sx - fx;
    in0[x] = fx >= 0 && fx < sw ? 1 : 0;
    in1[x] = fx + 1 >= 0 && fx + 1 < sw ? 1 : 0;
  }
  const fill = o.fill;
  for (let y = 0; y < H; y++) {
    const sy = t.srcY0 + (y + half) / t.scale - half;
    const y0 = Math.floor(sy);
    const wy = sy - y0;
    const top = y0 >= 0 && y0 < sh;
    const bot = y0 + 1 >= 0 && y0 + 1 < sh;
    const r0 = y0 * sw * 3;
    const r1 = r0 + sw * 3;
    for (let x = 0; x < W; x++) {
      const ax = wx[x]!;
      const p0 = r0 + xs0[x]! * 3;
      const p1 = r1 + xs0[x]! * 3;
      const a = top && in0[x]!;
      const b = top && in1[x]!;
      const c0 = bot && in0[x]!;
      const d = bot && in1[x]!;
      const o0 = y * W + x;
      for (let c = 0; c < 3; c++) {
        const v00 = a ? src[p0 + c]! : fill;
        const v01 = b ? src[p0 + 3 + c]! : fill;
        const v10 = c0 ? src[p1 + c]! : fill;
        const v11 = d ? src[p1 + 3 + c]! : fill;
        const v = (v00 + (v01 - v00) * ax) * (1 - wy) + (v10 + (v11 - v10) * ax) * wy;
        out[c * plane + o0] = (v - mean[c]!) * inv[c]!;
      }
    }
  }
  return out;
}

/** YOLOX letterbox: scale r = min(W/w, H/h), picture at the top-left, grey 114 elsewhere. */
export function letterbox(srcW: number, srcH: number, dstW: number, dstH: number): AxisAffine {
  const r = Math.min(dstW / srcW, dstH / srcH);
  return { scale: r, srcX0: 0, srcY0: 0 };
}

export type Box = readonly [number, number, number, number];

/** The person crop of the reference (bbox_xyxy2cs, padding 1.25, aspect fixed to the input's). */
export interface PersonCrop extends AxisAffine {
  centerX: number;
  centerY: number;
  /** Size of the crop in source pixels (width, height) after aspect fixing. */
  scaleW: number;
  scaleH: number;
}

export function personCrop(box: Box, inputW: number, inputH: number, padding = 1.25): PersonCrop {
  const [x0, y0, x1, y1] = box;
  const centerX = (x0 + x1) / 2;
  const centerY = (y0 + y1) / 2;
  let w = (x1 - x0) * padding;
  let h = (y1 - y0) * padding;
  const aspect = inputW / inputH;
  if (w > h * aspect) h = w / aspect;
  else w = h * aspect;
  const scale = inputW / w;
  return {
    centerX,
    centerY,
    scaleW: w,
    scaleH: h,
    scale,
    srcX0: centerX - w / 2,
    srcY0: centerY - h / 2,
  };
}

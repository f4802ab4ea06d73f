/**
 * Per-frame numbers the warp graph needs for one target pose: the inverse bone maps in the two
 * normalized coordinate systems the graph samples in, and the crop box the character can cover
 * (only that region is warped; the rest of the frame is the background plate).
 */
import { type Affine, apply, invert } from './affine';
import { BONE_COUNT, boneTransforms } from './bones';
import type { CoarseGrid } from './coarseGrid';

export interface PuppetRig {
  readonly width: number;
  readonly height: number;
  readonly grid: CoarseGrid;
  readonly reference: Float64Array;
  /** Reference-space support box of each bone's weights (undefined: the bone owns no pixels). */
  readonly boxes: readonly ([number, number, number, number] | undefined)[];
}

export interface FrameInputs {
  /** [K,3,2]: (X, Y, 1) target px → normalized weight-grid coords. */
  bonesWeight: Float32Array;
  /** [K,2,3]: target px → normalized picture coords. */
  bonesPicture: Float32Array;
  /** [y0, x0, y1, x1], end exclusive; empty when the character is entirely off the canvas. */
  crop: [number, number, number, number];
  cropGrid: { wc: number; hc: number };
  /** [1, N, 3] coarse points over the crop. */
  gridPoints: Float32Array;
  /** Forward maps reference → target (for callers that need them, e.g. tests and previews). */
  forward: Affine[];
}

export function frameInputs(rig: PuppetRig, target: Float64Array): FrameInputs {
  const { width: W, height: H, grid } = rig;
  const forward = boneTransforms(rig.reference, target);
  const bonesWeight = new Float32Array(BONE_COUNT * 6);
  const bonesPicture = new Float32Array(BONE_COUNT * 6);
  const swx = 2 / ((grid.w - 1) * grid.stride || 1);
  const swy = 2 / ((grid.h - 1) * grid.stride || 1);
  const spx = 2 / (W - 1);
  const spy = 2 / (H - 1);
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let k = 0; k < BONE_COUNT; k++) {
    const f = forward[k]!;
    let inv: Affine;
    try {
      inv = invert(f);
    } catch {
      // A degenerate fit (all points collapsed): this bone shows nothing this frame.
      inv = [0, 0, 0, 0, -1e6, -1e6];
    }
    const [a, b, c, d, tx, ty] = inv;
    bonesWeight.set([a * swx, b * swy, c * swx, d * swy, tx * swx - 1, ty * swy - 1], k * 6);
    bonesPicture.set([a * spx, c * spx, tx * spx - 1, b * spy, d * spy, ty * spy - 1], k * 6);
    const box = rig.boxes[k];
    if (!box) continue;
    // Cells cover pixels up to half a stride away, plus the anti-aliased edge: pad by two strides.
    const pad = 2 * grid.stride;
    for (const [x, y] of [
      [box[0] - pad, box[1] - pad],
      [box[2] + pad, box[1] - pad],
      [box[0] - pad, box[3] + pad],
      [box[2] + pad, box[3] + pad],
    ] as const) {
      const [u, v] = apply(f, x, y);
      x0 = Math.min(x0, u);
      y0 = Math.min(y0, v);
      x1 = Math.max(x1, u);
      y1 = Math.max(y1, v);
    }
  }
  const cx0 = Math.max(0, Math.floor(x0));
  const cy0 = Math.max(0, Math.floor(y0));
  const cx1 = Math.min(W, Math.ceil(x1) + 1);
  const cy1 = Math.min(H, Math.ceil(y1) + 1);
  const empty = !(cx1 > cx0 && cy1 > cy0);
  const crop: [number, number, number, number] = empty ? [0, 0, 0, 0] : [cy0, cx0, cy1, cx1];
  const wc = empty ? 0 : Math.ceil((cx1 - cx0 - 1) / grid.stride) + 1;
  const hc = empty ? 0 : Math.ceil((cy1 - cy0 - 1) / grid.stride) + 1;
  const gridPoints = new Float32Array(wc * hc * 3);
  for (let j = 0; j < hc; j++)
    for (let i = 0; i < wc; i++) {
      const o = (j * wc + i) * 3;
      gridPoints[o] = cx0 + i * grid.stride;
      gridPoints[o + 1] = cy0 + j * grid.stride;
      gridPoints[o + 2] = 1;
    }
  return { bonesWeight, bonesPicture, crop, cropGrid: { wc, hc }, gridPoints, forward };
}

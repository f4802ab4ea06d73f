/**
 * The last step of a puppet frame: sample the character picture at the per-pixel sources the warp
 * graph computed and composite over the background plate, in one pass.
 *
 * The graph lists the cells the character touches (`cells`: smooth cells, then seam cells) and, for
 * each, stride×stride pixels stacked as rows: a source in normalized picture coordinates (`grid`,
 * GridSample's convention with align_corners = 1: −1 and 1 are the centres of the first and last
 * pixels) and a gate. A seam cell has two layers, the front part then the part behind (all seam
 * cells' front rows first, then all their back rows); the front is drawn over the back.
 *
 * Sampling matches ONNX GridSample (padding zeros): bilinear reads the four neighbours, each
 * outside the picture counting as transparent black; nearest rounds half to even. Doing it here
 * instead of in the graph: ORT's CPU GridSample walks each colour plane separately (4.4 ms of a
 * 12 ms 512² frame); this reads an interleaved RGBA copy once per pixel and composites at once.
 */

export interface PuppetPicture {
  width: number;
  height: number;
  /** Interleaved premultiplied RGBA: colour in 0..255 already multiplied by alpha (0..1). */
  rgba: Float32Array;
  /**
   * Per pixel, the parts that own it (bit k = bone k, `pixelOwners`): a pixel drawn by parts P
   * takes colour only from picture pixels owned by one of P (others count as transparent).
   * Omitted: every part owns every pixel.
   */
  owners?: Uint16Array;
}

export interface CompositeLayout {
  /** Crop box in frame pixels (pixels outside it are not drawn). */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** Cell side in pixels. */
  stride: number;
  /** Cells per row of the crop's coarse grid (its width in points − 1). */
  cellsPerRow: number;
}

export type PuppetSampling = 'bilinear' | 'nearest';

/**
 * Which parts drew each output pixel (`parts`, the warp graph's bit masks in the `gate` layout) and
 * each bone's forward map picture → frame (`forward`, 6 numbers per bone as `Affine`): with the
 * picture's `owners`, a part takes colour only from picture pixels it owns — or whose owner would
 * put them (nearly) at the same place.
 */
export interface PartOwnership {
  parts: Float32Array;
  forward: ArrayLike<number>;
}

/** A pixel another part owns is still drawn if that part would put it this close (px). */
export const OWNER_TOLERANCE_PX = 2;

/** Round half to even, as std::nearbyint (GridSample's nearest mode). */
function nearbyint(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && (r & 1) === 1 ? r - 1 : r;
}

/**
 * Paints the warped character into `frame` (H×W×3 uint8 holding the background plate):
 * out = fg + plate·(1 − a) with fg the gated premultiplied colour and a its coverage.
 */
export function compositePuppet(
  frame: Uint8Array,
  frameWidth: number,
  picture: PuppetPicture,
  grid: Float32Array,
  gate: Float32Array,
  cells: BigInt64Array,
  at: CompositeLayout,
  sampling: PuppetSampling,
  ownership?: PartOwnership,
): void {
  const { x0, y0, x1, y1, stride: st, cellsPerRow } = at;
  const S = st * st;
  const rows = gate.length / st;
  // cells = A smooth + As seam; rows = A·st + 2·As·st (seam cells have a front and a back layer).
  const seamCount = rows / st - cells.length;
  const smoothCount = cells.length - seamCount;
  if (
    !Number.isInteger(seamCount) ||
    seamCount < 0 ||
    smoothCount < 0 ||
    grid.length !== 2 * gate.length
  )
    throw new Error(
      `puppet warp returned ${rows} rows of pixels for ${cells.length} cells (stride ${st})`,
    );
  const parts = ownership?.parts;
  if (parts && parts.length !== gate.length)
    throw new Error(`puppet warp returned ${parts.length} part masks for ${gate.length} pixels`);
  const { width: W, height: H, rgba } = picture;
  // Owner checks only when both sides are given; `allowed` is the current pixel's part mask and
  // (px, py) the frame pixel being drawn.
  const owners = parts ? picture.owners : undefined;
  const fwd = ownership?.forward;
  let allowed = 0;
  let px = 0;
  let py = 0;
  /**
   * Tap weight factor for picture pixel i: 1 when a drawing part owns it, or when one of its owners
   * would put it within OWNER_TOLERANCE_PX of this frame pixel anyway (at the reference pose, or
   * where neighbouring parts barely moved apart, nothing changes); else 0 (transparent).
   */
  const own = (i: number): number => {
    if (owners === undefined || fwd === undefined) return 1;
    const o = owners[i]!;
    if (o & allowed || allowed === 0) return 1;
    const ix = i % W;
    const iy = (i - ix) / W;
    for (let k = 0, b = o; b !== 0; k++, b >>>= 1) {
      if (!(b & 1)) continue;
      const m = 6 * k;
      const u = fwd[m]! * ix + fwd[m + 2]! * iy + fwd[m + 4]! - px;
      const v = fwd[m + 1]! * ix + fwd[m + 3]! * iy + fwd[m + 5]! - py;
      if (u * u + v * v <= OWNER_TOLERANCE_PX * OWNER_TOLERANCE_PX) return 1;
    }
    return 0;
  };
  const sx = (W - 1) / 2;
  const sy = (H - 1) / 2;
  const nearest = sampling === 'nearest';
  // Sampled colour of the current pixel (front layer), and of the part behind in seam cells.
  // Plain locals and a small sampler writing into `acc`: this loop runs ~100k times per frame.
  const acc = new Float64Array(4);

  /** acc = gated premultiplied RGBA of the picture at pixel t's source. */
  const sample = (t: number): void => {
    acc[0] = acc[1] = acc[2] = acc[3] = 0;
    const g = gate[t]!;
    if (!(g > 0)) return;
    const x = (grid[2 * t]! + 1) * sx;
    const y = (grid[2 * t + 1]! + 1) * sy;
    if (nearest) {
      const xi = nearbyint(x);
      const yi = nearbyint(y);
      if (xi < 0 || yi < 0 || xi >= W || yi >= H || !own(yi * W + xi)) return;
      const o = (yi * W + xi) * 4;
      acc[0] = rgba[o]! * g;
      acc[1] = rgba[o + 1]! * g;
      acc[2] = rgba[o + 2]! * g;
      acc[3] = rgba[o + 3]! * g;
      return;
    }
    const xa = Math.floor(x);
    const ya = Math.floor(y);
    const fx = x - xa;
    const fy = y - ya;
    if (xa >= 0 && ya >= 0 && xa + 1 < W && ya + 1 < H) {
      // Inside: the common case, no bounds checks per tap.
      const i00 = ya * W + xa;
      const o00 = i00 * 4;
      const o10 = o00 + W * 4;
      const w00 = (1 - fx) * (1 - fy) * g * own(i00);
      const w01 = fx * (1 - fy) * g * own(i00 + 1);
      const w10 = (1 - fx) * fy * g * own(i00 + W);
      const w11 = fx * fy * g * own(i00 + W + 1);
      acc[0] = rgba[o00]! * w00 + rgba[o00 + 4]! * w01 + rgba[o10]! * w10 + rgba[o10 + 4]! * w11;
      acc[1] =
        rgba[o00 + 1]! * w00 + rgba[o00 + 5]! * w01 + rgba[o10 + 1]! * w10 + rgba[o10 + 5]! * w11;
      acc[2] =
        rgba[o00 + 2]! * w00 + rgba[o00 + 6]! * w01 + rgba[o10 + 2]! * w10 + rgba[o10 + 6]! * w11;
      acc[3] =
        rgba[o00 + 3]! * w00 + rgba[o00 + 7]! * w01 + rgba[o10 + 3]! * w10 + rgba[o10 + 7]! * w11;
      return;
    }
    for (let dy = 0; dy < 2; dy++) {
      const yy = ya + dy;
      if (yy < 0 || yy >= H) continue;
      const wy = dy ? fy : 1 - fy;
      for (let dx = 0; dx < 2; dx++) {
        const xx = xa + dx;
        if (xx < 0 || xx >= W) continue;
        const w = wy * (dx ? fx : 1 - fx) * g * own(yy * W + xx);
        const o = (yy * W + xx) * 4;
        acc[0] += rgba[o]! * w;
        acc[1] += rgba[o + 1]! * w;
        acc[2] += rgba[o + 2]! * w;
        acc[3] += rgba[o + 3]! * w;
      }
    }
  };

  const seamBack = seamCount * S; // offset from a seam front pixel to its back pixel
  for (let a = 0; a < cells.length; a++) {
    const c = Number(cells[a]!);
    const cx = x0 + (c % cellsPerRow) * st;
    const cy = y0 + Math.floor(c / cellsPerRow) * st;
    const seam = a >= smoothCount;
    for (let v = 0; v < st; v++) {
      const y = cy + v;
      if (y >= y1) break;
      for (let u = 0; u < st; u++) {
        const x = cx + u;
        if (x >= x1) break;
        const t = a * S + v * st + u;
        px = x;
        py = y;
        let r: number;
        let gr: number;
        let b: number;
        let alpha: number;
        if (seam) {
          // Front over back: back·(1 − front alpha) + front.
          if (parts) allowed = parts[t + seamBack]!;
          sample(t + seamBack);
          r = acc[0]!;
          gr = acc[1]!;
          b = acc[2]!;
          alpha = acc[3]!;
          if (parts) allowed = parts[t]!;
          sample(t);
          const keepBack = 1 - acc[3]!;
          r = acc[0]! + r * keepBack;
          gr = acc[1]! + gr * keepBack;
          b = acc[2]! + b * keepBack;
          alpha = acc[3]! + alpha * keepBack;
        } else {
          const g = gate[t]!;
          if (!(g > 0)) continue;
          const sxp = (grid[2 * t]! + 1) * sx;
          const syp = (grid[2 * t + 1]! + 1) * sy;
          const xa = Math.floor(sxp);
          const ya = Math.floor(syp);
          if (parts) allowed = parts[t]!;
          const i00 = ya * W + xa;
          if (
            !nearest &&
            xa >= 0 &&
            ya >= 0 &&
            xa + 1 < W &&
            ya + 1 < H &&
            (owners === undefined ||
              (owners[i00]! & allowed &&
                owners[i00 + 1]! & allowed &&
                owners[i00 + W]! & allowed &&
                owners[i00 + W + 1]! & allowed))
          ) {
            // The common case inlined: bilinear, all four taps inside the picture and owned by
            // drawing parts (other taps go through the general sampler's owner check).
            const fx = sxp - xa;
            const fy = syp - ya;
            const o00 = i00 * 4;
            const o10 = o00 + W * 4;
            const w00 = (1 - fx) * (1 - fy) * g;
            const w01 = fx * (1 - fy) * g;
            const w10 = (1 - fx) * fy * g;
            const w11 = fx * fy * g;
            alpha =
              rgba[o00 + 3]! * w00 +
              rgba[o00 + 7]! * w01 +
              rgba[o10 + 3]! * w10 +
              rgba[o10 + 7]! * w11;
            if (alpha <= 0) continue;
            r = rgba[o00]! * w00 + rgba[o00 + 4]! * w01 + rgba[o10]! * w10 + rgba[o10 + 4]! * w11;
            gr =
              rgba[o00 + 1]! * w00 +
              rgba[o00 + 5]! * w01 +
              rgba[o10 + 1]! * w10 +
              rgba[o10 + 5]! * w11;
            b =
              rgba[o00 + 2]! * w00 +
              rgba[o00 + 6]! * w01 +
              rgba[o10 + 2]! * w10 +
              rgba[o10 + 6]! * w11;
          } else {
            sample(t);
            r = acc[0]!;
            gr = acc[1]!;
            b = acc[2]!;
            alpha = acc[3]!;
          }
        }
        if (alpha <= 0) continue;
        const o = (y * frameWidth + x) * 3;
        const keep = 1 - alpha;
        // Colours are premultiplied and alpha ≤ 1, so the sum stays below 256 (no wrap-around).
        frame[o] = r + frame[o]! * keep + 0.5;
        frame[o + 1] = gr + frame[o + 1]! * keep + 0.5;
        frame[o + 2] = b + frame[o + 2]! * keep + 0.5;
      }
    }
  }
}

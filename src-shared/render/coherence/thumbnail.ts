import type { RgbImage } from '#shared/image/rgbImage';

/** Side of the coherence thumbnail: frames are box-averaged onto at most this many cells a side. */
export const THUMBNAIL_SIDE = 64;

/**
 * What the coherence report keeps of one frame: a box-averaged colour thumbnail (≤ 64×64 cells,
 * 0…255 per channel) and the frame's mean colours, whole and inside the character mask. Only the
 * thumbnail is kept between frames, so memory does not depend on the frame size or video length.
 */
export interface FrameDigest {
  cols: number;
  rows: number;
  /** Mean RGB per cell, row-major, 3 values per cell. */
  cells: Float32Array;
  /** Mean RGB of the whole frame (over the sampled pixels). */
  frameMean: [number, number, number];
  /** Mean RGB of the character's pixels; null when no mask was given or it is empty. */
  characterMean: [number, number, number] | null;
  /** Mean RGB of the other pixels; null when no mask was given or the character fills the frame. */
  backgroundMean: [number, number, number] | null;
}

/**
 * A reusable digester for one frame size. Each cell is sampled on a regular sub-grid of at least
 * 4×4 pixels (every `step`-th pixel of every `step`-th row), not every pixel: a 512² frame costs
 * 64k samples instead of 262k, which keeps the report within its time budget (docs/rendering.md),
 * and a cell mean over ≥ 16 samples is still far below one grey level of sampling noise for the
 * smooth pictures a render makes. The mean colours come from the same samples.
 */
export class FrameDigester {
  readonly cols: number;
  readonly rows: number;
  /** Distance between sampled pixels (and rows). */
  readonly step: number;
  private readonly xs: Int32Array;
  private readonly byteOfSample: Int32Array;
  private readonly cellOfSample: Int32Array;
  private readonly ys: Int32Array;
  private readonly rowOfSample: Int32Array;
  private readonly samplesPerCell: Float32Array;
  private readonly sums: Uint32Array;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
      throw new RangeError(`frame size must be positive whole numbers, got ${width}×${height}`);
    this.cols = Math.min(THUMBNAIL_SIDE, width);
    this.rows = Math.min(THUMBNAIL_SIDE, height);
    this.step = Math.max(1, Math.floor(Math.min(width / this.cols, height / this.rows) / 4));
    const offset = this.step >> 1;
    const sampled = (n: number) =>
      Int32Array.from(
        { length: Math.ceil((n - offset) / this.step) },
        (_, k) => offset + k * this.step,
      );
    this.xs = sampled(width);
    this.ys = sampled(height);
    this.cellOfSample = this.xs.map((x) => Math.floor((x * this.cols) / width) * 3);
    this.byteOfSample = this.xs.map((x) => x * 3);
    this.rowOfSample = this.ys.map((y) => Math.floor((y * this.rows) / height) * this.cols * 3);
    this.samplesPerCell = new Float32Array(this.cols * this.rows);
    for (const r of this.rowOfSample)
      for (const c of this.cellOfSample) this.samplesPerCell[(r + c) / 3]!++;
    // ≤ 2²⁴ samples per cell × 255 fits 32 bits for any frame a render makes (< 16M pixels per cell).
    this.sums = new Uint32Array(this.cols * this.rows * 3);
  }

  /**
   * One pass over the sampled pixels. The character region splits the mean colour into character
   * and background (the thumbnail ignores it): `mask` (width × height, non-zero = character), or
   * `plate` (width × height × 3, the background the generator composites the character over: a
   * pixel is the character's where it differs from the plate). The plate is read at the sampled
   * pixels only, in the same loop, so it costs no pass of its own.
   */
  digest(frame: RgbImage, mask?: Uint8Array, plate?: Uint8Array): FrameDigest {
    const { width, height, cols, rows, xs, cellOfSample, byteOfSample } = this;
    if (frame.width !== width || frame.height !== height)
      throw new RangeError(
        `frame is ${frame.width}×${frame.height} but the video started at ${width}×${height}`,
      );
    if (frame.data.length !== width * height * 3)
      throw new RangeError(
        `frame data has ${frame.data.length} bytes, expected ${width * height * 3} for ${width}×${height} RGB`,
      );
    if (mask && mask.length !== width * height)
      throw new RangeError(
        `character mask has ${mask.length} pixels, expected ${width * height} for ${width}×${height}`,
      );
    if (plate && plate.length !== width * height * 3)
      throw new RangeError(
        `background plate has ${plate.length} bytes, expected ${width * height * 3} for ${width}×${height} RGB`,
      );
    if (mask && plate)
      throw new RangeError('give a character mask or a background plate, not both');
    const sums = this.sums;
    sums.fill(0);
    const data = frame.data;
    let mr = 0;
    let mg = 0;
    let mb = 0;
    let mn = 0;
    for (let j = 0; j < this.ys.length; j++) {
      const y = this.ys[j]!;
      const rowCell = this.rowOfSample[j]!;
      const rowStart = y * width;
      const rowByte = rowStart * 3;
      // Samples of one cell are summed in locals, then added once: fewer float stores. With a
      // plate, the character test rides in the same loop (one read of each sample).
      let k = 0;
      while (k < xs.length) {
        const cell = cellOfSample[k]!;
        let r = 0;
        let g = 0;
        let b = 0;
        if (plate === undefined)
          for (; k < xs.length && cellOfSample[k] === cell; k++) {
            const i = rowByte + byteOfSample[k]!;
            r += data[i]!;
            g += data[i + 1]!;
            b += data[i + 2]!;
          }
        else
          for (; k < xs.length && cellOfSample[k] === cell; k++) {
            const i = rowByte + byteOfSample[k]!;
            const sr = data[i]!;
            const sg = data[i + 1]!;
            const sb = data[i + 2]!;
            r += sr;
            g += sg;
            b += sb;
            if (sr !== plate[i] || sg !== plate[i + 1] || sb !== plate[i + 2]) {
              mr += sr;
              mg += sg;
              mb += sb;
              mn++;
            }
          }
        const c = rowCell + cell;
        sums[c] = sums[c]! + r;
        sums[c + 1] = sums[c + 1]! + g;
        sums[c + 2] = sums[c + 2]! + b;
      }
      if (mask !== undefined)
        for (let k2 = 0; k2 < xs.length; k2++) {
          const p = rowStart + xs[k2]!;
          if (mask[p] !== 0) {
            const i = p * 3;
            mr += data[i]!;
            mg += data[i + 1]!;
            mb += data[i + 2]!;
            mn++;
          }
        }
    }
    const cells = new Float32Array(cols * rows * 3);
    let tr = 0;
    let tg = 0;
    let tb = 0;
    for (let k = 0; k < cols * rows; k++) {
      const n = this.samplesPerCell[k]!;
      tr += sums[k * 3]!;
      tg += sums[k * 3 + 1]!;
      tb += sums[k * 3 + 2]!;
      cells[k * 3] = sums[k * 3]! / n;
      cells[k * 3 + 1] = sums[k * 3 + 1]! / n;
      cells[k * 3 + 2] = sums[k * 3 + 2]! / n;
    }
    const total = xs.length * this.ys.length;
    const frameMean: [number, number, number] = [tr / total, tg / total, tb / total];
    let characterMean: [number, number, number] | null = null;
    let backgroundMean: [number, number, number] | null = null;
    const split = mask !== undefined || plate !== undefined;
    if (split && mn > 0) characterMean = [mr / mn, mg / mn, mb / mn];
    if (split && mn < total) {
      const bn = total - mn;
      backgroundMean = [(tr - mr) / bn, (tg - mg) / bn, (tb - mb) / bn];
    }
    return { cols, rows, cells, frameMean, characterMean, backgroundMean };
  }
}

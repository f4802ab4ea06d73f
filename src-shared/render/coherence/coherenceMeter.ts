import type { CoherenceDrift, CoherenceReport } from '#shared/api/coherence';
import { colourDrift } from '#shared/diffusion/latents/colourDrift';
import type { RgbImage } from '#shared/image/rgbImage';
import { lumaOf, meanAbsDiff, meanSquaredDiff, meanSquaredSecondDiff } from './frameDifference';
import {
  pooledSeamScore,
  SEAM_CONTEXT_STEPS,
  SEAM_FLAG_SCORE,
  SEAM_STILL_STEP,
  SeamTracker,
} from './seams';
import { DecimatedSeries, MAX_SERIES_POINTS } from './series';
import { FrameDigester, type FrameDigest } from './thumbnail';

export interface CoherenceOptions {
  /** First frames of segments, relative to the first frame fed (frame 0 is ignored). */
  boundaries?: Iterable<number>;
  /** The character mask for every frame (width × height, non-zero = character); `add` may override. */
  mask?: Uint8Array;
  /**
   * The background plate (width × height × 3) the generator composites the character over, the
   * same for every frame (the puppet's): a pixel is the character's where it differs from the
   * plate — exact, and per frame, with no mask to carry. Not with `mask`.
   */
  plate?: Uint8Array;
  contextSteps?: number;
  maxSeriesPoints?: number;
}

type Rgb = [number, number, number];

/**
 * The coherence report of a video, built frame by frame in order from any generator's frames.
 * Memory is bounded: the last two thumbnails (≤ 64×64), the last k steps, ≤ 500 points per series,
 * and one entry per segment boundary. See docs/rendering.md, "Coherence report".
 */
export class CoherenceMeter {
  private digester: FrameDigester | null = null;
  private readonly seams: SeamTracker;
  private readonly flicker: DecimatedSeries;
  private readonly character: DriftTracker;
  private readonly background: DriftTracker;
  private region: 'mask' | 'whole-frame' | null = null;
  private prev: FrameDigest | null = null;
  private lumaPrev: Float32Array | null = null;
  private lumaOlder: Float32Array | null = null;
  private frames = 0;
  private stepSum = 0;
  /** Luma change energy of the last step (frame t−2 → t−1). */
  private lastChange = 0;
  private flickerSum = 0;
  private highSum = 0;
  private changeSum = 0;
  private rmsSum = 0;
  private flickerMax: { value: number; at: number } | null = null;
  private readonly contextSteps: number;

  constructor(private readonly options: CoherenceOptions = {}) {
    this.contextSteps = options.contextSteps ?? SEAM_CONTEXT_STEPS;
    this.seams = new SeamTracker(options.boundaries ?? [], this.contextSteps);
    const points = options.maxSeriesPoints ?? MAX_SERIES_POINTS;
    this.flicker = new DecimatedSeries(points);
    this.character = new DriftTracker(points);
    this.background = new DriftTracker(points);
  }

  /** The next frame of the video; `mask` replaces the constructor's mask for this frame. */
  add(frame: RgbImage, mask?: Uint8Array): void {
    const t = this.frames;
    // Checked before sizing the digester by it: a bogus header must not allocate a huge table.
    if (frame.data.length !== frame.width * frame.height * 3)
      throw new RangeError(
        `frame ${t} has ${frame.data.length} bytes, expected ${frame.width}×${frame.height}×3`,
      );
    this.digester ??= new FrameDigester(frame.width, frame.height);
    const m = mask ?? this.options.mask;
    const plate = m ? undefined : this.options.plate;
    const region = m || plate ? 'mask' : 'whole-frame';
    if (this.region !== null && region !== this.region)
      throw new RangeError(
        `frame ${t} ${region === 'mask' ? 'has' : 'has no'} character mask, unlike the frames before it: pass a mask for every frame or for none`,
      );
    const digest = this.digester.digest(frame, m, plate);
    this.region = region;
    if (this.prev) {
      const step = meanAbsDiff(this.prev.cells, digest.cells);
      this.stepSum += step;
      this.seams.step(t, step);
    }
    const luma = lumaOf(digest.cells);
    const change = this.lumaPrev ? meanSquaredDiff(luma, this.lumaPrev) : 0;
    if (this.lumaPrev && this.lumaOlder) {
      // Flicker index: second-difference energy over what the last two steps could give at most
      // (|x_t − 2x_{t−1} + x_{t−2}|² ≤ 2(|Δ_t|² + |Δ_{t−1}|²)), so 0 = steady motion or still,
      // 1 = every change reversed the next frame. The floor keeps still video at 0.
      const high = meanSquaredSecondDiff(this.lumaOlder, this.lumaPrev, luma);
      const bound = Math.max(2 * (change + this.lastChange), FLICKER_FLOOR);
      const f = Math.min(1, high / bound);
      this.flicker.add(t, f);
      this.flickerSum += f;
      this.highSum += high;
      this.changeSum += bound;
      this.rmsSum += Math.sqrt(high);
      if (!this.flickerMax || f > this.flickerMax.value) this.flickerMax = { value: f, at: t };
    }
    this.lastChange = change;
    if (region === 'mask') {
      this.character.add(t, digest.characterMean);
      this.background.add(t, digest.backgroundMean);
    } else this.character.add(t, digest.frameMean);
    this.lumaOlder = this.lumaPrev;
    this.lumaPrev = luma;
    this.prev = digest;
    this.frames++;
  }

  /** The report so far (the video may go on; a boundary near the end has fewer steps after it). */
  report(): CoherenceReport {
    const seams = this.seams.seams();
    let maxSeam: { score: number; frame: number } | null = null;
    for (const s of seams)
      if (s.score !== null && (!maxSeam || s.score > maxSeam.score))
        maxSeam = { score: s.score, frame: s.frame };
    const flickerCount = Math.max(0, this.frames - 2);
    const d = this.digester;
    return {
      version: 1,
      frames: this.frames,
      width: d?.width ?? 0,
      height: d?.height ?? 0,
      sampling: { cols: d?.cols ?? 0, rows: d?.rows ?? 0, step: d?.step ?? 0 },
      meanStep: this.frames > 1 ? this.stepSum / (this.frames - 1) : null,
      seams: {
        contextSteps: this.contextSteps,
        flagScore: SEAM_FLAG_SCORE,
        stillStep: SEAM_STILL_STEP,
        boundaries: seams,
        score: pooledSeamScore(seams),
        maxScore: maxSeam?.score ?? null,
        maxScoreAt: maxSeam?.frame ?? null,
        flagged: seams.filter((s) => s.flagged).length,
      },
      flicker: {
        series: this.flicker.points(),
        mean: flickerCount ? this.flickerSum / flickerCount : null,
        pooled: flickerCount ? this.highSum / this.changeSum : null,
        rms: flickerCount ? this.rmsSum / flickerCount : null,
        max: this.flickerMax?.value ?? null,
        maxAt: this.flickerMax?.at ?? null,
      },
      drift: {
        region: this.region ?? 'whole-frame',
        character: this.character.summary(),
        background: this.region === 'mask' ? this.background.summary() : null,
      },
    };
  }
}

const NO_SPREAD: Rgb = [0, 0, 0];

/**
 * Flicker index denominator floor: the bound of two still steps (SEAM_STILL_STEP grey levels
 * each), so sub-level noise on a still video is not read as flicker.
 */
const FLICKER_FLOOR = 4 * SEAM_STILL_STEP ** 2;

/**
 * ΔE (CIE76, through the project's one sRGB → Lab conversion) of a region's mean colour against
 * the first frame where the region has pixels.
 */
class DriftTracker {
  private reference: { frame: number; mean: Rgb } | null = null;
  private readonly series: DecimatedSeries;
  private final: number | null = null;
  private max: { value: number; at: number } | null = null;

  constructor(points: number) {
    this.series = new DecimatedSeries(points);
  }

  add(frame: number, mean: Rgb | null): void {
    if (!mean) {
      this.final = null; // the region is absent from the last frame
      return;
    }
    this.reference ??= { frame, mean };
    const e = colourDrift({ mean, std: NO_SPREAD }, { mean: this.reference.mean, std: NO_SPREAD });
    this.series.add(frame, e);
    this.final = e;
    if (!this.max || e > this.max.value) this.max = { value: e, at: frame };
  }

  summary(): CoherenceDrift {
    return {
      referenceFrame: this.reference?.frame ?? null,
      series: this.series.points(),
      final: this.final,
      max: this.max?.value ?? null,
      maxAt: this.max?.at ?? null,
    };
  }
}

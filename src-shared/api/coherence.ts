import { z } from 'zod';

/**
 * The coherence report of a render (src-shared/render/coherence/, docs/rendering.md "Coherence
 * report"): seams at segment boundaries, flicker and colour drift, as plain data a UI can plot.
 * All differences are in grey levels (0…255 scale); drift is ΔE (CIE76).
 */
const count = z.number().int().min(0);
const measure = z.number().finite();

/** One plotted point: the values of frames `from`…`to` (inclusive) pooled. */
export const coherencePointSchema = z.object({
  from: count,
  to: count,
  mean: measure,
  max: measure,
});

export const coherenceSeamSchema = z.object({
  /** First frame of the new segment (relative to the first frame measured). */
  frame: count,
  /** Mean |difference| between the last frame before the boundary and the first after it. */
  across: measure,
  /** Mean of the frame-to-frame differences inside the neighbouring segments (see contextSteps). */
  inside: measure.nullable(),
  /** across ÷ max(inside, stillStep); null when neither neighbour has an inside step. */
  score: measure.nullable(),
  flagged: z.boolean(),
});

export const coherenceDriftSchema = z.object({
  /** The frame whose mean colour the others are compared with (the first where the region exists). */
  referenceFrame: count.nullable(),
  series: z.array(coherencePointSchema),
  final: measure.nullable(),
  max: measure.nullable(),
  maxAt: count.nullable(),
});

export const coherenceReportSchema = z.object({
  version: z.literal(1),
  frames: count,
  width: count,
  height: count,
  /** The thumbnail the measures are taken on: cells a side and the pixel sampling step. */
  sampling: z.object({ cols: count, rows: count, step: count }),
  /** Mean frame-to-frame difference over the whole video (how much it moves). */
  meanStep: measure.nullable(),
  seams: z.object({
    contextSteps: count,
    flagScore: measure,
    stillStep: measure,
    boundaries: z.array(coherenceSeamSchema),
    /** Pooled: mean of `across` ÷ max(mean of `inside`, stillStep) over the scored boundaries. */
    score: measure.nullable(),
    maxScore: measure.nullable(),
    maxScoreAt: count.nullable(),
    flagged: count,
  }),
  /**
   * Flicker index per frame t ≥ 2: mean (x_t − 2x_{t−1} + x_{t−2})² of luma over
   * max(2·(mean Δ_t² + mean Δ_{t−1}²), floor), 0…1 (0 steady motion or still, 1 every change
   * reversed the next frame).
   */
  flicker: z.object({
    series: z.array(coherencePointSchema),
    mean: measure.nullable(),
    /** Σ second-difference energy ÷ Σ bounds: the index weighted by how much moves. */
    pooled: measure.nullable(),
    /** Mean RMS second difference of luma, grey levels (absolute, grows with motion). */
    rms: measure.nullable(),
    max: measure.nullable(),
    maxAt: count.nullable(),
  }),
  drift: z.object({
    /** `mask`: character and background split by the caller's mask; else the whole frame. */
    region: z.enum(['mask', 'whole-frame']),
    character: coherenceDriftSchema,
    background: coherenceDriftSchema.nullable(),
  }),
});

export type CoherencePoint = z.infer<typeof coherencePointSchema>;
export type CoherenceSeam = z.infer<typeof coherenceSeamSchema>;
export type CoherenceDrift = z.infer<typeof coherenceDriftSchema>;
export type CoherenceReport = z.infer<typeof coherenceReportSchema>;

/**
 * The report in a few numbers, for the finished event, `render --json` and the job list: what a
 * user reads before opening the plot (`renders/<job>/coherence.json` has the whole report).
 */
export const coherenceSummarySchema = z.object({
  frames: count,
  /** Pooled seam score (1.0 = boundaries move like the frames around them); null without boundaries. */
  seamScore: measure.nullable(),
  boundaries: count,
  /** First frames of the flagged boundaries (score ≥ flagScore), relative to the first frame. */
  flaggedFrames: z.array(count),
  flickerMean: measure.nullable(),
  /** ΔE76 of the character's mean colour (the whole frame when region is whole-frame): max over the video. */
  driftCharacter: measure.nullable(),
  driftBackground: measure.nullable(),
  region: z.enum(['mask', 'whole-frame']),
});
export type CoherenceSummary = z.infer<typeof coherenceSummarySchema>;

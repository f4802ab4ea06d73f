import type { CoherenceSeam } from '#shared/api/coherence';

/**
 * Steps on each side of a boundary that make up "inside" (fewer when a segment is shorter). Two:
 * the step across a boundary is compared with the steps right next to it, the best prediction of
 * it when motion speeds up and slows down. Chosen on the demo's dance with placebo boundaries
 * (docs/rendering.md, "Coherence report"): with 8 steps a side, boundaries at its beat scored
 * 1.41 on frames proven seamless, because the wider window averages in the slow part of the beat.
 */
export const SEAM_CONTEXT_STEPS = 2;
/** A boundary is flagged when its step is this many times the inside steps (or more). */
export const SEAM_FLAG_SCORE = 1.5;
/**
 * Inside steps below this (grey levels, mean over the thumbnail) count as this: half an 8-bit
 * level, i.e. a still picture. It keeps the score finite on static video — a still video with an
 * invisible boundary scores ≈ 0, a still video that jumps at a boundary scores high — and it never
 * changes the score of a video that moves.
 */
export const SEAM_STILL_STEP = 0.5;

interface Pending {
  frame: number;
  across: number;
  before: number[];
  after: number[];
}

/**
 * Seam scores at segment boundaries, streaming. A step is the mean |difference| between frame
 * t−1 and frame t; a boundary at frame b (the first frame of a segment) has the step `across` = step
 * b, and `inside` = the mean of the last ≤ k steps before it and the first ≤ k steps after it that
 * lie inside the two neighbouring segments (boundary steps are never inside steps). Its score is
 * across ÷ max(inside, SEAM_STILL_STEP). Memory: the last k steps and one boundary waiting for its
 * k steps after.
 */
export class SeamTracker {
  private readonly boundaries: Set<number>;
  private readonly recent: number[] = [];
  private pending: Pending | null = null;
  private readonly done: CoherenceSeam[] = [];

  constructor(
    boundaries: Iterable<number>,
    private readonly k = SEAM_CONTEXT_STEPS,
  ) {
    if (!Number.isInteger(k) || k < 1)
      throw new RangeError(`seam context must be a whole number of steps ≥ 1, got ${k}`);
    this.boundaries = new Set();
    for (const b of boundaries) {
      if (!Number.isSafeInteger(b) || b < 0)
        throw new RangeError(`segment boundaries must be frame numbers ≥ 0, got ${b}`);
      // Frame 0 starts the video: there is no step into it.
      if (b > 0) this.boundaries.add(b);
    }
  }

  /** The step from frame `frame − 1` to `frame`, in frame order. */
  step(frame: number, value: number): void {
    if (this.boundaries.has(frame)) {
      this.settle();
      this.pending = { frame, across: value, before: this.recent.slice(), after: [] };
      this.recent.length = 0; // the steps of the next segment start here
      return;
    }
    this.recent.push(value);
    if (this.recent.length > this.k) this.recent.shift();
    const p = this.pending;
    if (p) {
      p.after.push(value);
      if (p.after.length === this.k) this.settle();
    }
  }

  /** Every boundary measured so far, the one still waiting for steps after it included. */
  seams(): CoherenceSeam[] {
    return this.pending ? [...this.done, seamOf(this.pending)] : this.done.slice();
  }

  private settle(): void {
    if (this.pending) this.done.push(seamOf(this.pending));
    this.pending = null;
  }
}

function seamOf(p: Pending): CoherenceSeam {
  const steps = [...p.before, ...p.after];
  const inside = steps.length ? steps.reduce((a, b) => a + b, 0) / steps.length : null;
  const score = inside === null ? null : p.across / Math.max(inside, SEAM_STILL_STEP);
  return {
    frame: p.frame,
    across: p.across,
    inside,
    score,
    flagged: score !== null && score >= SEAM_FLAG_SCORE,
  };
}

/**
 * The video's seam score: mean of `across` ÷ max(mean of `inside`, SEAM_STILL_STEP) over the
 * boundaries that have inside steps (the same rule as one boundary, pooled); null when none has.
 */
export function pooledSeamScore(seams: readonly CoherenceSeam[]): number | null {
  const scored = seams.filter((s) => s.inside !== null);
  if (!scored.length) return null;
  const across = scored.reduce((a, s) => a + s.across, 0) / scored.length;
  const inside = scored.reduce((a, s) => a + s.inside!, 0) / scored.length;
  return across / Math.max(inside, SEAM_STILL_STEP);
}

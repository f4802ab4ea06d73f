/**
 * One Euro filter (Casiez, Roussel & Vogel, CHI 2012): a low-pass filter whose cutoff rises with
 * speed, so still poses lose their jitter while fast moves keep little lag. One filter per
 * coordinate of every point of every person; a point that goes missing restarts its filter.
 */
import type { PoseFrame } from '#shared/pose/types';
import { STRIDE } from '#shared/pose/types';

export interface OneEuroParams {
  /** Cutoff (Hz) at rest: lower = smoother still poses (default 1.0). */
  minCutoff: number;
  /** Speed coefficient: higher = less lag in fast moves (default 0.3). */
  beta: number;
  /** Cutoff (Hz) of the speed estimate (default 1.0). */
  dCutoff: number;
}

export const DEFAULT_ONE_EURO: OneEuroParams = { minCutoff: 1.0, beta: 0.3, dCutoff: 1.0 };

const alpha = (cutoff: number, dt: number): number => {
  const tau = 1 / (2 * Math.PI * cutoff);
  return 1 / (1 + tau / dt);
};

/** State of one scalar filter. */
export class OneEuroFilter {
  private x: number | null = null;
  private dx = 0;

  constructor(private readonly p: OneEuroParams) {}

  reset(): void {
    this.x = null;
    this.dx = 0;
  }

  filter(value: number, dt: number): number {
    if (this.x === null || !(dt > 0)) {
      this.x = value;
      this.dx = 0;
      return value;
    }
    const d = (value - this.x) / dt;
    this.dx += alpha(this.p.dCutoff, dt) * (d - this.dx);
    const cutoff = this.p.minCutoff + this.p.beta * Math.abs(this.dx);
    this.x += alpha(cutoff, dt) * (value - this.x);
    return this.x;
  }
}

/**
 * Smooths a stream of frames in place-free fashion (returns new points). Speed is measured in
 * pixels per second, so `beta` behaves the same at any frame rate; it is scaled by the canvas
 * diagonal so the same parameters suit small and large videos.
 */
export class PoseSmoother {
  private readonly filters = new Map<number, OneEuroFilter[]>();

  constructor(
    private readonly params: OneEuroParams,
    private readonly fps: number,
  ) {
    for (const [k, v] of Object.entries(params))
      if (!(v >= 0) || !Number.isFinite(v))
        throw new RangeError(`One Euro ${k} must be a finite number ≥ 0, got ${v}`);
    if (params.minCutoff <= 0 || params.dCutoff <= 0)
      throw new RangeError('One Euro minCutoff and dCutoff must be above 0');
  }

  smooth(frame: PoseFrame): PoseFrame {
    const dt = 1 / this.fps;
    const diag = Math.hypot(frame.width, frame.height) || 1;
    const present = new Set<number>();
    const people = frame.people.map((person) => {
      present.add(person.id);
      let fs = this.filters.get(person.id);
      if (!fs) {
        fs = Array.from({ length: (person.points.length / STRIDE) * 2 }, () => {
          // Work in canvas-diagonal units so beta does not depend on the resolution.
          return new OneEuroFilter(this.params);
        });
        this.filters.set(person.id, fs);
      }
      const out = new Float64Array(person.points);
      for (let k = 0; k < out.length / STRIDE; k++) {
        const o = k * STRIDE;
        if (!(out[o + 2]! > 0)) {
          fs[k * 2]!.reset();
          fs[k * 2 + 1]!.reset();
          continue;
        }
        out[o] = fs[k * 2]!.filter(out[o]! / diag, dt) * diag;
        out[o + 1] = fs[k * 2 + 1]!.filter(out[o + 1]! / diag, dt) * diag;
      }
      return { id: person.id, points: out };
    });
    for (const id of [...this.filters.keys()]) if (!present.has(id)) this.filters.delete(id);
    return { width: frame.width, height: frame.height, people };
  }
}

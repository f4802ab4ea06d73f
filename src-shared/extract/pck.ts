/**
 * PCK (percentage of correct keypoints): a predicted point is correct when it lies within
 * `threshold` × the ground truth's torso size (neck to mid-hip) of the true point. Counted per
 * body part over the points the ground truth has; a point the prediction lacks counts as wrong.
 */
import { torsoSize } from '#shared/pose/geometry';
import { POINT_NAMES } from '#shared/pose/skeleton';
import { STRIDE } from '#shared/pose/types';

export interface PckCount {
  correct: number;
  total: number;
}

export class PckTally {
  readonly byPoint = new Map<number, PckCount>();

  /** Adds one frame; points limited to `indices`. Returns false when the truth has no torso. */
  add(
    pred: Float64Array | null,
    truth: Float64Array,
    indices: readonly number[],
    threshold = 0.1,
  ): boolean {
    const torso = torsoSize(truth);
    if (!(torso > 0)) return false;
    for (const k of indices) {
      const o = k * STRIDE;
      if (!(truth[o + 2]! > 0)) continue;
      const c = this.byPoint.get(k) ?? { correct: 0, total: 0 };
      c.total++;
      if (pred && pred[o + 2]! > 0) {
        const d = Math.hypot(pred[o]! - truth[o]!, pred[o + 1]! - truth[o + 1]!);
        if (d <= threshold * torso) c.correct++;
      }
      this.byPoint.set(k, c);
    }
    return true;
  }

  /** PCK over a set of points (e.g. the wrists), 0–1; NaN with no ground truth. */
  over(indices: readonly number[]): number {
    let correct = 0;
    let total = 0;
    for (const k of indices) {
      const c = this.byPoint.get(k);
      if (!c) continue;
      correct += c.correct;
      total += c.total;
    }
    return total > 0 ? correct / total : NaN;
  }

  /** One line per point: name, PCK, count. */
  report(indices: readonly number[]): { name: string; pck: number; total: number }[] {
    return indices
      .filter((k) => this.byPoint.has(k))
      .map((k) => ({
        name: POINT_NAMES[k]!,
        pck: this.over([k]),
        total: this.byPoint.get(k)!.total,
      }));
  }
}

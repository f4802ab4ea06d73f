import { easingFunction } from './easing';
import { compileSegment, evaluateSegment } from './interpolate';
import { PoseTrackEvaluator } from './track';
import { POINT_COUNT } from './skeleton';
import {
  POINTS_LENGTH,
  STRIDE,
  type Easing,
  type Keyframe,
  type PoseFrame,
  type PoseTrack,
} from './types';

/**
 * Keyframe reduction: dense per-frame poses (video import, mocap) → the few keyframes that
 * reproduce them within a tolerance in pixels.
 *
 * 1. Per point, frames where it appears or disappears are kept (so visibility is reproduced).
 * 2. Ramer–Douglas–Peucker in time, in one of two flavours (see `method`):
 *    'pose' splits each segment at the frame where FK playback of the segment misses the input
 *    most, while that miss exceeds `tolerance` px;
 *    'joints' runs RDP per point and run of presence against straight lines in time, keeps the
 *    union of the kept frames, then plays the keyframes back with the real FK interpolation and
 *    adds the worst frame of every segment still out of tolerance until none is.
 * 3. Either way the reported maxError is the one actually achieved by FK playback.
 */
export interface ReduceOptions {
  /** Largest allowed distance, in pixels, between any input point and its played-back position. */
  tolerance: number;
  /** Frame number of frames[0] (default 0). */
  firstFrame?: number;
  /** Easing given to every keyframe (default linear). Non-linear easings are verified the same way. */
  easing?: Easing;
  /** Prefix of the keyframe ids (default "k"); ids are `${prefix}${frame}`. */
  idPrefix?: string;
  /**
   * 'pose' (default): RDP on the whole pose with FK playback itself as the reconstruction — a
   * segment is split at its worst frame while any point misses by more than the tolerance.
   * 'joints': classic RDP per point on straight lines in time, union over points, then the FK
   * playback check. 'joints' keeps far more keyframes whenever limbs rotate (straight lines cannot
   * follow the arcs FK reproduces exactly; on the bench's FK motion 6,000+ of 10,000 frames versus
   * ~240 for 'pose'), so it is only the better choice for motion that really is straight-line.
   */
  method?: 'joints' | 'pose';
}

export interface ReduceResult {
  keyframes: Keyframe[];
  /** Largest distance in pixels between an input point and the played-back pose. */
  maxError: number;
  /** Frame where maxError occurs (−1 when there are no frames). */
  maxErrorFrame: number;
}

export function reduceKeyframes(
  frames: readonly Float64Array[],
  options: ReduceOptions,
): ReduceResult {
  const tol = options.tolerance;
  if (!(tol >= 0) || !Number.isFinite(tol))
    throw new RangeError(`tolerance must be a finite number ≥ 0 pixels, got ${tol}`);
  const first = options.firstFrame ?? 0;
  const easing = options.easing ?? { kind: 'linear' };
  const prefix = options.idPrefix ?? 'k';
  const n = frames.length;
  frames.forEach((f, t) => {
    if (f.length !== POINTS_LENGTH)
      throw new RangeError(
        `frame ${first + t} must hold ${POINTS_LENGTH} numbers, got ${f.length}`,
      );
  });
  if (n === 0) return { keyframes: [], maxError: 0, maxErrorFrame: -1 };

  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[n - 1] = 1;
  const stack: number[] = [];
  const method = options.method ?? 'pose';
  if (method !== 'joints' && method !== 'pose')
    throw new RangeError(`method must be 'joints' or 'pose', got ${String(method)}`);
  for (let i = 0; i < POINT_COUNT; i++) {
    const o = i * STRIDE;
    let t = 0;
    while (t < n) {
      const present = frames[t]![o + 2]! > 0;
      let end = t;
      while (end + 1 < n && frames[end + 1]![o + 2]! > 0 === present) end++;
      keep[t] = 1;
      keep[end] = 1;
      if (method === 'joints' && present && end - t > 1)
        simplifyRun(frames, o, t, end, tol, keep, stack);
      t = end + 1;
    }
  }

  const build = (): Keyframe[] => {
    const kfs: Keyframe[] = [];
    for (let t = 0; t < n; t++)
      if (keep[t])
        kfs.push({
          id: `${prefix}${first + t}`,
          frame: first + t,
          points: new Float64Array(frames[t]!),
          easing,
        });
    return kfs;
  };

  if (method === 'pose') {
    const { maxError, maxErrorFrame } = simplifyPose(frames, tol + 1e-9, easing, keep);
    return { keyframes: build(), maxError, maxErrorFrame: first + maxErrorFrame };
  }

  // play back, add the worst frame of every segment still out of tolerance, repeat
  const out = new Float64Array(POINTS_LENGTH);
  for (;;) {
    const keyframes = build();
    const ev = new PoseTrackEvaluator({
      width: 1,
      height: 1,
      people: [{ personId: 0, keyframes }],
    });
    const frame: PoseFrame = { width: 1, height: 1, people: [{ id: 0, points: out }] };
    let maxError = 0;
    let maxErrorFrame = first;
    let added = false;
    // 1e-9 px of slack: FK playback of identical keyframes is exact only to rounding
    const limit = tol + 1e-9;
    let segWorst = -1;
    let segWorstErr = limit;
    for (let t = 0; t < n; t++) {
      if (keep[t]) {
        if (segWorst >= 0) {
          keep[segWorst] = 1;
          added = true;
        }
        segWorst = -1;
        segWorstErr = limit;
        continue;
      }
      ev.evaluateInto(first + t, frame);
      const e = frameError(frames[t]!, out);
      if (e > maxError) {
        maxError = e;
        maxErrorFrame = first + t;
      }
      if (e > segWorstErr) {
        segWorstErr = e;
        segWorst = t;
      }
    }
    if (!added) return { keyframes, maxError, maxErrorFrame };
  }
}

/** Largest point distance between an input pose and a played-back one (Infinity on a visibility mismatch). */
function frameError(want: Float64Array, got: Float64Array): number {
  let worst = 0;
  for (let o = 0; o < POINTS_LENGTH; o += STRIDE) {
    const pw = want[o + 2]! > 0;
    const pg = got[o + 2]! > 0;
    if (pw !== pg) return Infinity;
    if (!pw) continue;
    const dx = want[o]! - got[o]!;
    const dy = want[o + 1]! - got[o + 1]!;
    const d = dx * dx + dy * dy;
    if (d > worst) worst = d;
  }
  return Math.sqrt(worst);
}

/**
 * Whole-pose RDP with FK playback as the reconstruction: between every pair of consecutive kept
 * frames (which already include every visibility change), split at the worst frame while it
 * misses by more than `limit`. Returns the largest error of the accepted segments.
 */
function simplifyPose(
  frames: readonly Float64Array[],
  limit: number,
  easing: Easing,
  keep: Uint8Array,
): { maxError: number; maxErrorFrame: number } {
  const ease = easingFunction(easing);
  const out = new Float64Array(POINTS_LENGTH);
  const stack: number[] = [];
  let prev = 0;
  for (let t = 1; t < frames.length; t++)
    if (keep[t]) {
      stack.push(prev, t);
      prev = t;
    }
  let maxError = 0;
  let maxErrorFrame = 0;
  while (stack.length > 0) {
    const hi = stack.pop()!;
    const lo = stack.pop()!;
    if (hi - lo < 2) continue;
    const plan = compileSegment(frames[lo]!, frames[hi]!);
    let worst = -1;
    let worstErr = 0;
    for (let t = lo + 1; t < hi; t++) {
      evaluateSegment(plan, ease((t - lo) / (hi - lo)), out);
      const e = frameError(frames[t]!, out);
      if (e > worstErr) {
        worstErr = e;
        worst = t;
      }
    }
    if (worstErr > limit) {
      keep[worst] = 1;
      stack.push(lo, worst, worst, hi);
    } else if (worstErr > maxError) {
      maxError = worstErr;
      maxErrorFrame = worst;
    }
  }
  return { maxError, maxErrorFrame };
}

/** Iterative RDP over frames a..b of one point (offset o), error measured at equal time. */
function simplifyRun(
  frames: readonly Float64Array[],
  o: number,
  a: number,
  b: number,
  tol: number,
  keep: Uint8Array,
  stack: number[],
): void {
  stack.length = 0;
  stack.push(a, b);
  while (stack.length > 0) {
    const hi = stack.pop()!;
    const lo = stack.pop()!;
    if (hi - lo < 2) continue;
    const x0 = frames[lo]![o]!;
    const y0 = frames[lo]![o + 1]!;
    const dx = frames[hi]![o]! - x0;
    const dy = frames[hi]![o + 1]! - y0;
    const span = hi - lo;
    let worst = -1;
    let worstErr = tol * tol; // squared distances: no square root in the inner loop
    for (let t = lo + 1; t < hi; t++) {
      const u = (t - lo) / span;
      const ex = frames[t]![o]! - (x0 + dx * u);
      const ey = frames[t]![o + 1]! - (y0 + dy * u);
      const e = ex * ex + ey * ey;
      if (e > worstErr) {
        worstErr = e;
        worst = t;
      }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      stack.push(lo, worst, worst, hi);
    }
  }
}

/**
 * Reduces a dense sequence of frames to a PoseTrack: one lane per person id (a person absent from
 * a frame counts as all points missing there), each reduced with reduceKeyframes.
 */
export function reduceFrames(
  frames: readonly PoseFrame[],
  options: ReduceOptions,
): { track: PoseTrack; maxError: number } {
  if (frames.length === 0) return { track: { width: 0, height: 0, people: [] }, maxError: 0 };
  const ids: number[] = [];
  for (const f of frames) for (const p of f.people) if (!ids.includes(p.id)) ids.push(p.id);
  const empty = new Float64Array(POINTS_LENGTH);
  let maxError = 0;
  const people = ids.map((personId) => {
    const series = frames.map((f) => f.people.find((p) => p.id === personId)?.points ?? empty);
    const r = reduceKeyframes(series, {
      ...options,
      idPrefix: options.idPrefix ?? `p${personId}k`,
    });
    maxError = Math.max(maxError, r.maxError);
    return { personId, keyframes: r.keyframes };
  });
  return { track: { width: frames[0]!.width, height: frames[0]!.height, people }, maxError };
}

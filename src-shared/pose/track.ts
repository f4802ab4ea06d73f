import { easingFunction, validateEasing, type EasingFunction } from './easing';
import { boneLengthsOf, compileSegment, evaluateSegment, type SegmentPlan } from './interpolate';
import { POINTS_LENGTH } from './types';
import type { Keyframe, PersonPose, PersonTrack, PoseFrame, PoseTrack } from './types';

/**
 * Evaluates a PoseTrack at any (fractional) frame. Before a lane's first keyframe the first pose
 * holds, after its last keyframe the last one holds; in between, the segment leaving keyframe k
 * uses keyframe k's easing (hold keeps keyframe k until keyframe k + 1). Lanes without keyframes
 * are left out of the frame.
 *
 * Segment data is compiled lazily, once per segment, and evaluateInto writes into a caller-owned
 * frame, so playing or rendering a track allocates nothing per frame. The evaluator reads the
 * track as it was given: after editing keyframes, make a new evaluator.
 */
export interface EvaluatorOptions {
  /**
   * 'interpolate' (default): bone lengths change linearly between keyframes, and every keyframe
   * is reproduced exactly. 'lock': every bone keeps the length it has in the lane's first keyframe
   * that has it (the person's proportions stay fixed, even across noisy imported keyframes); bone
   * directions, root, hands and face still follow the keyframes.
   */
  boneLengths?: 'interpolate' | 'lock';
}

export class PoseTrackEvaluator {
  private readonly lanes: Lane[];

  constructor(
    readonly track: PoseTrack,
    options: EvaluatorOptions = {},
  ) {
    validateTrack(track);
    const mode = options.boneLengths ?? 'interpolate';
    if (mode !== 'interpolate' && mode !== 'lock')
      throw new RangeError(`boneLengths must be 'interpolate' or 'lock', got ${String(mode)}`);
    this.lanes = track.people
      .filter((p) => p.keyframes.length > 0)
      .map((p) => ({
        personId: p.personId,
        keyframes: p.keyframes,
        frames: Float64Array.from(p.keyframes, (k) => k.frame),
        easings: p.keyframes.map((k) => easingFunction(k.easing)),
        plans: new Array<SegmentPlan | undefined>(Math.max(0, p.keyframes.length - 1)),
        lengths: mode === 'lock' ? boneLengthsOf(p.keyframes.map((k) => k.points)) : undefined,
        edgePlans: [undefined, undefined],
      }));
  }

  /** A frame with one person per non-empty lane, ready to pass to evaluateInto. */
  createFrame(): PoseFrame {
    return {
      width: this.track.width,
      height: this.track.height,
      people: this.lanes.map((l) => ({ id: l.personId, points: new Float64Array(POINTS_LENGTH) })),
    };
  }

  /** The pose of every person at `frame`, written into `out` (reusing its point buffers). */
  evaluateInto(frame: number, out: PoseFrame): PoseFrame {
    if (!Number.isFinite(frame))
      throw new RangeError(`frame must be a finite number, got ${frame}`);
    out.width = this.track.width;
    out.height = this.track.height;
    const people = out.people;
    if (people.length !== this.lanes.length) people.length = this.lanes.length;
    for (let li = 0; li < this.lanes.length; li++) {
      const lane = this.lanes[li]!;
      let person: PersonPose | undefined = people[li];
      if (!person || person.points.length !== POINTS_LENGTH) {
        person = { id: lane.personId, points: new Float64Array(POINTS_LENGTH) };
        people[li] = person;
      }
      person.id = lane.personId;
      evaluateLane(lane, frame, person.points);
    }
    return out;
  }

  evaluate(frame: number): PoseFrame {
    return this.evaluateInto(frame, this.createFrame());
  }
}

interface Lane {
  personId: number;
  keyframes: readonly Keyframe[];
  frames: Float64Array;
  easings: EasingFunction[];
  plans: (SegmentPlan | undefined)[];
  /** Locked bone lengths, when locking. */
  lengths: Float64Array | undefined;
  /** With locked lengths: plans that re-proportion the first / last keyframe for the holds. */
  edgePlans: [SegmentPlan | undefined, SegmentPlan | undefined];
}

function evaluateLane(lane: Lane, frame: number, out: Float64Array): void {
  const f = lane.frames;
  const last = f.length - 1;
  if (frame <= f[0]! || frame >= f[last]!) {
    const end = frame <= f[0]! ? 0 : 1;
    const points = lane.keyframes[end === 0 ? 0 : last]!.points;
    if (!lane.lengths) {
      out.set(points);
      return;
    }
    let plan = lane.edgePlans[end];
    if (!plan) {
      plan = compileSegment(points, points, { lengths: lane.lengths });
      lane.edgePlans[end] = plan;
    }
    evaluateSegment(plan, 0, out);
    return;
  }
  // binary search: f[k] <= frame < f[k + 1]
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (f[mid]! <= frame) lo = mid;
    else hi = mid;
  }
  let plan = lane.plans[lo];
  if (!plan) {
    plan = compileSegment(lane.keyframes[lo]!.points, lane.keyframes[lo + 1]!.points, {
      lengths: lane.lengths,
    });
    lane.plans[lo] = plan;
  }
  const u = (frame - f[lo]!) / (f[lo + 1]! - f[lo]!);
  evaluateSegment(plan, lane.easings[lo]!(u), out);
}

/** Checks what evaluation relies on; throws a RangeError naming the lane and keyframe. */
export function validateTrack(track: PoseTrack): void {
  for (const lane of track.people) validateLane(lane);
}

function validateLane(lane: PersonTrack): void {
  let prev = -Infinity;
  lane.keyframes.forEach((k, i) => {
    const where = `person ${lane.personId} keyframe ${i} (${k.id})`;
    if (!Number.isFinite(k.frame)) throw new RangeError(`${where}: frame must be a finite number`);
    if (k.frame <= prev)
      throw new RangeError(`${where}: keyframes must be sorted by frame with no two on one frame`);
    if (k.points.length !== POINTS_LENGTH)
      throw new RangeError(
        `${where}: points must hold ${POINTS_LENGTH} numbers, got ${k.points.length}`,
      );
    try {
      validateEasing(k.easing);
    } catch (e) {
      throw new RangeError(`${where}: ${(e as Error).message}`, { cause: e });
    }
    prev = k.frame;
  });
}

/**
 * One-off evaluation of a track at `frame`. Convenient, but it compiles what it needs every call:
 * for playback or rendering keep a PoseTrackEvaluator and use evaluateInto.
 */
export function evaluateTrack(
  track: PoseTrack,
  frame: number,
  options: EvaluatorOptions = {},
): PoseFrame {
  return new PoseTrackEvaluator(track, options).evaluate(frame);
}

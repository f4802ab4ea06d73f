import type { CharacterWarning } from '#shared/puppet/characterWarnings';
import type { RgbImage } from '#shared/image/rgbImage';
import type { PlanSettings, Segment } from './plan';

/**
 * What a worker is asked to render: one segment's window of poses (in the character picture's
 * pixels), plus the frames of the segments it depends on (chained / interleaved strategies).
 */
export interface SegmentRequest {
  jobId: string;
  segment: Segment;
  /** One pose (136 × [x, y, c]) per frame of [segment.windowStart, segment.windowEnd). */
  poses: Float64Array[];
  /** Delivered frames of `segment.after`, in the same order. */
  dependencies: RgbImage[][];
  /**
   * Optional: a worker may hand over the frames of [segment.start, segment.end) as they are ready,
   * in order (the same objects it returns), so the cache can start encoding them while the rest
   * renders.
   */
  onFrames?(frames: RgbImage[]): void;
  /**
   * The plan the segment belongs to (strategy, segment length T, overlap O), so a generator can tell a
   * `fused` window from a `chained` one; absent from older callers.
   */
  plan?: Pick<PlanSettings, 'strategy' | 'segmentLength' | 'segmentOverlap'>;
}

/**
 * An engine that turns a segment request into frames — a local engine process today, a remote
 * worker (render farm) later. Returns exactly the frames of [segment.start, segment.end), at the
 * output size. Must stop soon after `signal` aborts.
 */
export interface RenderWorker {
  readonly id: string;
  renderSegment(request: SegmentRequest, signal: AbortSignal): Promise<RgbImage[]>;
  /**
   * Renders a whole fusion group (the segments of one `coupled` set, sorted by index) in one
   * go — their pixels depend on each other, so they cannot be rendered one at a time. Returns
   * each segment's frames of [start, end), in the order of `requests`. Workers without it refuse
   * coupled segments (the segment runner says so).
   */
  renderGroup?(requests: SegmentRequest[], signal: AbortSignal): Promise<RgbImage[][]>;
  /**
   * The background the generator composites the character over, at the output size, the same for
   * every frame (the puppet's plate): where a frame differs from it, the pixel is the character's.
   * The coherence report's exact character mask; generators without one omit it.
   */
  backgroundPlate?(): Promise<RgbImage | null>;
  /**
   * What the generator's setup wants the user to know about the character (the puppet's rough
   * mask, joints outside it, …); generators without any omit it.
   */
  warnings?(): Promise<CharacterWarning[]>;
  /**
   * Does now what the first segment would otherwise do first (the puppet sets its character up),
   * so a render can say when each worker is ready; workers with nothing to prepare omit it.
   */
  warmUp?(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The process behind a worker died during a segment (killed, out of memory, a native crash, or
 * hung and killed) and is being restarted: the segment may be rendered again from scratch.
 * `reason` says what happened without the "being restarted" part a final error must not claim.
 */
export class WorkerCrashedError extends Error {
  override name = 'WorkerCrashedError';
  readonly reason: string;
  constructor(message: string, reason?: string) {
    super(message);
    this.reason = reason ?? message;
  }
}

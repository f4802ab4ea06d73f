import type { RgbImage } from '../../src-shared/image/rgbImage';
import type { Segment } from '../../src-shared/render/plan';

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
}

/**
 * An engine that turns a segment request into frames — a local engine process today, a remote
 * worker (render farm) later. Returns exactly the frames of [segment.start, segment.end), at the
 * output size. Must stop soon after `signal` aborts.
 */
export interface RenderWorker {
  readonly id: string;
  renderSegment(request: SegmentRequest, signal: AbortSignal): Promise<RgbImage[]>;
  close(): Promise<void>;
}

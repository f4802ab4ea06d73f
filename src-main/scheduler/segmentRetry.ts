import type { Segment } from '#shared/render/plan';
import { oneLineReason } from '#shared/render/oneLineReason';
import { CancelledError } from '#shared/render/cancelled';
import { WorkerCrashedError } from '#shared/render/worker';

/**
 * How often a segment whose worker process died is rendered again before the render fails. Two:
 * one crash (an OOM kill, a native crash, a hang) is survivable; a segment that kills its engine
 * three times in a row will keep doing so.
 */
export const DEFAULT_SEGMENT_RETRIES = 2;

/** "segment 3 (frames 48–63)", or for a fusion group "segments 3–5 (frames 48–95)". */
export function segmentLabel(
  segments: readonly Pick<Segment, 'index' | 'start' | 'end'>[],
): string {
  const first = segments[0]!;
  const last = segments.at(-1)!;
  const which =
    segments.length === 1 ? `segment ${first.index}` : `segments ${first.index}–${last.index}`;
  return `${which} (frames ${first.start}–${last.end - 1})`;
}

/** The render failed because of one segment (or fusion group): says which, which frames, why. */
export class SegmentFailedError extends Error {
  override name = 'SegmentFailedError';
  constructor(
    message: string,
    readonly segments: number[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

function reasonOf(e: unknown): string {
  if (e instanceof WorkerCrashedError) return oneLineReason(e.reason);
  return oneLineReason(e instanceof Error ? e.message : String(e));
}

export interface RetryReport {
  segments: number[];
  /** 1 for the first retry. */
  retry: number;
  retries: number;
  /** What happened, in one line, e.g. "segment 3 (frames 48–63): engine process 1234 killed by
   * SIGKILL during renderPuppetFrames; retry 1 of 2". */
  message: string;
}

/**
 * Runs `attempt` (one whole render of the segments, from scratch) until it succeeds. A worker
 * crash (`WorkerCrashedError`: the process is being restarted) is retried up to `retries` times,
 * each retry reported through `onRetry`; any other failure, or a crash on the last attempt, fails
 * with one line naming the segments, their frames and the reason. A cancel is never retried.
 */
export async function withSegmentRetries<T>(
  segments: readonly Pick<Segment, 'index' | 'start' | 'end'>[],
  attempt: () => Promise<T>,
  options: { retries?: number; signal?: AbortSignal; onRetry?: (r: RetryReport) => void } = {},
): Promise<T> {
  const retries = options.retries ?? DEFAULT_SEGMENT_RETRIES;
  const label = segmentLabel(segments);
  const indices = segments.map((s) => s.index);
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (e) {
      if (e instanceof CancelledError || options.signal?.aborted) throw e;
      const reason = reasonOf(e);
      if (!(e instanceof WorkerCrashedError))
        throw new SegmentFailedError(`${label}: ${reason}`, indices, { cause: e });
      if (retry >= retries)
        throw new SegmentFailedError(
          retries === 0
            ? `${label}: ${reason}`
            : `${label}: ${reason}; failed on all ${retries + 1} attempts`,
          indices,
          { cause: e },
        );
      options.onRetry?.({
        segments: indices,
        retry: retry + 1,
        retries,
        message: `${label}: ${reason}; retry ${retry + 1} of ${retries}`,
      });
    }
  }
}

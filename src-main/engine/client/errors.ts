/**
 * The two ways an engine call fails, as callers see them: the process died under it (the
 * scheduler may render the segment again) or the engine answered with an error of some kind.
 */
import { WorkerCrashedError } from '#shared/render/worker';
import type { ErrorKind } from '#main/engine/protocol';

/**
 * The engine process died (or hung and was killed) while this call was in flight; it is being
 * restarted, so the scheduler renders the segment again (see scheduler/segmentRetry.ts).
 */
export class EngineCrashedError extends WorkerCrashedError {
  override name = 'EngineCrashedError';
}

/** The engine answered with an error (bad input, model problem, internal failure, cancelled). */
export class EngineRequestError extends Error {
  override name = 'EngineRequestError';
  constructor(
    message: string,
    readonly kind: ErrorKind,
  ) {
    super(message);
  }
}

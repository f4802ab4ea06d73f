import { CancelledError } from '#shared/render/cancelled';
import type { RenderStarting, RenderStartupStep } from '#shared/render/progress';
import type { RenderWorker } from '#shared/render/worker';
import type { ProjectRender } from '#main/scheduler/job/projectRender';
import { startWorkersFor, type StartWorkers } from './workers';

export interface StartRenderWorkersOptions {
  jobId: string;
  executionProviders?: string[];
  signal?: AbortSignal;
  /** Each count as it changes: engines started, then characters set up. */
  onEvent?(event: RenderStarting): void;
  /** When the render was asked for (on `now`'s clock); the events' `elapsedMs` count from it. */
  startedAt?: number;
  now?(): number;
}

/**
 * Starts a render's workers and gets each ready for its first segment, reporting real counts as
 * they change: "engines 1/2" when the first engine process is up, then "character 1/2" when one
 * of them has set the character up. Engine start-up and the character set-up take seconds (the
 * engine loads ONNX Runtime; the puppet meshes the picture and fills its background plate); before
 * this, the studio showed "0 %" for all of that time.
 *
 * A cancel is answered at once: workers still starting are closed when they arrive, so no engine
 * process outlives a cancelled render.
 */
export async function startRenderWorkers(
  job: ProjectRender,
  count: number,
  start: StartWorkers,
  o: StartRenderWorkersOptions,
): Promise<RenderWorker[]> {
  const now = o.now ?? (() => Date.now());
  const t0 = o.startedAt ?? now();
  const emit = (step: RenderStartupStep, ready: number, total: number) =>
    o.onEvent?.({
      type: 'starting',
      jobId: o.jobId,
      step,
      ready,
      total,
      elapsedMs: Math.max(0, now() - t0),
    });
  o.signal?.throwIfAborted();
  let engines = 0;
  emit('engines', 0, count);
  const starting = startWorkersFor(job, count, start, {
    ...(o.executionProviders ? { executionProviders: o.executionProviders } : {}),
    events: { engineReady: () => emit('engines', Math.min(count, ++engines), count) },
  });
  const workers = await untilCancelled(starting, o.signal, closeAll);
  // Workers with no engine of their own (the farm's) or that did not say: all are up now.
  if (engines < workers.length) emit('engines', workers.length, workers.length);

  const preparing = workers.filter((w) => w.warmUp);
  if (preparing.length === 0) return workers;
  let ready = 0;
  emit('character', 0, preparing.length);
  const prepared = Promise.all(
    preparing.map((w) =>
      w.warmUp!().then(
        () => emit('character', ++ready, preparing.length),
        // Not fatal here: the worker's first segment sets the character up again, and a failure
        // there goes through the segment's retries (an engine crash) or fails the render with
        // the segment's own message, as before.
        () => undefined,
      ),
    ),
  );
  try {
    await untilCancelled(prepared, o.signal, () => Promise.resolve());
  } catch (e) {
    await closeAll(workers);
    throw e;
  }
  return workers;
}

/**
 * `work`'s result, or CancelledError as soon as `signal` aborts; a result that arrives after the
 * cancel goes to `late` (to close what it holds).
 */
function untilCancelled<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
  late: (value: T) => Promise<unknown>,
): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    let cancelled = false;
    const onAbort = () => {
      cancelled = true;
      reject(new CancelledError());
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        if (cancelled) void late(value).catch(() => undefined);
        else resolve(value);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        if (!cancelled) reject(e);
      },
    );
  });
}

async function closeAll(workers: readonly RenderWorker[]): Promise<void> {
  await Promise.all(workers.map((w) => w.close().catch(() => undefined)));
}

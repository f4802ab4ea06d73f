import { availableParallelism } from 'node:os';
import { EngineClient } from '#main/engine/client/engineClient';
import type { EngineStartOptions } from '#main/engine/client/connection';
import { PuppetWorker, type PuppetCharacterSetup } from './puppetWorker';
import type { RenderWorker } from '#shared/render/worker';
// Diffusion runs in an engine process like the puppet (the tests' in-process `startDiffusionWorkers`,
// test/helpers/diffusion/inProcessDiffusionWorkers.ts, gives byte-identical frames; they compare the two).
import { startEngineDiffusionWorkers as startDiffusionWorkers } from './engineDiffusionWorkers';
import type { ProjectRender } from '#main/scheduler/job/projectRender';

export interface StartWorkers {
  (
    count: number,
    setup: PuppetCharacterSetup,
    output: { width: number; height: number },
    events?: WorkerStartEvents,
  ): Promise<RenderWorker[]>;
}

/** What starting workers reports as it goes, so the studio can count engines as they come up. */
export interface WorkerStartEvents {
  /** One more engine process is ready (workers without a process of their own never call it). */
  engineReady?(): void;
}

/**
 * ONNX Runtime threads per puppet engine when `count` engines render at once on `cores` cores.
 * One core is left to the main process (scheduler, segment cache) and ffmpeg, which together cost
 * about 10 ms of CPU per 512² frame. The puppet's mesh rasterizer runs on the engine's own thread
 * (ORT threads serve pose extraction and diffusion), so on a small machine one thread per engine is best.
 */
export function engineThreads(count: number, cores: number): number {
  return Math.max(1, Math.floor((cores - 1) / Math.max(1, count)));
}

/**
 * Starts `count` puppet engine processes, the machine's cores shared between them (engineThreads),
 * counting each as it comes up. If one fails to start, the ones that did are closed (nobody else
 * holds them: their processes would outlive the failed render, in the studio until it quits) and
 * its reason is thrown.
 */
export async function startPuppetEngines(
  count: number,
  options: Omit<EngineStartOptions, 'threads'>,
  events?: WorkerStartEvents,
): Promise<EngineClient[]> {
  const threads = engineThreads(count, availableParallelism());
  const started = await Promise.allSettled(
    Array.from({ length: count }, async () => {
      const engine = await EngineClient.start({ ...options, threads });
      events?.engineReady?.();
      return engine;
    }),
  );
  const engines = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    await Promise.all(engines.map((e) => e.close().catch(() => undefined)));
    throw failed.reason;
  }
  return engines;
}

/** One puppet engine process per worker (onnxruntime's run() blocks its thread). */
export const startPuppetWorkers: StartWorkers = async (count, setup, output, events) =>
  (await startPuppetEngines(count, {}, events)).map(
    (e, i) => new PuppetWorker(`puppet-${i + 1}`, e, setup, output),
  );

/**
 * How many workers a render uses unless the user says otherwise.
 * - Puppet: one engine process per core, up to 4. One engine cannot keep a core busy on its own:
 *   it idles while the main process caches its finished segment (its slot is held until then, so
 *   a crash loses at most one segment per worker), ~12% of the time at 24-frame segments; a second
 *   engine fills those gaps (measured at 512² on 2 cores: 53 → 69 frames/s end to end). Beyond 4,
 *   the main process and ffmpeg become the limit and each engine costs ~230 MB.
 * - Diffusion: one; its workers share one generator whose sessions use every core already.
 */
export function defaultWorkerCount(
  job: Pick<ProjectRender, 'diffusion'>,
  cores: number = availableParallelism(),
): number {
  return job.diffusion ? 1 : Math.max(1, Math.min(4, cores));
}

/**
 * The workers a prepared project render needs: diffusion workers in this process when its
 * generator is `diffusion`, otherwise whatever `startPuppet` starts.
 */
export function startWorkersFor(
  job: ProjectRender,
  count: number,
  startPuppet: StartWorkers,
  options: { executionProviders?: string[]; events?: WorkerStartEvents } = {},
): Promise<RenderWorker[]> {
  const output = { width: job.width, height: job.height };
  const referencePose = Float64Array.from(job.character.referencePose);
  if (job.diffusion)
    return startDiffusionWorkers(
      count,
      job.diffusion,
      { picturePath: job.picturePath, referencePose },
      output,
      options,
    );
  return startPuppet(
    count,
    {
      picturePath: job.picturePath,
      referencePose,
      ...(job.maskPath ? { maskPath: job.maskPath } : {}),
      ...(job.layers ? { layers: job.layers } : {}),
      ...(job.background !== 'plate' ? { background: job.background } : {}),
    },
    output,
    options.events,
  );
}

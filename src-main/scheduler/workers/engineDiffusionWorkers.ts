/**
 * The diffusion generator behind the segment scheduler, run in an engine process: this process
 * only maps poses onto the output canvas and moves frames; the denoising loop, ONNX Runtime's
 * sessions and their memory live in the engine, whose crash rejects the segment in flight with
 * EngineCrashedError instead of taking the app down. Same frames as the in-process workers of the
 * test helper test/helpers/diffusion/inProcessDiffusionWorkers.ts (tested bit for bit).
 */
import { availableParallelism } from 'node:os';
import type { RgbImage } from '#shared/image/rgbImage';
import { CancelledError } from '#shared/render/cancelled';
import type { RenderWorker, SegmentRequest } from '#shared/render/worker';
import {
  EngineClient,
  EngineRequestError,
  type DiffusionInfo,
  type EngineStartOptions,
} from '#main/engine/client/engineClient';
import type { DiffusionCharacter, DiffusionRenderSetup } from './diffusionSetup';
import { fitCanvas } from '#shared/render/fitFrame';
import { pictureSize } from '#main/scheduler/job/pictureSize';

/** The part of EngineClient a diffusion worker uses (tests may wrap it). */
export type DiffusionEngine = Pick<
  EngineClient,
  'renderDiffusionSegment' | 'renderDiffusionGroup' | 'closeDiffusion'
>;

/**
 * A RenderWorker over a diffusion generator opened in an engine process. Requests come with poses
 * in the character picture's pixels; they are fitted onto the output canvas exactly as the
 * tests' in-process OutputCanvasWorker does (`fitCanvas`), frames come back at the output size.
 */
export class EngineDiffusionWorker implements RenderWorker {
  constructor(
    readonly id: string,
    private readonly engine: DiffusionEngine,
    private readonly diffusionId: string,
    private readonly picture: { width: number; height: number },
    private readonly output: { width: number; height: number },
    private readonly release: () => Promise<void> = async () => undefined,
  ) {}

  private onCanvas(req: SegmentRequest): SegmentRequest {
    return { ...req, poses: req.poses.map((p) => fitCanvas(p, this.picture, this.output)) };
  }

  async renderSegment(req: SegmentRequest, signal: AbortSignal): Promise<RgbImage[]> {
    if (signal.aborted) throw new CancelledError();
    return cancellable(
      async () =>
        (await this.engine.renderDiffusionSegment(this.diffusionId, this.onCanvas(req), signal))
          .frames,
    );
  }

  /** A fusion group denoised in one loop in the engine (see DiffusionWorker.renderGroup). */
  async renderGroup(requests: SegmentRequest[], signal: AbortSignal): Promise<RgbImage[][]> {
    if (signal.aborted) throw new CancelledError();
    return cancellable(
      async () =>
        (
          await this.engine.renderDiffusionGroup(
            this.diffusionId,
            requests.map((r) => this.onCanvas(r)),
            signal,
          )
        ).groups,
    );
  }

  async close(): Promise<void> {
    await this.release();
  }
}

/** The engine stopped because we asked it to: that is the scheduler's own cancellation error. */
async function cancellable<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof EngineRequestError && e.kind === 'cancelled')
      throw new CancelledError(e.message);
    throw e;
  }
}

/**
 * `count` EngineDiffusionWorkers sharing one engine process and one generator in it (as the
 * in-process workers share one generator): same signature as the test helper's `startDiffusionWorkers`. The engine
 * reads and fits the character picture itself; its ONNX Runtime threads are all the cores (this
 * process sleeps while a segment denoises). Closing the last worker closes the engine.
 */
export async function startEngineDiffusionWorkers(
  count: number,
  setup: DiffusionRenderSetup,
  character: DiffusionCharacter,
  output: { width: number; height: number },
  options: { executionProviders?: string[] } = {},
): Promise<RenderWorker[]> {
  return startEngineDiffusionWorkersWith(count, setup, character, output, options);
}

/** startEngineDiffusionWorkers with engine start options (tests, benchmarks). */
export async function startEngineDiffusionWorkersWith(
  count: number,
  setup: DiffusionRenderSetup,
  character: DiffusionCharacter,
  output: { width: number; height: number },
  options: { executionProviders?: string[] },
  engineOptions: EngineStartOptions = {},
): Promise<RenderWorker[]> {
  const picture = await pictureSize(character.picturePath);
  const providers = [...(options.executionProviders ?? []).filter((p) => p !== 'cpu'), 'cpu'];
  const engine = await EngineClient.start({
    providers,
    threads: availableParallelism(),
    warmUp: false,
    ...engineOptions,
  });
  let info: DiffusionInfo;
  try {
    const p = setup.params;
    info = await engine.openDiffusion({
      packDir: setup.packDir,
      ...(setup.controlNetPath ? { controlNetPath: setup.controlNetPath } : {}),
      ...(setup.unetPath ? { unetPath: setup.unetPath } : {}),
      bankCacheDir: setup.bankCacheDir,
      executionProviders: providers,
      output,
      reference: { path: character.picturePath },
      referencePose: fitCanvas(character.referencePose, picture, output),
      settings: {
        prompt: p.prompt,
        ...(p.negativePrompt !== undefined ? { negativePrompt: p.negativePrompt } : {}),
        seed: setup.seed,
        steps: p.steps,
        guidanceScale: p.guidance,
        ...(p.controlnetScale !== undefined ? { conditioningScale: p.controlnetScale } : {}),
        crossFrame: p.crossFrame,
        memoryBudgetBytes: setup.memoryBudgetBytes,
        stickWidth: p.stickWidth,
        referenceMode: p.referenceMode,
        styleFidelity: p.styleFidelity,
        referenceAdain: p.referenceAdain,
      },
    });
    if (info.picture.width !== picture.width || info.picture.height !== picture.height)
      throw new Error(
        `${character.picturePath}: the engine read a ${info.picture.width}×${info.picture.height} picture, ` +
          `its header says ${picture.width}×${picture.height}`,
      );
  } catch (e) {
    await engine.close();
    throw e;
  }
  let open = count;
  const release = async () => {
    if (--open > 0) return;
    await engine.closeDiffusion(info.diffusionId).catch(() => undefined);
    await engine.close();
  };
  return Array.from(
    { length: count },
    (_, i) =>
      new EngineDiffusionWorker(
        `diffusion-engine-${i + 1}`,
        engine,
        info.diffusionId,
        picture,
        output,
        release,
      ),
  );
}

/**
 * The in-process diffusion workers (tests and `bench/` only): `count` DiffusionWorkers over one
 * generator whose ONNX Runtime sessions are opened in this process (LocalSessionProvider). The
 * product renders through `startEngineDiffusionWorkers` (an engine process, the same
 * DiffusionWorker code); tests compare the two frame for frame.
 */
import type { RgbImage } from '#shared/image/rgbImage';
import type { RenderWorker, SegmentRequest } from '#shared/render/worker';
import { DiffusionGenerator } from '#main/engine/diffusion/pipeline/diffusionGenerator';
import { DiffusionWorker } from '#main/engine/diffusion/strategies/diffusionWorker';
import type { DiffusionWorkerSettings } from '#main/engine/diffusion/strategies/workerSettings';
import { readFittedPicture } from '#main/engine/diffusion/host/fittedPicture';
import { fitCanvas } from '#shared/render/fitFrame';
import type {
  DiffusionCharacter,
  DiffusionRenderSetup,
} from '#main/scheduler/workers/diffusionSetup';
import { LocalSessionProvider } from './localSessionProvider';

/**
 * Hands the scheduler's requests (poses in the character picture's pixels) to a DiffusionWorker
 * working on the output canvas: the picture is fitted onto the output (aspect kept, centred), so
 * the poses are mapped the same way.
 */
class OutputCanvasWorker implements RenderWorker {
  constructor(
    private readonly inner: RenderWorker,
    private readonly picture: { width: number; height: number },
    private readonly output: { width: number; height: number },
    private readonly release: () => Promise<void>,
  ) {}

  get id(): string {
    return this.inner.id;
  }

  private onCanvas(req: SegmentRequest): SegmentRequest {
    return { ...req, poses: req.poses.map((p) => fitCanvas(p, this.picture, this.output)) };
  }

  renderSegment(req: SegmentRequest, signal: AbortSignal): Promise<RgbImage[]> {
    return this.inner.renderSegment(this.onCanvas(req), signal);
  }

  renderGroup(requests: SegmentRequest[], signal: AbortSignal): Promise<RgbImage[][]> {
    if (!this.inner.renderGroup)
      throw new Error(`worker ${this.inner.id} cannot render a fusion group`);
    return this.inner.renderGroup(
      requests.map((r) => this.onCanvas(r)),
      signal,
    );
  }

  async close(): Promise<void> {
    await this.inner.close();
    await this.release();
  }
}

/**
 * `count` DiffusionWorkers over one generator opened in this process (ONNX Runtime sessions on
 * the given providers, CPU as fallback). The generator is disposed when the last worker closes.
 */
export async function startDiffusionWorkers(
  count: number,
  setup: DiffusionRenderSetup,
  character: DiffusionCharacter,
  output: { width: number; height: number },
  options: { executionProviders?: string[] } = {},
): Promise<RenderWorker[]> {
  const { image, picture } = await readFittedPicture(
    character.picturePath,
    output.width,
    output.height,
  );
  const provider = new LocalSessionProvider({
    executionProviders: options.executionProviders ?? [],
  });
  const generator: DiffusionGenerator = await DiffusionGenerator.open(setup.packDir, provider, {
    bankCacheDir: setup.bankCacheDir,
  });
  const p = setup.params;
  const settings: DiffusionWorkerSettings = {
    reference: image,
    referencePose: fitCanvas(character.referencePose, picture, output),
    prompt: p.prompt,
    negativePrompt: p.negativePrompt,
    seed: setup.seed,
    steps: p.steps,
    guidanceScale: p.guidance,
    conditioningScale: p.controlnetScale,
    crossFrame: p.crossFrame,
  };
  let open = count;
  const release = async () => {
    if (--open === 0) await generator.dispose();
  };
  return Array.from(
    { length: count },
    (_, i) =>
      new OutputCanvasWorker(
        new DiffusionWorker(`diffusion-${i + 1}`, generator, settings),
        picture,
        output,
        release,
      ),
  );
}

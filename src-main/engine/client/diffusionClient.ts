/**
 * The diffusion requests: opens generators for packs in the engine (and reopens one, once, in a
 * restarted engine before its next segment), renders segments and fusion groups with cancel and
 * stall detection, checks the frames that come back, closes generators.
 */
import type { z } from 'zod';
import type { RgbImage } from '#shared/image/rgbImage';
import type { SegmentRequest } from '#shared/render/worker';
import type {
  DiffusionSegmentRequest,
  OpenDiffusionPayload,
  OpenDiffusionResultSchema,
  RenderDiffusionResultSchema,
} from '#main/engine/diffusion/host/diffusionProtocol';
import { ResultSchemas } from '#main/engine/protocol';
import type { EngineConnection } from './connection';
import { EngineRequestError } from './errors';

/**
 * A diffusion generator to open in the engine (see docs/engine.md, "Diffusion"): the pack, the
 * output size (multiples of 8), the reference (a picture file the engine fits onto the output, or
 * an RGB image already at the output size), its pose in output pixels, the shared settings.
 */
export type DiffusionOpenOptions = OpenDiffusionPayload;
export type DiffusionInfo = z.infer<typeof OpenDiffusionResultSchema>;
/** Frames of [segment.start, segment.end) at the output size, model runs, time in the engine. */
export type DiffusionSegmentResult = z.infer<typeof RenderDiffusionResultSchema>;

/** Opening a pack: graph surgery on the UNet and five sessions over GBs of weights. */
const DIFFUSION_OPEN_TIMEOUT_MS = 15 * 60_000;
/**
 * A diffusion segment may take many minutes on CPU; the engine reports progress between model
 * runs, so the timeout is the longest silence (one ONNX Runtime run of a large batch), not the
 * whole segment.
 */
const DIFFUSION_STALL_MS = 10 * 60_000;

interface OpenedDiffusion {
  payload: OpenDiffusionPayload;
  /** The engine process (boot number) it is open in; another boot means it must be reopened. */
  boot: number;
  reopening?: Promise<void>;
}

export class DiffusionClient {
  private readonly diffusions = new Map<string, OpenedDiffusion>();
  private nextDiffusion = 1;

  constructor(private readonly connection: EngineConnection) {}

  /**
   * Opens a diffusion generator for a pack in the engine with the settings every segment of a
   * render shares. Bad packs or settings reject with EngineRequestError (kind `bad-input`). If the
   * engine restarts after a crash, the generator is reopened before its next segment.
   */
  async openDiffusion(options: DiffusionOpenOptions): Promise<DiffusionInfo> {
    const diffusionId = `diffusion-${this.nextDiffusion++}`;
    // Kept for a reopen after a restart: a copy, so the caller may reuse its arrays and objects.
    const reference = options.reference;
    const payload: OpenDiffusionPayload = {
      packDir: options.packDir,
      ...(options.bankCacheDir !== undefined ? { bankCacheDir: options.bankCacheDir } : {}),
      ...(options.executionProviders ? { executionProviders: options.executionProviders } : {}),
      output: options.output,
      reference:
        'path' in reference ? { path: reference.path } : { image: { ...pixels(reference.image) } },
      referencePose: new Float64Array(options.referencePose),
      settings: { ...options.settings },
    };
    await this.connection.ready();
    const boot = this.connection.boots;
    const result = ResultSchemas.openDiffusion.parse(
      await this.connection.send(
        { type: 'openDiffusion', diffusionId, open: payload },
        DIFFUSION_OPEN_TIMEOUT_MS,
      ),
    );
    this.diffusions.set(diffusionId, { payload, boot });
    return result;
  }

  /** Reopens a generator in a restarted engine (once, however many segments are waiting). */
  private async ensureDiffusion(diffusionId: string, signal?: AbortSignal): Promise<void> {
    const opened = this.diffusions.get(diffusionId);
    if (!opened)
      throw new EngineRequestError(
        `unknown diffusion generator "${diffusionId}" (open it first)`,
        'bad-input',
      );
    // A restart and a reopen of the pack can take long (a big pack: minutes): a cancel meanwhile
    // answers at once; the reopen itself goes on for whoever renders next.
    await untilAborted(this.connection.ready(), signal, 'restarts');
    if (opened.boot === this.connection.boots) return;
    opened.reopening ??= (async () => {
      const boot = this.connection.boots;
      await this.connection.send(
        { type: 'openDiffusion', diffusionId, open: opened.payload },
        DIFFUSION_OPEN_TIMEOUT_MS,
      );
      opened.boot = boot;
    })().finally(() => {
      opened.reopening = undefined;
    });
    opened.reopening.catch(() => undefined); // a caller that was cancelled no longer awaits it
    await untilAborted(opened.reopening, signal, 'reopens the model pack');
  }

  /**
   * Renders one of the scheduler's segment requests (poses in output pixels) with an open
   * generator. `signal` stops the engine's work at its next denoising step; the call then rejects
   * with EngineRequestError of kind `cancelled`. A crash rejects it with EngineCrashedError (the
   * generator is reopened in the restarted engine before its next segment).
   */
  async renderDiffusionSegment(
    diffusionId: string,
    request: SegmentRequest,
    signal?: AbortSignal,
  ): Promise<DiffusionSegmentResult> {
    await this.ensureDiffusion(diffusionId, signal);
    const result = ResultSchemas.renderDiffusionSegment.parse(
      await this.connection.send(
        { type: 'renderDiffusionSegment', diffusionId, request: onTheWire(request) },
        DIFFUSION_STALL_MS,
        signal,
      ),
    );
    this.checkFrames(diffusionId, [request], [result.frames]);
    return result;
  }

  /**
   * Renders a fusion group (the segment requests of one `coupled` set, by index) in one denoising
   * loop; each request's frames of [start, end) in request order. Cancel and crash as for
   * `renderDiffusionSegment`.
   */
  async renderDiffusionGroup(
    diffusionId: string,
    requests: SegmentRequest[],
    signal?: AbortSignal,
  ): Promise<{ groups: RgbImage[][]; modelRuns: number; ms: number }> {
    await this.ensureDiffusion(diffusionId, signal);
    const result = ResultSchemas.renderDiffusionGroup.parse(
      await this.connection.send(
        { type: 'renderDiffusionGroup', diffusionId, requests: requests.map(onTheWire) },
        DIFFUSION_STALL_MS,
        signal,
      ),
    );
    this.checkFrames(diffusionId, requests, result.groups);
    return result;
  }

  /** Frames counted and sized as the requests and the generator's output say. */
  private checkFrames(diffusionId: string, requests: SegmentRequest[], got: RgbImage[][]): void {
    const { width, height } = this.diffusions.get(diffusionId)!.payload.output;
    if (
      got.length !== requests.length ||
      requests.some((r, k) => got[k]!.length !== r.segment.end - r.segment.start)
    )
      throw new EngineRequestError('engine returned the wrong number of frames', 'internal');
    if (got.some((frames) => frames.some((f) => f.width !== width || f.height !== height)))
      throw new EngineRequestError('engine returned a frame of the wrong size', 'internal');
  }

  /** Closes a generator here and in the engine (its sessions go when no one else uses them). */
  async closeDiffusion(diffusionId: string): Promise<void> {
    if (!this.diffusions.delete(diffusionId)) return;
    if (this.connection.closed) return;
    await this.connection.request({ type: 'closeDiffusion', diffusionId }, 60_000);
  }
}

/** An image's three wire fields (a frame object may carry more, which need not clone). */
function pixels(image: RgbImage): RgbImage {
  return { width: image.width, height: image.height, data: image.data };
}

/**
 * A scheduler's segment request as the protocol carries it: all of it but the `onFrames` callback,
 * which cannot cross a process (structured clone throws on functions).
 */
function onTheWire({
  onFrames: _,
  segment,
  ...wire
}: SegmentRequest): z.input<typeof DiffusionSegmentRequest> {
  return { ...wire, segment: { ...segment } }; // an object type, where the schema's loose one fits
}

/** `work`, or a `cancelled` EngineRequestError as soon as `signal` aborts (`work` goes on). */
function untilAborted<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
  what: string,
): Promise<T> {
  if (!signal) return work;
  const cancelled = () => new EngineRequestError(`cancelled while the engine ${what}`, 'cancelled');
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e as Error);
      },
    );
  });
}

/**
 * The engine client: starts the engine process, sends validated requests, validates answers.
 * If the process dies, in-flight calls are rejected with EngineCrashedError, crash listeners are
 * told why, the process is restarted and the character setups this client made are re-run, so
 * later calls work as before. A bad or crashing request never takes the caller down.
 */
import type { RgbImage } from '#shared/image/rgbImage';
import type { LayerOverrides } from '#shared/puppet/layerOrder';
import type { PuppetQuality } from '#shared/puppet/quality';
import { type SegmentRequest, WorkerCrashedError } from '#shared/render/worker';
import type { DiffusionSettings, OpenDiffusionPayload } from './diffusion/host/diffusionProtocol';
import { applyFramePatch } from '#shared/puppet/framePatch';
import {
  CharacterSetupResultSchema,
  FramePatchSchema,
  EngineInfoSchema,
  type ErrorKind,
  ExtractFramePosesResultSchema,
  ExtractPosesResultSchema,
  Hello,
  ProgressSchema,
  type RequestBody,
  Response,
  ResultSchemas,
} from './protocol';
import { type EngineChannel, startEngineProcess } from './startEngineProcess';

export interface EngineInfo {
  pid: number;
  providers: string[];
  available: string[];
  device: string;
  threads: number;
  fallbackReason?: string;
  /** Resident memory of the engine process when asked (bytes). */
  rssBytes?: number;
  /** Diffusion generators open in the engine and the ONNX Runtime sessions they hold. */
  diffusion?: { generators: number; sessions: number };
}
export interface CharacterSetup {
  picturePath: string;
  /** 136×3 numbers in picture pixels; c <= 0 is a missing point. */
  referencePose: Float64Array;
  maskPath?: string;
  /** Plate colour behind a transparent picture (RGB 0–255); default white. */
  background?: [number, number, number];
  /** Layer order overrides per bone (higher = nearer), e.g. { rUpperArm: -1 }. */
  layers?: LayerOverrides;
  /** 'smooth' (default, bilinear) or 'fast' (nearest sampling, about half the per-frame cost). */
  quality?: PuppetQuality;
}
export interface CharacterInfo {
  characterId: string;
  width: number;
  height: number;
  setupMs: number;
  warnings: string[];
}

export interface EngineStartOptions {
  providers?: string[];
  threads?: number;
  /** Where built-in models are cached (default <project>/.cache/models or $POSE_STUDIO_MODEL_CACHE). */
  modelCacheDir?: string;
  /** Restarts allowed within a minute before the client gives up (default 3). */
  maxRestartsPerMinute?: number;
  /** Create the puppet session at start (default true); an engine for diffusion only skips it. */
  warmUp?: boolean;
  /** Sessions and diffusion generators unused this long are released (default 5 minutes). */
  idleMs?: number;
}

/** A diffusion generator to open in the engine (see docs/engine.md, "Diffusion"). */
export interface DiffusionOpenOptions {
  packDir: string;
  /** Reference banks cached here on disk (absent: memory only). */
  bankCacheDir?: string | null;
  /** ONNX Runtime providers in order, CPU last (default: the engine's order). */
  executionProviders?: string[];
  /** Output size: multiples of 8. */
  output: { width: number; height: number };
  /**
   * A picture file the engine reads and fits onto the output (aspect kept, centred on black), or
   * an RGB image already at the output size.
   */
  reference: { path: string } | { image: RgbImage };
  /** 136 × [x, y, c] in output pixels. */
  referencePose: Float64Array;
  settings: DiffusionSettings;
}
export interface DiffusionInfo {
  diffusionId: string;
  /** The reference picture's own size before fitting. */
  picture: { width: number; height: number };
  device: string;
  fallbackReason?: string;
  shared: boolean;
  openMs: number;
}
export interface DiffusionSegmentResult {
  /** Frames of [segment.start, segment.end) at the output size. */
  frames: RgbImage[];
  /** ONNX Runtime runs the engine made for this segment. */
  modelRuns: number;
  /** Time in the engine. */
  ms: number;
}

/**
 * The engine process died (or hung and was killed) while this call was in flight; it is being
 * restarted, so the scheduler renders the segment again (see scheduler/segmentRetry.ts).
 */
export class EngineCrashedError extends WorkerCrashedError {
  override name = 'EngineCrashedError';
}
/** The engine answered with an error (bad input, model problem, internal failure). */
export class EngineRequestError extends Error {
  override name = 'EngineRequestError';
  constructor(
    message: string,
    readonly kind: ErrorKind,
  ) {
    super(message);
  }
}

interface Pending {
  type: string;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
  /** Restarts the timeout (a progress message came: the engine is working, not stuck). */
  touch: () => void;
}

const MAX_POSES_PER_MESSAGE = 1024;

/** Which extractor the engine runs (see src-main/engine/extract/createExtractor.ts). */
export type EngineExtractorChoice = { name: 'builtin' } | { name: 'dwpose'; packDir: string };

export interface PicturePoseRequest {
  /** A picture file the engine reads, or the picture's encoded bytes (PNG, JPEG, WebP…). */
  source: { path: string } | { bytes: Uint8Array };
  /** Default: the built-in extractor. */
  extractor?: EngineExtractorChoice;
  /** Points scoring below this are missing (extractor default when absent). */
  minScore?: number;
  /** The picture is posed at most this many px on its longest side (default 1280). */
  maxSide?: number;
}
export interface PicturePose {
  /** The picture's own size; points are in its pixels. */
  width: number;
  height: number;
  /** 136×3 numbers per person, best first; empty when nobody was found. */
  people: Float64Array[];
  extractor: string;
  ms: number;
}

/** The first extraction loads the models (tfjs-wasm or DWPose sessions): allow for it. */
const EXTRACT_TIMEOUT_MS = 300_000;
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

/** A plate of the size the engine says the character's frames have. */
function checkedPlate(plate: Uint8Array, info: { width: number; height: number }): Uint8Array {
  if (plate.length !== info.width * info.height * 3)
    throw new EngineRequestError(
      'engine returned a background plate of the wrong size',
      'internal',
    );
  return plate;
}

export class EngineClient {
  private channel: EngineChannel | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private nextCharacter = 1;
  private readonly setups = new Map<string, CharacterSetup>();
  /** Each character's background plate: frames arrive as patches over it. */
  private readonly plates = new Map<string, Uint8Array>();
  private readonly diffusions = new Map<string, OpenedDiffusion>();
  private nextDiffusion = 1;
  /** Counts engine processes started (diffusion generators remember the one they live in). */
  private boots = 0;
  private restarting: Promise<void> | undefined;
  /** Resolves when the current process's exit has been handled (restart begun). */
  private exitHandled: Promise<void> = Promise.resolve();
  private closed = false;
  /** Why the client stopped on its own (it gave up restarting a crashing engine). */
  private failure: Error | undefined;
  private restartTimes: number[] = [];
  private readonly crashListeners = new Set<(reason: string) => void>();
  /** How many times the engine process has been restarted after a crash. */
  restarts = 0;

  private constructor(private readonly options: EngineStartOptions) {}

  static async start(options: EngineStartOptions = {}): Promise<EngineClient> {
    const client = new EngineClient(options);
    await client.boot();
    return client;
  }

  /** Called with a reason each time the engine process dies unexpectedly. */
  onCrash(listener: (reason: string) => void): () => void {
    this.crashListeners.add(listener);
    return () => this.crashListeners.delete(listener);
  }

  private boot(): Promise<void> {
    const channel = startEngineProcess({
      ...(this.options.providers ? { providers: this.options.providers } : {}),
      ...(this.options.threads ? { threads: this.options.threads } : {}),
      ...(this.options.modelCacheDir ? { modelCacheDir: this.options.modelCacheDir } : {}),
      ...(this.options.warmUp !== undefined ? { warmUp: this.options.warmUp } : {}),
      ...(this.options.idleMs ? { idleMs: this.options.idleMs } : {}),
    });
    this.channel = channel;
    this.boots++;
    let handled!: () => void;
    this.exitHandled = new Promise<void>((r) => (handled = r));
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      let exited = false;
      const timer = setTimeout(() => {
        if (!ready) {
          channel.kill();
          reject(new Error('engine process did not start within 120 s'));
        }
      }, 120_000);
      channel.onMessage((msg) => {
        if (!ready) {
          const hello = Hello.safeParse(msg);
          if (!hello.success) return;
          clearTimeout(timer);
          if (hello.data.type === 'startFailed') {
            channel.kill();
            reject(new Error(`engine process failed to start: ${hello.data.message}`));
            return;
          }
          ready = true;
          resolve();
          return;
        }
        this.onMessage(msg);
      });
      channel.onExit((reason) => {
        if (exited) return;
        exited = true;
        clearTimeout(timer);
        if (!ready) {
          reject(new Error(`engine process ${reason} before it was ready`));
          return;
        }
        if (this.channel === channel) this.onExit(channel, reason);
        handled();
      });
    });
  }

  private onMessage(msg: unknown): void {
    if (typeof msg === 'object' && msg !== null && 'progress' in msg) {
      const progress = ProgressSchema.safeParse(msg);
      if (progress.success) this.pending.get(progress.data.id)?.touch();
      return;
    }
    const parsed = Response.safeParse(msg);
    if (!parsed.success) return; // not ours to answer; a malformed reply is treated as no reply
    const p = this.pending.get(parsed.data.id);
    if (!p) return;
    this.pending.delete(parsed.data.id);
    clearTimeout(p.timer);
    if (parsed.data.ok) p.resolve(parsed.data.result);
    else p.reject(new EngineRequestError(parsed.data.error.message, parsed.data.error.kind));
  }

  private onExit(channel: EngineChannel, reason: string): void {
    const what = `engine process ${channel.pid} ${reason}`;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(
        new EngineCrashedError(
          `${what} during ${p.type}; it is being restarted`,
          `${what} during ${p.type}`,
        ),
      );
      this.pending.delete(id);
    }
    if (this.closed) return;
    for (const l of this.crashListeners) l(what);
    this.restarting = this.restart().finally(() => {
      this.restarting = undefined;
    });
    this.restarting.catch(() => undefined);
  }

  private async restart(): Promise<void> {
    const now = Date.now();
    this.restartTimes = this.restartTimes.filter((t) => now - t < 60_000);
    const limit = this.options.maxRestartsPerMinute ?? 3;
    if (this.restartTimes.length >= limit) {
      this.closed = true;
      // Not an EngineCrashedError: nothing is being restarted, so retrying cannot help.
      this.failure = new Error(
        `engine process keeps crashing (${limit + 1} times within a minute); gave up restarting it`,
      );
      throw this.failure;
    }
    this.restartTimes.push(now);
    this.restarts++;
    await this.boot();
    // Re-create the characters this client knows, under the same ids.
    for (const [characterId, setup] of this.setups) {
      const { plate, ...info } = CharacterSetupResultSchema.parse(
        await this.send({ type: 'setupCharacter', characterId, setup: wireSetup(setup) }, 120_000),
      );
      this.plates.set(characterId, checkedPlate(plate, info));
    }
  }

  /** Waits out a crash being handled and the restart that follows. */
  private async ready(): Promise<void> {
    // A process that just died may not have reported its exit yet: wait for that, then the restart.
    if (this.channel && !this.channel.connected && !this.closed) await this.exitHandled;
    if (this.restarting) await this.restarting;
    if (this.closed) throw this.failure ?? new Error('engine client is closed');
  }

  private async request(
    body: RequestBody,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<unknown> {
    await this.ready();
    return this.send(body, timeoutMs, signal);
  }

  /**
   * Sends one request. `timeoutMs` is the longest wait for an answer or a progress message. With a
   * `signal`, an abort sends `cancel` for this request; the engine then answers it with an error
   * of kind `cancelled` (after stopping its work), which is what this call rejects with.
   */
  private send(body: RequestBody, timeoutMs: number, signal?: AbortSignal): Promise<unknown> {
    const channel = this.channel;
    if (!channel) return Promise.reject(new Error('engine process is not running'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const stuck = () => {
        // A request that never answers means a stuck engine: kill it (it restarts) and fail.
        this.pending.delete(id);
        pending.reject(
          new EngineCrashedError(
            `engine did not answer ${body.type} within ${timeoutMs} ms; restarting it`,
            `engine did not answer ${body.type} within ${Math.round(timeoutMs / 1000)} s (stuck; it was killed)`,
          ),
        );
        channel.kill();
      };
      const onAbort = () => {
        if (this.pending.has(id)) channel.send({ type: 'cancel', id: this.nextId++, target: id });
      };
      const done = () => signal?.removeEventListener('abort', onAbort);
      const pending: Pending = {
        type: body.type,
        resolve: (v) => {
          done();
          resolve(v);
        },
        reject: (e) => {
          done();
          reject(e);
        },
        timer: setTimeout(stuck, timeoutMs),
        touch: () => {
          clearTimeout(pending.timer);
          pending.timer = setTimeout(stuck, timeoutMs);
        },
      };
      this.pending.set(id, pending);
      if (!channel.send({ ...body, id })) {
        clearTimeout(pending.timer);
        this.pending.delete(id);
        reject(new EngineCrashedError('engine process is not connected'));
        return;
      }
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  async info(): Promise<EngineInfo> {
    return EngineInfoSchema.parse(await this.request({ type: 'info' }, 30_000));
  }

  async setupCharacter(setup: CharacterSetup): Promise<CharacterInfo> {
    const characterId = `character-${this.nextCharacter++}`;
    const { plate, ...info } = CharacterSetupResultSchema.parse(
      await this.request({ type: 'setupCharacter', characterId, setup: wireSetup(setup) }, 120_000),
    );
    this.setups.set(characterId, {
      ...setup,
      referencePose: new Float64Array(setup.referencePose),
    });
    this.plates.set(characterId, checkedPlate(plate, info));
    return info;
  }

  /** Frames at the character picture's size, RGB, one per pose, in order. */
  async renderPuppetFrames(req: {
    characterId: string;
    poses: Float64Array[];
  }): Promise<RgbImage[]> {
    if (!this.setups.has(req.characterId))
      throw new EngineRequestError(`unknown character "${req.characterId}"`, 'bad-input');
    const frames: RgbImage[] = [];
    for (let i = 0; i < req.poses.length; i += MAX_POSES_PER_MESSAGE) {
      const poses = req.poses.slice(i, i + MAX_POSES_PER_MESSAGE);
      if (poses.length === 0) break;
      const result = (await this.request(
        { type: 'renderPuppetFrames', characterId: req.characterId, poses },
        30_000 + poses.length * 500,
      )) as { frames?: unknown };
      if (!Array.isArray(result.frames) || result.frames.length !== poses.length)
        throw new EngineRequestError('engine returned the wrong number of frames', 'internal');
      const plate = this.plates.get(req.characterId);
      for (const f of result.frames) {
        const patch = FramePatchSchema.parse(f);
        try {
          if (!plate) throw new Error('no plate for this character');
          frames.push(applyFramePatch(patch, plate));
        } catch (e) {
          throw new EngineRequestError(
            `engine returned a bad frame: ${(e as Error).message}`,
            'internal',
          );
        }
      }
    }
    return frames;
  }

  /** The people in one picture, posed in the engine process (the caller's thread stays free). */
  async extractPicturePose(req: PicturePoseRequest): Promise<PicturePose> {
    return ExtractPosesResultSchema.parse(
      await this.request(
        {
          type: 'extractPoses',
          source: req.source,
          settings: {
            extractor: req.extractor ?? { name: 'builtin' },
            ...(req.minScore !== undefined ? { minScore: req.minScore } : {}),
          },
          ...(req.maxSide !== undefined ? { maxSide: req.maxSide } : {}),
        },
        EXTRACT_TIMEOUT_MS,
      ),
    );
  }

  /**
   * The people in one decoded video frame (picture pixels), posed in the engine process; the
   * previous frame's people let the extractor follow them instead of detecting again.
   */
  async extractFramePoses(req: {
    frame: RgbImage;
    extractor?: EngineExtractorChoice;
    minScore?: number;
    previousPeople?: readonly Float64Array[];
  }): Promise<Float64Array[]> {
    const result = ExtractFramePosesResultSchema.parse(
      await this.request(
        {
          type: 'extractFramePoses',
          frame: { width: req.frame.width, height: req.frame.height, data: req.frame.data },
          settings: {
            extractor: req.extractor ?? { name: 'builtin' },
            ...(req.minScore !== undefined ? { minScore: req.minScore } : {}),
          },
          ...(req.previousPeople ? { previousPeople: [...req.previousPeople] } : {}),
        },
        EXTRACT_TIMEOUT_MS,
      ),
    );
    return result.people;
  }

  /**
   * Opens a diffusion generator for a pack in the engine with the settings every segment of a
   * render shares. Bad packs or settings reject with EngineRequestError (kind `bad-input`). If the
   * engine restarts after a crash, the generator is reopened before its next segment.
   */
  async openDiffusion(options: DiffusionOpenOptions): Promise<DiffusionInfo> {
    const diffusionId = `diffusion-${this.nextDiffusion++}`;
    const payload: OpenDiffusionPayload = {
      packDir: options.packDir,
      ...(options.bankCacheDir !== undefined ? { bankCacheDir: options.bankCacheDir } : {}),
      ...(options.executionProviders ? { executionProviders: options.executionProviders } : {}),
      output: options.output,
      reference:
        'path' in options.reference
          ? { path: options.reference.path }
          : {
              image: {
                width: options.reference.image.width,
                height: options.reference.image.height,
                data: options.reference.image.data,
              },
            },
      referencePose: new Float64Array(options.referencePose),
      settings: { ...options.settings },
    };
    await this.ready();
    const boot = this.boots;
    const result = ResultSchemas.openDiffusion.parse(
      await this.send(
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
    await untilAborted(this.ready(), signal, 'restarts');
    if (opened.boot === this.boots) return;
    opened.reopening ??= (async () => {
      const boot = this.boots;
      await this.send(
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
      await this.send(
        { type: 'renderDiffusionSegment', diffusionId, request: wireRequest(request) },
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
      await this.send(
        { type: 'renderDiffusionGroup', diffusionId, requests: requests.map(wireRequest) },
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
    if (this.closed) return;
    await this.request({ type: 'closeDiffusion', diffusionId }, 60_000);
  }

  /** Forgets a character here and in the engine. */
  async releaseCharacter(characterId: string): Promise<void> {
    this.setups.delete(characterId);
    this.plates.delete(characterId);
    await this.request({ type: 'releaseCharacter', characterId }, 30_000);
  }

  async close(): Promise<void> {
    if (this.closed && !this.channel) return;
    this.closed = true;
    const channel = this.channel;
    this.channel = undefined;
    if (!channel) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        channel.kill();
        resolve();
      }, 5_000);
      channel.onExit(() => {
        clearTimeout(timer);
        resolve();
      });
      channel.disconnect();
    });
    // Requests still waiting get no answer from a closed engine: settle them now rather than when
    // their timeouts fire (up to minutes for diffusion), with a message that says why.
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error(`engine client closed during ${p.type}`));
      this.pending.delete(id);
    }
  }
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

/** A segment request as the protocol carries it (plain objects; typed arrays as they are). */
function wireRequest(request: SegmentRequest) {
  return {
    jobId: request.jobId,
    segment: { ...request.segment },
    poses: request.poses,
    dependencies: request.dependencies.map((frames) =>
      frames.map((f) => ({ width: f.width, height: f.height, data: f.data })),
    ),
    ...(request.plan
      ? {
          plan: {
            strategy: request.plan.strategy,
            segmentLength: request.plan.segmentLength,
            segmentOverlap: request.plan.segmentOverlap,
          },
        }
      : {}),
  };
}

function wireSetup(setup: CharacterSetup) {
  return {
    picturePath: setup.picturePath,
    referencePose: setup.referencePose,
    ...(setup.maskPath ? { maskPath: setup.maskPath } : {}),
    ...(setup.background ? { background: setup.background } : {}),
    ...(setup.layers ? { layers: setup.layers as Record<string, number> } : {}),
    ...(setup.quality ? { quality: setup.quality } : {}),
  };
}

/**
 * The engine client: starts the engine process, sends validated requests, validates answers.
 * If the process dies, in-flight calls are rejected with EngineCrashedError, crash listeners are
 * told why, the process is restarted and the character setups this client made are re-run, so
 * later calls work as before. A bad or crashing request never takes the caller down.
 */
import type { RgbImage } from '../../src-shared/image/rgbImage';
import type { LayerOverrides } from '../../src-shared/puppet/layerOrder';
import {
  CharacterInfoSchema,
  EngineInfoSchema,
  type ErrorKind,
  ExtractFramePosesResultSchema,
  ExtractPosesResultSchema,
  FrameSchema,
  Hello,
  type RequestBody,
  Response,
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
  quality?: 'smooth' | 'fast';
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
}

/** The engine process died while this call was in flight (it has been restarted). */
export class EngineCrashedError extends Error {
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

export class EngineClient {
  private channel: EngineChannel | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private nextCharacter = 1;
  private readonly setups = new Map<string, CharacterSetup>();
  private restarting: Promise<void> | undefined;
  /** Resolves when the current process's exit has been handled (restart begun). */
  private exitHandled: Promise<void> = Promise.resolve();
  private closed = false;
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
    });
    this.channel = channel;
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
      p.reject(new EngineCrashedError(`${what} during ${p.type}; it is being restarted`));
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
    if (this.restartTimes.length >= (this.options.maxRestartsPerMinute ?? 3)) {
      this.closed = true;
      throw new EngineCrashedError('engine process keeps crashing; gave up restarting it');
    }
    this.restartTimes.push(now);
    this.restarts++;
    await this.boot();
    // Re-create the characters this client knows, under the same ids.
    for (const [characterId, setup] of this.setups)
      await this.send({ type: 'setupCharacter', characterId, setup: wireSetup(setup) }, 120_000);
  }

  private async request(body: RequestBody, timeoutMs: number): Promise<unknown> {
    // A process that just died may not have reported its exit yet: wait for that, then the restart.
    if (this.channel && !this.channel.connected && !this.closed) await this.exitHandled;
    if (this.restarting) await this.restarting;
    if (this.closed) throw new Error('engine client is closed');
    return this.send(body, timeoutMs);
  }

  private send(body: RequestBody, timeoutMs: number): Promise<unknown> {
    const channel = this.channel;
    if (!channel) return Promise.reject(new Error('engine process is not running'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        // A request that never answers means a stuck engine: kill it (it restarts) and fail.
        this.pending.delete(id);
        reject(
          new EngineCrashedError(
            `engine did not answer ${body.type} within ${timeoutMs} ms; restarting it`,
          ),
        );
        channel.kill();
      }, timeoutMs);
      this.pending.set(id, { type: body.type, resolve, reject, timer });
      if (!channel.send({ ...body, id })) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new EngineCrashedError('engine process is not connected'));
      }
    });
  }

  async info(): Promise<EngineInfo> {
    return EngineInfoSchema.parse(await this.request({ type: 'info' }, 30_000));
  }

  async setupCharacter(setup: CharacterSetup): Promise<CharacterInfo> {
    const characterId = `character-${this.nextCharacter++}`;
    const result = CharacterInfoSchema.parse(
      await this.request({ type: 'setupCharacter', characterId, setup: wireSetup(setup) }, 120_000),
    );
    this.setups.set(characterId, {
      ...setup,
      referencePose: new Float64Array(setup.referencePose),
    });
    return result;
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
      for (const f of result.frames) {
        const frame = FrameSchema.parse(f);
        if (frame.data.length !== frame.width * frame.height * 3)
          throw new EngineRequestError('engine returned a frame of the wrong size', 'internal');
        frames.push(frame);
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

  /** Forgets a character here and in the engine. */
  async releaseCharacter(characterId: string): Promise<void> {
    this.setups.delete(characterId);
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
  }
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

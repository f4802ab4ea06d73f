/**
 * The engine client callers use: one engine process (EngineConnection) and the puppet, diffusion
 * and extraction requests made over it, behind one object. If the process dies, in-flight calls
 * reject with EngineCrashedError, crash listeners are told why, the process is restarted and what
 * this client set up is re-made (characters at once, diffusion generators before their next
 * segment), so later calls work as before. A bad or crashing request never takes the caller down.
 */
import type { z } from 'zod';
import type { RgbImage } from '#shared/image/rgbImage';
import type { SegmentRequest } from '#shared/render/worker';
import { EngineInfoSchema } from '#main/engine/protocol';
import { EngineConnection, type EngineStartOptions } from './connection';
import {
  DiffusionClient,
  type DiffusionInfo,
  type DiffusionOpenOptions,
  type DiffusionSegmentResult,
} from './diffusionClient';
import {
  type EngineExtractorChoice,
  ExtractClient,
  type PicturePose,
  type PicturePoseRequest,
} from './extractClient';
import {
  type CharacterInfo,
  type CharacterLayers,
  type CharacterSetup,
  PuppetClient,
} from './puppetClient';

export { EngineCrashedError, EngineRequestError } from './errors';
export type { EngineStartOptions } from './connection';
export type { CharacterInfo, CharacterLayers, CharacterSetup } from './puppetClient';
export type {
  DiffusionInfo,
  DiffusionOpenOptions,
  DiffusionSegmentResult,
} from './diffusionClient';
export type { EngineExtractorChoice, PicturePose, PicturePoseRequest } from './extractClient';

/** The engine process's providers, device and threads, and what it holds when asked. */
export type EngineInfo = z.infer<typeof EngineInfoSchema>;

export class EngineClient {
  private readonly puppet: PuppetClient;
  private readonly diffusion: DiffusionClient;
  private readonly extraction: ExtractClient;

  private constructor(private readonly connection: EngineConnection) {
    this.puppet = new PuppetClient(connection);
    this.diffusion = new DiffusionClient(connection);
    this.extraction = new ExtractClient(connection);
  }

  static async start(options: EngineStartOptions = {}): Promise<EngineClient> {
    return new EngineClient(await EngineConnection.start(options));
  }

  /** How many times the engine process has been restarted after a crash. */
  get restarts(): number {
    return this.connection.restarts;
  }

  /** Called with a reason each time the engine process dies unexpectedly. */
  onCrash(listener: (reason: string) => void): () => void {
    return this.connection.onCrash(listener);
  }

  async info(): Promise<EngineInfo> {
    return EngineInfoSchema.parse(await this.connection.request({ type: 'info' }, 30_000));
  }

  setupCharacter(setup: CharacterSetup): Promise<CharacterInfo> {
    return this.puppet.setupCharacter(setup);
  }

  /** Frames at the character picture's size, RGB, one per pose, in order. */
  renderPuppetFrames(req: { characterId: string; poses: Float64Array[] }): Promise<RgbImage[]> {
    return this.puppet.renderPuppetFrames(req);
  }

  /** The background plate a character's frames are composited over (see PuppetClient). */
  backgroundPlate(characterId: string): Uint8Array | undefined {
    return this.puppet.backgroundPlate(characterId);
  }

  /** The mask and part map a character was set up with (see PuppetClient.characterLayers). */
  characterLayers(characterId: string): CharacterLayers | undefined {
    return this.puppet.characterLayers(characterId);
  }

  /** Forgets a character here and in the engine. */
  releaseCharacter(characterId: string): Promise<void> {
    return this.puppet.releaseCharacter(characterId);
  }

  /** The people in one picture, posed in the engine process (the caller's thread stays free). */
  extractPicturePose(req: PicturePoseRequest): Promise<PicturePose> {
    return this.extraction.extractPicturePose(req);
  }

  /** The people in one decoded video frame; see ExtractClient.extractFramePoses. */
  extractFramePoses(req: {
    frame: RgbImage;
    extractor?: EngineExtractorChoice;
    minScore?: number;
    previousPeople?: readonly Float64Array[];
  }): Promise<Float64Array[]> {
    return this.extraction.extractFramePoses(req);
  }

  /** Opens a diffusion generator for a pack; see DiffusionClient.openDiffusion. */
  openDiffusion(options: DiffusionOpenOptions): Promise<DiffusionInfo> {
    return this.diffusion.openDiffusion(options);
  }

  /** Renders one segment request; see DiffusionClient.renderDiffusionSegment (cancel, crash). */
  renderDiffusionSegment(
    diffusionId: string,
    request: SegmentRequest,
    signal?: AbortSignal,
  ): Promise<DiffusionSegmentResult> {
    return this.diffusion.renderDiffusionSegment(diffusionId, request, signal);
  }

  /** Renders a fusion group in one denoising loop; see DiffusionClient.renderDiffusionGroup. */
  renderDiffusionGroup(
    diffusionId: string,
    requests: SegmentRequest[],
    signal?: AbortSignal,
  ): Promise<{ groups: RgbImage[][]; modelRuns: number; ms: number }> {
    return this.diffusion.renderDiffusionGroup(diffusionId, requests, signal);
  }

  /** Closes a generator here and in the engine (its sessions go when no one else uses them). */
  closeDiffusion(diffusionId: string): Promise<void> {
    return this.diffusion.closeDiffusion(diffusionId);
  }

  /** Stops the engine process (asks it to finish; kills it after 5 s) and settles what waits. */
  close(): Promise<void> {
    return this.connection.close();
  }
}

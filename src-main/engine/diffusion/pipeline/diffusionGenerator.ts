import type { RgbImage } from '#shared/image/rgbImage';
import { frameNoise } from '#shared/diffusion/noise/seededNoise';
import { imageToPlanar } from '#shared/diffusion/latents/latentMath';
import {
  colourDrift,
  colourStats,
  correctColourDrift,
} from '#shared/diffusion/latents/colourDrift';
import { ANCHOR_FRAME } from '#shared/diffusion/longVideo/windowPredictor';
import { poseCrafterInitialLatent } from '#shared/diffusion/posecrafter/initialLatent';
import { createSampler, type SamplerKind } from '#shared/diffusion/schedulers/createSampler';
import { DdimScheduler } from '#shared/diffusion/schedulers/ddimScheduler';
import type { CrossFrameMode } from '#shared/project/schema';
import type { RenderStrategy } from '#shared/render/strategy';
import { renderConditioning } from '#shared/pose/conditioning';
import type { PoseFrame } from '#shared/pose/types';
import { openPack, type OpenPack } from '#main/engine/diffusion/pack/openPack';
import { componentIdentity } from '#main/engine/diffusion/pack/packIdentity';
import { loadPackManifest } from '#main/engine/diffusion/pack/packManifest';
import type { SessionProvider } from '#main/engine/diffusion/sessions/sessionProvider';
import { ReferenceUnet, type ReferenceBank } from '#main/engine/diffusion/surgery/referenceUnet';
import { Denoiser, type DenoiserStats, type TextConditioning } from './denoiser';
import { ReferenceBankCache } from './referenceBankCache';
import { invertWindow } from './sampling';
import { runStrategy, type StrategyContext, type StrategyStats } from './strategies';
import { encodePrompt } from './textConditioning';
import { decodeLatents, encodeImage } from './vae';

export interface DiffusionRenderRequest {
  /** The character picture; its size is the output size (a multiple of 8). */
  reference: RgbImage;
  /** The character's own pose (conditions the reference pass). */
  referencePose: PoseFrame;
  /** One pose per output frame, on a canvas of the output size. */
  poses: readonly PoseFrame[];
  prompt: string;
  negativePrompt?: string;
  seed: number;
  steps: number;
  guidanceScale: number;
  conditioningScale?: number;
  sampler?: SamplerKind;
  /** Frames denoised together in one batch (T). */
  window: number;
  /** Long-video strategy (default `independent`: plain windows of T). */
  strategy?: RenderStrategy;
  /** Cross-frame attention inside windows (default `off`); see StrategyContext.crossFrame. */
  crossFrame?: CrossFrameMode;
  /** Overlap O for `fused`, `interleaved` (held frames each side) and `chained` (feedback frames). */
  overlap?: number;
  /**
   * Initial latents: seeded noise per frame, or PoseCrafter's DDIM-inverted reference latent for
   * every frame (DDIM only).
   */
  init?: 'noise' | 'inverted-reference';
  /**
   * More pictures of the character with their poses (PoseCrafter: each frame starts from the
   * inverted latent of the reference whose pose is nearest). Only used with `inverted-reference`.
   */
  extraReferences?: readonly { image: RgbImage; pose: PoseFrame }[];
  /**
   * PoseCrafter's latent affine edit of face and hands (default true with `inverted-reference`);
   * `body` also warps every body part with the puppet generator's bone maps.
   */
  latentEdit?: boolean | 'body';
  /** Timestep of the reference pass (0: clean reference features, as ReferenceNet uses them). */
  referenceTimestep?: number;
}

export interface DiffusionRenderStats extends DenoiserStats, StrategyStats {
  bankFromCache: boolean;
  bankTokens: number;
  /** Mean colour drift (ΔE of mean Lab vs the reference picture) of the frames as generated. */
  colourDriftBefore: number;
  /** The same after correction (chained only corrects; otherwise equal to before). */
  colourDriftAfter: number;
}

export interface DiffusionRenderResult {
  /** The frames, unless a sink took them. */
  frames: RgbImage[];
  stats: DiffusionRenderStats;
}

/** Receives finished frames in order (lets a caller stream a long video to the encoder). */
export type FrameSink = (frame: number, image: RgbImage) => void | Promise<void>;

/**
 * The diffusion generator on one pack: reference bank computed once per render (or read from the
 * on-disk cache), frames denoised window by window with the bank shared by all of them, VAE
 * decoding in chunks.
 */
export class DiffusionGenerator {
  private constructor(
    readonly pack: OpenPack,
    readonly unet: ReferenceUnet,
    private readonly unetId: string,
    private readonly bankCache: ReferenceBankCache,
  ) {}

  /** Banks of the last few references used in this process (a render's segments share one). */
  private readonly recentBanks = new Map<string, ReferenceBank>();
  /** Banks being computed or read right now, by key (one pass however many workers ask). */
  private readonly pendingBanks = new Map<
    string,
    Promise<{ bank: ReferenceBank; fromCache: boolean }>
  >();

  static async open(
    packDir: string,
    provider: SessionProvider,
    options: { bankCacheDir?: string | null } = {},
  ): Promise<DiffusionGenerator> {
    const manifest = await loadPackManifest(packDir);
    const pack = await openPack(manifest, provider);
    try {
      const unetPath = manifest.components.unet!.model;
      // Graph and external weights by content (sampled for large files): new UNet weights must
      // not reuse an old reference bank, and hashing gigabytes on every open is not acceptable.
      const unetId = await componentIdentity(manifest.components.unet!);
      const unet = await ReferenceUnet.open(unetPath, provider);
      return new DiffusionGenerator(
        pack,
        unet,
        unetId,
        new ReferenceBankCache(options.bankCacheDir ?? null),
      );
    } catch (error) {
      await pack.dispose();
      throw error;
    }
  }

  async render(request: DiffusionRenderRequest, sink?: FrameSink): Promise<DiffusionRenderResult> {
    const { width, height } = request.reference;
    const latentHeight = height / 8;
    const latentWidth = width / 8;
    if (!Number.isInteger(latentHeight) || !Number.isInteger(latentWidth))
      throw new RangeError(`output size must be a multiple of 8, got ${width}×${height}`);
    for (const [i, p] of request.poses.entries())
      if (p.width !== width || p.height !== height)
        throw new RangeError(
          `pose ${i} is on a ${p.width}×${p.height} canvas, the output is ${width}×${height}`,
        );
    if (request.poses.length === 0) throw new RangeError('nothing to render: no poses');
    const overlap = request.overlap ?? 0;
    if (!Number.isInteger(overlap) || overlap < 0 || overlap >= Math.max(1, request.window))
      throw new RangeError(`overlap must be a whole number from 0 to window − 1, got ${overlap}`);
    if (request.strategy === 'interleaved' && (overlap < 1 || 2 * overlap > request.window))
      throw new RangeError(
        `interleaved needs 1 ≤ overlap ≤ window/2, got ${overlap} with window ${request.window}`,
      );
    if (!Number.isInteger(request.window) || request.window < 1)
      throw new RangeError('window must be at least 1 frame');
    const denoiser = new Denoiser(this.pack, this.unet, {
      guidanceScale: request.guidanceScale,
      conditioningScale: request.conditioningScale ?? 1,
      latentHeight,
      latentWidth,
    });
    const text = await encodePrompt(
      this.pack,
      request.prompt,
      denoiser.usesGuidance ? (request.negativePrompt ?? '') : null,
    );
    const withControl = this.pack.signatures.controlnet !== null;
    const condition = (pose: PoseFrame) =>
      withControl ? imageToPlanar(renderConditioning(pose), 0, 1) : null;

    const { bank, fromCache, referenceLatent, referenceCondition } = await this.referenceBank(
      denoiser,
      text,
      request.reference,
      request.referencePose,
      request.conditioningScale ?? 1,
      request.referenceTimestep ?? 0,
    );

    const sampler = createSampler(
      request.sampler ?? 'ddim',
      this.pack.manifest.scheduler,
      request.steps,
    );
    const latentCount = 4 * latentHeight * latentWidth;
    let start: (frame: number) => Float32Array;
    if ((request.init ?? 'noise') === 'inverted-reference') {
      if (!(sampler instanceof DdimScheduler))
        throw new Error('inverted-reference initialisation needs the DDIM sampler');
      const references = [
        { image: request.reference, pose: request.referencePose },
        ...(request.extraReferences ?? []),
      ];
      const inverted: Float32Array[] = [];
      for (const [i, r] of references.entries()) {
        const latent = i === 0 ? referenceLatent : await encodeImage(this.pack, r.image);
        const c = condition(r.pose);
        inverted.push(
          (
            await invertWindow(denoiser, sampler, [latent], {
              text,
              conditions: c ? [c] : null,
              bank,
            })
          )[0]!,
        );
      }
      const poses = references.map((r) => r.pose);
      const shape = { channels: 4, height: latentHeight, width: latentWidth };
      start = (frame) =>
        frame === ANCHOR_FRAME
          ? inverted[0]!.slice()
          : poseCrafterInitialLatent(
              inverted,
              poses,
              request.poses[frame]!,
              shape,
              request.latentEdit ?? true,
            ).latent;
    } else {
      start = (frame) => frameNoise(request.seed, frame, latentCount, sampler.initNoiseSigma);
    }

    const strategy = request.strategy ?? 'independent';
    const strategyStats: StrategyStats = { feedbackPasses: 0, predictionsPerFrameStep: 0 };
    const context: StrategyContext = {
      denoiser,
      sampler,
      text,
      bank,
      frameCount: request.poses.length,
      window: request.window,
      overlap: request.overlap ?? 0,
      seed: request.seed,
      crossFrame: request.crossFrame ?? 'off',
      start,
      condition: conditionCache(
        (f) => (f === ANCHOR_FRAME ? referenceCondition : condition(request.poses[f]!)),
        4 * request.window,
      ),
    };
    const target = colourStats(request.reference);
    const frames: RgbImage[] = [];
    let driftBefore = 0;
    let driftAfter = 0;
    let pending: { frame: number; latent: Float32Array }[] = [];
    const flush = async () => {
      let k = 0;
      for await (const raw of decodeLatents(
        this.pack,
        pending.map((p) => p.latent),
        latentHeight,
        latentWidth,
      )) {
        const frame = pending[k++]!.frame;
        driftBefore += colourDrift(colourStats(raw), target);
        const image = strategy === 'chained' ? correctColourDrift(raw, target) : raw;
        driftAfter +=
          strategy === 'chained'
            ? colourDrift(colourStats(image), target)
            : colourDrift(colourStats(raw), target);
        if (sink) await sink(frame, image);
        else frames.push(image);
      }
      pending = [];
    };
    for await (const item of runStrategy(strategy, context, strategyStats)) {
      pending.push(item);
      if (pending.length >= DECODE_CHUNK) await flush();
    }
    await flush();
    const n = Math.max(1, request.poses.length);
    return {
      frames,
      stats: {
        ...denoiser.stats,
        ...strategyStats,
        bankFromCache: fromCache,
        bankTokens: bank.tokens,
        colourDriftBefore: driftBefore / n,
        colourDriftAfter: driftAfter / n,
      },
    };
  }

  /**
   * The reference bank for these settings: from memory (segments of one render in this process),
   * else from the disk cache, else one writer pass. Shared by every window and step.
   */
  async referenceBank(
    denoiser: Denoiser,
    text: TextConditioning,
    reference: RgbImage,
    referencePose: PoseFrame,
    conditioningScale: number,
    referenceTimestep: number,
  ): Promise<{
    bank: ReferenceBank;
    fromCache: boolean;
    referenceLatent: Float32Array;
    referenceCondition: Float32Array | null;
  }> {
    const referenceLatent = await encodeImage(this.pack, reference);
    const referenceCondition =
      this.pack.signatures.controlnet !== null
        ? imageToPlanar(renderConditioning(referencePose), 0, 1)
        : null;
    const key = ReferenceBankCache.key([
      this.unetId,
      referenceLatent,
      referenceTimestep,
      text.cond,
      referenceCondition,
      conditioningScale,
    ]);
    const remembered = this.recentBanks.get(key);
    if (remembered)
      return { bank: remembered, fromCache: true, referenceLatent, referenceCondition };
    // Single flight: several workers over this generator start their first segments together;
    // the first computes (or reads) the bank, the others wait for that same promise.
    const pending = this.pendingBanks.get(key);
    if (pending) {
      const { bank } = await pending;
      return { bank, fromCache: true, referenceLatent, referenceCondition };
    }
    const flight = this.bankCache
      .getOrCompute(key, this.unet.slots, () =>
        denoiser.writeBank(referenceLatent, referenceTimestep, text, referenceCondition),
      )
      .then((r) => {
        this.recentBanks.set(key, r.bank);
        if (this.recentBanks.size > 4)
          this.recentBanks.delete(this.recentBanks.keys().next().value!);
        return r;
      })
      .finally(() => this.pendingBanks.delete(key));
    this.pendingBanks.set(key, flight);
    const { bank, fromCache } = await flight;
    return { bank, fromCache, referenceLatent, referenceCondition };
  }

  async dispose(): Promise<void> {
    await this.unet.dispose();
    await this.pack.dispose();
  }
}

export type { ReferenceBank };

/**
 * Memoises conditioning images for the frames of the current windows: every step asks for the
 * same frames again, and drawing a pose is most of our per-call overhead. Bounded (oldest out).
 */
export function conditionCache<T>(
  make: (frame: number) => T,
  capacity: number,
): (frame: number) => T {
  const cache = new Map<number, T>();
  return (frame) => {
    const hit = cache.get(frame);
    if (hit !== undefined) return hit;
    const value = make(frame);
    cache.set(frame, value);
    if (cache.size > capacity) cache.delete(cache.keys().next().value!);
    return value;
  };
}

/** Frames decoded per VAE call: bounds decode memory whatever the video length. */
const DECODE_CHUNK = 4;

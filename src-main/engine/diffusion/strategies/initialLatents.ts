import type { RgbImage } from '#shared/image/rgbImage';
import { ANCHOR_FRAME } from '#shared/diffusion/longVideo/windowPredictor';
import { frameNoise } from '#shared/diffusion/noise/seededNoise';
import { poseCrafterInitialLatent } from '#shared/diffusion/posecrafter/initialLatent';
import { DdimScheduler } from '#shared/diffusion/schedulers/ddimScheduler';
import type { Sampler } from '#shared/diffusion/schedulers/sampler';
import type { PoseFrame } from '#shared/pose/types';
import type { OpenPack } from '#main/engine/diffusion/pack/openPack';
import type { Denoiser, TextConditioning } from '#main/engine/diffusion/pipeline/denoiser';
import { invertWindow } from '#main/engine/diffusion/pipeline/sampling';
import { encodeImage } from '#main/engine/diffusion/pipeline/vae';
import type { ReferenceBank } from '#main/engine/diffusion/surgery/referenceUnet';

/** How a worker's frames start (DiffusionWorkerSettings extends this). */
export interface InitialLatentSettings {
  /** The character picture at the output size (a multiple of 8). */
  reference: RgbImage;
  /** Its pose: 136 × [x, y, c] in the picture's pixels. */
  referencePose: Float64Array;
  seed: number;
  /**
   * Initial latents: seeded noise per frame (default; what project renders use), or PoseCrafter's
   * DDIM-inverted reference latent for every frame (DDIM only; `renderVideo` callers).
   */
  init?: 'noise' | 'inverted-reference';
  /**
   * More pictures of the character at the output size with their poses (PoseCrafter: a frame
   * starts from the inverted latent of the reference whose pose is nearest). `inverted-reference` only.
   */
  extraReferences?: readonly { image: RgbImage; pose: Float64Array }[];
  /**
   * PoseCrafter's latent affine edit of face and hands (default true with `inverted-reference`);
   * `body` also warps every body part with the puppet generator's bone maps.
   */
  latentEdit?: boolean | 'body';
}

/** What one worker call has prepared (its denoiser, sampler, prompt and bank). */
export interface CallInputs {
  denoiser: Denoiser;
  sampler: Sampler;
  text: TextConditioning;
  bank: ReferenceBank;
  referenceLatent: Float32Array;
  frame(points: Float64Array): PoseFrame;
  condition(pose: PoseFrame): Float32Array | null;
}

/**
 * The initial latent of each timeline frame (ANCHOR_FRAME: the fused anchor) for one worker:
 * seeded noise per frame, or (PoseCrafter) the DDIM-inverted latent of the reference whose pose
 * is nearest, edited towards the frame's pose. The inversion runs once, in the worker's first call.
 */
export class InitialLatents {
  private inverted: Promise<Float32Array[]> | null = null;

  constructor(
    private readonly pack: OpenPack,
    private readonly settings: InitialLatentSettings,
  ) {}

  /** `stats.inversionPredictions` counts the inversion's denoiser predictions. */
  async forCall(
    p: CallInputs,
    stats: { inversionPredictions: number },
  ): Promise<(frame: number, pose: PoseFrame | null) => Float32Array> {
    const s = this.settings;
    const { width, height } = s.reference;
    const latentSize = 4 * (width / 8) * (height / 8);
    if ((s.init ?? 'noise') === 'noise')
      return (frame) => frameNoise(s.seed, frame, latentSize, p.sampler.initNoiseSigma);
    const ddim = p.sampler;
    if (!(ddim instanceof DdimScheduler))
      throw new Error('inverted-reference initialisation needs the DDIM sampler');
    const references = [
      { image: s.reference, pose: p.frame(s.referencePose) },
      ...(s.extraReferences ?? []).map((r) => ({ image: r.image, pose: p.frame(r.pose) })),
    ];
    this.inverted ??= (async () => {
      const before = p.denoiser.stats.framePredictions;
      const inverted: Float32Array[] = [];
      for (const [i, r] of references.entries()) {
        const latent = i === 0 ? p.referenceLatent : await encodeImage(this.pack, r.image);
        const c = p.condition(r.pose);
        const [out] = await invertWindow(p.denoiser, ddim, [latent], {
          text: p.text,
          conditions: c ? [c] : null,
          bank: p.bank,
        });
        inverted.push(out!);
      }
      stats.inversionPredictions += p.denoiser.stats.framePredictions - before;
      return inverted;
    })();
    const inverted = await this.inverted;
    const poses = references.map((r) => r.pose);
    const shape = { channels: 4, height: height / 8, width: width / 8 };
    return (frame, pose) =>
      frame === ANCHOR_FRAME || pose === null
        ? inverted[0]!.slice()
        : poseCrafterInitialLatent(inverted, poses, pose, shape, s.latentEdit ?? true).latent;
  }
}

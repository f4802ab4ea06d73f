import type { RgbImage } from '#shared/image/rgbImage';
import type { Sampler } from '#shared/diffusion/schedulers/sampler';
import type { SamplerKind } from '#shared/diffusion/schedulers/createSampler';
import type { StickWidth } from '#shared/pose/conditioning';
import type { PoseFrame } from '#shared/pose/types';
import type { CrossFrameMode, ReferenceMode } from '#shared/project/schema';
import type { ReferenceBank } from '#main/engine/diffusion/surgery/referenceUnet';
import type {
  Denoiser,
  DenoiserStats,
  TextConditioning,
} from '#main/engine/diffusion/pipeline/denoiser';
import type { InitialLatentSettings } from './initialLatents';
import type { ReferenceFidelity } from './referenceFidelity';

/** What every segment of one diffusion render shares. */
export interface DiffusionWorkerSettings extends InitialLatentSettings {
  prompt: string;
  negativePrompt?: string;
  steps: number;
  guidanceScale: number;
  conditioningScale?: number;
  sampler?: SamplerKind;
  crossFrame?: CrossFrameMode;
  /** Timestep of the reference pass (default 0: clean reference features, as ReferenceNet uses). */
  referenceTimestep?: number;
  /**
   * Most bytes the render may use (the `memoryBudgetGB` setting resolved for this device); UNet
   * calls are split into micro-batches to stay under it. Absent or null: off (one call per step).
   */
  memoryBudgetBytes?: number | null;
  /** Limb thickness of the conditioning images (default `classic`, the SD1.5 annotator's). */
  stickWidth?: StickWidth;
  /** Bank from the clean reference once (default) or per step from it noised; see ReferenceFidelity. */
  referenceMode?: ReferenceMode;
  /** Style fidelity 0…1 of the unconditional half (default 0); see DenoiserOptions. */
  styleFidelity?: number;
  /** AdaIN of each prediction's clean latent to the reference latent's statistics (default off). */
  referenceAdain?: boolean;
}

/** What a worker has done so far (the benchmark's and renderVideo's counters). */
export interface DiffusionWorkerStats extends DenoiserStats {
  /** Writer passes on generated frames (chained feedback), besides the reference pass. */
  feedbackPasses: number;
  /** Predictions of the fused anchor (context every fused window carries, not a frame). */
  anchorPredictions: number;
  /** `interleaved` anchor segments: frames sampled and their predictions. */
  anchorSegmentFrames: number;
  anchorSegmentPredictions: number;
  /** PoseCrafter's DDIM inversion of the references (`inverted-reference`, once per worker). */
  inversionPredictions: number;
  /** Tokens of the reference bank of the last call. */
  bankTokens: number;
  /** Most UNet items a call may take under the memory budget (largest over the worker's calls; Infinity = off). */
  itemsPerCall: number;
}

/**
 * Called with each delivered frame as decoded and as delivered (after the colour correction of a
 * chained window): renderVideo measures colour drift with it.
 */
export type DecodedFrameObserver = (raw: RgbImage, delivered: RgbImage) => void;

/** What every call of a worker prepares: denoiser, prompt embeddings and the reference bank. */
export interface Prepared {
  denoiser: Denoiser;
  /** The bank at each step and the AdaIN of predictions (the reference settings). */
  fidelity: ReferenceFidelity;
  /** Frames per VAE decoder call under the memory budget. */
  framesPerDecode: number;
  text: TextConditioning;
  bank: ReferenceBank;
  referenceCondition: Float32Array | null;
  referenceLatent: Float32Array;
  sampler: Sampler;
  /** A pose on the output canvas as a PoseFrame. */
  frame(points: Float64Array): PoseFrame;
  /** Its ControlNet conditioning image (null without ControlNet). */
  condition(pose: PoseFrame): Float32Array | null;
}

/** A worker's counters before its first call. */
export function emptyWorkerStats(): DiffusionWorkerStats {
  return {
    unetCalls: 0,
    unetItems: 0,
    controlnetCalls: 0,
    framePredictions: 0,
    referencePasses: 0,
    hostMs: 0,
    feedbackPasses: 0,
    anchorPredictions: 0,
    anchorSegmentFrames: 0,
    anchorSegmentPredictions: 0,
    inversionPredictions: 0,
    bankTokens: 0,
    itemsPerCall: 0,
  };
}

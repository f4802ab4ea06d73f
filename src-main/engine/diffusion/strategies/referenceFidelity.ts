import {
  adainPrediction,
  channelStats,
  type ChannelStats,
} from '#shared/diffusion/latents/referenceAdain';
import { frameNoise } from '#shared/diffusion/noise/seededNoise';
import { noiseSchedule } from '#shared/diffusion/schedulers/noiseSchedule';
import type { SchedulerConfig } from '#shared/diffusion/schedulers/schedulerConfig';
import type { Sampler } from '#shared/diffusion/schedulers/sampler';
import type { ReferenceMode } from '#shared/project/schema';
import type { Denoiser, TextConditioning } from '#main/engine/diffusion/pipeline/denoiser';
import type { ReferenceBank } from '#main/engine/diffusion/surgery/referenceUnet';

/** Noise of the `noised` reference: its own stream of the render seed (not a frame's). */
const REFERENCE_NOISE_FRAME = -7;

/**
 * How a worker call uses the reference at each step: the bank (`clean`: the one computed from the
 * clean reference latent for the whole render; `noised`: the reference latent noised to the
 * step's level with seeded noise, one writer pass per step — reference-only style), and the
 * optional AdaIN of every prediction's implied clean latent to the reference latent's
 * per-channel statistics.
 */
export class ReferenceFidelity {
  private last: { step: number; bank: Promise<ReferenceBank> } | null = null;
  private readonly target: ChannelStats | null;
  private readonly alphasCumprod: Float64Array;

  constructor(
    private readonly o: {
      mode: ReferenceMode;
      adain: boolean;
      seed: number;
      denoiser: Denoiser;
      sampler: Sampler;
      scheduler: SchedulerConfig;
      text: TextConditioning;
      referenceLatent: Float32Array;
      referenceCondition: Float32Array | null;
      /** The clean bank (computed once per render, cached). */
      cleanBank: ReferenceBank;
    },
  ) {
    this.target = o.adain ? channelStats(o.referenceLatent) : null;
    this.alphasCumprod = noiseSchedule(o.scheduler).alphasCumprod;
  }

  /** The reference bank for step `step` (the sampler's index). */
  bankAt(step: number): Promise<ReferenceBank> {
    if (this.o.mode === 'clean') return Promise.resolve(this.o.cleanBank);
    // Windows of one step share its bank; only the current step's is kept.
    if (this.last?.step === step) return this.last.bank;
    const { sampler, referenceLatent } = this.o;
    const noise = frameNoise(this.o.seed, REFERENCE_NOISE_FRAME, referenceLatent.length);
    const input = sampler.scaleModelInput(sampler.noisedAt(referenceLatent, noise, step), step);
    const bank = this.o.denoiser.writeBank(
      input,
      sampler.timesteps[step]!,
      this.o.text,
      this.o.referenceCondition,
    );
    this.last = { step, bank };
    return bank;
  }

  /** Predictions for `inputs` (the model inputs) at step `step`, AdaIN applied when asked. */
  adjust(
    predictions: Float32Array[],
    inputs: readonly Float32Array[],
    step: number,
  ): Float32Array[] {
    if (!this.target) return predictions;
    const t = this.o.sampler.timesteps[step]!;
    const n = this.alphasCumprod.length;
    const alphaBar = this.alphasCumprod[Math.min(n - 1, Math.max(0, Math.round(t)))]!;
    const kind = this.o.scheduler.prediction_type;
    return predictions.map((p, k) => adainPrediction(p, inputs[k]!, alphaBar, this.target!, kind));
  }
}

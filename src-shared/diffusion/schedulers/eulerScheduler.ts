import { noiseSchedule } from './noiseSchedule';
import { assertSameLength, type Sampler } from './sampler';
import type { PredictionType, SchedulerConfig } from './schedulerConfig';
import { inferenceTimesteps } from './timesteps';

/**
 * Euler (diffusers' EulerDiscreteScheduler, no churn): works in σ = √((1 − ᾱ)/ᾱ), with σ
 * interpolated between training steps for fractional timesteps and a final σ = 0.
 */
export class EulerScheduler implements Sampler {
  readonly timesteps: readonly number[];
  readonly initNoiseSigma: number;
  /** σ for each timestep, then 0. */
  readonly sigmas: Float64Array;
  private readonly prediction: PredictionType;

  constructor(config: SchedulerConfig, steps: number) {
    const { alphasCumprod } = noiseSchedule(config);
    const trainSigmas = Array.from(alphasCumprod, (a) => Math.sqrt((1 - a) / a));
    this.timesteps = inferenceTimesteps(
      steps,
      config.num_train_timesteps,
      config.timestep_spacing,
      config.steps_offset,
      false,
    );
    this.sigmas = new Float64Array(steps + 1);
    this.timesteps.forEach((t, i) => (this.sigmas[i] = interpolate(trainSigmas, t)));
    const maxSigma = Math.max(...this.sigmas);
    // diffusers: leading spacing never reaches the last training step, so it pads the start noise.
    this.initNoiseSigma =
      config.timestep_spacing === 'leading' ? Math.sqrt(maxSigma * maxSigma + 1) : maxSigma;
    this.prediction = config.prediction_type;
  }

  scaleModelInput(sample: Float32Array, index: number): Float32Array {
    const sigma = this.sigmaAt(index);
    const k = 1 / Math.sqrt(sigma * sigma + 1);
    return sample.map((x) => x * k);
  }

  step(
    modelOutput: Float32Array,
    index: number,
    sample: Float32Array,
    into?: Float32Array,
  ): Float32Array {
    assertSameLength(modelOutput, sample, 'Euler');
    if (into) assertSameLength(into, sample, 'Euler (out)');
    const sigma = this.sigmaAt(index);
    const dt = this.sigmas[index + 1]! - sigma;
    const out = into ?? new Float32Array(sample.length);
    const vScale = -sigma / Math.sqrt(sigma * sigma + 1);
    const xScale = 1 / (sigma * sigma + 1);
    for (let i = 0; i < out.length; i++) {
      const x = sample[i]!;
      const m = modelOutput[i]!;
      const original = this.prediction === 'epsilon' ? x - sigma * m : m * vScale + x * xScale;
      out[i] = x + ((x - original) / sigma) * dt;
    }
    return out;
  }

  noisedAt(clean: Float32Array, noise: Float32Array, index: number): Float32Array {
    const sigma = this.sigmas[Math.min(index, this.timesteps.length)]!;
    return clean.map((x, i) => x + sigma * noise[i]!);
  }

  private sigmaAt(index: number): number {
    if (!Number.isInteger(index) || index < 0 || index >= this.timesteps.length)
      throw new RangeError(`step index ${index} outside 0…${this.timesteps.length - 1}`);
    return this.sigmas[index]!;
  }
}

/** Linear interpolation of table values at a fractional index (numpy.interp over 0…n−1). */
function interpolate(table: number[], at: number): number {
  const i = Math.min(Math.floor(at), table.length - 2);
  const f = at - i;
  return table[i]! * (1 - f) + table[i + 1]! * f;
}

import { noiseSchedule, type NoiseSchedule } from './noiseSchedule';
import { assertSameLength, type Sampler } from './sampler';
import type { PredictionType, SchedulerConfig } from './schedulerConfig';
import { inferenceTimesteps } from './timesteps';

/**
 * Deterministic DDIM (η = 0), and its inversion. Both directions use the same two-point update
 *   x_to = √ᾱ_to · x̂₀ + √(1 − ᾱ_to) · ε̂,
 * where (x̂₀, ε̂) come from the model output at the *from* level, so an inversion step undoes a
 * sampling step exactly when the model output is the same. With a real model they differ
 * slightly (inversion evaluates the model one level early) — the usual DDIM-inversion error.
 */
export class DdimScheduler implements Sampler {
  readonly timesteps: readonly number[];
  readonly initNoiseSigma = 1;
  private readonly schedule: NoiseSchedule;
  private readonly stepRatio: number;
  private readonly finalAlphaCumprod: number;
  private readonly prediction: PredictionType;

  constructor(config: SchedulerConfig, steps: number) {
    this.schedule = noiseSchedule(config);
    this.timesteps = inferenceTimesteps(
      steps,
      config.num_train_timesteps,
      config.timestep_spacing,
      config.steps_offset,
      true,
    );
    this.stepRatio = Math.floor(config.num_train_timesteps / steps);
    this.finalAlphaCumprod = config.set_alpha_to_one ? 1 : this.schedule.alphasCumprod[0]!;
    this.prediction = config.prediction_type;
  }

  /** ᾱ at a timestep; below 0 is the clean end of the chain. */
  alphaCumprod(t: number): number {
    return t >= 0 ? this.schedule.alphasCumprod[t]! : this.finalAlphaCumprod;
  }

  /** The timestep one inference step below timesteps[index] (may be negative: the clean end). */
  previousTimestep(index: number): number {
    return this.timestepAt(index) - this.stepRatio;
  }

  scaleModelInput(sample: Float32Array): Float32Array {
    return sample;
  }

  step(
    modelOutput: Float32Array,
    index: number,
    sample: Float32Array,
    out?: Float32Array,
  ): Float32Array {
    const t = this.timestepAt(index);
    return this.move(
      modelOutput,
      sample,
      this.alphaCumprod(t),
      this.alphaCumprod(t - this.stepRatio),
      out,
    );
  }

  noisedAt(clean: Float32Array, noise: Float32Array, index: number): Float32Array {
    const t =
      index >= this.timesteps.length
        ? this.previousTimestep(this.timesteps.length - 1)
        : this.timestepAt(index);
    const alpha = this.alphaCumprod(t);
    const a = Math.sqrt(alpha);
    const s = Math.sqrt(1 - alpha);
    return clean.map((x, i) => a * x + s * noise[i]!);
  }

  /**
   * The inversion step matching `step(index)`: from the level below timesteps[index] up to it.
   * Run it for index = last … 0 with the model evaluated at timesteps[index] on `sample`.
   */
  invertStep(modelOutput: Float32Array, index: number, sample: Float32Array): Float32Array {
    const t = this.timestepAt(index);
    return this.move(
      modelOutput,
      sample,
      this.alphaCumprod(t - this.stepRatio),
      this.alphaCumprod(t),
    );
  }

  /** x̂₀ and ε̂ from a model output at noise level ᾱ, for either prediction type. */
  splitPrediction(
    modelOutput: Float32Array,
    sample: Float32Array,
    alpha: number,
  ): { original: Float32Array; noise: Float32Array } {
    assertSameLength(modelOutput, sample, 'DDIM');
    const a = Math.sqrt(alpha);
    const s = Math.sqrt(1 - alpha);
    const original = new Float32Array(sample.length);
    const noise = new Float32Array(sample.length);
    for (let i = 0; i < sample.length; i++) {
      const x = sample[i]!;
      const m = modelOutput[i]!;
      if (this.prediction === 'epsilon') {
        original[i] = (x - s * m) / a;
        noise[i] = m;
      } else {
        original[i] = a * x - s * m;
        noise[i] = a * m + s * x;
      }
    }
    return { original, noise };
  }

  /**
   * x_to = √ᾱ_to·x̂₀ + √(1−ᾱ_to)·ε̂ with (x̂₀, ε̂) linear in (x, output): folded into two
   * coefficients so a step is one pass without temporaries (it runs per frame per step).
   */
  private move(
    modelOutput: Float32Array,
    sample: Float32Array,
    from: number,
    to: number,
    into?: Float32Array,
  ): Float32Array {
    assertSameLength(modelOutput, sample, 'DDIM');
    if (into) assertSameLength(into, sample, 'DDIM (out)');
    const af = Math.sqrt(from);
    const sf = Math.sqrt(1 - from);
    const at = Math.sqrt(to);
    const st = Math.sqrt(1 - to);
    // epsilon: x̂₀ = (x − sf·m)/af, ε̂ = m.   v: x̂₀ = af·x − sf·m, ε̂ = af·m + sf·x.
    const [kx, km] =
      this.prediction === 'epsilon'
        ? [at / af, st - (at * sf) / af]
        : [at * af + st * sf, st * af - at * sf];
    const out = into ?? new Float32Array(sample.length);
    for (let i = 0; i < out.length; i++) out[i] = kx * sample[i]! + km * modelOutput[i]!;
    return out;
  }

  private timestepAt(index: number): number {
    const t = this.timesteps[index];
    if (t === undefined)
      throw new RangeError(`step index ${index} outside 0…${this.timesteps.length - 1}`);
    return t;
  }
}

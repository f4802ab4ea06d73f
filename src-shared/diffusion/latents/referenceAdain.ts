/**
 * AdaIN of the predicted clean latent against the reference latent's statistics, per channel (the
 * latent's 4 groups of one channel each), applied to a model prediction at one timestep: the
 * prediction is turned into the clean latent it implies, that latent's per-channel mean and
 * spread are set to the reference's, and the prediction is recomputed from it. The frame then
 * keeps the reference's overall colour and contrast in latent space at every step, as diffusers'
 * reference-only `reference_adain` does on the UNet's group-norm features (here on the latent,
 * which needs no graph surgery). With the reference's own statistics it changes nothing.
 */
export interface ChannelStats {
  mean: Float64Array;
  std: Float64Array;
}

export const LATENT_CHANNELS = 4;

export function channelStats(latent: Float32Array, channels = LATENT_CHANNELS): ChannelStats {
  if (latent.length === 0 || latent.length % channels !== 0)
    throw new RangeError(`a latent of ${latent.length} values is not ${channels} channels`);
  const n = latent.length / channels;
  const mean = new Float64Array(channels);
  const std = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    let sq = 0;
    for (let i = c * n; i < (c + 1) * n; i++) {
      sum += latent[i]!;
      sq += latent[i]! * latent[i]!;
    }
    mean[c] = sum / n;
    std[c] = Math.sqrt(Math.max(0, sq / n - mean[c]! ** 2));
  }
  return { mean, std };
}

/** Below this spread a channel is flat: it is shifted to the reference mean, not rescaled. */
const EPS = 1e-5;

/**
 * `prediction` (ε or v) for `sample` (the model input, x_t = √ᾱ·x0 + √(1−ᾱ)·ε) at cumulative
 * alpha `alphaBar`, adjusted so the implied x0 has the `target` statistics. `weight` 0…1 blends
 * between the original (0) and the fully matched (1) clean latent.
 */
export function adainPrediction(
  prediction: Float32Array,
  sample: Float32Array,
  alphaBar: number,
  target: ChannelStats,
  predictionType: 'epsilon' | 'v_prediction',
  weight = 1,
): Float32Array {
  if (prediction.length !== sample.length)
    throw new RangeError(`prediction has ${prediction.length} values, sample ${sample.length}`);
  if (!(alphaBar > 0 && alphaBar < 1))
    throw new RangeError(`alphaBar must be in (0, 1), got ${alphaBar}`);
  if (!(weight >= 0 && weight <= 1)) throw new RangeError(`weight must be in 0…1, got ${weight}`);
  const a = Math.sqrt(alphaBar);
  const b = Math.sqrt(1 - alphaBar);
  const x0 = new Float32Array(sample.length);
  for (let i = 0; i < sample.length; i++)
    x0[i] =
      predictionType === 'epsilon'
        ? (sample[i]! - b * prediction[i]!) / a
        : a * sample[i]! - b * prediction[i]!;
  const own = channelStats(x0, target.mean.length);
  const n = x0.length / target.mean.length;
  const out = new Float32Array(prediction.length);
  for (let c = 0; c < target.mean.length; c++) {
    const scale = own.std[c]! > EPS ? target.std[c]! / own.std[c]! : 1;
    for (let i = c * n; i < (c + 1) * n; i++) {
      const matched = (x0[i]! - own.mean[c]!) * scale + target.mean[c]!;
      const x = x0[i]! + weight * (matched - x0[i]!);
      out[i] = predictionType === 'epsilon' ? (sample[i]! - a * x) / b : (a * sample[i]! - x) / b;
    }
  }
  return out;
}

import type { SchedulerConfig } from './schedulerConfig';

/**
 * The training noise schedule: β_t and ᾱ_t = Π(1 − β_i) for t = 0 … num_train_timesteps − 1.
 * Kept in float64 (diffusers uses float32; the difference is below 1e-6 relative, far under
 * what the samplers' float32 latents can show).
 */
export interface NoiseSchedule {
  readonly trainSteps: number;
  readonly betas: Float64Array;
  readonly alphasCumprod: Float64Array;
}

export function noiseSchedule(config: SchedulerConfig): NoiseSchedule {
  const n = config.num_train_timesteps;
  const betas = new Float64Array(n);
  if (config.trained_betas) {
    betas.set(config.trained_betas);
  } else if (config.beta_schedule === 'linear') {
    for (let i = 0; i < n; i++) betas[i] = lerp(config.beta_start, config.beta_end, i / (n - 1));
  } else if (config.beta_schedule === 'scaled_linear') {
    // Linear in √β — the schedule Stable Diffusion was trained with.
    const a = Math.sqrt(config.beta_start);
    const b = Math.sqrt(config.beta_end);
    for (let i = 0; i < n; i++) betas[i] = lerp(a, b, i / (n - 1)) ** 2;
  } else {
    // squaredcos_cap_v2 (improved DDPM): β from a cosine ᾱ, capped at 0.999.
    const abar = (t: number) => Math.cos(((t + 0.008) / 1.008) * (Math.PI / 2)) ** 2;
    for (let i = 0; i < n; i++) betas[i] = Math.min(1 - abar((i + 1) / n) / abar(i / n), 0.999);
  }
  const alphasCumprod = new Float64Array(n);
  let product = 1;
  for (let i = 0; i < n; i++) {
    product *= 1 - betas[i]!;
    alphasCumprod[i] = product;
  }
  return { trainSteps: n, betas, alphasCumprod };
}

function lerp(a: number, b: number, f: number): number {
  return a + (b - a) * f;
}

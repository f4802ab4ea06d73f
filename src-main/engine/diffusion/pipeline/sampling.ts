import type { DdimScheduler } from '#shared/diffusion/schedulers/ddimScheduler';
import type { Sampler } from '#shared/diffusion/schedulers/sampler';
import type { ReferenceBank } from '#main/engine/diffusion/surgery/referenceUnet';
import type { Denoiser, TextConditioning } from './denoiser';

export interface WindowInputs {
  text: TextConditioning;
  /** Each frame's conditioning image (planar RGB 0…1), or null without ControlNet. */
  conditions: readonly Float32Array[] | null;
  bank: ReferenceBank;
}

/** Samples a window of frames together from `initial` latents through every step of `sampler`. */
export async function sampleWindow(
  denoiser: Denoiser,
  sampler: Sampler,
  initial: readonly Float32Array[],
  inputs: WindowInputs,
): Promise<Float32Array[]> {
  let latents = [...initial];
  for (let i = 0; i < sampler.timesteps.length; i++) {
    const input = latents.map((l) => sampler.scaleModelInput(l, i));
    const predictions = await denoiser.predict(
      input,
      sampler.timesteps[i]!,
      inputs.text,
      inputs.conditions,
      inputs.bank,
    );
    latents = latents.map((l, f) => sampler.step(predictions[f]!, i, l));
  }
  return latents;
}

/**
 * DDIM inversion of clean latents up to the first (noisiest) timestep of `ddim`: the model is
 * evaluated at each target timestep on the current, less noisy latent (the standard approximation).
 */
export async function invertWindow(
  denoiser: Denoiser,
  ddim: DdimScheduler,
  clean: readonly Float32Array[],
  inputs: WindowInputs,
): Promise<Float32Array[]> {
  let latents = [...clean];
  for (let i = ddim.timesteps.length - 1; i >= 0; i--) {
    const predictions = await denoiser.predict(
      latents,
      ddim.timesteps[i]!,
      inputs.text,
      inputs.conditions,
      inputs.bank,
    );
    latents = latents.map((l, f) => ddim.invertStep(predictions[f]!, i, l));
  }
  return latents;
}

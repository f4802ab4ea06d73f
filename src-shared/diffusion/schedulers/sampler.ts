/**
 * A denoising sampler over a fixed list of timesteps. Stateless: every call names the step index,
 * so one sampler can serve many windows of a long video (the `fused` strategy takes one global
 * step per index for all frames at once).
 */
export interface Sampler {
  /** Timesteps to evaluate the model at, highest noise first. */
  readonly timesteps: readonly number[];
  /** Standard deviation of the starting noise (1 for DDIM, σ_max-ish for Euler). */
  readonly initNoiseSigma: number;
  /** What to feed the model at step `index` (Euler divides by √(σ²+1); DDIM passes through). */
  scaleModelInput(sample: Float32Array, index: number): Float32Array;
  /**
   * One step from timesteps[index] to the next lower noise level. With `out` (which may be
   * `sample` itself: the update is element-wise) the result is written there instead of a new
   * array — long fused groups step every frame every step, and the allocations show up as GC.
   * Always use the returned array.
   */
  step(
    modelOutput: Float32Array,
    index: number,
    sample: Float32Array,
    out?: Float32Array,
  ): Float32Array;
  /**
   * A clean latent noised to the level the sampler's latent has *before* step `index`
   * (index = steps: the level after the last step). Used to hold frames to known content.
   */
  noisedAt(clean: Float32Array, noise: Float32Array, index: number): Float32Array;
}

export function assertSameLength(a: Float32Array, b: Float32Array, what: string): void {
  if (a.length !== b.length)
    throw new RangeError(
      `${what}: model output has ${a.length} values but the sample has ${b.length}`,
    );
}

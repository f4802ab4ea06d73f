/**
 * What the long-video strategies ask of the denoiser: predictions for a window of frames at one
 * step. `frames` are timeline indices (the anchor, when present, is −1); the returned array has
 * one prediction per latent, in the same order.
 */
export type WindowPredictor = (
  latents: readonly Float32Array[],
  frames: readonly number[],
  stepIndex: number,
) => Promise<Float32Array[]>;

/** The anchor's pseudo frame index (the reference pose carried by every window). */
export const ANCHOR_FRAME = -1;

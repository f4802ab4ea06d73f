/** The "done when" limits for the puppet on real pictures (issue 15), in one place. */
export const LIMITS = {
  /** A joint marker lands within this many pixels of its target joint. */
  markerError: 2.5,
  /** Marker-coloured pixels away from the target (ghost copies). */
  markerGhostPixels: 0,
  /** The body below the hips against the input when only the arms move (dB). */
  belowHipsPsnr: 35,
  /** Character pixel count within ±8% of the input's. */
  coverage: 0.08,
  /** Limb-coloured pixels left where a limb was, as a fraction of that area (resampling slack). */
  leftoverFraction: 0.01,
  /** Photos: mask IoU against the ground-truth outline. */
  maskIou: 0.85,
  /** Speed at 512² on 2 cores, frames/s. */
  framesPerSecond512: 100,
  /** Speed at 1024² on 2 cores, frames/s. */
  framesPerSecond1024: 40,
  /** Setup at 512² without a segmentation model, ms. */
  setupMs512: 500,
} as const;

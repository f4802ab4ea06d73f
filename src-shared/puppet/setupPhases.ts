/**
 * The steps of a puppet character's setup, in the order they run (docs/puppet.md, "Character
 * setup"): the one list the engine times, the protocol carries and the bench prints.
 */
export const SETUP_PHASES = [
  /** Decode the picture (sharp), EXIF orientation, downscale. */
  'picture',
  /** The character's mask (user, alpha, flood fill, segmentation model, pose). */
  'mask',
  /** The premultiplied character layer and the background plate (inpainting, edge unmixing). */
  'plate',
  /** Geodesic part labels of every character pixel. */
  'parts',
  /** The triangle mesh of the character's pixels. */
  'mesh',
  /** The parts' hidden areas and their filled textures. */
  'hidden',
  /** Stitches, skinning weights and the part map. */
  'skin',
] as const;
export type SetupPhase = (typeof SETUP_PHASES)[number];

/** How long one phase took: wall-clock ms, and the process's CPU ms (all threads) meanwhile. */
export interface SetupPhaseTime {
  phase: SetupPhase;
  ms: number;
  cpuMs: number;
}

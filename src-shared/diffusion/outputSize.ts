/**
 * Output sides of a Stable-Diffusion render must be multiples of 64: the VAE turns 8×8 pixels
 * into one latent pixel and the SD1.5 UNet halves the latent three times, adding each
 * down-block's output back on the way up — a latent side that is not a multiple of 8 gives
 * mismatched skip connections (a 72×72 request used to crash inside the UNet).
 */
export const DIFFUSION_SIZE_MULTIPLE = 64;

/** The one-line problem with an output size for diffusion, or null when it fits. */
export function diffusionSizeProblem(width: number, height: number): string | null {
  const m = DIFFUSION_SIZE_MULTIPLE;
  if (width % m === 0 && height % m === 0 && width > 0 && height > 0) return null;
  const round = (v: number) => Math.max(m, Math.round(v / m) * m);
  return `${width}×${height}: Stable Diffusion needs a width and height that are multiples of ${m} — use ${round(width)}×${round(height)}`;
}

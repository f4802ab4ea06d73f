import type { RgbImage } from '#shared/image/rgbImage';

/** The size of one latent (planar CHW floats): SD1.x has 4 channels at 1/8 of the picture. */
export interface LatentShape {
  channels: number;
  height: number;
  width: number;
}

/** SD1.x VAE latent scale (AutoencoderKL scaling_factor): latents the UNet sees = VAE mean × this. */
export const SD15_LATENT_SCALE = 0.18215;

/** Classifier-free guidance: uncond + s · (cond − uncond). */
export function guide(uncond: Float32Array, cond: Float32Array, scale: number): Float32Array {
  const out = new Float32Array(cond.length);
  for (let i = 0; i < out.length; i++) out[i] = uncond[i]! + scale * (cond[i]! - uncond[i]!);
  return out;
}

/** An RGB image as planar CHW floats, mapped from 0…255 to [lo, hi] (VAE: −1…1, ControlNet: 0…1). */
export function imageToPlanar(image: RgbImage, lo: number, hi: number): Float32Array {
  const n = image.width * image.height;
  const out = new Float32Array(3 * n);
  const k = (hi - lo) / 255;
  for (let i = 0; i < n; i++)
    for (let c = 0; c < 3; c++) out[c * n + i] = lo + image.data[i * 3 + c]! * k;
  return out;
}

/** Planar CHW floats in −1…1 (VAE decoder output) to an RGB image, clamped and rounded. */
export function planarToImage(planar: Float32Array, width: number, height: number): RgbImage {
  const n = width * height;
  if (planar.length !== 3 * n)
    throw new RangeError(`expected ${3 * n} values for ${width}×${height}, got ${planar.length}`);
  const data = new Uint8Array(3 * n);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < 3; c++) {
      const v = (planar[c * n + i]! + 1) * 127.5;
      data[i * 3 + c] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
    }
  return { width, height, data };
}

export function scaled(x: Float32Array, k: number): Float32Array {
  return x.map((v) => v * k);
}

/** ‖a − b‖ / ‖b‖ (for round-trip checks and drift measures). */
export function relativeError(a: Float32Array, b: Float32Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / den);
}

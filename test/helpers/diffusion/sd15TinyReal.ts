import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { frameNoise } from '#shared/diffusion/noise/seededNoise';

/**
 * The real-structure fixtures of ../shared/fixtures/sd15-tiny-real (README there): tiny random
 * SD1.5-architecture packs made by diffusers' exporter and ORT's transformer optimiser, all from
 * the same weights, so fused and unfused forms must compute the same numbers.
 */
export const SD15_TINY_REAL = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../..',
  '../shared/fixtures/sd15-tiny-real',
);

export const tinyRealUnet = (pack: string): string => join(SD15_TINY_REAL, pack, 'unet/model.onnx');

/** Residual sizes as fractions of the latent side: 1, 1/2, 1/4, 1/8 (three per level). */
const residualLevels = [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3];

/**
 * UNet feeds for batch `frames.length`, seeded per frame (`frames[i]` picks the noise), for the
 * inputs `names` the model has: sample, timestep (float32 [batch]), encoder_hidden_states (77
 * tokens of width 32), and the 13 residuals `down_block_<i>_additional_residual`,
 * `mid_block_additional_residual` (32 channels; `residualScale` 0 gives zero residuals: a
 * ControlNet-aware UNet then equals the plain one). Latents are `latent`² (8: 64×64 pixels).
 */
export function tinyRealUnetFeeds(
  names: readonly string[],
  frames: readonly number[],
  residualScale = 0.5,
  latent = 8,
): Record<string, ort.Tensor> {
  const b = frames.length;
  const side = (level: number) => Math.max(1, latent >> level);
  const stack = (size: number, seed: number, scale: number) => {
    const data = new Float32Array(b * size);
    frames.forEach((f, i) => data.set(frameNoise(seed, f, size, scale), i * size));
    return data;
  };
  const feeds: Record<string, ort.Tensor> = {
    sample: new ort.Tensor('float32', stack(4 * latent * latent, 1, 1), [b, 4, latent, latent]),
    timestep: new ort.Tensor('float32', new Float32Array(b).fill(601), [b]),
    encoder_hidden_states: new ort.Tensor('float32', stack(77 * 32, 2, 0.5), [b, 77, 32]),
  };
  residualLevels.forEach((level, i) => {
    const s = side(level);
    feeds[`down_block_${i}_additional_residual`] = new ort.Tensor(
      'float32',
      stack(32 * s * s, 10 + i, residualScale),
      [b, 32, s, s],
    );
  });
  const mid = side(3);
  feeds['mid_block_additional_residual'] = new ort.Tensor(
    'float32',
    stack(32 * mid * mid, 30, residualScale),
    [b, 32, mid, mid],
  );
  return Object.fromEntries(Object.entries(feeds).filter(([k]) => names.includes(k)));
}

export function maxAbsDiff(a: ort.Tensor, b: ort.Tensor): number {
  const x = a.data as Float32Array;
  const y = b.data as Float32Array;
  if (x.length !== y.length) throw new Error(`sizes differ: ${x.length} vs ${y.length}`);
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

export function maxAbs(a: ort.Tensor): number {
  let m = 0;
  for (const v of a.data as Float32Array) m = Math.max(m, Math.abs(v));
  return m;
}

import type { RgbImage } from '#shared/image/rgbImage';
import {
  imageToPlanar,
  planarToImage,
  SD15_LATENT_SCALE,
} from '#shared/diffusion/latents/latentMath';
import type { OpenPack } from '#main/engine/diffusion/pack/openPack';
import { concat } from './denoiser';
import { floatTensor, readFloats } from './tensors';

/** The reference picture as a UNet latent (VAE mean × 0.18215). */
export async function encodeImage(pack: OpenPack, image: RgbImage): Promise<Float32Array> {
  if (image.width % 8 !== 0 || image.height % 8 !== 0)
    throw new RangeError(`image size must be a multiple of 8, got ${image.width}×${image.height}`);
  const sample = floatTensor(pack.signatures.vaeEncoder.inputType, imageToPlanar(image, -1, 1), [
    1,
    3,
    image.height,
    image.width,
  ]);
  const { output, parameters, inputName } = pack.signatures.vaeEncoder;
  const out = (await pack.sessions.vaeEncoder.run({ [inputName]: sample }, [output]))[output]!;
  const data = readFloats(out);
  // latent_parameters = [mean; log-variance]: keep the mean (deterministic encoding).
  const mean = parameters ? data.subarray(0, data.length / 2) : data;
  return mean.map((v) => v * SD15_LATENT_SCALE);
}

/**
 * Decodes latents `chunk` frames at a time, yielding images in order — memory for decoding is
 * bounded by the chunk, not by the video length (the top cause of out-of-memory after sampling).
 */
export async function* decodeLatents(
  pack: OpenPack,
  latents: Iterable<Float32Array>,
  latentHeight: number,
  latentWidth: number,
  chunk = 4,
): AsyncGenerator<RgbImage> {
  let pending: Float32Array[] = [];
  const flush = async function* (): AsyncGenerator<RgbImage> {
    if (pending.length === 0) return;
    const batch = pending.length;
    const input = floatTensor(
      pack.signatures.vaeDecoder.inputType,
      concat(pending.map((l) => l.map((v) => v / SD15_LATENT_SCALE))),
      [batch, 4, latentHeight, latentWidth],
    );
    pending = [];
    const { inputName, outputName } = pack.signatures.vaeDecoder;
    const out = (await pack.sessions.vaeDecoder.run({ [inputName]: input }, [outputName]))[
      outputName
    ]!;
    const [, , h, w] = out.dims as number[];
    const size = 3 * h! * w!;
    const data = readFloats(out);
    for (let i = 0; i < batch; i++)
      yield planarToImage(data.subarray(i * size, (i + 1) * size), w!, h!);
  };
  for (const latent of latents) {
    pending.push(latent);
    if (pending.length >= chunk) yield* flush();
  }
  yield* flush();
}

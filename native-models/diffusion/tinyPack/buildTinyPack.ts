import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SeededRandom } from '#shared/diffusion/noise/seededNoise';
import { buildControlnet } from './controlnetGraph';
import { buildTextEncoder } from './textEncoderGraph';
import { buildUnet, type UnetOptions } from './unetGraph';
import { buildVaeDecoder, buildVaeEncoder } from './vaeGraphs';
import { writeModel } from './writeModel';
import { withFloat16Io } from './float16Io';
import type { onnx } from 'onnx-proto';

/** The real SD1.5 tokenizer/scheduler files copied into every tiny pack. */
export const sd15MetadataDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'sd15-metadata');

export interface TinyPackOptions {
  seed?: number;
  /** External weights file of the UNet: optimum's `model.onnx_data` or older exporters' `weights.pb`. */
  unetWeightsFile?: 'model.onnx_data' | 'weights.pb';
  /** UNet variant; by default the ControlNet-ready one (residual inputs), as a pose pack needs. */
  unet?: UnetOptions;
  /** Leave out the controlnet/ folder. */
  withoutControlnet?: boolean;
  /** Every model takes and returns float16 (as `--fp16` / Olive exports do). */
  float16Io?: boolean;
}

/**
 * Writes a complete diffusers/optimum-layout ONNX pack with tiny seeded random weights into `dir`:
 * text_encoder/, unet/ (weights external), vae_encoder/, vae_decoder/, controlnet/, tokenizer/,
 * scheduler/, model_index.json. Deterministic for a seed. Returns `dir`.
 */
export async function buildTinyPack(dir: string, options: TinyPackOptions = {}): Promise<string> {
  const seed = options.seed ?? 1234;
  // One RNG per model so changing one graph does not reshuffle the others' weights.
  const rng = (k: number) => new SeededRandom(seed * 31 + k);
  const io = (m: onnx.ModelProto) => (options.float16Io ? withFloat16Io(m) : m);
  const unetOptions: UnetOptions = {
    controlnetResiduals: !options.withoutControlnet,
    ...options.unet,
  };
  await writeModel(io(buildTextEncoder(rng(1))), join(dir, 'text_encoder', 'model.onnx'));
  await writeModel(io(buildUnet(rng(2), unetOptions)), join(dir, 'unet', 'model.onnx'), {
    fileName: options.unetWeightsFile ?? 'model.onnx_data',
    minBytes: 1024,
  });
  await writeModel(io(buildVaeEncoder(rng(3))), join(dir, 'vae_encoder', 'model.onnx'));
  await writeModel(io(buildVaeDecoder(rng(4))), join(dir, 'vae_decoder', 'model.onnx'));
  if (!options.withoutControlnet)
    await writeModel(io(buildControlnet(rng(5))), join(dir, 'controlnet', 'model.onnx'));

  await mkdir(join(dir, 'tokenizer'), { recursive: true });
  for (const f of ['vocab.json', 'merges.txt', 'tokenizer_config.json', 'special_tokens_map.json'])
    await copyFile(join(sd15MetadataDir, 'tokenizer', f), join(dir, 'tokenizer', f));
  await mkdir(join(dir, 'scheduler'), { recursive: true });
  await copyFile(
    join(sd15MetadataDir, 'scheduler', 'scheduler_config.json'),
    join(dir, 'scheduler', 'scheduler_config.json'),
  );
  const index = JSON.parse(
    await readFile(join(sd15MetadataDir, 'model_index.json'), 'utf8'),
  ) as Record<string, unknown>;
  if (!options.withoutControlnet) index['controlnet'] = ['diffusers', 'OnnxRuntimeModel'];
  await writeFile(join(dir, 'model_index.json'), JSON.stringify(index, null, 2) + '\n');
  return dir;
}

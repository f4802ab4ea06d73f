import type { onnx } from 'onnx-proto';
import type { SeededRandom } from '#shared/diffusion/noise/seededNoise';
import { GraphBuilder } from './graphBuilder';
import { tinyDims } from './tinyPackConfig';
import { conv, silu } from './unetBlocks';

/**
 * Tiny AutoencoderKL halves. The encoder ends with quant_conv to mean and log-variance and
 * outputs the mean as `latent_sample` (diffusers' exporter traced a random sample there; the
 * mean is the deterministic choice); the decoder maps `latent_sample` back to `sample` (unbounded; the pipeline clamps).
 */
export function buildVaeEncoder(rng: SeededRandom): onnx.ModelProto {
  const g = new GraphBuilder(rng);
  const x = g.input('sample', 'float32', ['batch', 3, 'height', 'width']);
  let h = conv(g, '/encoder/conv_in', x, 3, 8, 3);
  for (const i of [0, 1, 2])
    h = silu(
      g,
      `/encoder/down_blocks.${i}/act`,
      conv(g, `/encoder/down_blocks.${i}/downsamplers.0/conv`, h, 8, 8, 3, 2),
    );
  h = conv(g, '/encoder/conv_out', h, 8, 2 * tinyDims.latentChannels, 3);
  const moments = conv(
    g,
    '/quant_conv',
    h,
    2 * tinyDims.latentChannels,
    2 * tinyDims.latentChannels,
    1,
  );
  const mean = g.op('Slice', '/Slice', [
    moments,
    g.int64s([0]),
    g.int64s([tinyDims.latentChannels]),
    g.int64s([1]),
  ]);
  g.renameOutput(mean, 'latent_sample');
  g.output('latent_sample', 'float32', [
    'batch',
    tinyDims.latentChannels,
    'height_latent',
    'width_latent',
  ]);
  return g.toModel('tiny AutoencoderKL encoder');
}

export function buildVaeDecoder(rng: SeededRandom): onnx.ModelProto {
  const g = new GraphBuilder(rng);
  const z = g.input('latent_sample', 'float32', [
    'batch',
    tinyDims.latentChannels,
    'height_latent',
    'width_latent',
  ]);
  let h = conv(g, '/post_quant_conv', z, tinyDims.latentChannels, tinyDims.latentChannels, 1);
  h = conv(g, '/decoder/conv_in', h, tinyDims.latentChannels, 8, 3);
  for (const i of [0, 1, 2]) {
    const p = `/decoder/up_blocks.${i}/upsamplers.0`;
    h = g.op(
      'Resize',
      `${p}/Resize`,
      [h, '', g.floatTensor(`decoder.up_blocks.${i}.scales`, [4], [1, 1, 2, 2])],
      { mode: 'nearest' },
    );
    h = silu(g, `/decoder/up_blocks.${i}/act`, conv(g, `${p}/conv`, h, 8, 8, 3));
  }
  const out = conv(g, '/decoder/conv_out', h, 8, 3, 3);
  g.renameOutput(out, 'sample');
  g.output('sample', 'float32', ['batch', 3, 'height', 'width']);
  return g.toModel('tiny AutoencoderKL decoder');
}

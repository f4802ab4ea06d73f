import type { onnx } from 'onnx-proto';
import type { SeededRandom } from '#shared/diffusion/noise/seededNoise';
import { GraphBuilder } from './graphBuilder';
import { tinyDims, tinyDownResiduals } from './tinyPackConfig';
import { conv, silu } from './unetBlocks';
import { unetEncoder } from './unetGraph';

/**
 * The tiny ControlNetModel: a copy of the UNet encoder whose conv_in output is shifted by an
 * embedding of the conditioning image (controlnet_cond_embedding: strided convs from image to
 * latent resolution), then one 1×1 conv per residual (controlnet_down_blocks.i,
 * controlnet_mid_block), all scaled by conditioning_scale.
 * sample, timestep, encoder_hidden_states, controlnet_cond, conditioning_scale →
 * down_block_res_sample_{i}, mid_block_res_sample.
 */
export function buildControlnet(rng: SeededRandom): onnx.ModelProto {
  const g = new GraphBuilder(rng);
  const [c0, c1] = tinyDims.blockChannels;
  const sample = g.input('sample', 'float32', [
    'batch',
    tinyDims.latentChannels,
    'height',
    'width',
  ]);
  const timestep = g.input('timestep', 'float32', ['steps']);
  const text = g.input('encoder_hidden_states', 'float32', ['batch', 'sequence', tinyDims.textDim]);
  const cond = g.input('controlnet_cond', 'float32', ['batch', 3, 'image_height', 'image_width']);
  const scale = g.input('conditioning_scale', 'float32', []);
  // 64 → 8: conv_in then three stride-2 convs (SD's embedding has the same 3 halvings).
  const e = '/controlnet_cond_embedding';
  let c = silu(g, `${e}/act`, conv(g, `${e}/conv_in`, cond, 3, 8, 3));
  c = silu(g, `${e}/act_1`, conv(g, `${e}/blocks.1`, c, 8, 8, 3, 2));
  c = silu(g, `${e}/act_2`, conv(g, `${e}/blocks.3`, c, 8, 8, 3, 2));
  c = silu(g, `${e}/act_3`, conv(g, `${e}/blocks.5`, c, 8, 8, 3, 2));
  const embedded = conv(g, `${e}/conv_out`, c, 8, c0, 3);
  const enc = unetEncoder(g, sample, timestep, text, { fused: false, addToConvIn: embedded });
  enc.residuals.forEach((r, i) => {
    const ch = tinyDownResiduals[i]!.channels;
    const out = g.op('Mul', `/Mul_${i}`, [
      conv(g, `/controlnet_down_blocks.${i}`, r, ch, ch, 1),
      scale,
    ]);
    g.renameOutput(out, `down_block_res_sample_${i}`);
    g.output(`down_block_res_sample_${i}`, 'float32', ['batch', ch, `h${i}`, `w${i}`]);
  });
  const mid = g.op('Mul', '/Mul_mid', [
    conv(g, '/controlnet_mid_block', enc.mid, c1, c1, 1),
    scale,
  ]);
  g.renameOutput(mid, 'mid_block_res_sample');
  g.output('mid_block_res_sample', 'float32', ['batch', c1, 'hm', 'wm']);
  return g.toModel('tiny ControlNetModel (SD1.5 OpenPose layout)');
}

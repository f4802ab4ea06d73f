import type { onnx } from 'onnx-proto';
import type { SeededRandom } from '#shared/diffusion/noise/seededNoise';
import { GraphBuilder } from './graphBuilder';
import { tinyDims } from './tinyPackConfig';
import {
  conv,
  groupNorm,
  resnet,
  silu,
  timeEmbedding,
  transformer,
  type BlockDims,
} from './unetBlocks';

export interface UnetOptions {
  /** Extra inputs down_block_additional_residual_{i} / mid_block_additional_residual (ControlNet-ready export). */
  controlnetResiduals?: boolean;
  /** Self-attention as com.microsoft MultiHeadAttention (what ORT's optimizer leaves). */
  fusedSelfAttention?: boolean;
  /** Timestep input type: float32 (diffusers' legacy exporter, Olive) or int64 (optimum). */
  timestepType?: 'float32' | 'int64';
  /**
   * Scale of conv_out's random weights (default 0.05). A trained ε-predictor changes slowly with
   * its input between neighbouring timesteps; raw random weights (gain 1) do not, and DDIM
   * inversion of such a network drifts by ~50 % at 50 steps whatever the code does. The small
   * gain gives the fixture a trained model's smoothness so round-trip tests measure the sampler.
   */
  outputGain?: number;
}

export const blockDims: BlockDims = {
  groups: tinyDims.groups,
  heads: tinyDims.heads,
  timeDim: tinyDims.timeDim,
  textDim: tinyDims.textDim,
};

/** The encoder half shared by UNet and ControlNet: returns down residuals, mid output and the time embedding. */
export function unetEncoder(
  g: GraphBuilder,
  sample: string,
  timestep: string,
  text: string,
  options: { fused: boolean; addToConvIn?: string },
): { residuals: string[]; mid: string; temb: string } {
  const [c0, c1] = tinyDims.blockChannels;
  const temb = timeEmbedding(g, timestep, c0, tinyDims.timeDim);
  let h = conv(g, '/conv_in', sample, tinyDims.latentChannels, c0, 3);
  if (options.addToConvIn) h = g.op('Add', '/Add', [h, options.addToConvIn]);
  const residuals = [h];
  h = resnet(g, '/down_blocks.0/resnets.0', h, temb, c0, c0, blockDims);
  h = transformer(g, '/down_blocks.0/attentions.0', h, text, c0, blockDims, options.fused);
  residuals.push(h);
  h = conv(g, '/down_blocks.0/downsamplers.0/conv', h, c0, c0, 3, 2);
  residuals.push(h);
  h = resnet(g, '/down_blocks.1/resnets.0', h, temb, c0, c1, blockDims);
  residuals.push(h);
  h = resnet(g, '/mid_block/resnets.0', h, temb, c1, c1, blockDims);
  h = transformer(g, '/mid_block/attentions.0', h, text, c1, blockDims, options.fused);
  h = resnet(g, '/mid_block/resnets.1', h, temb, c1, c1, blockDims);
  return { residuals, mid: h, temb };
}

/** The tiny UNet2DConditionModel: sample, timestep, encoder_hidden_states → out_sample. */
export function buildUnet(rng: SeededRandom, options: UnetOptions = {}): onnx.ModelProto {
  const g = new GraphBuilder(rng);
  const [c0, c1] = tinyDims.blockChannels;
  const sample = g.input('sample', 'float32', [
    'batch',
    tinyDims.latentChannels,
    'height',
    'width',
  ]);
  let timestep = g.input('timestep', options.timestepType ?? 'float32', ['steps']);
  if (options.timestepType === 'int64') timestep = g.op('Cast', '/Cast', [timestep], { to: 1 });
  const text = g.input('encoder_hidden_states', 'float32', ['batch', 'sequence', tinyDims.textDim]);
  const enc = unetEncoder(g, sample, timestep, text, {
    fused: options.fusedSelfAttention ?? false,
  });
  let residuals = enc.residuals;
  let h = enc.mid;
  if (options.controlnetResiduals) {
    // diffusers adds the ControlNet residuals to the skip connections and to the mid output.
    residuals = residuals.map((r, i) => {
      const extra = g.input(`down_block_additional_residual_${i}`, 'float32', [
        'batch',
        i === 3 ? c1 : c0,
        `h${i}`,
        `w${i}`,
      ]);
      return g.op('Add', `/Add_down_${i}`, [r, extra]);
    });
    h = g.op('Add', '/Add_mid', [
      h,
      g.input('mid_block_additional_residual', 'float32', ['batch', c1, 'hm', 'wm']),
    ]);
  }
  const [r0, r1, r2, r3] = residuals as [string, string, string, string];
  const cat = (path: string, a: string, b: string) =>
    g.op('Concat', `${path}/Concat`, [a, b], { axis: 1 });
  // up_blocks.0 (UpBlock2D): two resnets on skip concatenations, then upsample.
  h = resnet(
    g,
    '/up_blocks.0/resnets.0',
    cat('/up_blocks.0/resnets.0', h, r3),
    enc.temb,
    c1 + c1,
    c1,
    blockDims,
  );
  h = resnet(
    g,
    '/up_blocks.0/resnets.1',
    cat('/up_blocks.0/resnets.1', h, r2),
    enc.temb,
    c1 + c0,
    c1,
    blockDims,
  );
  h = g.op(
    'Resize',
    '/up_blocks.0/upsamplers.0/Resize',
    [h, '', g.floatTensor('up_blocks.0.upsamplers.0.scales', [4], [1, 1, 2, 2])],
    { mode: 'nearest' },
  );
  h = conv(g, '/up_blocks.0/upsamplers.0/conv', h, c1, c1, 3);
  // up_blocks.1 (CrossAttnUpBlock2D): resnet + transformer per skip.
  h = resnet(
    g,
    '/up_blocks.1/resnets.0',
    cat('/up_blocks.1/resnets.0', h, r1),
    enc.temb,
    c1 + c0,
    c0,
    blockDims,
  );
  h = transformer(
    g,
    '/up_blocks.1/attentions.0',
    h,
    text,
    c0,
    blockDims,
    options.fusedSelfAttention ?? false,
  );
  h = resnet(
    g,
    '/up_blocks.1/resnets.1',
    cat('/up_blocks.1/resnets.1', h, r0),
    enc.temb,
    c0 + c0,
    c0,
    blockDims,
  );
  h = transformer(
    g,
    '/up_blocks.1/attentions.1',
    h,
    text,
    c0,
    blockDims,
    options.fusedSelfAttention ?? false,
  );
  h = silu(g, '/conv_act', groupNorm(g, '/conv_norm_out', h, c0, tinyDims.groups));
  const out = conv(
    g,
    '/conv_out',
    h,
    c0,
    tinyDims.latentChannels,
    3,
    1,
    options.outputGain ?? 0.05,
  );
  g.renameOutput(out, 'out_sample');
  g.output('out_sample', 'float32', ['batch', tinyDims.latentChannels, 'height', 'width']);
  return g.toModel(
    'tiny UNet2DConditionModel (SD1.5 layout)',
    17,
    options.fusedSelfAttention ? ['com.microsoft'] : [],
  );
}

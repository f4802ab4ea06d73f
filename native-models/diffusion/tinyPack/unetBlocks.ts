import type { GraphBuilder } from './graphBuilder';

/**
 * The building blocks of a diffusers UNet2DConditionModel as torch.onnx.export lays them out:
 * same module paths, same operator decomposition (GroupNorm through InstanceNormalization,
 * unfused self-attention with to_q/to_k/to_v MatMuls, GEGLU feed-forward), just few channels.
 */
export interface BlockDims {
  groups: number;
  heads: number;
  timeDim: number;
  textDim: number;
}

/** torch's GroupNorm export: reshape to groups, InstanceNormalization, reshape back, affine. */
export function groupNorm(
  g: GraphBuilder,
  path: string,
  x: string,
  channels: number,
  groups: number,
): string {
  const grouped = g.op('Reshape', `${path}/Reshape`, [x, g.int64s([0, groups, -1])]);
  const normed = g.op(
    'InstanceNormalization',
    `${path}/InstanceNormalization`,
    [
      grouped,
      g.floatTensor(`${path.slice(1)}.instance_scale`, [groups], new Array(groups).fill(1)),
      g.floatTensor(`${path.slice(1)}.instance_bias`, [groups], new Array(groups).fill(0)),
    ],
    { epsilon: { float: 1e-5 } },
  );
  const shape = g.op('Shape', `${path}/Shape`, [x]);
  const back = g.op('Reshape', `${path}/Reshape_1`, [normed, shape]);
  const name = path.slice(1).replaceAll('/', '.');
  const scaled = g.op('Mul', `${path}/Mul`, [
    back,
    g.floatTensor(`${name}.weight`, [channels, 1, 1], gamma(channels)),
  ]);
  return g.op('Add', `${path}/Add`, [
    scaled,
    g.floatTensor(`${name}.bias`, [channels, 1, 1], new Array(channels).fill(0.01)),
  ]);
}

function gamma(channels: number): number[] {
  return Array.from({ length: channels }, (_, i) => 1 + 0.05 * Math.sin(i));
}

export function silu(g: GraphBuilder, path: string, x: string): string {
  return g.op('Mul', `${path}/Mul`, [x, g.op('Sigmoid', `${path}/Sigmoid`, [x])]);
}

export function conv(
  g: GraphBuilder,
  path: string,
  x: string,
  cin: number,
  cout: number,
  kernel: number,
  stride = 1,
  gain = 1,
): string {
  const name = path.slice(1).replaceAll('/', '.');
  const pad = Math.floor(kernel / 2);
  return g.op(
    'Conv',
    `${path}/Conv`,
    [
      x,
      g.weight(
        `${name}.weight`,
        [cout, cin, kernel, kernel],
        (cin * kernel * kernel) / (gain * gain),
      ),
      g.floatTensor(`${name}.bias`, [cout], new Array(cout).fill(0)),
    ],
    { kernel_shape: [kernel, kernel], pads: [pad, pad, pad, pad], strides: [stride, stride] },
  );
}

/** A Linear layer on the last axis: MatMul with a [in, out] weight (+ Add bias). */
export function linear(
  g: GraphBuilder,
  path: string,
  x: string,
  cin: number,
  cout: number,
  bias = true,
): string {
  const name = path.slice(1).replaceAll('/', '.');
  const y = g.op('MatMul', `${path}/MatMul`, [
    x,
    g.weight(`onnx::MatMul_${name}`, [cin, cout], cin),
  ]);
  return bias
    ? g.op('Add', `${path}/Add`, [
        y,
        g.floatTensor(`${name}.bias`, [cout], new Array(cout).fill(0)),
      ])
    : y;
}

/** Sinusoidal timestep embedding (flip_sin_to_cos, shift 0) followed by the two-layer MLP. */
export function timeEmbedding(
  g: GraphBuilder,
  timestep: string,
  baseChannels: number,
  timeDim: number,
): string {
  const half = baseChannels / 2;
  const freqs = Array.from({ length: half }, (_, i) => Math.exp((-Math.log(10000) * i) / half));
  const t = g.op('Unsqueeze', '/time_proj/Unsqueeze', [timestep, g.int64s([1])]);
  const args = g.op('Mul', '/time_proj/Mul', [
    t,
    g.floatTensor('time_proj.freqs', [1, half], freqs),
  ]);
  const emb = g.op(
    'Concat',
    '/time_proj/Concat',
    [g.op('Cos', '/time_proj/Cos', [args]), g.op('Sin', '/time_proj/Sin', [args])],
    { axis: -1 },
  );
  const h = linear(g, '/time_embedding/linear_1', emb, baseChannels, timeDim);
  return linear(g, '/time_embedding/linear_2', silu(g, '/time_embedding/act', h), timeDim, timeDim);
}

/** ResnetBlock2D: norm–SiLU–conv, + projected time embedding, norm–SiLU–conv, + (shortcut) input. */
export function resnet(
  g: GraphBuilder,
  path: string,
  x: string,
  temb: string,
  cin: number,
  cout: number,
  dims: BlockDims,
): string {
  let h = silu(g, `${path}/nonlinearity`, groupNorm(g, `${path}/norm1`, x, cin, dims.groups));
  h = conv(g, `${path}/conv1`, h, cin, cout, 3);
  const t = linear(
    g,
    `${path}/time_emb_proj`,
    silu(g, `${path}/nonlinearity_1`, temb),
    dims.timeDim,
    cout,
  );
  const t4 = g.op('Unsqueeze', `${path}/Unsqueeze`, [t, g.int64s([2, 3])]);
  h = g.op('Add', `${path}/Add`, [h, t4]);
  h = silu(g, `${path}/nonlinearity_2`, groupNorm(g, `${path}/norm2`, h, cout, dims.groups));
  h = conv(g, `${path}/conv2`, h, cout, cout, 3);
  const skip = cin === cout ? x : conv(g, `${path}/conv_shortcut`, x, cin, cout, 1);
  return g.op('Add', `${path}/Add_1`, [skip, h]);
}

/**
 * diffusers Attention with AttnProcessor2_0, as exported: q/k/v projections without bias, heads
 * split by Reshape [B, −1, heads, d] + Transpose (the sequence length is never baked in, which is
 * what lets the bank reader lengthen K and V), scaled_dot_product_attention decomposed into
 * MatMul–Mul–Softmax–MatMul, heads merged, to_out.0 with bias.
 */
export function attention(
  g: GraphBuilder,
  path: string,
  x: string,
  context: string,
  channels: number,
  contextDim: number,
  heads: number,
): string {
  const d = channels / heads;
  const q = linear(g, `${path}/to_q`, x, channels, channels, false);
  const k = linear(g, `${path}/to_k`, context, contextDim, channels, false);
  const v = linear(g, `${path}/to_v`, context, contextDim, channels, false);
  const split = (t: string, name: string, perm: number[]) =>
    g.op(
      'Transpose',
      `${path}/Transpose${name}`,
      [g.op('Reshape', `${path}/Reshape${name}`, [t, g.int64s([0, -1, heads, d])])],
      { perm },
    );
  const qh = split(q, '', [0, 2, 1, 3]);
  const khT = split(k, '_1', [0, 2, 3, 1]);
  const vh = split(v, '_2', [0, 2, 1, 3]);
  const scores = g.op('Mul', `${path}/Mul`, [
    g.op('MatMul', `${path}/MatMul`, [qh, khT]),
    g.scalar(1 / Math.sqrt(d)),
  ]);
  const probs = g.op('Softmax', `${path}/Softmax`, [scores], { axis: -1 });
  const mixed = g.op('MatMul', `${path}/MatMul_1`, [probs, vh]);
  const merged = g.op('Reshape', `${path}/Reshape_3`, [
    g.op('Transpose', `${path}/Transpose_3`, [mixed], { perm: [0, 2, 1, 3] }),
    g.int64s([0, -1, channels]),
  ]);
  return linear(g, `${path}/to_out.0`, merged, channels, channels);
}

/** The same self-attention as ONNX Runtime's transformer optimizer leaves it: one fused op. */
export function fusedSelfAttention(
  g: GraphBuilder,
  path: string,
  x: string,
  channels: number,
  heads: number,
): string {
  const q = linear(g, `${path}/to_q`, x, channels, channels, false);
  const k = linear(g, `${path}/to_k`, x, channels, channels, false);
  const v = linear(g, `${path}/to_v`, x, channels, channels, false);
  const mixed = g.node(
    'MultiHeadAttention',
    `${path}/MultiHeadAttention`,
    [q, k, v],
    { num_heads: heads },
    1,
    'com.microsoft',
  )[0]!;
  return linear(g, `${path}/to_out.0`, mixed, channels, channels);
}

function layerNorm(g: GraphBuilder, path: string, x: string, channels: number): string {
  const name = path.slice(1).replaceAll('/', '.');
  return g.op(
    'LayerNormalization',
    `${path}/LayerNormalization`,
    [
      x,
      g.floatTensor(`${name}.weight`, [channels], gamma(channels)),
      g.floatTensor(`${name}.bias`, [channels], new Array(channels).fill(0)),
    ],
    { axis: -1, epsilon: { float: 1e-5 } },
  );
}

/** GELU by erf, as torch exports it below opset 20. */
function gelu(g: GraphBuilder, path: string, x: string): string {
  const erf = g.op('Erf', `${path}/Erf`, [g.op('Div', `${path}/Div`, [x, g.scalar(Math.SQRT2)])]);
  return g.op('Mul', `${path}/Mul_1`, [
    g.op('Mul', `${path}/Mul`, [x, g.op('Add', `${path}/Add`, [erf, g.scalar(1)])]),
    g.scalar(0.5),
  ]);
}

/** Transformer2DModel (use_linear_projection false) with one BasicTransformerBlock. */
export function transformer(
  g: GraphBuilder,
  path: string,
  x: string,
  text: string,
  channels: number,
  dims: BlockDims,
  fused: boolean,
): string {
  const n = groupNorm(g, `${path}/norm`, x, channels, dims.groups);
  const p = conv(g, `${path}/proj_in`, n, channels, channels, 1);
  // [B, C, H, W] → [B, H·W, C]
  const seq = g.op('Reshape', `${path}/Reshape`, [
    g.op('Transpose', `${path}/Transpose`, [p], { perm: [0, 2, 3, 1] }),
    g.int64s([0, -1, channels]),
  ]);
  const b = `${path}/transformer_blocks.0`;
  const n1 = layerNorm(g, `${b}/norm1`, seq, channels);
  const a1 = fused
    ? fusedSelfAttention(g, `${b}/attn1`, n1, channels, dims.heads)
    : attention(g, `${b}/attn1`, n1, n1, channels, channels, dims.heads);
  let h = g.op('Add', `${b}/Add`, [a1, seq]);
  const a2 = attention(
    g,
    `${b}/attn2`,
    layerNorm(g, `${b}/norm2`, h, channels),
    text,
    channels,
    dims.textDim,
    dims.heads,
  );
  h = g.op('Add', `${b}/Add_1`, [a2, h]);
  // GEGLU: one projection to 2·inner, split, value · gelu(gate).
  const inner = channels * 4;
  const proj = linear(
    g,
    `${b}/ff/net.0/proj`,
    layerNorm(g, `${b}/norm3`, h, channels),
    channels,
    inner * 2,
  );
  const [value, gate] = g.node(
    'Split',
    `${b}/ff/net.0/Split`,
    [proj, g.int64s([inner, inner])],
    { axis: -1 },
    2,
  );
  const ff = linear(
    g,
    `${b}/ff/net.2`,
    g.op('Mul', `${b}/ff/net.0/Mul`, [value!, gelu(g, `${b}/ff/net.0/gelu`, gate!)]),
    inner,
    channels,
  );
  h = g.op('Add', `${b}/Add_2`, [ff, h]);
  // back to [B, C, H, W] using the input's shape
  const back = g.op(
    'Transpose',
    `${path}/Transpose_1`,
    [
      g.op('Reshape', `${path}/Reshape_1`, [
        h,
        g.op(
          'Concat',
          `${path}/Concat`,
          [
            g.op('Slice', `${path}/Slice`, [
              g.op('Shape', `${path}/Shape`, [x]),
              g.int64s([0]),
              g.int64s([1]),
            ]),
            g.op('Slice', `${path}/Slice_1`, [
              g.op('Shape', `${path}/Shape_1`, [x]),
              g.int64s([2]),
              g.int64s([4]),
            ]),
            g.int64s([channels]),
          ],
          { axis: 0 },
        ),
      ]),
    ],
    { perm: [0, 3, 1, 2] },
  );
  return g.op('Add', `${path}/Add`, [conv(g, `${path}/proj_out`, back, channels, channels, 1), x]);
}

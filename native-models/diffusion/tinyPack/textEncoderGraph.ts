import type { onnx } from 'onnx-proto';
import type { SeededRandom } from '#shared/diffusion/noise/seededNoise';
import { GraphBuilder } from './graphBuilder';
import { tinyDims } from './tinyPackConfig';
import { linear } from './unetBlocks';

/**
 * The tiny CLIPTextModel: token + position embeddings, one MLP layer, final LayerNorm.
 * input_ids (int32, [batch, 77]) → last_hidden_state [batch, 77, D], pooler_output [batch, D]
 * (the hidden state at the end-of-text token, i.e. the argmax of the ids, as CLIP does).
 */
export function buildTextEncoder(rng: SeededRandom): onnx.ModelProto {
  const g = new GraphBuilder(rng);
  const { textDim: d, textLength: n, vocabSize } = tinyDims;
  const ids = g.input('input_ids', 'int32', ['batch', 'sequence']);
  const e = '/text_model/embeddings';
  const tokens = g.op('Gather', `${e}/token_embedding/Gather`, [
    g.weight('text_model.embeddings.token_embedding.weight', [vocabSize, d], 1),
    ids,
  ]);
  let h = g.op('Add', `${e}/Add`, [
    tokens,
    g.weight('text_model.embeddings.position_embedding.weight', [n, d], 1),
  ]);
  const m = '/text_model/encoder/layers.0/mlp';
  const fc1 = linear(g, `${m}/fc1`, h, d, 4 * d);
  // quick_gelu: x · σ(1.702 x)
  const act = g.op('Mul', `${m}/activation_fn/Mul_1`, [
    fc1,
    g.op('Sigmoid', `${m}/activation_fn/Sigmoid`, [
      g.op('Mul', `${m}/activation_fn/Mul`, [fc1, g.scalar(1.702)]),
    ]),
  ]);
  h = g.op('Add', '/text_model/encoder/layers.0/Add', [h, linear(g, `${m}/fc2`, act, 4 * d, d)]);
  const last = g.op(
    'LayerNormalization',
    '/text_model/final_layer_norm/LayerNormalization',
    [
      h,
      g.floatTensor('text_model.final_layer_norm.weight', [d], new Array(d).fill(1)),
      g.floatTensor('text_model.final_layer_norm.bias', [d], new Array(d).fill(0)),
    ],
    { axis: -1, epsilon: { float: 1e-5 } },
  );
  const eos = g.op(
    'ArgMax',
    '/text_model/ArgMax',
    [g.op('Cast', '/text_model/Cast', [ids], { to: 7 })],
    { axis: -1, keepdims: 0 },
  );
  const oneHot = g.op(
    'OneHot',
    '/text_model/OneHot',
    [eos, g.int64s([n], []), g.floatTensor('onnx::OneHot_values', [2], [0, 1])],
    { axis: -1 },
  );
  const picked = g.op('MatMul', '/text_model/MatMul', [
    g.op('Unsqueeze', '/text_model/Unsqueeze', [oneHot, g.int64s([1])]),
    last,
  ]);
  const pooled = g.op('Squeeze', '/text_model/Squeeze', [picked, g.int64s([1])]);
  g.renameOutput(last, 'last_hidden_state');
  g.renameOutput(pooled, 'pooler_output');
  g.output('last_hidden_state', 'float32', ['batch', 'sequence', d]);
  g.output('pooler_output', 'float32', ['batch', d]);
  return g.toModel('tiny CLIPTextModel');
}

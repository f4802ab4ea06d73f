import type { onnx } from 'onnx-proto';
import type { AttentionShape, ModelShape } from '#shared/diffusion/memory/modelShape';
import { onnxProto } from '#native-models/onnxProto';
import { GraphIndex, tensorInts } from '#main/engine/diffusion/rewrite/graphEdit';
import { planForSoftmax } from '#main/engine/diffusion/surgery/tiledAttention';
import {
  FUSED_SCORE_BUFFERS,
  indexGraph,
  TILED_SCORE_BUFFERS,
  unfusedScoreBuffers,
} from './scoreBuffers';

/**
 * The attentions of a UNet or ControlNet graph for the memory estimate: each one's pyramid level
 * (from the diffusers module path its tensors carry: down_blocks.i → i, mid_block → deepest,
 * up_blocks.j → deepest − j), heads and channels, in every form the packs come in — unfused
 * MatMul–Softmax–MatMul (diffusers/optimum), ORT's fused `Attention` and `MultiHeadAttention`
 * (separate, packed-KV or packed-QKV inputs; Olive/Amuse packs). The fused forms lose the node
 * names but keep the module path on the tensors around them, so it is found by walking back.
 */
export function attentionShapes(modelBytes: Uint8Array): ModelShape {
  const graph = onnxProto.ModelProto.decode(modelBytes).graph ?? {};
  return shapeOfGraph(graph);
}

const BLOCK = /(?:^|[/.])(?:(down_blocks|up_blocks)\.(\d+)|mid_block)/;
const SCOPE = /^\/?(.*?transformer_blocks\.\d+)\/(attn[12]|norm[12])\//;

export function shapeOfGraph(graph: onnx.IGraphProto): ModelShape {
  const nodes = graph.node ?? [];
  const index = indexGraph(graph);
  const producer = index.producer;
  const edit = new GraphIndex(graph); // the surgery's view: which self-attentions it will tile
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  const byName = new Map(nodes.map((n) => [n.name ?? '', n]));

  let downBlocks = 0;
  for (const n of nodes) {
    // `controlnet_down_blocks.N` are the ControlNet's output convolutions, not pyramid levels.
    const m = /(?:^|[/.])down_blocks\.(\d+)/.exec(n.name ?? '');
    if (m) downBlocks = Math.max(downBlocks, Number(m[1]) + 1);
  }
  const levels = Math.max(1, downBlocks);
  const levelOf = (scope: string): number => {
    const m = BLOCK.exec(scope);
    if (!m || !m[1]) return levels - 1; // mid_block
    const i = Number(m[2]);
    return m[1] === 'down_blocks' ? i : Math.max(0, levels - 1 - i);
  };

  /** `<…transformer_blocks.k>/attn1|attn2` for a tensor, walking back through producers. */
  const scopeOf = (tensor: string, depth = 6): string | null => {
    const m = SCOPE.exec(tensor);
    if (m) return `${m[1]}/${m[2]!.endsWith('1') ? 'attn1' : 'attn2'}`;
    const p = producer.get(tensor);
    if (!p || depth === 0) return null;
    const m2 = SCOPE.exec(p.name ?? '');
    if (m2) return `${m2[1]}/${m2[2]!.endsWith('1') ? 'attn1' : 'attn2'}`;
    for (const input of p.input ?? []) {
      if (!input || initializers.has(input)) continue;
      const s = scopeOf(input, depth - 1);
      if (s) return s;
    }
    return null;
  };

  /** to_out.0 keeps its name in every form: its weight is [C, C]. */
  const channelsOf = (scope: string): number | null => {
    const out = byName.get(`/${scope}/to_out.0/MatMul`) ?? byName.get(`${scope}/to_out.0/MatMul`);
    const w = initializers.get(out?.input?.[1] ?? '');
    return w?.dims?.length === 2 ? Number(w.dims[0]) : null;
  };

  const attentions: AttentionShape[] = [];
  for (const n of nodes) {
    const op = n.opType ?? '';
    if (op === 'Softmax') {
      const m = /^\/?(.*\/attn[12])\/Softmax/.exec(n.name ?? '');
      if (!m) continue; // text encoder or VAE attention: not in a transformer block
      const scope = m[1]!;
      attentions.push({
        scope,
        level: levelOf(scope),
        heads: headsOfUnfused(scope, byName, producer, initializers) ?? 8,
        self: scope.endsWith('attn1'),
        scoreBuffers: planForSoftmax(edit, n) ? TILED_SCORE_BUFFERS : unfusedScoreBuffers(n, index),
        channels: channelsOf(scope),
      });
    } else if (
      n.domain === 'com.microsoft' &&
      (op === 'Attention' || op === 'MultiHeadAttention')
    ) {
      const scope = scopeOf(n.input?.[0] ?? '');
      if (!scope) continue;
      const heads = Number(n.attribute?.find((a) => a.name === 'num_heads')?.i ?? 8);
      attentions.push({
        scope,
        level: levelOf(scope),
        heads,
        self: scope.endsWith('attn1'),
        // The surgery brings fused self-attention to separate-input MultiHeadAttention.
        scoreBuffers: scope.endsWith('attn1') ? TILED_SCORE_BUFFERS : FUSED_SCORE_BUFFERS,
        channels: channelsOf(scope),
      });
    }
  }
  return { attentions, levels };
}

/**
 * The head split of an unfused attention: the Reshape of Q to [B, L, heads, d], its shape either
 * a constant (initializer) or a Concat whose third piece is a Constant (torch.onnx.export).
 */
function headsOfUnfused(
  scope: string,
  byName: Map<string, onnx.INodeProto>,
  producer: Map<string, onnx.INodeProto>,
  initializers: Map<string, onnx.ITensorProto>,
): number | null {
  for (const name of [`/${scope}/Reshape`, `${scope}/Reshape`, `/${scope}/Reshape_q`]) {
    const reshape = byName.get(name);
    const shapeName = reshape?.input?.[1];
    if (!shapeName) continue;
    const direct = initializers.get(shapeName);
    if (direct) return at(tensorInts(direct), 2);
    const concat = producer.get(shapeName);
    if (concat?.opType !== 'Concat') continue;
    const piece = concat.input?.[2] ?? '';
    const tensor =
      initializers.get(piece) ??
      producer.get(piece)?.attribute?.find((a) => a.name === 'value')?.t ??
      undefined;
    if (tensor) return at(tensorInts(tensor), 0);
  }
  return null;
}

function at(values: number[], i: number): number | null {
  const v = values[i];
  return v !== undefined && v > 0 ? v : null;
}

/**
 * Channels of a VAE decoder's full-resolution block: the input channels of its last convolution
 * to RGB (weight [3, C, k, k]); 128 (SD's VAE) when the weight is not an initializer.
 */
export function decoderChannels(modelBytes: Uint8Array): number {
  const graph = onnxProto.ModelProto.decode(modelBytes).graph ?? {};
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  const convs = (graph.node ?? []).filter((n) => n.opType === 'Conv');
  for (const n of convs.reverse()) {
    const w = initializers.get(n.input?.[1] ?? '');
    if (w?.dims?.length === 4 && Number(w.dims[0]) === 3) return Number(w.dims[1]);
  }
  return 128;
}

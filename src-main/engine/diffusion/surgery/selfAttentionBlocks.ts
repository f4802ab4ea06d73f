import type { onnx } from 'onnx-proto';
import {
  attentionToMultiHead,
  extraAttentionInputs,
  isMultiHeadAttention,
  isSeparateMultiHeadAttention,
  separateMultiHeadAttention,
} from '#main/engine/diffusion/rewrite/attentionForms';
import {
  DataType,
  GraphIndex,
  removeDeadNodes,
  tensorInts,
} from '#main/engine/diffusion/rewrite/graphEdit';
import { attentionCore, projectionOf, toOutputProjection, type Projection } from './attentionTrace';
import { tileAttention, tilingPlan } from './tiledAttention';

/**
 * Finding the self-attention blocks of a UNet graph by structure — query, key and value
 * projected from the same hidden states — whatever the attention form: unfused MatMul–Softmax–
 * MatMul (diffusers/optimum exports), com.microsoft `Attention`, `MultiHeadAttention` with
 * separate, packed-KV or packed-QKV inputs (ORT's transformer optimiser: Olive, Amuse, OnnxStack).
 * Fused forms are first brought to MultiHeadAttention with separate Q/K/V
 * (rewrite/attentionForms.ts), where K and V are plain tensors like in an unfused export.
 * Cross-attention (K/V from the text embedding) is left alone: the reference only enters through
 * self-attention (as in ReferenceNet / reference-only).
 */
export interface SelfAttentionBlock {
  /** Module path, e.g. `down_blocks.0.attentions.0.transformer_blocks.0.attn1` (or `self_attention_<i>`). */
  block: string;
  /** Tensors holding K and V as [batch, tokens, channels] (after to_k / to_v and their bias). */
  key: string;
  value: string;
  /** Channels of K and V, when the projection weight is a plain initializer. */
  channels: number | null;
  /** ONNX element type of K and V (1 float32, 10 float16). */
  elemType: number;
  /** Nodes whose K/V inputs the bank reader widens; everything else stays untouched. */
  keyConsumers: onnx.INodeProto[];
  valueConsumers: onnx.INodeProto[];
  /** The attention's result [batch, tokens, channels], the output projection's input. */
  output: string;
  /** Nodes computing `output` from K and V (the plain branch of style fidelity clones them). */
  core: onnx.INodeProto[];
  /** How attention is computed after normalisation. */
  form: 'unfused' | 'multi-head-attention';
  /** The form found in the file (for reports): unfused, Attention, MultiHeadAttention (…). */
  foundAs: string;
}

export class UnsupportedGraphError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedGraphError';
  }
}

/** Fused forms that carry per-sequence packing or KV caches: not Stable-Diffusion UNet attention. */
const refusedOps = new Set([
  'PackedAttention',
  'PackedMultiHeadAttention',
  'GroupQueryAttention',
  'DecoderMaskedMultiHeadAttention',
]);

/**
 * Finds every self-attention block. Fused forms are rewritten in `graph` itself (callers pass a
 * freshly decoded model), so the blocks' tensors name nodes of the rewritten graph. With `tiled`
 * (the default), unfused float32 self-attentions that provably compute plain scaled dot-product
 * attention become MultiHeadAttention (surgery/tiledAttention.ts): their scores are then never
 * materialised whole.
 */
export function findSelfAttentionBlocks(
  graph: onnx.IGraphProto,
  what = 'unet/model.onnx',
  options: { tiled?: boolean } = {},
): SelfAttentionBlock[] {
  const foundAs = normaliseAttention(graph, what);
  const index = new GraphIndex(graph);
  const position = new Map((graph.node ?? []).map((n, i) => [n, i]));
  const blocks: Omit<SelfAttentionBlock, 'block'>[] = [];
  const names: (string | null)[] = [];
  let tiled = 0;

  // A snapshot: tiling puts MultiHeadAttention nodes into the graph while it is walked.
  for (const node of [...(graph.node ?? [])]) {
    if (isMultiHeadAttention(node)) {
      const [q, k, v] = node.input ?? [];
      const sources = [q, k, v].map((t) => projectionOf(index, t!));
      if (!sameSource(sources)) continue;
      if (extraAttentionInputs(node).length > 0)
        throw new UnsupportedGraphError(
          `${what}: self-attention ${node.name} uses a mask, attention bias or past keys/values; a Stable-Diffusion UNet has none`,
        );
      const output = node.output![0]!;
      const outProj = toOutputProjection(index, output);
      blocks.push({
        key: k!,
        value: v!,
        channels: channelsOf(index, sources[1]!, k!, outProj),
        elemType: elemTypeOf(index, outProj ?? sources[1]!.matmul),
        keyConsumers: [node],
        valueConsumers: [node],
        output,
        core: [node],
        form: 'multi-head-attention',
        foundAs: foundAs.get(node) ?? 'MultiHeadAttention (separate Q, K, V)',
      });
      names.push(blockName(sources[1]!.matmul, outProj));
      continue;
    }
    if (node.opType !== 'Softmax') continue;
    const traced = attentionCore(index, node);
    if (!traced) continue;
    const sources = [traced.query, traced.key, traced.value].map((t) => projectionOf(index, t));
    if (!sameSource(sources)) continue;
    const key = sources[1]!.output;
    const value = sources[2]!.output;
    const outProj = toOutputProjection(index, traced.output);
    if (!outProj)
      throw new UnsupportedGraphError(
        `${what}: self-attention around ${node.name} has no output projection after it: unrecognised attention form`,
      );
    const elemType = elemTypeOf(index, sources[1]!.matmul);
    const plan =
      options.tiled !== false && elemType === DataType.FLOAT
        ? tilingPlan(index, traced, node, sources[0]!.output, key, value)
        : null;
    if (plan) {
      const mha = tileAttention(graph, index, traced, plan, {
        query: sources[0]!.output,
        key,
        value,
        name: node.name ?? '',
      });
      tiled++;
      blocks.push({
        key,
        value,
        channels: channelsOf(index, sources[1]!, key, outProj),
        elemType,
        keyConsumers: [mha],
        valueConsumers: [mha],
        output: traced.output,
        core: [mha],
        form: 'multi-head-attention',
        foundAs: 'unfused MatMul/Softmax, tiled into MultiHeadAttention',
      });
      names.push(blockName(sources[1]!.matmul, outProj));
      continue;
    }
    const core = coreNodes(index, [key, value], traced.output, position);
    const keyConsumers = index.users(key);
    const valueConsumers = index.users(value);
    checkDynamicTokens(what, node.name ?? '', [...keyConsumers, ...valueConsumers], index);
    blocks.push({
      key,
      value,
      channels: channelsOf(index, sources[1]!, key, outProj),
      elemType,
      keyConsumers,
      valueConsumers,
      output: traced.output,
      core,
      form: 'unfused',
      foundAs: 'unfused MatMul/Softmax',
    });
    names.push(blockName(sources[1]!.matmul, outProj));
  }
  // The tiled attentions' old MatMul/Softmax chains are now unused.
  if (tiled > 0) removeDeadNodes(graph);
  if (blocks.length === 0)
    throw new UnsupportedGraphError(
      `${what}: no self-attention found (no attention whose query, key and value are projected from the same tensor). ` +
        'This is not a Stable-Diffusion UNet, or its attention form is unknown.',
    );
  const order = blocks
    .map((b, i) => ({ b, i, at: position.get(index.producer.get(b.key)!) ?? 0 }))
    .sort((x, y) => x.at - y.at);
  const seen = new Set<string>();
  return order.map(({ b, i }, k) => {
    let block = names[i] ?? `self_attention_${k}`;
    if (seen.has(block)) block = `${block}_${k}`;
    seen.add(block);
    return { ...b, block };
  });
}

/** Rewrites Attention and packed MultiHeadAttention into the separate form; returns what each was. */
function normaliseAttention(graph: onnx.IGraphProto, what: string): Map<onnx.INodeProto, string> {
  const foundAs = new Map<onnx.INodeProto, string>();
  const index = new GraphIndex(graph);
  for (const node of [...(graph.node ?? [])]) {
    if (node.domain !== 'com.microsoft') continue;
    const op = node.opType ?? '';
    if (refusedOps.has(op))
      throw new UnsupportedGraphError(
        `${what} uses ONNX Runtime's ${op} (node ${node.name}), a form without per-token keys and values to extend. ` +
          'Use the plain diffusers/optimum export of this UNet, or `pose-studio pack export`.',
      );
    let description: string | null = null;
    try {
      if (op === 'Attention') description = attentionToMultiHead(graph, node, index);
      else if (isMultiHeadAttention(node) && !isSeparateMultiHeadAttention(node))
        description = separateMultiHeadAttention(graph, node, index);
    } catch (error) {
      throw new UnsupportedGraphError(`${what}: ${(error as Error).message}`);
    }
    if (description === null) continue;
    const mha = (graph.node ?? []).find(
      (n) => isMultiHeadAttention(n) && n.output?.[0] === node.output?.[0],
    );
    if (mha) foundAs.set(mha, description.split(' →')[0]!);
  }
  return foundAs;
}

function sameSource(sources: ({ source: string } | null)[]): boolean {
  return sources.every((s) => s !== null && s.source === sources[0]!.source);
}

const projectionName = /^\/?(.*)\/to_[kv]\/MatMul$/;
const outputName = /^\/?(.*)\/to_out\.0\/MatMul$/;

/** diffusers' module path from the K projection's or the output projection's node name. */
function blockName(kMatMul: onnx.INodeProto, outProj: onnx.INodeProto | null): string | null {
  const m = projectionName.exec(kMatMul.name ?? '') ?? outputName.exec(outProj?.name ?? '');
  return m ? m[1]!.replaceAll('/', '.') : null;
}

function channelsOf(
  index: GraphIndex,
  projection: Projection,
  key: string,
  outProj: onnx.INodeProto | null,
): number | null {
  const kWeight = index.initializers.get(projection.matmul.input?.[1] ?? '');
  // A packed projection's weight is 2–3× wider than K; the output projection reads V's channels.
  if (projection.output === key && kWeight?.dims?.length === 2) return Number(kWeight.dims[1]);
  const outWeight = index.initializers.get(outProj?.input?.[1] ?? '');
  return outWeight?.dims?.length === 2 ? Number(outWeight.dims[0]) : null;
}

function elemTypeOf(index: GraphIndex, matmul: onnx.INodeProto): number {
  return index.initializers.get(matmul.input?.[1] ?? '')?.dataType ?? 1;
}

/** Nodes on a path from K or V to the attention output (descendants of K/V, ancestors of it). */
function coreNodes(
  index: GraphIndex,
  from: string[],
  output: string,
  position: Map<onnx.INodeProto, number>,
): onnx.INodeProto[] {
  const end = index.producer.get(output)!;
  const below = new Set<onnx.INodeProto>();
  const stack = [...from];
  while (stack.length > 0) {
    for (const n of index.users(stack.pop()!)) {
      if (below.has(n)) continue;
      below.add(n);
      if (n !== end) stack.push(...(n.output ?? []));
    }
  }
  const core = new Set<onnx.INodeProto>([end]);
  const back = [end];
  while (back.length > 0)
    for (const i of back.pop()!.input ?? []) {
      const p = index.producer.get(i);
      if (p && below.has(p) && !core.has(p)) {
        core.add(p);
        back.push(p);
      }
    }
  return [...core].sort((a, b) => position.get(a)! - position.get(b)!);
}

/**
 * The head split must not fix the token count: a Reshape to [B, 4096, heads, d] would break when
 * K gains the reference's tokens. Constant shapes need 0 or −1 in the token position.
 */
function checkDynamicTokens(
  what: string,
  near: string,
  consumers: onnx.INodeProto[],
  index: GraphIndex,
): void {
  for (const n of consumers) {
    if (n.opType !== 'Reshape') continue;
    const shape = index.initializers.get(n.input?.[1] ?? '');
    if (!shape) continue;
    const values = tensorInts(shape);
    if (values.length >= 2 && values[1]! > 0)
      throw new UnsupportedGraphError(
        `${what}: self-attention near ${near} reshapes K/V to a fixed token count (${values.join(', ')}); export the UNet with dynamic height/width`,
      );
  }
}

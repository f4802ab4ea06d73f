import type { onnx } from 'onnx-proto';
import {
  DataType,
  floatAttribute,
  GraphIndex,
  intAttribute,
  removeDeadNodes,
  tensorFloats,
  tensorInts,
} from '#main/engine/diffusion/rewrite/graphEdit';
import { attentionCore, projectionOf, type UnfusedAttention } from './attentionTrace';

/**
 * Tiled attention: an unfused self-attention (Q·Kᵀ MatMul → scale → Softmax → ·V MatMul, heads
 * split and merged by Reshape/Transpose) rewritten into ONNX Runtime's com.microsoft
 * MultiHeadAttention, whose CPU kernel computes the scores a tile of queries at a time instead of
 * materialising heads × L × S floats. Measured on CPU at SD1.5's first level with the reference
 * bank (8 heads, 4096 queries, 8192 keys, 320 channels; docs/diffusion.md "Tiled attention"):
 * the unfused diffusers export 13.1 s of CPU and 3.1 GB per item, the tiled one 0.45 s and
 * under 0.1 GB, the same sums to 6 decimals.
 *
 * Only what is provably the same computation is rewritten: float32, the head count read from
 * the head split, the scale from literal factors (or torch's SDPA default, computed from Q's
 * shape), and nothing added to the scores but zeros (diffusers' `baddbmm(empty, …, beta=0)`).
 * Anything else — a real mask or bias, an unreadable scale — stays unfused, and the estimate
 * counts it so (pipeline/attentionShapes.ts asks `tilingPlan` the same question).
 */
export interface TilingPlan {
  heads: number;
  /** The scale to set, or null for MultiHeadAttention's default 1/√head_size (SDPA's default). */
  scale: number | null;
}

const LAYOUT = new Set(['Reshape', 'Transpose', 'Cast', 'Identity', 'Squeeze', 'Unsqueeze']);
const MAX_STEPS = 16;

/**
 * Whether the unfused attention `traced` can be tiled; `query`, `key`, `value` are its
 * projections' outputs ([batch, tokens, channels]).
 */
export function tilingPlan(
  index: GraphIndex,
  traced: UnfusedAttention,
  softmax: onnx.INodeProto,
  query: string,
  key: string,
  value: string,
): TilingPlan | null {
  const factors: Factor[] = [];
  // Q, K and V from their projections to the MatMuls: layout ops (and, for Q and K, constant
  // factors) only, each through a head split to the same number of heads.
  const heads: (number | null)[] = [];
  for (const [from, to, scaled] of [
    [traced.query, query, true],
    [traced.key, key, true],
    [traced.value, value, false],
  ] as const) {
    let found: number | null = null;
    let cur = from;
    for (let step = 0; cur !== to; step++) {
      const n = index.producer.get(cur);
      if (!n || step === MAX_STEPS) return null;
      const op = n.opType ?? '';
      if (op === 'Reshape') found ??= headsOfSplit(index, n.input?.[1] ?? '');
      if (LAYOUT.has(op)) cur = n.input![0]!;
      else if (scaled && (op === 'Mul' || op === 'Div')) {
        const f = factorOf(index, n);
        if (!f) return null;
        factors.push(f.factor);
        cur = f.through;
      } else return null;
    }
    heads.push(found);
  }
  // The scores path: scale factors and zeros added, nothing else.
  let cur = softmax.input![0]!;
  for (let step = 0; ; step++) {
    const n = index.producer.get(cur);
    if (!n || step === MAX_STEPS) return null;
    const op = n.opType ?? '';
    if (op === 'MatMul') break;
    if (op === 'Cast' || op === 'Identity') cur = n.input![0]!;
    else if (op === 'Mul' || op === 'Div') {
      const f = factorOf(index, n);
      if (!f) return null;
      factors.push(f.factor);
      cur = f.through;
    } else if (op === 'Add') {
      const [a, b] = n.input ?? [];
      if (a && isZero(index, a, 6)) cur = b!;
      else if (b && isZero(index, b, 6)) cur = a!;
      else return null;
    } else return null;
  }
  const [h] = heads;
  if (h === null || h === undefined || !(h > 0) || heads.some((x) => x !== h)) return null;
  const literal = factors.filter((f) => f !== 'computed') as number[];
  const product = literal.reduce((p, f) => p * f, 1);
  if (factors.includes('computed'))
    return Math.abs(product - 1) < 1e-7 ? { heads: h, scale: null } : null;
  return Number.isFinite(product) && product > 0 ? { heads: h, scale: product } : null;
}

/** Replaces the attention by one MultiHeadAttention computing `traced.output`. */
export function tileAttention(
  graph: onnx.IGraphProto,
  index: GraphIndex,
  traced: UnfusedAttention,
  plan: TilingPlan,
  inputs: { query: string; key: string; value: string; name: string },
): onnx.INodeProto {
  const old = index.producer.get(traced.output)!;
  const mha: onnx.INodeProto = {
    name: `${inputs.name}/tiled/MultiHeadAttention`,
    opType: 'MultiHeadAttention',
    domain: 'com.microsoft',
    input: [inputs.query, inputs.key, inputs.value],
    output: [traced.output],
    attribute: [
      intAttribute('num_heads', plan.heads),
      ...(plan.scale === null ? [] : [floatAttribute('scale', plan.scale)]),
    ],
  };
  // At the old head merge's place: Q, K and V are all computed before it.
  graph.node!.splice(graph.node!.indexOf(old), 1, mha);
  return mha;
}

/** The float32 check the caller makes: MultiHeadAttention's CPU kernel is float32. */
export const TILED_ELEMENT_TYPE = DataType.FLOAT;

type Factor = number | 'computed';

function factorOf(
  index: GraphIndex,
  n: onnx.INodeProto,
): { factor: Factor; through: string } | null {
  const [a, b] = n.input ?? [];
  if (!a || !b) return null;
  const dynamicA = index.dynamic.has(a);
  const dynamicB = index.dynamic.has(b);
  if (dynamicA === dynamicB) return null; // both computed from inputs, or neither: not a scale
  const [through, other] = dynamicA ? [a, b] : [b, a];
  // x / c is a scale; c / x is not.
  if (n.opType === 'Div' && !dynamicA) return null;
  const v = scalarOf(index, other);
  const factor: Factor = v === null ? 'computed' : n.opType === 'Div' ? 1 / v : v;
  return { factor, through };
}

/** The value of a one-element literal (initializer or Constant), else null. */
function scalarOf(index: GraphIndex, name: string): number | null {
  const t = index.initializers.get(name) ?? constantTensor(index, name);
  if (!t) return null;
  const values = tensorFloats(t);
  return values.length === 1 ? values[0]! : null;
}

function constantTensor(index: GraphIndex, name: string): onnx.ITensorProto | undefined {
  const p = index.producer.get(name);
  return p?.opType === 'Constant'
    ? (p.attribute?.find((a) => a.name === 'value')?.t ?? undefined)
    : undefined;
}

/** Zeros whatever the inputs: ConstantOfShape of 0, or anything finite times such a zero. */
function isZero(index: GraphIndex, name: string, depth: number): boolean {
  const p = index.producer.get(name);
  if (!p || depth === 0) return false;
  const op = p.opType ?? '';
  if (op === 'ConstantOfShape') {
    const value = p.attribute?.find((a) => a.name === 'value')?.t;
    return !value || tensorFloats(value).every((v) => v === 0);
  }
  if (op === 'Cast' || op === 'Identity' || op === 'Expand')
    return isZero(index, p.input![0]!, depth - 1);
  if (op === 'Mul') {
    const [a, b] = p.input ?? [];
    const finite = (x: string) => {
      const v = scalarOf(index, x);
      return v !== null && Number.isFinite(v);
    };
    return (
      (isZero(index, a!, depth - 1) && finite(b!)) || (isZero(index, b!, depth - 1) && finite(a!))
    );
  }
  return false;
}

/**
 * Heads from a head split's target shape [batch, tokens, heads, head_size]: an int64 initializer
 * or a Concat whose third piece is a literal (torch.onnx.export).
 */
function headsOfSplit(index: GraphIndex, shape: string): number | null {
  const direct = index.initializers.get(shape) ?? constantTensor(index, shape);
  if (direct) {
    const v = tensorInts(direct);
    return v.length === 4 && v[2]! > 0 ? v[2]! : null;
  }
  const concat = index.producer.get(shape);
  if (concat?.opType !== 'Concat' || (concat.input ?? []).length !== 4) return null;
  const piece = concat.input![2]!;
  const t = index.initializers.get(piece) ?? constantTensor(index, piece);
  const v = t ? tensorInts(t) : [];
  return v.length === 1 && v[0]! > 0 ? v[0]! : null;
}

/**
 * The tiling plan for the attention around `softmax` when the surgery will tile it: a
 * self-attention (Q, K and V projected from the same hidden states) in float32 that `tilingPlan`
 * accepts. The memory estimate asks this of the pack's file, before any surgery.
 */
export function planForSoftmax(index: GraphIndex, softmax: onnx.INodeProto): TilingPlan | null {
  const traced = attentionCore(index, softmax);
  if (!traced) return null;
  const sources = [traced.query, traced.key, traced.value].map((t) => projectionOf(index, t));
  if (!sources.every((s) => s !== null && s.source === sources[0]!.source)) return null;
  const weight = index.initializers.get(sources[1]!.matmul.input?.[1] ?? '');
  if ((weight?.dataType ?? DataType.FLOAT) !== DataType.FLOAT) return null;
  return tilingPlan(
    index,
    traced,
    softmax,
    sources[0]!.output,
    sources[1]!.output,
    sources[2]!.output,
  );
}

/**
 * Tiles every self-attention of a model that needs no other surgery (the ControlNet, whose
 * first-level self-attention would otherwise hold three 4096 × 4096 score buffers per head per
 * item at 512²). Returns what it changed, for the pack report.
 */
export function tileSelfAttentions(model: onnx.IModelProto): string[] {
  const graph = model.graph!;
  const index = new GraphIndex(graph);
  let tiled = 0;
  for (const node of [...(graph.node ?? [])]) {
    if (node.opType !== 'Softmax') continue;
    const plan = planForSoftmax(index, node);
    const traced = plan && attentionCore(index, node);
    if (!plan || !traced) continue;
    const [q, k, v] = [traced.query, traced.key, traced.value].map(
      (t) => projectionOf(index, t)!.output,
    );
    tileAttention(graph, index, traced, plan, {
      query: q!,
      key: k!,
      value: v!,
      name: node.name ?? '',
    });
    tiled++;
  }
  if (tiled === 0) return [];
  removeDeadNodes(graph);
  if (!(model.opsetImport ?? []).some((o) => o.domain === 'com.microsoft'))
    (model.opsetImport ??= []).push({ domain: 'com.microsoft', version: 1 });
  return [`self-attention: ${tiled} unfused MatMul/Softmax tiled into MultiHeadAttention`];
}

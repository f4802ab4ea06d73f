import type { onnx } from 'onnx-proto';
import type { GraphIndex } from '#main/engine/diffusion/rewrite/graphEdit';

/**
 * Walks through an attention block by structure, not names: from a Softmax back to the Q·Kᵀ
 * MatMul and forward to the ·V MatMul; from Q, K, V back through head splits, transposes, scale
 * factors and biases to the projection MatMul (a MatMul by a weight); from the attention result
 * forward through the head merge to the output projection.
 */

/** Ops that move or retype values without mixing tokens: walked through when tracing. */
const layout = new Set([
  'Reshape',
  'Transpose',
  'Cast',
  'Identity',
  'Squeeze',
  'Unsqueeze',
  'Slice',
]);
/** Elementwise ops applied with a constant (scale, bias): walked through along the other input. */
const withConstant = new Set(['Mul', 'Div', 'Add', 'Sub']);
const MAX_STEPS = 16;

/**
 * True when the tensor is known without the model's inputs: initializers, Constants, and values
 * computed only from those and from tensor shapes (the scale sqrt(1/d) of SDPA exports is
 * Shape → Slice → Cast → Sqrt → Div).
 */
export function isStatic(index: GraphIndex, name: string): boolean {
  return !index.dynamic.has(name);
}

export interface Projection {
  /** The MatMul by a weight that makes this tensor. */
  matmul: onnx.INodeProto;
  /** The tensor it projects (the hidden states). */
  source: string;
  /** Its output after a bias Add, if there is one: K or V as [batch, tokens, channels]. */
  output: string;
}

export function projectionOf(index: GraphIndex, tensor: string): Projection | null {
  let cur = tensor;
  for (let step = 0; step < MAX_STEPS; step++) {
    const n = index.producer.get(cur);
    if (!n) return null;
    const [a, b] = n.input ?? [];
    if (n.opType === 'MatMul' && b && isStatic(index, b))
      return { matmul: n, source: a!, output: biasedOutput(index, n) };
    if (layout.has(n.opType ?? '')) cur = a!;
    else if (withConstant.has(n.opType ?? '') && b && isStatic(index, b)) cur = a!;
    else if (withConstant.has(n.opType ?? '') && a && isStatic(index, a)) cur = b!;
    else return null;
  }
  return null;
}

function biasedOutput(index: GraphIndex, matmul: onnx.INodeProto): string {
  const out = matmul.output![0]!;
  const users = index.users(out);
  const add = users[0];
  if (users.length === 1 && add!.opType === 'Add') {
    const other = add!.input?.[0] === out ? add!.input?.[1] : add!.input?.[0];
    if (other && isStatic(index, other)) return add!.output![0]!;
  }
  return out;
}

export interface UnfusedAttention {
  query: string;
  key: string;
  value: string;
  /** The attention result after the head merge: the output projection's input. */
  output: string;
}

/** The unfused attention around `softmax`, or null when the Softmax is not attention. */
export function attentionCore(
  index: GraphIndex,
  softmax: onnx.INodeProto,
): UnfusedAttention | null {
  let cur = softmax.input?.[0];
  let scores: onnx.INodeProto | undefined;
  for (let step = 0; cur && step < MAX_STEPS && !scores; step++) {
    const n = index.producer.get(cur);
    if (!n) return null;
    const [a, b] = n.input ?? [];
    if (n.opType === 'MatMul' && b && !isStatic(index, b)) scores = n;
    else if (n.opType === 'Cast' || n.opType === 'Identity') cur = a;
    else if (withConstant.has(n.opType ?? '') && b && isStatic(index, b)) cur = a;
    else if (withConstant.has(n.opType ?? '') && a && isStatic(index, a)) cur = b;
    else return null;
  }
  if (!scores) return null;
  let probs = softmax.output![0]!;
  let mix: onnx.INodeProto | undefined;
  for (let step = 0; step < MAX_STEPS && !mix; step++) {
    const users = index.users(probs);
    if (users.length !== 1) return null;
    const u = users[0]!;
    if (u.opType === 'MatMul' && u.input?.[0] === probs) mix = u;
    else if (['Cast', 'Identity', 'Dropout'].includes(u.opType ?? '')) probs = u.output![0]!;
    else return null;
  }
  if (!mix) return null;
  const out = toOutputProjection(index, mix.output![0]!);
  if (!out) return null;
  return {
    query: scores.input![0]!,
    key: scores.input![1]!,
    value: mix.input![1]!,
    output: out.input![0]!,
  };
}

/**
 * The output projection (to_out.0: a MatMul by a weight) that `tensor` reaches through the head
 * merge (Reshape/Transpose; Shape reads along the way are not part of the chain).
 */
export function toOutputProjection(index: GraphIndex, tensor: string): onnx.INodeProto | null {
  let cur = tensor;
  for (let step = 0; step < MAX_STEPS; step++) {
    const users = index.users(cur).filter((u) => u.opType !== 'Shape');
    if (users.length !== 1) return null;
    const u = users[0]!;
    const weight = u.input?.[1];
    if (u.opType === 'MatMul' && u.input?.[0] === cur && weight && isStatic(index, weight))
      return u;
    if (!layout.has(u.opType ?? '')) return null;
    cur = u.output![0]!;
  }
  return null;
}

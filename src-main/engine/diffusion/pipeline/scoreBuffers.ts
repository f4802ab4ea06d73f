import type { onnx } from 'onnx-proto';

/**
 * How many attention-score-sized buffers ([batch·heads, queries, keys] floats) ONNX Runtime holds
 * at once for one attention on the CPU provider, read from the attention's form in the graph.
 * The scores are the largest tensors of an SD UNet at 512² (1 GiB per item with the reference
 * bank), so this count sets the memory budget's micro-batch.
 *
 * Measured with onnxruntime-node, CPU, arena off, graph optimisation "all"
 * (docs/diffusion.md, "What one attention holds"), per form:
 * - MatMul → Softmax → MatMul, scale folded as a scalar Mul: 1 in 3-D layout, 2 when Q/K come
 *   through head-split Transposes (4-D; ONNX Runtime then cannot compute the softmax in place).
 *   Counted as 2: the estimate must not be low.
 * - a mask or bias added into the scores: 2 when it broadcasts ([L, S]: the Add writes a new
 *   buffer), 3 when it is itself full size — diffusers' `AttnProcessor` exported with torch 1.x
 *   computes `baddbmm(empty(B·h, L, S), Q, Kᵀ, beta=0)`, i.e. ConstantOfShape([B·h, L, S]) × 0
 *   added to the scores: the scores, that zero tensor and the sum are alive together.
 * - `com.microsoft` Attention: 1. MultiHeadAttention measured ~0 (a tiled kernel) but falls back
 *   to a full buffer with masks or biases: counted as 1 where the surgery leaves it as it is
 *   (cross-attention, whose keys are the 77 text tokens).
 */
export const FUSED_SCORE_BUFFERS = 1;

/**
 * A self-attention the surgery tiles into MultiHeadAttention (surgery/tiledAttention.ts), and
 * every fused self-attention (the surgery brings them to MultiHeadAttention too): its CPU kernel
 * never holds the whole scores. Measured at SD1.5's first level with the bank (8 heads, 4096 ×
 * 8192, 320 channels): 80 MB per item with its own inputs and output, 0.08 of one scores buffer.
 */
export const TILED_SCORE_BUFFERS = 0.1;

const ELEMENTWISE = new Set(['Mul', 'Div', 'Add', 'Sub', 'Cast', 'Where', 'Neg']);
/** Ops that make a tensor of a given shape from nothing (or from a smaller one). */
const SHAPED = new Set(['ConstantOfShape', 'Expand', 'Tile']);

export interface GraphIndex {
  producer: Map<string, onnx.INodeProto>;
  consumers: Map<string, onnx.INodeProto[]>;
  initializers: Set<string>;
}

export function indexGraph(graph: onnx.IGraphProto): GraphIndex {
  const producer = new Map<string, onnx.INodeProto>();
  const consumers = new Map<string, onnx.INodeProto[]>();
  for (const n of graph.node ?? []) {
    for (const o of n.output ?? []) producer.set(o, n);
    for (const i of n.input ?? []) {
      const list = consumers.get(i);
      if (list) list.push(n);
      else consumers.set(i, [n]);
    }
  }
  return {
    producer,
    consumers,
    initializers: new Set((graph.initializer ?? []).map((t) => t.name ?? '')),
  };
}

/** Score buffers of the unfused attention around `softmax`. */
export function unfusedScoreBuffers(softmax: onnx.INodeProto, g: GraphIndex): number {
  const operands: string[] = [];
  // Back from the softmax to the Q·Kᵀ MatMul, collecting what is combined with the scores.
  let tensor = softmax.input?.[0] ?? '';
  for (let step = 0; step < 8; step++) {
    const p = g.producer.get(tensor);
    if (!p || p.opType === 'MatMul' || !ELEMENTWISE.has(p.opType ?? '')) break;
    const inputs = (p.input ?? []).filter((i) => i !== '');
    const chain = inputs.find((i) => reachesMatMul(i, g, 8)) ?? inputs[0] ?? '';
    operands.push(...inputs.filter((i) => i !== chain));
    tensor = chain;
  }
  // Forward from the softmax to the ·V MatMul (a Cast or a dropout-free Where may sit between).
  tensor = softmax.output?.[0] ?? '';
  for (let step = 0; step < 4; step++) {
    const next = g.consumers.get(tensor) ?? [];
    if (next.length !== 1 || !ELEMENTWISE.has(next[0]!.opType ?? '')) break;
    const n = next[0]!;
    operands.push(...(n.input ?? []).filter((i) => i !== tensor && i !== ''));
    tensor = n.output?.[0] ?? '';
  }
  const full = operands.filter((o) => isFullSize(o, g, 6)).length;
  return 2 + full;
}

function reachesMatMul(tensor: string, g: GraphIndex, depth: number): boolean {
  const p = g.producer.get(tensor);
  if (!p || depth === 0) return false;
  if (p.opType === 'MatMul') return true;
  if (!ELEMENTWISE.has(p.opType ?? '')) return false;
  return (p.input ?? []).some((i) => reachesMatMul(i, g, depth - 1));
}

/**
 * Whether an operand combined with the scores is itself score-sized: made by ConstantOfShape /
 * Expand / Tile to a shape of rank ≥ 3 ([B·h, L, S] or [B, h, L, S]), possibly scaled or cast on
 * the way, or a graph input (an attention mask fed from outside: counted, to stay on the safe side).
 * Scalars and initializers (the scale, a constant [L, S] mask) are not.
 */
function isFullSize(tensor: string, g: GraphIndex, depth: number): boolean {
  if (g.initializers.has(tensor)) return false;
  const p = g.producer.get(tensor);
  if (!p) return true; // a graph input
  if (depth === 0) return false;
  const op = p.opType ?? '';
  if (op === 'Constant') return false;
  if (SHAPED.has(op)) return rankOfShape(p.input?.[op === 'ConstantOfShape' ? 0 : 1] ?? '', g) >= 3;
  if (ELEMENTWISE.has(op)) return (p.input ?? []).some((i) => isFullSize(i, g, depth - 1));
  return false;
}

/** Rank of the shape a shape tensor describes: a Concat's piece count, or -1 when unknown. */
function rankOfShape(shape: string, g: GraphIndex): number {
  const p = g.producer.get(shape);
  if (p?.opType === 'Concat') return (p.input ?? []).length;
  return -1;
}

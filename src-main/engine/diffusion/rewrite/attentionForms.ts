import type { onnx } from 'onnx-proto';
import { attr, int64Const, intAttr, replaceNode, type GraphIndex } from './graphEdit';

/**
 * Every fused attention form of ORT's transformer optimiser brought to one: com.microsoft
 * MultiHeadAttention with separate 3-D query, key and value [batch, tokens, heads·head size] and
 * no bias input. That form runs on every provider ORT has (CPU included), and in it K and V are
 * plain tensors the reference surgery can lengthen, exactly as in an unfused export.
 *
 * - `Attention` (cpu_mha profile, self-attention): X·W_qkv + b, cut into Q, K, V.
 * - MultiHeadAttention with packed QKV (olive_old self-attention): query input (B, L, N, 3, H),
 *   key and value absent; packed KV (cross-attention): key (B, L, N, 2, H), value absent.
 *   The packing interleaves per head, so each of Q/K/V is a slice on axis 3, reshaped to (B, L, N·H)
 *   — the channel order an unfused to_q/to_k/to_v MatMul produces.
 * - a `bias` input (D + D + D_v) becomes three Adds, so K and V are the biased projections, as
 *   after an unfused to_k/to_v (a bank written by one form serves any other form).
 */
export class AttentionFormError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AttentionFormError';
  }
}

const MS = 'com.microsoft';

export function isMultiHeadAttention(n: onnx.INodeProto): boolean {
  return n.domain === MS && n.opType === 'MultiHeadAttention';
}

/** The inputs of a MultiHeadAttention after the first four (masks, relative bias, past K/V). */
export function extraAttentionInputs(n: onnx.INodeProto): string[] {
  return (n.input ?? []).slice(4).filter((i) => i !== '');
}

/** True when the node is already in the one form: separate Q, K, V and no bias. */
export function isSeparateMultiHeadAttention(n: onnx.INodeProto): boolean {
  const i = n.input ?? [];
  return isMultiHeadAttention(n) && !!i[1] && !!i[2] && !i[3];
}

export function separateMultiHeadAttention(
  graph: onnx.IGraphProto,
  node: onnx.INodeProto,
  index: GraphIndex,
): string {
  const [query, key, value, bias] = node.input ?? [];
  if (!query) throw new AttentionFormError(`${node.name}: MultiHeadAttention without a query`);
  const p = `/rewrite/${node.name || node.output![0]}`;
  const added: onnx.INodeProto[] = [];
  let q = query;
  let k = key ?? '';
  let v = value ?? '';
  let form = 'separate';
  if (!k) {
    [q, k, v] = unpack(graph, added, `${p}/qkv`, query, 3) as [string, string, string];
    form = 'packed QKV';
  } else if (!v) {
    [k, v] = unpack(graph, added, `${p}/kv`, key!, 2) as [string, string];
    form = 'packed KV';
  }
  if (bias) {
    const length = Number(index.initializers.get(bias)?.dims?.[0] ?? 0);
    if (length <= 0 || length % 3 !== 0)
      throw new AttentionFormError(
        `${node.name}: its bias is not an initializer of length 3·D, so it cannot be split into Q, K and V biases`,
      );
    const d = length / 3;
    const axis0 = int64Const(graph, '/rewrite/axis_0', [0]);
    [q, k, v] = [q, k, v].map((t, part) => {
      const start = int64Const(graph, `/rewrite/i_${part * d}`, [part * d]);
      const end = int64Const(graph, `/rewrite/i_${(part + 1) * d}`, [(part + 1) * d]);
      added.push(
        {
          name: `${p}/bias_${part}`,
          opType: 'Slice',
          input: [bias, start, end, axis0],
          output: [`${p}/bias_${part}`],
        },
        {
          name: `${p}/add_bias_${part}`,
          opType: 'Add',
          input: [t, `${p}/bias_${part}`],
          output: [`${p}/biased_${part}`],
        },
      );
      return `${p}/biased_${part}`;
    }) as [string, string, string];
  }
  const rest = (node.input ?? []).slice(4);
  replaceNode(graph, node, [
    ...added,
    { ...node, input: [q, k, v, ...(rest.some((r) => r !== '') ? ['', ...rest] : [])] },
  ]);
  return `MultiHeadAttention ${node.name} (${form}${bias ? ', bias' : ''}) → separate Q, K, V`;
}

/** Cuts a packed (B, L, N, parts, H) tensor into `parts` tensors of shape (B, L, N·H). */
function unpack(
  graph: onnx.IGraphProto,
  added: onnx.INodeProto[],
  p: string,
  packed: string,
  parts: number,
): string[] {
  const axis3 = int64Const(graph, '/rewrite/axis_3', [3]);
  const merged = int64Const(graph, '/rewrite/merge_heads_shape', [0, 0, -1]);
  return Array.from({ length: parts }, (_, i) => {
    added.push(
      {
        name: `${p}/slice_${i}`,
        opType: 'Slice',
        input: [
          packed,
          int64Const(graph, `/rewrite/i_${i}`, [i]),
          int64Const(graph, `/rewrite/i_${i + 1}`, [i + 1]),
          axis3,
        ],
        output: [`${p}/part_${i}`],
      },
      {
        name: `${p}/reshape_${i}`,
        opType: 'Reshape',
        input: [`${p}/part_${i}`, merged],
        output: [`${p}/${['q', 'k', 'v'][parts === 3 ? i : i + 1]}`],
      },
    );
    return `${p}/${['q', 'k', 'v'][parts === 3 ? i : i + 1]}`;
  });
}

/**
 * com.microsoft Attention (input, weights [D_in, 3·D], bias [3·D]) → MatMul + Add, Q/K/V slices,
 * MultiHeadAttention. Masks, past state, causal or rotary attention are not SD UNet features and
 * are refused rather than approximated.
 */
export function attentionToMultiHead(
  graph: onnx.IGraphProto,
  node: onnx.INodeProto,
  index: GraphIndex,
): string {
  const [x, weights, bias, ...rest] = node.input ?? [];
  if (
    rest.some((r) => r !== '') ||
    intAttr(node, 'unidirectional', 0) !== 0 ||
    intAttr(node, 'do_rotary', 0) !== 0
  )
    throw new AttentionFormError(
      `${node.name}: Attention with a mask, past state, causal or rotary attention is not a Stable-Diffusion self-attention`,
    );
  const sizes = attr(node, 'qkv_hidden_sizes')?.ints?.map(Number);
  const total = Number(index.initializers.get(weights ?? '')?.dims?.[1] ?? 0);
  const [dq, dk, dv] = sizes && sizes.length === 3 ? sizes : [total / 3, total / 3, total / 3];
  if (!x || !weights || !(dq! > 0) || !Number.isInteger(dq) || dq !== dk || dk !== dv)
    throw new AttentionFormError(
      `${node.name}: Attention weights are not an initializer [D_in, 3·D] with equal Q, K, V sizes`,
    );
  const d = dq!;
  const p = `/rewrite/${node.name || node.output![0]}`;
  const lastAxis = int64Const(graph, '/rewrite/last_axis', [-1]);
  const nodes: onnx.INodeProto[] = [
    { name: `${p}/MatMul_qkv`, opType: 'MatMul', input: [x, weights], output: [`${p}/qkv`] },
  ];
  let qkv = `${p}/qkv`;
  if (bias) {
    nodes.push({ name: `${p}/Add_qkv`, opType: 'Add', input: [qkv, bias], output: [`${p}/qkv_b`] });
    qkv = `${p}/qkv_b`;
  }
  const parts = ['q', 'k', 'v'].map((name, part) => {
    nodes.push({
      name: `${p}/slice_${name}`,
      opType: 'Slice',
      input: [
        qkv,
        int64Const(graph, `/rewrite/i_${part * d}`, [part * d]),
        int64Const(graph, `/rewrite/i_${(part + 1) * d}`, [(part + 1) * d]),
        lastAxis,
      ],
      output: [`${p}/${name}`],
    });
    return `${p}/${name}`;
  });
  const keep = (node.attribute ?? []).filter((a) =>
    ['num_heads', 'scale', 'mask_filter_value'].includes(a.name ?? ''),
  );
  nodes.push({
    name: `${p}/MultiHeadAttention`,
    opType: 'MultiHeadAttention',
    domain: MS,
    input: parts,
    output: [node.output![0]!],
    attribute: keep,
  });
  if ((node.output ?? []).slice(1).some((o) => o !== ''))
    throw new AttentionFormError(`${node.name}: Attention's present-state output is used`);
  replaceNode(graph, node, nodes);
  return `Attention ${node.name} → MatMul/Add/Slice + MultiHeadAttention (separate Q, K, V)`;
}

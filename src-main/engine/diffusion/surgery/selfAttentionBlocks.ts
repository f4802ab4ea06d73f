import type { onnx } from 'onnx-proto';

/**
 * Finding the self-attention (attn1) blocks of a UNet graph exported by diffusers/optimum, and the
 * tensors that carry their keys and values. Cross-attention (attn2) is left alone: the reference
 * only enters through self-attention (as in ReferenceNet / spatially-conditioned diffusion).
 */
export interface SelfAttentionBlock {
  /** Module path, e.g. `down_blocks.0.attentions.0.transformer_blocks.0.attn1`. */
  block: string;
  /** Tensors holding K and V as [batch, tokens, channels] (after to_k / to_v). */
  key: string;
  value: string;
  /** Channels of K and V, when the projection weight is a plain initializer. */
  channels: number | null;
  /** ONNX element type of K and V (1 float32, 10 float16). */
  elemType: number;
  /** Nodes whose K/V inputs the bank reader may widen; everything else stays untouched. */
  keyConsumers: onnx.INodeProto[];
  valueConsumers: onnx.INodeProto[];
  /** How attention is computed: unfused MatMul–Softmax–MatMul, or ORT's MultiHeadAttention. */
  form: 'unfused' | 'multi-head-attention';
}

export class UnsupportedGraphError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedGraphError';
  }
}

/** ORT contrib ops that fuse attention; only MultiHeadAttention with separate 3-D K and V is handled. */
const fusedOps = new Set([
  'Attention',
  'MultiHeadAttention',
  'PackedAttention',
  'PackedMultiHeadAttention',
  'GroupQueryAttention',
  'DecoderMaskedMultiHeadAttention',
]);

const attn1Projection = /^\/?(.*\/attn1)\/to_([qkv])\/MatMul$/;

export function findSelfAttentionBlocks(
  graph: onnx.IGraphProto,
  what = 'unet/model.onnx',
): SelfAttentionBlock[] {
  const nodes = graph.node ?? [];
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  const consumers = new Map<string, onnx.INodeProto[]>();
  for (const n of nodes)
    for (const i of n.input ?? []) consumers.set(i, [...(consumers.get(i) ?? []), n]);

  const packed = nodes.filter(
    (n) =>
      n.domain === 'com.microsoft' &&
      fusedOps.has(n.opType ?? '') &&
      n.opType !== 'MultiHeadAttention',
  );
  if (packed.length > 0)
    throw new UnsupportedGraphError(
      `${what} uses ONNX Runtime's fused ${packed[0]!.opType} operator (node ${packed[0]!.name}) with the key/value ` +
        'projections packed inside it, so reference keys and values cannot be injected. Use the plain ' +
        'diffusers/optimum export (before ORT transformer optimisation) of this UNet.',
    );

  const projections = new Map<string, Partial<Record<'q' | 'k' | 'v', onnx.INodeProto>>>();
  for (const n of nodes) {
    const m = attn1Projection.exec(n.name ?? '');
    if (!m || n.opType !== 'MatMul') continue;
    const entry = projections.get(m[1]!) ?? {};
    entry[m[2] as 'q' | 'k' | 'v'] = n;
    projections.set(m[1]!, entry);
  }
  if (projections.size === 0)
    throw new UnsupportedGraphError(
      `${what}: no self-attention blocks recognised (expected MatMul nodes named like ` +
        '/down_blocks.0/attentions.0/transformer_blocks.0/attn1/to_k/MatMul, as diffusers/optimum export them). ' +
        'This graph was renamed or is not a Stable-Diffusion UNet.',
    );

  const blocks: SelfAttentionBlock[] = [];
  for (const [prefix, p] of projections) {
    const block = prefix.replaceAll('/', '.');
    if (!p.q || !p.k || !p.v)
      throw new UnsupportedGraphError(
        `${what}: ${block} lacks one of to_q/to_k/to_v — not a recognised attention block`,
      );
    const source = p.q.input?.[0];
    if (p.k.input?.[0] !== source || p.v.input?.[0] !== source)
      throw new UnsupportedGraphError(
        `${what}: ${block} projects K/V from a different tensor than Q: not self-attention`,
      );
    const key = biasOutput(p.k, consumers, `/${prefix}/to_k/Add`);
    const value = biasOutput(p.v, consumers, `/${prefix}/to_v/Add`);
    const weight = initializers.get(p.k.input?.[1] ?? '');
    const channels = weight?.dims?.length === 2 ? Number(weight.dims[1]) : null;
    const inBlock = nodes.filter(
      (n) => (n.name ?? '').startsWith(`/${prefix}/`) || (n.name ?? '').startsWith(`${prefix}/`),
    );
    const mha = inBlock.find(
      (n) => n.domain === 'com.microsoft' && n.opType === 'MultiHeadAttention',
    );
    let form: SelfAttentionBlock['form'];
    let keyConsumers = consumers.get(key) ?? [];
    let valueConsumers = consumers.get(value) ?? [];
    if (mha) {
      // Separate Q, K, V inputs of shape [batch, tokens, channels]: K and V can be lengthened.
      if (
        mha.input?.[1] !== key ||
        mha.input?.[2] !== value ||
        (mha.input?.slice(3) ?? []).some((i) => i !== '')
      )
        throw new UnsupportedGraphError(
          `${what}: ${block} uses MultiHeadAttention with packed, cached or masked keys/values (node ${mha.name}); only separate 3-D K and V are supported`,
        );
      form = 'multi-head-attention';
      keyConsumers = [mha];
      valueConsumers = [mha];
    } else {
      if (!inBlock.some((n) => n.opType === 'Softmax'))
        throw new UnsupportedGraphError(
          `${what}: ${block} has projections but no Softmax: unrecognised attention form`,
        );
      checkDynamicTokens(what, block, [...keyConsumers, ...valueConsumers], initializers);
      form = 'unfused';
    }
    if (keyConsumers.length === 0 || valueConsumers.length === 0)
      throw new UnsupportedGraphError(`${what}: ${block} computes K or V but never uses them`);
    blocks.push({
      block,
      key,
      value,
      channels,
      elemType: weight?.dataType ?? 1,
      keyConsumers,
      valueConsumers,
      form,
    });
  }
  return blocks;
}

/** The projection's output, or its bias Add's output when the export has a biased projection. */
function biasOutput(
  matmul: onnx.INodeProto,
  consumers: Map<string, onnx.INodeProto[]>,
  addName: string,
): string {
  const out = matmul.output![0]!;
  const next = consumers.get(out) ?? [];
  if (next.length === 1 && next[0]!.opType === 'Add' && next[0]!.name === addName)
    return next[0]!.output![0]!;
  return out;
}

/**
 * The head split must not fix the token count: a Reshape to [B, 4096, heads, d] would break when
 * K gains the reference's tokens. Constant shapes need 0 or −1 in the token position.
 */
function checkDynamicTokens(
  what: string,
  block: string,
  consumers: onnx.INodeProto[],
  initializers: Map<string, onnx.ITensorProto>,
): void {
  for (const n of consumers) {
    if (n.opType !== 'Reshape') continue;
    const shape = initializers.get(n.input?.[1] ?? '');
    if (!shape) continue;
    const values = shapeValues(shape);
    if (values.length >= 2 && values[1]! > 0)
      throw new UnsupportedGraphError(
        `${what}: ${block} reshapes K/V to a fixed token count (${values.join(', ')}); export the UNet with dynamic height/width`,
      );
  }
}

function shapeValues(t: onnx.ITensorProto): number[] {
  if (t.int64Data && t.int64Data.length > 0) return t.int64Data.map(Number);
  if (t.rawData && t.rawData.length > 0) {
    const raw = t.rawData;
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    return Array.from({ length: raw.byteLength / 8 }, (_, i) =>
      Number(view.getBigInt64(i * 8, true)),
    );
  }
  return [];
}

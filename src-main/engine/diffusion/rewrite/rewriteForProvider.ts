import type { onnx } from 'onnx-proto';
import { onnxProto } from '#native-models/onnxProto';
import {
  AttentionFormError,
  isMultiHeadAttention,
  separateMultiHeadAttention,
} from './attentionForms';
import { biasAddToAdds, biasSplitGeluToOps, nhwcConvToConv } from './convAndBiasOps';
import { hasFloat16Body, upcastFloat16Body } from './float16Body';
import { DataType, GraphIndex, removeDeadNodes } from './graphEdit';
import { FUSED_FORMS, formRunsOn } from './contribKernels';
import { decomposeGroupNorm } from './groupNorm';

/**
 * A pack fused for one execution provider, made runnable on another: the com.microsoft ops that
 * ORT's Stable-Diffusion optimiser emits for DirectML/CUDA are written back as standard ops when
 * the chosen provider has no kernel for them, or the model is refused before any work with the
 * reason and what to do. ORT runs a node the chosen GPU provider lacks on the CPU provider, so a
 * provider "has" an op when it or the CPU provider implements it.
 *
 * Which provider lacks which op is contribKernels.ts's table; the rewrites:
 *
 * | op (com.microsoft)                | rewrite                                      |
 * | --------------------------------- | -------------------------------------------- |
 * | GroupNorm                         | Reshape/InstanceNormalization/Mul/Add(/SiLU) |
 * | NhwcConv                          | Transpose/Conv/Transpose                     |
 * | BiasAdd                           | Add/Add                                      |
 * | BiasSplitGelu                     | Add/Slice/Erf-Gelu/Mul                       |
 * | MultiHeadAttention, packed QKV/KV | Slice/Reshape → separate Q, K, V             |
 * | SkipGroupNorm, PackedAttention,   | refused (not in SD1.5 exports seen so far)   |
 * |   PackedMultiHeadAttention        |                                              |
 * | float16 body (not on CPU/CoreML)  | upcast to float32 (edges stay float16)       |
 */
export type RewriteResult = { model: onnx.IModelProto; changes: string[] } | { refused: string };

type Rewrite = (
  graph: onnx.IGraphProto,
  node: onnx.INodeProto,
  index: GraphIndex,
  elemType: number,
) => string;

/** Standard-op rewrites of the contrib ops a provider may lack (which lack them: contribKernels). */
const rewrites: Record<string, Rewrite> = {
  GroupNorm: (g, n, _i, t) => decomposeGroupNorm(g, n, t),
  NhwcConv: (g, n) => nhwcConvToConv(g, n),
  BiasAdd: (g, n) => biasAddToAdds(g, n),
  BiasSplitGelu: (g, n, i, t) => biasSplitGeluToOps(g, n, i, t),
};

/** Providers that run a float16 body as it is (the CPU provider lacks most float16 kernels). */
const float16Providers = ['cuda', 'dml', 'rocm', 'tensorrt'];

/**
 * Whether `target` lacks a kernel for a contrib op (ORT falls back to the CPU provider, so CPU's
 * kernels count too). Ops not in the table are left to ONNX Runtime's session creation.
 */
function lacksKernel(op: string, target: string): boolean {
  return formRunsOn(op, [target, 'cpu']) === false;
}

/** Where a contrib op does run, for the refusal's "run it on …". */
function providersWith(op: string): string {
  const entry = FUSED_FORMS.find((f) => f.key === op);
  return (['cuda', 'dml'] as const).filter((p) => entry?.[p]).join('/') || 'a GPU provider';
}

/** ORT provider names as the settings spell them (`dml` = DirectML). */
export function normaliseProvider(provider: string): string {
  const p = provider.toLowerCase().replace(/executionprovider$/, '');
  return p === 'directml' ? 'dml' : p;
}

/**
 * Whether a model's com.microsoft ops can all be run on `provider` after rewriting, judged from
 * the op types alone (no graph decoding): the pack check (pack/providerRewrite.ts) asks this
 * before any session opens. MultiHeadAttention always can (packed forms are split); an op with
 * no kernel there and no rewrite cannot. The rewrite itself may still refuse an unusual node.
 */
export function rewritableFor(
  ops: readonly { opType: string; domain: string }[],
  provider: string,
): { ok: true; rewritten: string[] } | { ok: false; op: string } {
  const target = normaliseProvider(provider);
  const rewritten = new Set<string>();
  for (const { opType, domain } of ops) {
    if (domain !== 'com.microsoft' || opType === 'MultiHeadAttention') continue;
    if (!lacksKernel(opType, target)) continue;
    if (!rewrites[opType]) return { ok: false, op: opType };
    rewritten.add(opType);
  }
  return { ok: true, rewritten: [...rewritten] };
}

/**
 * Rewrites `model` (decoded; edited in place and returned) so that `provider` can run it.
 * `what` names the file in messages, e.g. `unet/model.onnx`.
 */
export function rewriteForProvider(
  model: onnx.IModelProto,
  provider: string,
  what = 'model.onnx',
): RewriteResult {
  const target = normaliseProvider(provider);
  const graph = model.graph!;
  const changes: string[] = [];
  const elemType = hasFloat16Body(graph) ? DataType.FLOAT16 : DataType.FLOAT;
  try {
    const index = new GraphIndex(graph);
    for (const node of [...(graph.node ?? [])]) {
      if (node.domain !== 'com.microsoft') continue;
      const op = node.opType ?? '';
      if (op === 'MultiHeadAttention' && isMultiHeadAttention(node)) {
        const form = !node.input?.[1]
          ? 'MultiHeadAttention/packed-qkv'
          : !node.input?.[2]
            ? 'MultiHeadAttention/packed-kv'
            : 'MultiHeadAttention/separate';
        if (lacksKernel(form, target)) changes.push(separateMultiHeadAttention(graph, node, index));
        continue;
      }
      if (!lacksKernel(op, target)) continue;
      const rewrite = rewrites[op];
      if (!rewrite)
        return {
          refused:
            `${what} uses ONNX Runtime's ${op} (node ${node.name}), which the ${target} provider cannot run ` +
            `and which has no standard-op rewrite here. Use a pack exported for ${target} (the plain ` +
            `diffusers/optimum export, or \`pose-studio pack export\`), or run it on ${providersWith(op)}.`,
        };
      changes.push(rewrite(graph, node, index, elemType));
    }
    if (elemType === DataType.FLOAT16 && !float16Providers.includes(target))
      changes.push(...upcastFloat16Body(graph));
  } catch (error) {
    if (error instanceof AttentionFormError || error instanceof Error)
      return {
        refused: `${what} cannot be rewritten for the ${target} provider: ${error.message}. Use a plain (unfused) export of this model.`,
      };
    throw error;
  }
  if (changes.length > 0) removeDeadNodes(graph);
  return { model, changes };
}

/** Convenience over serialized models (bytes in, bytes out). */
export function rewriteModelBytes(
  bytes: Uint8Array,
  provider: string,
  what?: string,
): { bytes: Uint8Array; changes: string[] } | { refused: string } {
  const model = onnxProto.ModelProto.decode(bytes);
  const result = rewriteForProvider(model, provider, what);
  if ('refused' in result) return result;
  if (result.changes.length === 0) return { bytes, changes: [] };
  return { bytes: onnxProto.ModelProto.encode(result.model).finish(), changes: result.changes };
}

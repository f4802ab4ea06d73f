/**
 * Which execution provider has a kernel for which ONNX Runtime contrib op: the one table both the
 * pack check (pack/providerSupport.ts, `pack inspect`) and the provider rewrite
 * (rewriteForProvider.ts) read, so the check and the rewrite cannot disagree.
 */

/**
 * A fused (ORT `com.microsoft`) op form an optimised pack may contain, and which providers
 * have a kernel for it.
 *
 * CPU: verified — test/integration/diffusion/providerSupport.test.ts builds one node of each
 * form and creates and runs a session on onnxruntime-node's CPU provider (and the fixture packs
 * olive-fused-cpu / olive-fused-dml confirm Attention, separate-Q/K/V MultiHeadAttention and
 * Gelu run, GroupNorm does not).
 * CUDA / DirectML: assumed from ONNX Runtime's docs/OperatorKernels.md (kernels registered per
 * provider, 1.17–1.20) and the Olive/OnnxStack DirectML and CUDA configs that emit these ops;
 * not run here (no GPU). CoreML takes no contrib op; ORT hands those nodes to the CPU provider,
 * so CoreML runs exactly what CPU runs.
 */
export interface FusedForm {
  key: string;
  label: string;
  cpu: boolean;
  cuda: boolean;
  dml: boolean;
}

export const FUSED_FORMS: readonly FusedForm[] = [
  { key: 'Attention', label: 'Attention (packed QKV weights)', cpu: true, cuda: true, dml: true },
  {
    key: 'MultiHeadAttention/separate',
    label: 'MultiHeadAttention (separate Q, K, V)',
    cpu: true,
    cuda: true,
    dml: true,
  },
  {
    key: 'MultiHeadAttention/packed-kv',
    label: 'MultiHeadAttention (packed KV)',
    cpu: false,
    cuda: true,
    dml: true,
  },
  {
    key: 'MultiHeadAttention/packed-qkv',
    label: 'MultiHeadAttention (packed QKV)',
    cpu: false,
    cuda: true,
    dml: true,
  },
  { key: 'GroupNorm', label: 'GroupNorm', cpu: false, cuda: true, dml: true },
  { key: 'SkipGroupNorm', label: 'SkipGroupNorm', cpu: false, cuda: true, dml: false },
  { key: 'NhwcConv', label: 'NhwcConv', cpu: false, cuda: true, dml: false },
  { key: 'PackedAttention', label: 'PackedAttention', cpu: false, cuda: true, dml: false },
  {
    key: 'PackedMultiHeadAttention',
    label: 'PackedMultiHeadAttention',
    cpu: false,
    cuda: true,
    dml: false,
  },
  { key: 'BiasSplitGelu', label: 'BiasSplitGelu', cpu: false, cuda: true, dml: true },
  { key: 'BiasAdd', label: 'BiasAdd', cpu: false, cuda: true, dml: true },
  { key: 'Gelu', label: 'Gelu', cpu: true, cuda: true, dml: true },
  { key: 'FastGelu', label: 'FastGelu', cpu: true, cuda: true, dml: true },
  { key: 'BiasGelu', label: 'BiasGelu', cpu: true, cuda: true, dml: true },
  { key: 'QuickGelu', label: 'QuickGelu', cpu: true, cuda: true, dml: true },
  {
    key: 'SkipLayerNormalization',
    label: 'SkipLayerNormalization',
    cpu: true,
    cuda: true,
    dml: true,
  },
];

/**
 * Can this provider list run a fused form? ORT places every node on the first provider in the
 * list that has a kernel for it (CPU last), so a form runs when any listed provider has one.
 * Unknown contrib ops: `null` (ONNX Runtime decides at session creation).
 */
export function formRunsOn(form: string, providers: readonly string[]): boolean | null {
  const entry = FUSED_FORMS.find((f) => f.key === form);
  if (!entry) return null;
  return providers.some((p) =>
    p === 'coreml' || p === 'cpu'
      ? entry.cpu
      : p === 'cuda'
        ? entry.cuda
        : p === 'dml'
          ? entry.dml
          : false,
  );
}

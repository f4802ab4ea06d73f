import type { NodeSummary } from './onnxHeader';

/** ONNX Runtime execution providers Pose Studio can ask for (settings' names). */
export const EXECUTION_PROVIDERS = ['cpu', 'cuda', 'dml', 'coreml'] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];

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

const MICROSOFT = 'com.microsoft';

/** The fused form of one node (`MultiHeadAttention` split by how its inputs are packed). */
export function fusedFormOf(node: NodeSummary): string | null {
  if (node.domain !== MICROSOFT) return null;
  if (node.opType !== 'MultiHeadAttention') return node.opType;
  const present = node.inputs.map((i) => i !== '');
  // inputs: query, key, value, bias, … — packed QKV has only a query of shape (B, L, N, 3, H);
  // packed KV has a key of shape (B, L, N, 2, H) and no value.
  if (!present[1]) return 'MultiHeadAttention/packed-qkv';
  if (!present[2]) return 'MultiHeadAttention/packed-kv';
  return 'MultiHeadAttention/separate';
}

/** Fused forms in a graph with their node counts, in table order (unknown ones last). */
export function fusedForms(nodes: readonly NodeSummary[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const n of nodes) {
    const form = fusedFormOf(n);
    if (form) counts.set(form, (counts.get(form) ?? 0) + 1);
  }
  const order = (k: string) => {
    const i = FUSED_FORMS.findIndex((f) => f.key === k);
    return i < 0 ? FUSED_FORMS.length : i;
  };
  return new Map([...counts].sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b)));
}

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

/** Which of the four providers run every form in `forms` (unknown forms count as not known). */
export function providersFor(forms: Iterable<string>): Record<ExecutionProvider, boolean | null> {
  const list = [...forms];
  const verdict = (p: ExecutionProvider): boolean | null => {
    let unknown = false;
    for (const f of list) {
      const r = formRunsOn(f, p === 'cpu' ? ['cpu'] : [p, 'cpu']);
      if (r === false) return false;
      if (r === null) unknown = true;
    }
    return unknown ? null : true;
  };
  return {
    cpu: verdict('cpu'),
    cuda: verdict('cuda'),
    dml: verdict('dml'),
    coreml: verdict('coreml'),
  };
}

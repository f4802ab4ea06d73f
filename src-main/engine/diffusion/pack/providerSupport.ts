import { FUSED_FORMS, formRunsOn } from '#main/engine/diffusion/rewrite/contribKernels';
import type { NodeSummary } from './onnxHeader';

/** ONNX Runtime execution providers Pose Studio can ask for (settings' names). */
export const EXECUTION_PROVIDERS = ['cpu', 'cuda', 'dml', 'coreml'] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];

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

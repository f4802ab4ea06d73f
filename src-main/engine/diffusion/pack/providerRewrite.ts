import type { PackModel } from './packModel';

/** A rewrite that makes a model runnable on the chosen providers (standard ops, float32). */
export interface ProviderRewrite {
  /** What it changes, for the log and `pack inspect` ("GroupNorm → InstanceNormalization …"). */
  description: string;
  /** The rewritten graph; its external weights stay in the model's folder. */
  apply(modelBytes: Uint8Array): Promise<Uint8Array>;
}

/**
 * The seam for provider rewrites (issue 16 item 3, owned by the surgery side: GroupNorm → its
 * decomposition, NhwcConv → Conv with transposes, packed QKV/KV → separate, float16 → float32).
 * `problems` are the one-line reasons the pack check found (`packFitness.ts`). Returns null while
 * no rewrite exists for them: the pack is then refused before any work, with the reason.
 */
export function rewriteForProvider(
  _model: PackModel,
  _providers: readonly string[],
  _problems: readonly string[],
): ProviderRewrite | null {
  return null;
}

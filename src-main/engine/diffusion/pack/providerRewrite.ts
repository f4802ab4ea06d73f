import { rewritableFor } from '#main/engine/diffusion/rewrite/rewriteForProvider';
import type { PackModel } from './packModel';
import { precisionOf } from './precision';

/** A rewrite that makes a model runnable on the chosen providers (standard ops, float32). */
export interface ProviderRewrite {
  /** What it changes, for the log and `pack inspect` ("GroupNorm → standard ops …"). */
  description: string;
}

/**
 * Whether the provider rewrites (rewrite/rewriteForProvider.ts: GroupNorm → its decomposition,
 * NhwcConv → Conv with transposes, packed QKV/KV → separate, float16 → float32) make `model`
 * runnable on the first of `providers`, judged from its op types before any work; the rewrite
 * itself runs when the session opens (sessions/openForProvider.ts). `problems` are the one-line
 * reasons the pack check found (`packFitness.ts`). Null: no rewrite helps, and the pack is
 * refused before any work with the reason.
 */
export function rewriteForProvider(
  model: PackModel,
  providers: readonly string[],
  problems: readonly string[],
): ProviderRewrite | null {
  if (problems.length === 0) return null;
  const target = providers[0] ?? 'cpu';
  const ops = rewritableFor(model.header.nodes, target);
  if (!ops.ok) return null;
  const parts = [...ops.rewritten.map((op) => `${op} → standard ops`)];
  if (
    model.header.nodes.some(
      (n) => n.domain === 'com.microsoft' && n.opType === 'MultiHeadAttention',
    )
  )
    parts.push('packed MultiHeadAttention → separate Q, K, V');
  // The same judgement as the problem that asked for the rewrite (packFitness.ts).
  if (target === 'cpu' && precisionOf(model.header) !== 'float32') parts.push('float16 → float32');
  return { description: `${model.rel} is rewritten for ${target}: ${parts.join(', ')}` };
}
